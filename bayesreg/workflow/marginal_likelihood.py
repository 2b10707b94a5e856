r"""The closed-form marginal likelihood of the Normal-prior linear model (empirical Bayes)."""

from __future__ import annotations

import math

import numpy as np
from scipy import optimize

from ..map import estimate_sigma

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


def maximise_marginal_likelihood(X, y, scales, sigma, fit_intercept):
    """Type-II maximum likelihood of the Normal prior's scale (and of sigma when it is None).

    The grid ``scales`` brackets the search; returns ``(log_scale, sigma, curve)``
    with ``curve`` the log marginal likelihood on the grid at that sigma.
    """
    n = X.shape[0] - int(fit_intercept)  # dimensions left once a flat intercept is integrated out
    Xc, yc = (X - X.mean(axis=0), y - y.mean()) if fit_intercept else (X, y)
    U, d, _ = np.linalg.svd(Xc, full_matrices=False)
    uty, yy = U.T @ yc, float(yc @ yc)

    if sigma is not None:
        def negative(log_t):
            return -float(_log_marginal_from_svd(uty, d, yy, n, math.exp(log_t), sigma))
        curve = _log_marginal_from_svd(uty, d, yy, n, scales, sigma)
        best = int(np.argmax(curve))
        lo, hi = np.log(scales[max(best - 1, 0)]), np.log(scales[min(best + 1, scales.size - 1)])
        result = optimize.minimize_scalar(negative, bounds=(lo, hi), method="bounded",
                                          options={"xatol": 1e-10})
        log_t, sigma_hat = float(result.x), float(sigma)
    else:
        def negative(theta):
            return -float(_log_marginal_from_svd(uty, d, yy, n, math.exp(theta[0]), math.exp(theta[1])))
        sigma0 = estimate_sigma(X, y, fit_intercept=fit_intercept)
        start_curve = _log_marginal_from_svd(uty, d, yy, n, scales, sigma0)
        start = [math.log(scales[int(np.argmax(start_curve))]), math.log(sigma0)]
        result = optimize.minimize(negative, start, method="Nelder-Mead",
                                   options={"xatol": 1e-10, "fatol": 1e-12, "maxiter": 10_000})
        log_t, sigma_hat = float(result.x[0]), float(math.exp(result.x[1]))
        curve = _log_marginal_from_svd(uty, d, yy, n, scales, sigma_hat)
    return log_t, sigma_hat, curve
