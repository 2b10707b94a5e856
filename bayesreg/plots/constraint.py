"""The constraint picture: loss contours meet the L1 diamond at a corner, the L2 circle not."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import to_rgba
from matplotlib.patches import Circle, Polygon

from ..teaching.constrained import constrained_least_squares
from ._style import LIKELIHOOD_COLOR, MAP_COLOR, PRIOR_COLOR, REFERENCE_COLOR

__all__ = ["plot_constraint_regions"]

# contour levels as multiples of (loss at the optimum - least-squares loss):
# 1 is the contour that touches the constraint region
_LEVELS = np.array([0.15, 0.45, 1.0, 1.9, 3.2, 5.0])


def _region(norm, budget):
    if norm == "l1":
        corners = budget * np.array([[1, 0], [0, 1], [-1, 0], [0, -1]], dtype=float)
        return Polygon(corners, closed=True)
    return Circle((0.0, 0.0), budget)


def plot_constraint_regions(X, y, *, budget=None, axes=None):
    r"""Least-squares contours with the L1 diamond and L2 circle of the same budget.

    For a two-feature problem, the left panel solves
    :math:`\min \tfrac12\lVert y - Xw\rVert^2` subject to :math:`\lVert w\rVert_1 \le t`
    (the lasso, i.e. the MAP under a Laplace prior), the right one subject to
    :math:`\lVert w\rVert_2 \le t` (ridge, the MAP under a Normal prior), both
    exactly (:func:`bayesreg.teaching.constrained.constrained_least_squares`).  The
    contour through the optimum (drawn in the MAP colour) touches the region
    there; for L1 that is often a corner, where one coefficient is exactly 0.

    Parameters
    ----------
    X : array-like of shape (n, 2)
    y : array-like of shape (n,)
    budget : float, optional
        The common budget ``t``; default half the L2 norm of the least-squares
        coefficients, so both constraints bind.
    axes : sequence of two matplotlib Axes, optional

    Returns
    -------
    numpy.ndarray of two Axes
        In each, the optimum is the line with ``gid="optimum"`` (label
        ``"constrained optimum = MAP ..."``) and the least-squares estimate the
        line with ``gid="least_squares"``.
    """
    X = np.asarray(X, dtype=float)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(
            f"plot_constraint_regions draws a two-feature problem; X has shape {X.shape}."
        )
    if budget is None:
        ols = constrained_least_squares(X, y, 1.0, norm="l2").least_squares
        budget = 0.5 * float(np.linalg.norm(ols))
    fits = [constrained_least_squares(X, y, budget, norm=norm) for norm in ("l1", "l2")]
    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=(10.0, 4.8), sharex=True, sharey=True)
    axes = np.asarray(axes).ravel()
    if axes.size != 2:
        raise ValueError(f"plot_constraint_regions needs two axes, got {axes.size}.")

    ols = fits[0].least_squares
    points = np.vstack([ols, [0.0, 0.0], [fits[0].budget] * 2, [-fits[0].budget] * 2])
    lo, hi = points.min(axis=0), points.max(axis=0)
    pad = 0.25 * (hi - lo).max()
    lo, hi = lo - pad, hi + pad
    g0, g1 = np.meshgrid(np.linspace(lo[0], hi[0], 300), np.linspace(lo[1], hi[1], 300))
    grid = np.stack([g0, g1], axis=-1)

    titles = {"l1": "L1 budget: lasso (Laplace prior)", "l2": "L2 budget: ridge (Normal prior)"}
    for ax, fit in zip(axes, fits):
        loss = fit.loss(grid)
        base = fit.loss(fit.least_squares)
        step = fit.loss(fit.coef) - base
        if step <= 0:  # the budget does not bind: space contours by the loss at 0
            step = (fit.loss(np.zeros(2)) - base) / 4.0
        others = [lv for lv in _LEVELS if lv != 1.0]
        ax.contour(g0, g1, loss, levels=base + step * np.array(others),
                   colors=LIKELIHOOD_COLOR, linewidths=0.8)
        ax.contour(g0, g1, loss, levels=[base + step], colors=MAP_COLOR, linewidths=1.2)
        region = _region(fit.norm, fit.budget)
        region.set(facecolor=to_rgba(PRIOR_COLOR, 0.25), edgecolor=PRIOR_COLOR, linewidth=1.5,
                   label=f"{'‖w‖₁' if fit.norm == 'l1' else '‖w‖₂'} ≤ {fit.budget:.3g}")
        ax.add_patch(region)
        ax.axhline(0.0, color=REFERENCE_COLOR, linewidth=0.6)
        ax.axvline(0.0, color=REFERENCE_COLOR, linewidth=0.6)
        (ls_line,) = ax.plot(*fit.least_squares, linestyle="none", marker="X", markersize=9,
                             color=REFERENCE_COLOR, label="least squares")
        ls_line.set_gid("least_squares")
        if fit.penalty is None:
            penalty = "(budget not binding)"
        else:
            penalty = f"{fit.penalty['estimator']} α = {fit.penalty['alpha']:.3g}"
        w = fit.coef
        (opt_line,) = ax.plot(w[0], w[1], linestyle="none", marker="o", markersize=9,
                              color=MAP_COLOR, markeredgecolor="white",
                              label=f"constrained optimum = MAP, {penalty}\n"
                                    f"w = ({w[0]:.3g}, {w[1]:.3g})")
        opt_line.set_gid("optimum")
        ax.set_xlim(lo[0], hi[0])
        ax.set_ylim(lo[1], hi[1])
        ax.set_aspect("equal", adjustable="box")
        ax.set_title(titles[fit.norm])
        ax.set_xlabel("w₁")
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncols=1)
    axes[0].set_ylabel("w₂")
    return axes
