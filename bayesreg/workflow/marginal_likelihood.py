r"""The closed-form marginal likelihood of the Normal-prior linear model (empirical Bayes)."""

from __future__ import annotations

import math

import numpy as np

__all__ = ["log_marginal_likelihood"]


def log_marginal_likelihood(X, y, scale, sigma, *, fit_intercept=True):
    r"""Log marginal likelihood of the Normal-prior linear model at each ``scale``.

    .. math::

        \log N\!\left(y_c;\, 0,\, \sigma^2 I + t^2 X_c X_c^\top\right)
        = -\tfrac12\Big[n\log 2\pi + \sum_i \log(\sigma^2 + t^2 d_i^2)
          + (n - r)\log\sigma^2 + \sum_i \frac{(u_i^\top y_c)^2}{\sigma^2 + t^2 d_i^2}
          + \frac{\lVert y_c\rVert^2 - \sum_i (u_i^\top y_c)^2}{\sigma^2}\Big]

    with :math:`X_c = U D V^\top` (rank :math:`r`), computed from one SVD.
    With an intercept, its flat prior integrated out, ``n`` is replaced by
    ``n - 1`` (the density of :math:`y_c` on the complement of :math:`\mathbf 1`;
    the constant :math:`-\tfrac12 \log n` is dropped).
    """
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    if fit_intercept:
        X, y = X - X.mean(axis=0), y - y.mean()
    U, d, _ = np.linalg.svd(X, full_matrices=False)
    n_dims = X.shape[0] - int(fit_intercept)
    return _log_marginal_from_svd(U.T @ y, d, float(y @ y), n_dims, scale, sigma)


def _log_marginal_from_svd(uty, d, yy, n, scale, sigma):
    t2 = np.asarray(scale, dtype=float)[..., None] ** 2
    s2 = np.asarray(sigma, dtype=float)[..., None] ** 2
    var = s2 + t2 * d**2
    rest = yy - np.sum(uty**2)
    quad = np.sum(uty**2 / var, axis=-1) + rest / s2[..., 0]
    logdet = np.sum(np.log(var), axis=-1) + (n - d.size) * np.log(s2[..., 0])
    return -0.5 * (n * math.log(2 * math.pi) + logdet + quad)
