r"""Penalized logistic MAP by proximal Newton, on internally standardised columns.

The problem, for labels :math:`y_i \in \{0, 1\}`, :math:`\eta_i = b_0 + x_i^\top w`:

.. math::

    \min_{b_0, w}\; \sum_i \left[\log(1 + e^{\eta_i}) - y_i \eta_i\right]
        + \sum_j \ell_{1} |w_j| + \tfrac{\ell_{2}}{2} w_j^2 .

The scaling (centred columns divided by their sd, the penalty moved to
per-feature weights, so the optimum maps back exactly) and the solver
(proximal Newton with backtracking, exact zeros) are those of
:mod:`._proximal_newton`; this module gives them the logistic loss.
"""

from __future__ import annotations

import numpy as np
from scipy import special

from ._proximal_newton import StandardisedDesign, proximal_newton

__all__ = ["logistic_map", "logistic_zero_is_map"]


def logistic_zero_is_map(X, y01, l1, l2, fit_intercept):
    """True when ``w = 0`` is the exact MAP (KKT at zero), or a weight is infinite.

    At ``w = 0`` the intercept's MAP is ``logit(mean(y))`` (0 without an
    intercept), so zero is optimal iff ``l1 >= max|X'(y - p0)|``.
    """
    if np.isinf(l1) or np.isinf(l2):
        return True
    p0 = y01.mean() if fit_intercept else 0.5
    return l1 > 0.0 and l1 >= np.max(np.abs(X.T @ (y01 - p0)), initial=0.0)


def intercept_only(y01, fit_intercept):
    """The intercept's MAP when every coefficient is zero: the logit of the mean."""
    return float(special.logit(y01.mean())) if fit_intercept else 0.0


def logistic_map(X, y01, l1, l2, fit_intercept, tol, max_iter, init=None):
    """The MAP ``(coef, intercept, n_iter)`` of the problem in the module docstring.

    ``init = (coef, intercept)`` warm-starts it (a path over scales).  Converged
    means every KKT condition holds to ``tol * n`` on the standardised scale;
    otherwise a ConvergenceWarning is raised.
    """
    y01 = np.asarray(y01, dtype=float)
    n, p = X.shape
    if logistic_zero_is_map(X, y01, l1, l2, fit_intercept):
        return np.zeros(p), intercept_only(y01, fit_intercept), 1  # one KKT check
    design = StandardisedDesign.of(X, l1, l2, fit_intercept)
    A, lam, mu = design.A, design.lam, design.mu

    def objective(t):
        eta = A @ t
        return np.sum(np.logaddexp(0.0, eta) - y01 * eta) + lam @ np.abs(t) + 0.5 * mu @ t**2

    def gradient(t):
        return A.T @ (special.expit(A @ t) - y01) + mu * t

    def hessian(t):
        prob = special.expit(A @ t)
        return (A.T * (prob * (1.0 - prob))) @ A

    theta, n_iter = proximal_newton(
        objective, gradient, hessian, design.start(init, lambda: intercept_only(y01, True)),
        lam, mu, tol=tol, scale=n, max_iter=max_iter, what="logistic MAP",
    )
    coef, intercept = design.to_original(theta)
    return coef, intercept, n_iter
