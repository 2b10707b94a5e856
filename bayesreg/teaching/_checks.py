"""Argument checks of the one-coefficient lessons: each names the problem and the fix."""

from __future__ import annotations

import math
import numbers

import numpy as np

from ..model._checks import check_map_prior, check_positive_number
from ..model.priors import Prior
from ..model.registry import prior_families

__all__ = ["check_estimates", "check_grid", "check_prior", "check_se", "check_z"]


def _has_penalty_weights(prior_class):
    """Whether a family has a one-coefficient posterior here: its penalty is ``a|w| + b w^2/2``
    (closed form), or it is a smooth prior with a MAP (quadrature)."""
    if prior_class.penalty_uses_data:  # the g-prior: its penalty needs the design, not one z
        return False
    if not prior_class.is_convex:
        return prior_class.has_map
    return prior_class.has_map and prior_class.penalty_weights is not Prior.penalty_weights


def check_prior(prior, owner):
    """``prior`` if it has an exact one-coefficient posterior here (closed form or quadrature)."""
    if isinstance(prior, Prior) and not _has_penalty_weights(type(prior)):
        covered = [cls.__name__ for cls in prior_families().values() if _has_penalty_weights(cls)]
        names = ", ".join(covered[:-1]) + " and " + covered[-1] if len(covered) > 1 else covered[0]
        raise ValueError(
            f"{owner}: the exact one-coefficient posterior is available for the {names} "
            f"priors, not {prior!r}. Sample other priors with PosteriorRegressor."
        )
    return check_map_prior(prior, owner)


def check_se(se, owner):
    return check_positive_number(se, "se (the standard error of the least-squares estimate)", owner)


def check_z(z, owner):
    if isinstance(z, bool) or not isinstance(z, numbers.Real):
        raise TypeError(f"{owner}: z must be a real number (the least-squares estimate), got {z!r}.")
    z = float(z)
    if not math.isfinite(z):
        raise ValueError(f"{owner}: z must be finite, got {z!r}.")
    return z


def check_estimates(estimates, owner):
    estimates = np.asarray(estimates, dtype=float)
    if estimates.ndim != 1 or estimates.size == 0:
        raise ValueError(
            f"{owner}: estimates must be a non-empty 1-D array of least-squares "
            f"estimates, got shape {estimates.shape}."
        )
    if not np.all(np.isfinite(estimates)):
        raise ValueError(f"{owner}: estimates must all be finite.")
    return estimates


def check_grid(grid, owner):
    grid = np.asarray(grid, dtype=float)
    if grid.ndim != 1 or grid.size < 2:
        raise ValueError(f"{owner}: grid must be a 1-D array of at least 2 points, got shape {grid.shape}.")
    if not np.all(np.isfinite(grid)) or np.any(np.diff(grid) <= 0):
        raise ValueError(f"{owner}: grid must be finite and strictly increasing.")
    return grid
