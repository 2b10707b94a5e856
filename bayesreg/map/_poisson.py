r"""Penalized Poisson (log link) MAP by proximal Newton, on internally standardised columns.

The problem, for counts :math:`y_i`, a known offset :math:`o_i` (0 without
one) and :math:`\eta_i = o_i + b_0 + x_i^\top w`:

.. math::

    \min_{b_0, w}\; \sum_i \left[e^{\eta_i} - y_i \eta_i\right]
        + \sum_j \ell_{1} |w_j| + \tfrac{\ell_{2}}{2} w_j^2 ,

the negative log likelihood up to :math:`\sum_i \log y_i!` plus the penalty.

The structure is that of :mod:`._logistic` (same scaling, same inner solver):
columns centred (with an intercept) and divided by their sd :math:`d_j`,
:math:`v_j = d_j w_j`, so the penalty becomes per-feature weights
:math:`\ell_1/d_j`, :math:`\ell_2/d_j^2` and the optimum maps back exactly.
Each outer step minimises the quadratic model of the loss
(gradient :math:`A^\top(\mu - y)`, Hessian :math:`A^\top \mathrm{diag}(\mu) A`)
plus the exact penalty by coordinate descent (finished by an exact solve on the
support), then backtracks on the true objective (Lee, Sun & Saunders 2014).
"""

from __future__ import annotations

import math
import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning

from ._logistic import _DAMPING, _kkt_violation, _penalized_quadratic_min

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
    x_mean = X.mean(axis=0) if fit_intercept else np.zeros(p)
    Z = X - x_mean
    d = np.sqrt(np.mean(Z**2, axis=0))
    d[d == 0.0] = 1.0  # an all-zero (centred) column: its coefficient stays 0
    Z = Z / d
    A = np.column_stack([np.ones(n), Z]) if fit_intercept else Z
    k = int(fit_intercept)
    lam = np.concatenate([np.zeros(k), l1 / d])
    mu = np.concatenate([np.zeros(k), l2 / d**2])

    theta = np.zeros(p + k)
    if init is not None:
        coef0, intercept0 = init
        theta[k:] = d * coef0
        if fit_intercept:
            theta[0] = intercept0 + x_mean @ coef0
    elif fit_intercept:
        theta[0] = _intercept_only(y, offset, True)

    def objective(t):
        eta = offset + A @ t
        if eta.max(initial=-np.inf) > _ETA_MAX:
            return np.inf
        return np.sum(np.exp(eta) - y * eta) + lam @ np.abs(t) + 0.5 * mu @ t**2

    scale = max(n, float(np.sum(y)))
    value = objective(theta)
    violation = np.inf
    for n_iter in range(1, max_iter + 1):
        rate = np.exp(np.minimum(offset + A @ theta, _ETA_MAX))
        grad = A.T @ (rate - y) + mu * theta
        violation = _kkt_violation(grad, theta, lam)
        if violation <= tol * scale:
            break
        hess = (A.T * rate) @ A
        hess.flat[:: p + k + 1] += mu + _DAMPING * max(hess.diagonal().max(), 1.0)
        target = _penalized_quadratic_min(hess, hess @ theta - grad, lam, theta)
        step = target - theta
        decrease = grad @ step + lam @ (np.abs(target) - np.abs(theta))
        t = 1.0
        while True:  # backtracking (Armijo) on the true objective
            trial = theta + t * step
            trial_value = objective(trial)
            if trial_value <= value + 1e-4 * t * decrease or t < 1e-10:
                break
            t *= 0.5
        if trial_value > value or np.array_equal(trial, theta):  # no progress left in float64
            break
        theta, value = trial, trial_value
    if violation > tol * scale and violation > 1e-7 * scale:
        warnings.warn(
            f"Poisson MAP did not converge in max_iter={max_iter} Newton steps "
            f"(largest KKT violation {violation:.3g}); increase max_iter.",
            ConvergenceWarning,
            stacklevel=3,
        )
    coef = theta[k:] / d + 0.0  # + 0.0: no -0.0
    intercept = float(theta[0] - x_mean @ coef) if fit_intercept else 0.0
    return coef, intercept, n_iter
