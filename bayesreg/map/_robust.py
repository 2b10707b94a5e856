r"""MAP routes of the robust likelihoods (Student-t, Laplace): scale mixtures of normals.

Both likelihoods are normal scale mixtures, so each MAP step is a *weighted*
least-squares problem under the same L1/L2 penalty, solved by the Gaussian
route (:func:`bayesreg.map.solve._least_squares`) on rows multiplied by the
square roots of the weights (after centring with the same weights: the flat
intercept's MAP given ``w`` is the weighted mean residual).

``"student_t_em"``
    EM of the Student-t's gamma mixture (Lange, Little & Taylor 1989): E-step
    :math:`u_i = (\nu+1)/(\nu + r_i^2/\sigma^2)`, M-step the penalized weighted
    least squares :math:`\sum u_i r_i^2/(2\sigma^2) + \mathrm{pen}(w)`.  Each
    step never raises the objective; it stops at a stationary point, one mode
    of a possibly multimodal objective (the Student-t loss is not convex).
    A learned :math:`\nu` is first set to its mode given the residuals (the
    log likelihood plus the Gamma's log density, a bounded 1-D maximisation;
    ECME, Liu & Rubin 1995), which cannot lower the objective either: the
    iteration climbs the joint log posterior of :math:`(w, b_0, \nu)`.
``"least_absolute"``
    An L1 (or flat) prior: the exact linear program of the L1 loss, by HiGHS
    (``scipy.optimize.linprog``), as scikit-learn's ``QuantileRegressor``.
    With an L2 part (Normal, ElasticNet priors): iteratively reweighted least
    squares, the majorizer :math:`|r| \le r^2/(2|\tilde r|) + |\tilde r|/2`
    with :math:`|\tilde r|` floored at ``1e-9`` times the spread of y, warm
    started from the LP solution of the L1 part.
"""

from __future__ import annotations

import warnings
from typing import NamedTuple

import numpy as np
from scipy import optimize, sparse
from sklearn.exceptions import ConvergenceWarning

__all__ = ["least_absolute_fit", "robust_routes"]

class _Solution(NamedTuple):
    """As :class:`bayesreg.map.solve.MAPSolution` (this module may not import it: a cycle)."""

    coefs: np.ndarray
    intercepts: np.ndarray
    n_iter: np.ndarray


#: EM / IRLS steps at most (each is a whole penalized least-squares fit).
MAX_STEPS = 5000


def _weighted_step(least_squares, X, y, u, l1l2, likelihood, sigma2_like, fit_intercept, tol,
                   max_iter):
    """Minimise ``sum u_i r_i^2 / (2 sigma2_like) + l1 |w|_1 + l2 |w|^2 / 2``: returns (coef, b0)."""
    if fit_intercept:
        total = u.sum()
        x_mean, y_mean = u @ X / total, float(u @ y / total)
    else:
        x_mean, y_mean = np.zeros(X.shape[1]), 0.0
    root = np.sqrt(u)[:, None]
    Xw, yw = (X - x_mean) * root, (y - y_mean) * root[:, 0]
    solution = least_squares(Xw, yw, [l1l2], _GaussianScale(likelihood), np.sqrt(sigma2_like),
                             False, tol, max_iter)
    coef = solution.coefs[0]
    return coef, y_mean - x_mean @ coef


class _GaussianScale:
    """What the least-squares route asks of a likelihood in the weighted step (sigma^2 dispersion)."""

    def __init__(self, likelihood):
        self.likelihood = likelihood

    @staticmethod
    def dispersion(sigma):
        return sigma**2


def _iterate(step, X, y, fit_intercept, tol, what):
    """Run ``step`` from zero coefficients and the median intercept (see :func:`_iterate_from`)."""
    b0 = float(np.median(y)) if fit_intercept else 0.0
    return _iterate_from(step, np.zeros(X.shape[1]), b0, tol, what)


def _student_t_em(least_squares):
    def route(X, y, weights, likelihood, sigma, fit_intercept, tol, max_iter):
        out = [np.zeros((len(weights), X.shape[1])), np.zeros(len(weights)),
               np.zeros(len(weights), dtype=int)]
        for i, l1l2 in enumerate(weights):
            def step(coef, b0, l1l2=l1l2):
                resid = y - b0 - X @ coef
                # a learned df: first its mode given the residuals (ECME), then the E-step at it
                u = likelihood.conditional_mode(resid, sigma).mixing_precision_em(resid, sigma)
                return _weighted_step(least_squares, X, y, u, l1l2, likelihood, sigma**2,
                                      fit_intercept, tol, max_iter)

            out[0][i], out[1][i], out[2][i] = _iterate(step, X, y, fit_intercept, tol,
                                                       "Student-t EM")
        return _Solution(*out)

    return route


def least_absolute_fit(X, y, l1, b, fit_intercept):
    r"""``argmin sum|y - b0 - Xw|/b + l1 |w|_1`` exactly, as a linear program (HiGHS).

    Variables ``(b0+, b0-, w+, w-, r+, r-) >= 0`` with ``b0 + X w + r+ - r- = y``.
    """
    n, p = X.shape
    k = 2 if fit_intercept else 0
    cost = np.concatenate([np.zeros(k), np.full(2 * p, float(l1)), np.full(2 * n, 1.0 / b)])
    ones = np.ones((n, 1))
    eye = sparse.identity(n, format="csc")
    blocks = ([ones, -ones] if fit_intercept else []) + [X, -X, eye, -eye]
    result = optimize.linprog(cost, A_eq=sparse.hstack(blocks, format="csc"), b_eq=y,
                              bounds=(0, None), method="highs")
    if result.status != 0:  # pragma: no cover - the LP is always feasible and bounded
        raise RuntimeError(f"the least-absolute-deviation LP failed: {result.message}")
    z = result.x
    b0 = z[0] - z[1] if fit_intercept else 0.0
    coef = z[k:k + p] - z[k + p:k + 2 * p]
    return coef + 0.0, float(b0)


def _least_absolute(least_squares):
    def route(X, y, weights, likelihood, sigma, fit_intercept, tol, max_iter):
        out = [np.zeros((len(weights), X.shape[1])), np.zeros(len(weights)),
               np.zeros(len(weights), dtype=int)]
        floor = 1e-9 * (float(np.std(y)) or 1.0)
        for i, (l1, l2) in enumerate(weights):
            coef, b0 = least_absolute_fit(X, y, l1, sigma, fit_intercept)
            steps = 1
            if l2 > 0:
                def step(coef, b0, l1l2=(l1, l2)):
                    u = 1.0 / np.maximum(np.abs(y - b0 - X @ coef), floor)
                    # sum|r|/b <= sum u r^2 / (2b) + const: a Gaussian step with "sigma^2" = b
                    return _weighted_step(least_squares, X, y, u, l1l2, likelihood, sigma,
                                          fit_intercept, tol, max_iter)

                coef, b0, steps = _iterate_from(step, coef, b0, tol, "Laplace-likelihood IRLS")
            out[0][i], out[1][i], out[2][i] = coef, b0, steps
        return _Solution(*out)

    return route


def _iterate_from(step, coef, b0, tol, what):
    """Run ``step(coef, b0) -> (coef, b0)`` until it stops moving; returns (coef, b0, steps)."""
    for it in range(1, MAX_STEPS + 1):
        new, new_b0 = step(coef, b0)
        moved = max(np.max(np.abs(new - coef), initial=0.0), abs(new_b0 - b0))
        coef, b0 = new, new_b0
        if moved <= max(tol, 1e-12) * (1.0 + max(np.max(np.abs(coef), initial=0.0), abs(b0))):
            return coef + 0.0, b0, it
    warnings.warn(f"the {what} did not converge in {MAX_STEPS} steps (last move {moved:.3g}); "
                  "raise tol.", ConvergenceWarning, stacklevel=5)
    return coef + 0.0, b0, MAX_STEPS


def robust_routes(least_squares):
    """The routes of this module, built on the Gaussian route ``least_squares``."""
    return {"student_t_em": _student_t_em(least_squares),
            "least_absolute": _least_absolute(least_squares)}
