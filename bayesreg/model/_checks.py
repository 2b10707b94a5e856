"""Argument checks shared by the estimators: clear errors that name the fix."""

from __future__ import annotations

import math
from contextlib import contextmanager
import numbers

import numpy as np

from .priors import Prior

from .scales import check_scale_range


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
    """``None`` or a positive float in :data:`bayesreg.model.priors.SCALE_RANGE`."""
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


# ---------------------------------------------------------------- shared parameter checks
def check_bool(value, name, owner):
    """A real boolean (``True``/``False`` or ``numpy.bool_``), never a truthy string or number.

    ``fit_intercept="no"`` would otherwise be truthy and fit an intercept.
    """
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    raise TypeError(
        f"{owner}: {name} must be True or False, got {value!r} "
        f"(a {type(value).__name__}). Pass {name}=True or {name}=False."
    )


#: What ``random_seed`` accepts everywhere (fit, save, load), in words for the errors.
RANDOM_SEED_KINDS = "None, a non-negative integer, or a numpy.random.Generator"


def check_random_seed(value, name, owner):
    """``None``, an integer >= 0, or a ``numpy.random.Generator``.

    A Generator is used as given by fit and saved as ``None`` (its state is not
    stored). A legacy ``numpy.random.RandomState`` is refused: the samplers
    cannot all draw from it, and it cannot be saved.
    """
    if value is None or isinstance(value, np.random.Generator):
        return value
    if isinstance(value, np.random.RandomState):
        raise TypeError(
            f"{owner}: {name} does not accept a numpy.random.RandomState (the legacy "
            f"generator); pass an integer seed or numpy.random.default_rng(seed) instead."
        )
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{owner}: {name} must be {RANDOM_SEED_KINDS}; got {value!r}.")
    if value < 0:
        raise ValueError(f"{owner}: {name} must be {RANDOM_SEED_KINDS}; got the negative {value!r}.")
    return int(value)


def check_noise_learnable(X, y, sigma, fit_intercept, owner):
    r"""Raise if ``sigma`` is learned from a ``y`` the model fits exactly (a constant ``y``).

    With residuals that can all be 0, the posterior of ``sigma`` behaves like
    :math:`\sigma^{-(d - r)}` near 0, with ``d = n - fit_intercept`` residual
    dimensions and ``r = rank`` of the (centred) design: improper as soon as
    ``d > r``, so every sampler would return nonsense or fail. Only a constant
    ``y`` (all zeros without an intercept) is checked: it is the case met in
    practice, and it costs one pass over ``y`` otherwise.
    """
    if sigma is not None or y.size == 0 or np.ptp(y) > 0 or (not fit_intercept and np.any(y != 0)):
        return
    Xc = X - X.mean(axis=0) if fit_intercept else X
    rank = int(np.linalg.matrix_rank(Xc)) if Xc.size else 0
    if y.size - int(fit_intercept) > rank:
        raise ValueError(
            f"{owner}: y is constant (every value is {y.flat[0]!r}), so the model fits it "
            "exactly and the posterior of a learned sigma is improper (its density grows "
            "without bound as sigma -> 0). Check y (a constant target has nothing to "
            "learn), or fix the noise level with sigma=<noise sd>."
        )
