"""Argument checks shared by the estimators: clear errors that name the fix."""

from __future__ import annotations

import math
from contextlib import contextmanager
import numbers

from .priors import Prior, check_scale_range


def check_map_prior(prior, owner):
    """Return ``prior`` if it has a finite MAP with a fixed scale, else raise."""
    if not isinstance(prior, Prior):
        raise TypeError(
            f"{owner}: prior must be a bayesreg prior such as Laplace(scale=1.0), "
            f"Normal(scale=1.0) or ElasticNet(scale=1.0, l1_ratio=0.5); got {prior!r}."
        )
    if not prior.has_map:
        prior.prox(0.0)  # raises the prior's own explanation
    if prior.is_hierarchical:
        raise ValueError(
            f"{owner}: {prior!r} has a hyperprior on its scale; a MAP estimate needs "
            f"a fixed scale such as {type(prior).__name__}(scale=1.0). To let the "
            "data choose the scale, sample the hierarchical model with "
            "PosteriorRegressor, or choose the scale first and pass it here."
        )
    return prior


def check_positive_or_none(value, name, owner):
    """``None`` or a positive float in :data:`bayesreg.priors.SCALE_RANGE`."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{owner}: {name} must be None or a positive number, got {value!r}.")
    value = float(value)
    if not (math.isfinite(value) and value > 0):
        raise ValueError(
            f"{owner}: {name} must be finite and > 0 (or None to estimate it), got {value!r}."
        )
    return check_scale_range(value, name, owner)


@contextmanager
def restore_on_failure(estimator):
    """Put back the estimator's attributes if the block raises (or is interrupted).

    A failed or interrupted ``fit`` then leaves a fitted estimator exactly as it
    was, never half-refitted.
    """
    saved = dict(estimator.__dict__)
    try:
        yield
    except BaseException:
        estimator.__dict__.clear()
        estimator.__dict__.update(saved)
        raise
