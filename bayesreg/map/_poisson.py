r"""Penalized Poisson (log link) MAP by proximal Newton, on internally standardised columns.

The problem, for counts :math:`y_i`, a known offset :math:`o_i` (0 without
one) and :math:`\eta_i = o_i + b_0 + x_i^\top w`:

.. math::

    \min_{b_0, w}\; \sum_i \left[e^{\eta_i} - y_i \eta_i\right]
        + \sum_j \ell_{1} |w_j| + \tfrac{\ell_{2}}{2} w_j^2 ,

the negative log likelihood up to :math:`\sum_i \log y_i!` plus the penalty.

The scaling (centred columns divided by their sd, the penalty moved to
per-feature weights :math:`\ell_1/d_j`, :math:`\ell_2/d_j^2`, so the optimum
maps back exactly) and the solver (proximal Newton with backtracking) are those
of :mod:`._proximal_newton`; this module gives them the Poisson loss (gradient
:math:`A^\top(\mu - y)`, Hessian :math:`A^\top \mathrm{diag}(\mu) A`).
"""

from __future__ import annotations

import math

import numpy as np

from ._proximal_newton import StandardisedDesign, proximal_newton

__all__ = ["poisson_map", "poisson_zero_is_map"]

#: Largest eta exponentiated (exp(700) is finite in float64); above it the objective is inf.
_ETA_MAX = 700.0


def _intercept_only(y, offset, fit_intercept, owner="the Poisson MAP"):
    """The intercept's MAP with every coefficient zero: ``log(sum y / sum exp(offset))``."""
    if not fit_intercept:
        return 0.0
    total = float(np.sum(y))
    if total == 0.0:
        raise ValueError(
            f"{owner}: every count is 0, so the unpenalized intercept's MAP is -inf (the "
            "estimated rate is 0). Fit on data with some positive counts, or fit_intercept=False."
        )
    return math.log(total) - float(np.log(np.sum(np.exp(offset))))


def poisson_zero_is_map(X, y, l1, l2, fit_intercept, offset):
    """True when ``w = 0`` is the exact MAP (KKT at zero), or a weight is infinite.

    At ``w = 0`` the expected counts are ``exp(offset + b0)`` with the intercept's
    MAP ``b0``, so zero is optimal iff ``l1 >= max|X'(y - mu0)|``.
    """
    if np.isinf(l1) or np.isinf(l2):
        return True
    mu0 = np.exp(offset + _intercept_only(y, offset, fit_intercept))
    return l1 > 0.0 and l1 >= np.max(np.abs(X.T @ (y - mu0)), initial=0.0)


def poisson_map(X, y, l1, l2, fit_intercept, tol, max_iter, init=None, offset=None):
    """The MAP ``(coef, intercept, n_iter)`` of the problem in the module docstring.

    ``init = (coef, intercept)`` warm-starts it.  Converged means every KKT
    condition holds to ``tol * max(n, sum y)`` on the standardised scale
    (the gradient is a sum over rows of terms of the size of the counts);
    otherwise a ConvergenceWarning is raised.
    """
    y = np.asarray(y, dtype=float)
    n, p = X.shape
    offset = np.zeros(n) if offset is None else np.asarray(offset, dtype=float)
    if poisson_zero_is_map(X, y, l1, l2, fit_intercept, offset):
        return np.zeros(p), _intercept_only(y, offset, fit_intercept), 1  # one KKT check
    design = StandardisedDesign.of(X, l1, l2, fit_intercept)
    A, lam, mu = design.A, design.lam, design.mu

    def objective(t):
        eta = offset + A @ t
        if eta.max(initial=-np.inf) > _ETA_MAX:
            return np.inf
        return np.sum(np.exp(eta) - y * eta) + lam @ np.abs(t) + 0.5 * mu @ t**2

    def rate(t):
        return np.exp(np.minimum(offset + A @ t, _ETA_MAX))

    def gradient(t):
        return A.T @ (rate(t) - y) + mu * t

    def hessian(t):
        return (A.T * rate(t)) @ A

    theta, n_iter = proximal_newton(
        objective, gradient, hessian, design.start(init, lambda: _intercept_only(y, offset, True)),
        lam, mu, tol=tol, scale=max(n, float(np.sum(y))), max_iter=max_iter, what="Poisson MAP",
    )
    coef, intercept = design.to_original(theta)
    return coef, intercept, n_iter
