"""Penalized least squares and logistic solvers behind the MAP estimators.

Ridge is solved in closed form; L1 least squares uses scikit-learn's
coordinate descent at the alpha :func:`bayesreg.to_penalty` maps the prior to;
logistic regression the proximal Newton solver of :mod:`._logistic` (beyond
2,000 features: scikit-learn's L-BFGS for L2, SciPy's L-BFGS-B on split
coefficients for L1).
"""

from __future__ import annotations

import warnings

import numpy as np
from scipy import linalg, optimize, special
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import ElasticNet, LogisticRegression

from ._logistic import logistic_map, logistic_zero_is_map


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
    # the one copy of X, in the column-major order coordinate descent reads, so
    # scikit-learn's ElasticNet need not make a second one (n = 1e6: 160 MB each)
    Xc = np.empty(X.shape, order="F")
    np.subtract(X, x_mean, out=Xc)
    return Xc, y - y_mean, x_mean, y_mean


#: Below this L1 share of the penalty, a / (a + b) (the ``l1_ratio`` scikit-learn
#: sees), the L1 term is dropped and the closed-form ridge used: coordinate
#: descent cannot resolve it (its duality gap needs the L1 subgradient to better
#: than machine precision, so it ran to max_iter and warned; found by
#: tests/test_properties.py).  Dropping it moves no coefficient by more than
#: a / b (= r s / (1 - r) for ElasticNet(s, r)).  Estimators and paths share it.
NEGLIGIBLE_L1 = 1e-9


def l1_is_negligible(l1, l2):
    """True when the L1 part of penalty weights ``(l1, l2)`` is dropped (see NEGLIGIBLE_L1)."""
    return l1 <= NEGLIGIBLE_L1 * (l1 + l2)


def least_squares_weights(l1, l2, sigma):
    r"""Penalty weights on the least-squares scale: :math:`(\sigma^2\ell_1, \sigma^2\ell_2)`.

    The Gaussian MAP minimises :math:`\tfrac12\lVert y_c - X_c w\rVert^2 + \sigma^2
    (\ell_1\lVert w\rVert_1 + \tfrac{\ell_2}2\lVert w\rVert^2)`.  A zero weight stays
    zero even when :math:`\sigma^2` overflows to infinity (never ``0 * inf = nan``).
    """
    with np.errstate(over="ignore"):  # an overflow is the infinite penalty it stands for
        sigma2 = np.float64(sigma) ** 2
        return (float(sigma2 * l1) if l1 > 0 else 0.0), (float(sigma2 * l2) if l2 > 0 else 0.0)


def least_squares_zero_is_map(Xc, yc, a1, a2):
    r"""True when ``w = 0`` is the exact MAP for least-squares weights ``(a1, a2)``.

    KKT at zero: :math:`a_1 \ge \max_j |x_j^\top y_c|` (the lasso's
    ``alpha_max = max|X'(y - mean y)| / n``, times n), whatever the L2 part;
    or an infinite weight.  Checked before any solver runs, so an enormous
    penalty gives exact zeros, never least squares or a ConvergenceWarning.
    """
    if np.isinf(a1) or np.isinf(a2):
        return True
    return a1 > 0.0 and a1 >= np.max(np.abs(Xc.T @ yc), initial=0.0)


#: An L1 weight below this fraction of the lasso's ``alpha_max`` (a nearly flat
#: prior, e.g. Laplace(1e30)) is solved exactly by :func:`small_l1_coef` first:
#: coordinate descent there ran to max_iter and warned on correlated columns.
SMALL_L1 = 1e-6


def small_l1_coef(Xc, yc, a1, a2):
    r"""The exact MAP for a small L1 weight when no coefficient is zero, else None.

    With no zero coefficient and signs :math:`s`, the optimality conditions of
    :math:`\tfrac12\lVert y_c - X_c w\rVert^2 + a_1\lVert w\rVert_1 + \tfrac{a_2}2\lVert w\rVert^2`
    read :math:`(X_c^\top X_c + a_2 I) w = X_c^\top y_c - a_1 s`.  Solve them with
    :math:`s` the signs of the ridge solution; if the solution keeps exactly those
    signs, the conditions hold and, the objective being strictly convex (the
    Gram matrix plus :math:`a_2 I` is positive definite), it is the MAP.  Tried
    only for :math:`a_1 \le` ``SMALL_L1`` :math:`\max_j |x_j^\top y_c|` and p <= n.
    """
    n, p = Xc.shape
    xty = Xc.T @ yc
    if p > n or not a1 <= SMALL_L1 * np.max(np.abs(xty), initial=0.0):
        return None
    return small_l1_from_gram(Xc.T @ Xc, xty, n, a1, a2)


def small_l1_from_gram(gram, xty, n, a1, a2):
    """:func:`small_l1_coef` from the Gram matrix ``X_c'X_c`` and ``X_c'y_c`` of n rows."""
    p = xty.shape[0]
    if p > n or not a1 <= SMALL_L1 * np.max(np.abs(xty), initial=0.0):
        return None
    gram = gram.copy()
    gram.flat[:: p + 1] += a2
    try:
        factor = linalg.cho_factor(gram)
    except linalg.LinAlgError:  # singular: the MAP need not be unique
        return None
    signs = np.sign(linalg.cho_solve(factor, xty))
    coef = linalg.cho_solve(factor, xty - a1 * signs)
    if np.all(signs != 0) and np.array_equal(np.sign(coef), signs):
        return coef
    return None


def ridge_coef(Xc, yc, alpha):
    r"""Closed-form ridge: :math:`(X^\top X + \alpha I)^{-1} X^\top y`.

    Uses the n x n dual system :math:`X^\top (X X^\top + \alpha I)^{-1} y` when p > n.
    A tiny alpha on collinear columns (e.g. an estimated sigma floored near 0
    for data the model fits exactly) makes the system numerically singular;
    then the SVD form of :func:`ridge_path_coefs` is used, which stays finite
    (it tends to the minimum-norm least-squares solution).
    """
    n, p = Xc.shape
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", linalg.LinAlgWarning)
            if p <= n:
                gram = Xc.T @ Xc
                gram.flat[:: p + 1] += alpha
                return linalg.solve(gram, Xc.T @ yc, assume_a="pos")
            kernel = Xc @ Xc.T
            kernel.flat[:: n + 1] += alpha
            return Xc.T @ linalg.solve(kernel, yc, assume_a="pos")
    except (linalg.LinAlgError, linalg.LinAlgWarning):
        return ridge_path_coefs(Xc, yc, [alpha])[0]


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


#: Up to this many features the logistic MAP uses the proximal Newton solver of
#: :mod:`._logistic` (it forms the (p+1) x (p+1) Hessian); beyond, first-order solvers.
NEWTON_MAX_FEATURES = 2000


def fit_logistic(X, y01, l1, l2, fit_intercept, tol, max_iter, init=None):
    """Penalized logistic MAP for penalty weights ``(l1, l2)``.

    Up to 2,000 features: :func:`._logistic.logistic_map`, proximal Newton on
    internally standardised columns (deterministic, exact to rounding, blind to
    column scale).  Beyond: scikit-learn's L-BFGS for pure L2, else
    :func:`l1_logistic`.  liblinear is never used: it penalizes the intercept.
    ``init = (coef, intercept)`` warm-starts the fit (paths over scales).

    Returns
    -------
    coef, intercept, n_iter
    """
    if X.shape[1] <= NEWTON_MAX_FEATURES or logistic_zero_is_map(X, y01, l1, l2, fit_intercept):
        return logistic_map(X, y01, l1, l2, fit_intercept, tol, max_iter, init=init)
    if l1 > 0.0:
        return l1_logistic(X, y01, l1, l2, fit_intercept, tol, max_iter, init=init)
    model = LogisticRegression(
        C=1.0 / l2,
        l1_ratio=0.0,
        solver="lbfgs",
        fit_intercept=fit_intercept,
        tol=tol,
        max_iter=max_iter,
    ).fit(X, y01)
    intercept = float(model.intercept_[0]) if fit_intercept else 0.0
    return model.coef_[0].copy(), intercept, int(np.max(model.n_iter_))


def l1_logistic(X, y01, l1, l2, fit_intercept, tol, max_iter, init=None):
    r"""Logistic regression with an L1 (+ L2) penalty, by L-BFGS-B on split coefficients.

    Writing :math:`w = u - v` with :math:`u, v \ge 0` turns

    .. math:: \sum_i \log(1 + e^{-s_i(b_0 + x_i^\top w)}) + \ell_1 \lVert w\rVert_1
              + \tfrac{\ell_2}{2}\lVert w\rVert^2

    into a smooth problem with bounds, :math:`\ell_1 \sum(u + v)` in place of
    :math:`\ell_1\lVert w\rVert_1`, which SciPy's L-BFGS-B solves to a tight
    projected-gradient tolerance; coefficients at their bound are exactly zero.
    Unlike SAGA it needs no feature scaling to converge.

    Returns
    -------
    coef, intercept, n_iter
    """
    n, p = X.shape
    signs = 2.0 * y01 - 1.0

    def objective(theta):
        u, v, b0 = theta[:p], theta[p : 2 * p], theta[2 * p] if fit_intercept else 0.0
        w = u - v
        margin = signs * (X @ w + b0)
        loss = np.logaddexp(0.0, -margin).sum()
        # d loss / d eta_i = -s_i * sigmoid(-margin_i)
        d_eta = -signs * special.expit(-margin)
        grad_w = X.T @ d_eta + l2 * w
        value = loss + l1 * (u.sum() + v.sum()) + 0.5 * l2 * (w @ w)
        grad = np.concatenate([grad_w + l1, -grad_w + l1, [d_eta.sum()] if fit_intercept else []])
        return value, grad

    theta0 = np.zeros(2 * p + int(fit_intercept))
    if init is not None:
        coef0, intercept0 = init
        theta0[:p], theta0[p : 2 * p] = np.maximum(coef0, 0.0), np.maximum(-coef0, 0.0)
        if fit_intercept:
            theta0[2 * p] = intercept0
    bounds = [(0.0, None)] * (2 * p) + [(None, None)] * int(fit_intercept)
    result = optimize.minimize(
        objective, theta0, jac=True, method="L-BFGS-B", bounds=bounds,
        options={"maxiter": max_iter, "gtol": tol, "ftol": 0.0, "maxcor": 30},
    )
    # L-BFGS-B with ftol=0 often ends "abnormally" in the line search once it is at
    # machine precision; only warn when the projected gradient says it is not optimal.
    x, g = result.x, result.jac
    at_bound = np.zeros_like(x, dtype=bool)
    at_bound[: 2 * p] = x[: 2 * p] <= 0.0
    projected = np.where(at_bound, np.maximum(-g, 0.0), np.abs(g))
    if not result.success and projected.max() > 1e-5 * max(1.0, l1):
        warnings.warn(
            f"L1 logistic MAP did not converge in max_iter={max_iter} iterations "
            f"({result.message}); increase max_iter or scale the columns of X.",
            ConvergenceWarning,
            stacklevel=3,
        )
    coef = result.x[:p] - result.x[p : 2 * p] + 0.0
    intercept = float(result.x[2 * p]) if fit_intercept else 0.0
    return coef, intercept, int(result.nit)
