r"""Proximal Newton for a penalized GLM on internally standardised columns: the one loop.

The logistic (:mod:`._logistic`), Poisson (:mod:`._poisson`) and Dask logistic
(:mod:`._logistic_dask`) MAPs all minimise

.. math::

    \sum_i \ell(\eta_i) + \sum_j \lambda_j |\theta_j| + \tfrac{\mu_j}{2} \theta_j^2,
    \qquad \eta = A \theta,

on the design :math:`A = [1, Z]` with :math:`Z = (X - \bar x)/d` (no column of
ones and no centring without an intercept). Only the loss :math:`\ell` and
where its sums are computed (in memory or in a Dask pass) differ, so each
gives :func:`proximal_newton` an ``evaluate(theta) -> (value, gradient,
hessian)`` and this module does the rest.

**Scaling, exactly.**  With :math:`v_j = d_j w_j` and
:math:`b_0' = b_0 + \bar x^\top w`, :math:`x_i^\top w + b_0 = z_i^\top v + b_0'`
and the penalty :math:`\ell_1|w_j| + \ell_2 w_j^2/2` becomes per-feature
weights :math:`\lambda_j = \ell_1/d_j`, :math:`\mu_j = \ell_2/d_j^2` on
:math:`v`: the same problem, so the optimum maps back exactly
(:meth:`StandardisedDesign.to_original`).

**Solver.**  Each outer step minimises the quadratic model of the loss plus
the exact penalty (:func:`penalized_quadratic_min`: coordinate descent,
finished by an exact solve on the support once the sign pattern settles),
then backtracks on the true objective (Lee, Sun & Saunders 2014,
"Proximal Newton-type methods"). It stops when every KKT condition holds to
``tol * scale``. Deterministic, quadratically convergent near the optimum,
exact zeros for an L1 penalty.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
from sklearn.exceptions import ConvergenceWarning

__all__ = ["DAMPING", "StandardisedDesign", "kkt_violation", "penalized_quadratic_min",
           "proximal_newton"]

#: relative damping added to the Newton matrix: keeps it invertible when the
#: classes (nearly) separate; the fixed point -- the optimum -- does not move.
DAMPING = 1e-12


@dataclass(frozen=True)
class StandardisedDesign:
    """The design ``A`` and per-feature weights of the problem in the module docstring."""

    A: np.ndarray
    x_mean: np.ndarray
    d: np.ndarray
    lam: np.ndarray
    mu: np.ndarray
    fit_intercept: bool

    @classmethod
    def of(cls, X, l1, l2, fit_intercept):
        """Centre (with an intercept) and scale the columns of ``X``; weights of ``l1``, ``l2``."""
        n, p = X.shape
        x_mean = X.mean(axis=0) if fit_intercept else np.zeros(p)
        Z = X - x_mean
        d = np.sqrt(np.mean(Z**2, axis=0))
        d[d == 0.0] = 1.0  # an all-zero (centred) column: its coefficient stays 0
        Z = Z / d
        A = np.column_stack([np.ones(n), Z]) if fit_intercept else Z
        k = int(fit_intercept)
        lam = np.concatenate([np.zeros(k), l1 / d])  # per-feature L1 weights on v
        mu = np.concatenate([np.zeros(k), l2 / d**2])  # per-feature L2 weights on v
        return cls(A, x_mean, d, lam, mu, bool(fit_intercept))

    def start(self, init, intercept_only):
        """``theta`` of the warm start ``init = (coef, intercept)``; without one, zero
        coefficients and the intercept ``intercept_only()`` (called only then)."""
        k = int(self.fit_intercept)
        theta = np.zeros(self.d.size + k)
        if init is not None:
            coef0, intercept0 = init
            theta[k:] = self.d * coef0
            if self.fit_intercept:
                theta[0] = intercept0 + self.x_mean @ coef0
        elif self.fit_intercept:
            theta[0] = intercept_only()
        return theta

    def to_original(self, theta):
        """``(coef, intercept)`` of X's own columns."""
        return back_to_original(theta, self.d, self.x_mean, self.fit_intercept)


def back_to_original(theta, d, centre, fit_intercept):
    """``(coef, intercept)`` on the original columns from ``theta`` on the standardised ones."""
    k = int(fit_intercept)
    coef = theta[k:] / d + 0.0  # + 0.0: no -0.0
    intercept = float(theta[0] - centre @ coef) if fit_intercept else 0.0
    return coef, intercept


def proximal_newton(objective, gradient, hessian, theta, lam, mu, *, tol, scale, max_iter, what,
                    advance=lambda message: None):
    """Minimise the penalized objective from ``theta``; returns ``(theta, n_iter)``.

    ``objective(theta)`` is the penalized objective, ``gradient(theta)`` the
    gradient of its smooth part (loss + L2) and ``hessian(theta)`` a fresh
    Hessian of the loss (damped here in place). The gradient is asked for at
    every iterate, the Hessian only where the KKT conditions do not yet hold,
    the objective at every trial point. Every KKT condition holding to
    ``tol * scale`` stops it; otherwise, after ``max_iter`` steps, a
    ConvergenceWarning says ``what`` did not converge. ``advance(message)``
    is called once per step (a progress bar).
    """
    size = theta.size
    tolerance = tol * scale
    value = objective(theta)
    violation = np.inf
    for n_iter in range(1, max_iter + 1):
        grad = gradient(theta)
        violation = kkt_violation(grad, theta, lam)
        advance(f"KKT violation {violation:.2e}")
        if violation <= tolerance:
            break
        hess = hessian(theta)
        # damping relative to the loss, not the penalty: a huge L2 weight must not stall b0
        hess.flat[:: size + 1] += mu + DAMPING * max(hess.diagonal().max(), 1.0)
        target = penalized_quadratic_min(hess, hess @ theta - grad, lam, theta)
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
    if violation > tolerance and violation > 1e-7 * scale:
        warnings.warn(
            f"{what} did not converge in max_iter={max_iter} Newton steps "
            f"(largest KKT violation {violation:.3g}); increase max_iter.",
            ConvergenceWarning,
            stacklevel=4,
        )
    return theta, n_iter


def kkt_violation(grad, theta, lam):
    """Largest violation of the optimality conditions of ``smooth + lam |theta|``."""
    nonzero = theta != 0.0
    off = np.where(nonzero, np.abs(grad + lam * np.sign(theta)), np.maximum(np.abs(grad) - lam, 0.0))
    return float(off.max(initial=0.0))


def penalized_quadratic_min(Q, r, lam, start, max_sweeps=10_000):
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
