"""Penalized least squares and logistic solvers behind the MAP estimators.

Ridge is solved in closed form; L1 penalties use scikit-learn's coordinate
descent and logistic regression its L-BFGS / SAGA solvers, all at the alpha or
C that :func:`bayesreg.to_penalty` maps the prior to.
"""

from __future__ import annotations

import numpy as np
from scipy import linalg
from sklearn.linear_model import ElasticNet, LogisticRegression


def center(X, y, fit_intercept):
    """Centre X and y when an (unpenalized) intercept is fitted.

    With a flat prior on the intercept, its MAP given ``w`` is
    ``mean(y) - mean(X) @ w``; substituting it back leaves the problem in ``w``
    on centred data.
    """
    if not fit_intercept:
        return X, y, np.zeros(X.shape[1]), 0.0
    x_mean = X.mean(axis=0)
    y_mean = float(y.mean())
    return X - x_mean, y - y_mean, x_mean, y_mean


def ridge_coef(Xc, yc, alpha):
    r"""Closed-form ridge: :math:`(X^\top X + \alpha I)^{-1} X^\top y`.

    Uses the n x n dual system :math:`X^\top (X X^\top + \alpha I)^{-1} y` when p > n.
    """
    n, p = Xc.shape
    if p <= n:
        gram = Xc.T @ Xc
        gram.flat[:: p + 1] += alpha
        return linalg.solve(gram, Xc.T @ yc, assume_a="pos")
    kernel = Xc @ Xc.T
    kernel.flat[:: n + 1] += alpha
    return Xc.T @ linalg.solve(kernel, yc, assume_a="pos")


def ridge_path_coefs(Xc, yc, alphas):
    r"""Ridge coefficients for every alpha from one thin SVD :math:`X = U D V^\top`.

    .. math:: w(\alpha) = V \operatorname{diag}\!\left(\frac{d}{d^2 + \alpha}\right) U^\top y
    """
    U, d, Vt = linalg.svd(Xc, full_matrices=False)
    uty = U.T @ yc
    factors = d / (d**2 + np.asarray(alphas)[:, None])
    return (factors * uty) @ Vt


def make_enet(alpha, l1_ratio, tol, max_iter, warm_start=False):
    """scikit-learn's coordinate-descent elastic net, on centred data."""
    return ElasticNet(
        alpha=alpha,
        l1_ratio=l1_ratio,
        fit_intercept=False,
        tol=tol,
        max_iter=max_iter,
        warm_start=warm_start,
    )


def make_logistic(C, l1_ratio, fit_intercept, tol, max_iter, warm_start=False):
    """scikit-learn's logistic regression: L-BFGS for L2, SAGA when there is an L1 part.

    Both leave the intercept unpenalized (liblinear would penalize it).
    """
    return LogisticRegression(
        C=C,
        l1_ratio=l1_ratio,
        solver="lbfgs" if l1_ratio == 0.0 else "saga",
        fit_intercept=fit_intercept,
        tol=tol,
        max_iter=max_iter,
        warm_start=warm_start,
    )
