"""The accepted range of scales and the check every scale goes through."""

from __future__ import annotations

import math
import numbers

__all__ = ["SCALE_RANGE", "check_positive_scale", "check_scale_range", "check_scale_vector"]


#: The accepted range of every scale (prior scales, hyperprior scales, the
#: noise sd sigma).  Squares, reciprocals and products of two such numbers (up
#: to 1e300) stay finite and nonzero in double precision, so the penalty
#: weights, densities and mapped penalties never overflow to a bare
#: OverflowError or divide by zero.
SCALE_RANGE = (1e-150, 1e150)


def check_scale_range(value, name, owner):
    """Raise a ValueError if the positive float ``value`` lies outside :data:`SCALE_RANGE`."""
    lo, hi = SCALE_RANGE
    if not lo <= value <= hi:
        raise ValueError(
            f"{owner}: {name} must lie in [{lo:g}, {hi:g}], got {value!r}: beyond that "
            "range its square or reciprocal overflows double precision. Rescale the "
            "data (e.g. y in other units) so that the scale lies inside it."
        )
    return value


def check_positive_scale(value, name, owner):
    """Return ``value`` as a float, or raise if it is not a positive number in :data:`SCALE_RANGE`."""
    if isinstance(value, (list, tuple)) or getattr(value, "ndim", 0) >= 1:
        raise TypeError(
            f"{owner}: {name} must be one positive number, got the array {value!r}. One scale per "
            "feature is offered by the Normal, Laplace and ElasticNet priors (their scale) and, "
            "for the horseshoe family, by its local_scale (fixed multipliers of the local "
            "scales, e.g. Horseshoe(global_scale=1.0, local_scale=[...]))."
        )
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(
            f"{owner}: {name} must be a positive number, got {value!r} "
            f"of type {type(value).__name__}."
        )
    value = float(value)
    if not (math.isfinite(value) and value > 0):
        raise ValueError(f"{owner}: {name} must be finite and > 0, got {value!r}.")
    return check_scale_range(value, name, owner)


def check_scale_vector(value, name, owner):
    """One positive scale per feature: a 1-D sequence or array, returned as a tuple of floats.

    A tuple keeps the prior immutable, hashable and comparable (``eval(repr(prior)) == prior``);
    each entry passes :func:`check_positive_scale`.
    """
    import numpy as np

    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(
            f"{owner}: {name} must be a positive number or a 1-D array of positive numbers "
            f"(one per feature), got {value!r}."
        ) from None
    if array.ndim != 1 or array.size == 0:
        raise ValueError(
            f"{owner}: a per-feature {name} must be a non-empty 1-D array (one scale per "
            f"feature), got an array of shape {array.shape}."
        )
    bad = np.flatnonzero(~(np.isfinite(array) & (array > 0)))
    if bad.size:
        raise ValueError(
            f"{owner}: every per-feature {name} must be finite and > 0; entry {int(bad[0])} is "
            f"{float(array[bad[0]])!r}. (A scale of 0 or inf is a point mass or a flat prior: "
            "give a tiny or a huge finite scale instead.)"
        )
    return tuple(check_scale_range(float(v), f"{name}[{j}]", owner) for j, v in enumerate(array))
