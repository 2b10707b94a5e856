r"""Least squares under a norm budget: the constraint picture of ridge and the lasso.

.. math::

    \min_w \tfrac12 \lVert y_c - X_c w \rVert^2
    \quad\text{subject to}\quad \lVert w \rVert_1 \le t
    \quad(\text{or } \lVert w \rVert_2 \le t),

with :math:`X_c, y_c` centred (the intercept is free, as in every bayesreg
model).  By Lagrange duality the solution is the penalized fit
:math:`\tfrac12\lVert y_c - X_c w\rVert^2 + \lambda \lVert w\rVert_1`
(the lasso, i.e. the MAP under a Laplace prior, with scikit-learn
``Lasso(alpha=lambda/n)``) or
:math:`\tfrac12\lVert y_c - X_c w\rVert^2 + \tfrac{\mu}{2} \lVert w\rVert_2^2`
(ridge, the MAP under a Normal prior, ``Ridge(alpha=mu)``) at the multiplier
that makes the budget bind.  When the least-squares estimate is inside the
budget the constraint is slack and the multiplier is 0.

Both are solved exactly, not by an iterative solver, so an L1 optimum at a
corner of the diamond has an exactly zero coordinate:

* **L2**: :math:`w(\mu) = (G + \mu I)^{-1} c` with :math:`G = X_c^\top X_c`,
  :math:`c = X_c^\top y_c`; :math:`\lVert w(\mu)\rVert_2` decreases in
  :math:`\mu`, so the :math:`\mu` with norm :math:`t` is a 1-D root (any number
  of features).
* **L1** (two features): the convex loss is smallest on the boundary of the
  diamond, whose four edges are segments; on each the loss is a 1-D quadratic,
  minimised in closed form and clipped to the segment (clipping lands exactly
  on a corner).  The multiplier is :math:`\lambda = \lVert c - G w\rVert_\infty`
  (KKT: :math:`|c_j - (Gw)_j| = \lambda` where :math:`w_j \ne 0`, :math:`\le\lambda`
  where :math:`w_j = 0`).
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

import numpy as np
from scipy import optimize

__all__ = ["ConstrainedLeastSquares", "constrained_least_squares"]

NORMS = ("l1", "l2")


@dataclass(frozen=True, eq=False)
class ConstrainedLeastSquares:
    """The least-squares fit under a norm budget, and its penalized twin.

    Attributes
    ----------
    norm : {"l1", "l2"}
    budget : float
        The budget ``t`` of ``||w|| <= t``.
    coef : ndarray
        The constrained optimum.
    least_squares : ndarray
        The unconstrained least-squares coefficients.
    multiplier : float
        The Lagrange multiplier (``lambda`` for L1, ``mu`` for L2; 0 when the
        budget does not bind).
    penalty : dict
        The scikit-learn fit with the same solution: ``{"estimator": "Lasso",
        "alpha": lambda / n}`` or ``{"estimator": "Ridge", "alpha": mu}``
        (``None`` when the budget does not bind: then it is least squares).
    """

    norm: str
    budget: float
    coef: np.ndarray
    least_squares: np.ndarray
    multiplier: float
    penalty: dict | None
    gram: np.ndarray
    xty: np.ndarray
    yty: float

    def loss(self, coef):
        r"""The loss :math:`\tfrac12\lVert y_c - X_c w\rVert^2` at ``coef`` (shape ``(..., p)``)."""
        w = np.asarray(coef, dtype=float)
        quad = np.einsum("...i,ij,...j->...", w, self.gram, w)
        return 0.5 * quad - w @ self.xty + 0.5 * self.yty


def _check_data(X, y):
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    if X.ndim != 2 or y.ndim != 1 or X.shape[0] != y.shape[0]:
        raise ValueError(
            f"constrained_least_squares: X must be 2-D (n, p) and y 1-D (n,), got shapes "
            f"{X.shape} and {y.shape}."
        )
    if not (np.all(np.isfinite(X)) and np.all(np.isfinite(y))):
        raise ValueError("constrained_least_squares: X and y must be finite.")
    return X, y


def _l1_on_diamond(gram, xty, budget):
    """Minimise the quadratic over the boundary of the 2-D L1 ball, exactly."""
    corners = budget * np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, 0.0], [0.0, -1.0]])
    best, best_loss = None, math.inf
    for start, end in zip(corners, np.roll(corners, -1, axis=0)):
        d = end - start
        curvature = d @ gram @ d
        slope = d @ xty - d @ gram @ start  # minus the derivative of the loss at tau = 0
        tau = min(max(slope / curvature, 0.0), 1.0) if curvature > 0 else 0.0
        if tau in (0.0, 1.0):
            w = (start if tau == 0.0 else end).copy()  # an exact corner
        else:
            w = start + tau * d
        value = 0.5 * w @ gram @ w - w @ xty
        if value < best_loss:
            best, best_loss = w, value
    return best


def constrained_least_squares(X, y, budget, *, norm="l1", fit_intercept=True):
    """Least squares with ``||w||_1 <= budget`` or ``||w||_2 <= budget``, solved exactly.

    See the module docstring for the maths.

    Parameters
    ----------
    X : array-like of shape (n, p)
        Features; ``norm="l1"`` needs exactly two (the picture's problem).
    y : array-like of shape (n,)
    budget : float
        The norm budget ``t > 0``.
    norm : {"l1", "l2"}, default="l1"
    fit_intercept : bool, default=True
        Centre X and y first (the intercept is never constrained).

    Returns
    -------
    ConstrainedLeastSquares
    """
    X, y = _check_data(X, y)
    if norm not in NORMS:
        raise ValueError(f"norm must be one of {NORMS}, got {norm!r}.")
    if isinstance(budget, bool) or not isinstance(budget, numbers.Real):
        raise TypeError(f"budget must be a positive number, got {budget!r}.")
    budget = float(budget)
    if not (math.isfinite(budget) and budget > 0):
        raise ValueError(f"budget must be finite and > 0, got {budget!r}.")
    n, p = X.shape
    if norm == "l1" and p != 2:
        raise ValueError(
            f"norm='l1' is solved exactly for two features (the constraint picture); X has {p}."
        )
    if fit_intercept:
        X = X - X.mean(axis=0)
        y = y - y.mean()
    gram, xty, yty = X.T @ X, X.T @ y, float(y @ y)
    eigvals, eigvecs = np.linalg.eigh(gram)
    if eigvals[0] <= 1e-12 * max(eigvals[-1], 1e-300):
        raise ValueError(
            "constrained_least_squares: the columns of X are collinear (or constant), so "
            "least squares has no unique solution; use two linearly independent features."
        )
    ols = np.linalg.solve(gram, xty)
    ord_ = 1 if norm == "l1" else 2
    if np.linalg.norm(ols, ord_) <= budget:
        coef, multiplier, penalty = ols, 0.0, None
    elif norm == "l2":
        u = eigvecs.T @ xty
        excess = lambda mu: math.sqrt(np.sum((u / (eigvals + mu)) ** 2)) - budget  # noqa: E731
        upper = np.linalg.norm(xty) / budget  # there ||w|| <= ||c|| / mu = budget
        multiplier = optimize.brentq(excess, 0.0, upper, xtol=1e-300, rtol=4 * np.finfo(float).eps)
        coef = eigvecs @ (u / (eigvals + multiplier))
        penalty = {"estimator": "Ridge", "alpha": multiplier}
    else:
        coef = _l1_on_diamond(gram, xty, budget)
        multiplier = float(np.max(np.abs(xty - gram @ coef)))
        penalty = {"estimator": "Lasso", "alpha": multiplier / n}
    return ConstrainedLeastSquares(
        norm=norm, budget=budget, coef=coef, least_squares=ols, multiplier=float(multiplier),
        penalty=penalty, gram=gram, xty=xty, yty=yty,
    )
