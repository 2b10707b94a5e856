r"""Penalized logistic MAP by proximal Newton, on internally standardised columns.

The problem, for labels :math:`y_i \in \{0, 1\}`, :math:`\eta_i = b_0 + x_i^\top w`:

.. math::

    \min_{b_0, w}\; \sum_i \left[\log(1 + e^{\eta_i}) - y_i \eta_i\right]
        + \sum_j \ell_{1} |w_j| + \tfrac{\ell_{2}}{2} w_j^2 .

**Scaling, exactly.**  Columns are centred (with an intercept) and divided by
their standard deviation :math:`d_j`: :math:`z_j = (x_j - \bar x_j)/d_j`,
:math:`v_j = d_j w_j`.  Then :math:`x_i^\top w + b_0 = z_i^\top v + b_0'`
with :math:`b_0' = b_0 + \bar x^\top w`, and the penalty becomes
:math:`\sum_j (\ell_1/d_j)|v_j| + (\ell_2/d_j^2) v_j^2/2`: the same problem
with per-feature weights, so the optimum maps back exactly.  A column
multiplied by :math:`10^8` changes nothing but its :math:`d_j`.

**Solver.**  Each outer step minimises the quadratic model of the loss plus
the exact penalty (coordinate descent, finished by an exact solve on the
support once the sign pattern settles), then backtracks on the true objective
(Lee, Sun & Saunders 2014, "Proximal Newton-type methods").  Deterministic,
quadratically convergent near the optimum, exact zeros for an L1 penalty.
"""

from __future__ import annotations

import warnings

import numpy as np
from scipy import special
from sklearn.exceptions import ConvergenceWarning

__all__ = ["logistic_map", "logistic_zero_is_map"]

#: relative damping added to the Newton matrix: keeps it invertible when the
#: classes (nearly) separate; the fixed point -- the optimum -- does not move.
_DAMPING = 1e-12


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
    x_mean = X.mean(axis=0) if fit_intercept else np.zeros(p)
    Z = X - x_mean
    d = np.sqrt(np.mean(Z**2, axis=0))
    d[d == 0.0] = 1.0  # an all-zero (centred) column: its coefficient stays 0
    Z = Z / d
    A = np.column_stack([np.ones(n), Z]) if fit_intercept else Z
    k = int(fit_intercept)
    lam = np.concatenate([np.zeros(k), l1 / d])  # per-feature L1 weights on v
    mu = np.concatenate([np.zeros(k), l2 / d**2])  # per-feature L2 weights on v

    theta = np.zeros(p + k)
    if init is not None:
        coef0, intercept0 = init
        theta[k:] = d * coef0
        if fit_intercept:
            theta[0] = intercept0 + x_mean @ coef0
    elif fit_intercept:
        theta[0] = intercept_only(y01, True)

    def objective(t):
        eta = A @ t
        return np.sum(np.logaddexp(0.0, eta) - y01 * eta) + lam @ np.abs(t) + 0.5 * mu @ t**2

    value = objective(theta)
    violation = np.inf
    for n_iter in range(1, max_iter + 1):
        prob = special.expit(A @ theta)
        grad = A.T @ (prob - y01) + mu * theta  # gradient of the smooth part
        violation = _kkt_violation(grad, theta, lam)
        if violation <= tol * n:
            break
        hess = (A.T * (prob * (1.0 - prob))) @ A
        # damping relative to the loss, not the penalty: a huge L2 weight must not stall b0
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
        # An equal value is accepted: a huge L2 weight moves coefficients by ~1e-300,
        # which the objective cannot register but the KKT conditions can.
        if trial_value > value or np.array_equal(trial, theta):  # no progress left in float64
            break
        theta, value = trial, trial_value
    if violation > tol * n and violation > 1e-7 * n:
        warnings.warn(
            f"logistic MAP did not converge in max_iter={max_iter} Newton steps "
            f"(largest KKT violation {violation:.3g}); increase max_iter.",
            ConvergenceWarning,
            stacklevel=3,
        )
    coef = theta[k:] / d + 0.0  # + 0.0: no -0.0
    intercept = float(theta[0] - x_mean @ coef) if fit_intercept else 0.0
    return coef, intercept, n_iter


def _kkt_violation(grad, theta, lam):
    """Largest violation of the optimality conditions of ``smooth + lam |theta|``."""
    nonzero = theta != 0.0
    off = np.where(nonzero, np.abs(grad + lam * np.sign(theta)), np.maximum(np.abs(grad) - lam, 0.0))
    return float(off.max(initial=0.0))


def _penalized_quadratic_min(Q, r, lam, start, max_sweeps=10_000):
    r"""Minimise :math:`\tfrac12 u^\top Q u - r^\top u + \sum_j \lambda_j |u_j|`.

    Coordinate descent from ``start``; once a sweep leaves the support and
    signs unchanged, the stationarity equations on the support,
    :math:`Q_{SS} u_S = r_S - \lambda_S \operatorname{sign}(u_S)`, are solved
    exactly and accepted when the signs and the zero coordinates' conditions
    :math:`|r_j - Q_{jS} u_S| \le \lambda_j` hold (then it is the exact minimiser).
    """
    pattern = np.sign(start) * (lam > 0)
    exact = _solve_on_support(Q, r, lam, pattern, start)  # a warm start often has the right signs
    if exact is not None:
        return exact
    u = start.copy()
    Qu = Q @ u
    diag = Q.diagonal()
    for _ in range(max_sweeps):
        largest = 0.0
        for j in range(u.size):
            z = r[j] - Qu[j] + diag[j] * u[j]
            new = np.sign(z) * max(abs(z) - lam[j], 0.0) / diag[j]
            delta = new - u[j]
            if delta != 0.0:
                Qu += Q[:, j] * delta
                u[j] = new
                largest = max(largest, abs(delta))
        new_pattern = np.sign(u) * (lam > 0)
        if np.array_equal(new_pattern, pattern):
            exact = _solve_on_support(Q, r, lam, new_pattern, u)
            if exact is not None:
                return exact
        pattern = new_pattern
        if largest <= 1e-15 * (1.0 + np.abs(u).max()):
            break
    return u


def _solve_on_support(Q, r, lam, signs, u):
    support = (u != 0.0) | (lam == 0.0)
    candidate = np.zeros_like(u)
    if support.any():
        S = np.flatnonzero(support)
        try:  # Q is damped positive definite; numpy's solve has the least overhead
            candidate[S] = np.linalg.solve(Q[np.ix_(S, S)], r[S] - lam[S] * signs[S])
        except np.linalg.LinAlgError:
            return None
    penalized = support & (lam > 0)
    if np.any(np.sign(candidate[penalized]) != signs[penalized]):
        return None
    off = ~support
    if np.any(np.abs(r[off] - Q[off] @ candidate) > lam[off] * (1.0 + 1e-12)):
        return None
    return candidate
