"""Argument checks shared by the estimators: clear errors that name the fix."""

from __future__ import annotations

import math
import numbers
from contextlib import contextmanager

import numpy as np

from ._dask_statistics import is_dask_collection
from .priors import Prior
from .scales import check_scale_range
from .sufficient_statistics import SufficientStatistics


def check_prior(value, name, owner):
    """A bayesreg coefficient prior (whether it has a MAP is :func:`check_map_prior`'s question)."""
    if not isinstance(value, Prior):
        raise TypeError(
            f"{owner}: {name} must be a bayesreg prior such as Laplace(scale=1.0), "
            f"Normal(scale=1.0) or ElasticNet(scale=1.0, l1_ratio=0.5); got {value!r}."
        )
    return value


def check_map_prior(prior, owner):
    """Return ``prior`` if it has a finite MAP with a fixed scale, else raise."""
    check_prior(prior, "prior", owner)
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


def check_positive_number(value, name, owner, *, none_means=None):
    """A positive finite float in :data:`~bayesreg.model.scales.SCALE_RANGE`, or ``None`` where allowed.

    The one check of a positive quantity (``sigma``, ``y_sd``, a standard
    error ``se``, a scale): every caller gets the same wording.

    Parameters
    ----------
    value : object
        The value to check.
    name, owner : str
        The parameter's name and who asks (the start of the error message).
    none_means : str or None, default=None
        What ``None`` stands for (e.g. ``"to estimate it"``); None means that
        ``None`` is refused.
    """
    if value is None and none_means is not None:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        kind = "None or a positive number" if none_means is not None else "a positive number"
        raise TypeError(f"{owner}: {name} must be {kind}, got {value!r}.")
    value = float(value)
    if not (math.isfinite(value) and value > 0):
        alternative = f" (or None {none_means})" if none_means is not None else ""
        raise ValueError(f"{owner}: {name} must be finite and > 0{alternative}, got {value!r}.")
    return check_scale_range(value, name, owner)


def check_positive_or_none(value, name, owner):
    """``None`` (estimate it) or a positive float in :data:`bayesreg.model.scales.SCALE_RANGE`."""
    return check_positive_number(value, name, owner, none_means="to estimate it")


def check_unit_interval(value, name, owner, meaning=""):
    """A float in [0, 1] (e.g. ``l1_ratio``); ``meaning`` says what the ends stand for.

    For ``l1_ratio`` pass ``meaning="0 is the Normal prior, 1 the Laplace prior"``.
    """
    detail = f" ({meaning})" if meaning else ""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{owner}: {name} must be a number in [0, 1]{detail}, got {value!r}.")
    value = float(value)
    if not 0.0 <= value <= 1.0:  # NaN fails too
        raise ValueError(f"{owner}: {name} must be a number in [0, 1]{detail}, got {value!r}.")
    return value


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
    if isinstance(X, SufficientStatistics):  # the same check from the statistics
        gram, _, yty, _, _, n = X.cross_products(fit_intercept)
        if sigma is not None or yty > 0:
            return
        rank, n_rows, value = int(np.linalg.matrix_rank(gram, hermitian=True)), n, X.y_mean
    else:
        if sigma is not None or y.size == 0 or np.ptp(y) > 0 or (not fit_intercept and np.any(y != 0)):
            return
        Xc = X - X.mean(axis=0) if fit_intercept else X
        rank, n_rows, value = int(np.linalg.matrix_rank(Xc)) if Xc.size else 0, y.size, y.flat[0]
    if n_rows - int(fit_intercept) > rank:
        raise ValueError(
            f"{owner}: y is constant (every value is {value!r}), so the model fits it "
            "exactly and the posterior of a learned sigma is improper (its density grows "
            "without bound as sigma -> 0). Check y (a constant target has nothing to "
            "learn), or fix the noise level with sigma=<noise sd>."
        )


def adopt_statistics(estimator, stats, y, likelihood, owner):
    """Check a fit on :class:`SufficientStatistics` and set ``n_features_in_`` (and names).

    The statistics stand for ``X`` and ``y`` together, so ``y`` must be omitted;
    only a likelihood with sufficient statistics can use them, and a posterior
    asked for the pointwise log-likelihood needs the rows.
    """
    if y is not None:
        raise ValueError(
            f"{owner}.fit: X is SufficientStatistics, which already hold y's part; "
            f"call fit(stats) without y, or fit(X, y) on the rows."
        )
    if not likelihood.has_sufficient_statistics:
        likelihood.sufficient_statistics(None, None)  # the likelihood's own refusal
    if getattr(estimator, "log_likelihood", False):
        raise ValueError(
            f"{owner}: log_likelihood=True stores the log-likelihood of every row, which "
            "SufficientStatistics do not hold. Pass log_likelihood=False (the total "
            "log-likelihood is likelihood.total_loglik), or fit on the rows X, y."
        )
    estimator.n_features_in_ = stats.n_features
    if stats.feature_names is not None:
        estimator.feature_names_in_ = np.asarray(stats.feature_names, dtype=object)
    elif hasattr(estimator, "feature_names_in_"):
        del estimator.feature_names_in_
    return stats


def statistics_of_dask_input(estimator, X, y, likelihood):
    """``(SufficientStatistics, None)`` for Dask ``X``/``y``, else ``(X, y)`` unchanged.

    A Dask collection is never turned into a numpy array here (that would gather
    every row into this process): the Gaussian likelihood's fits need only its
    statistics, one distributed pass (:meth:`SufficientStatistics.from_dask`,
    with a bar if ``estimator.progressbar``); a likelihood without fixed-size
    statistics, or a request that needs the rows, is refused before the pass.
    """
    if not (is_dask_collection(X) or is_dask_collection(y)):
        return X, y
    owner = type(estimator).__name__
    if not likelihood.has_sufficient_statistics:
        raise ValueError(
            f"{owner}.fit: X is a Dask collection, but the {likelihood.label} likelihood has no "
            "fixed-size sufficient statistics, and bayesreg fits Dask data only through those "
            "(the Gaussian likelihood: MAPRegressor and PosteriorRegressor) or by passes over "
            "the rows (the logistic one: MAPClassifier, PosteriorClassifier); the distributed "
            "passes of the other likelihoods are not built yet. Fit on rows that fit in "
            "memory instead: X.compute(), y.compute(), or a random sample of them "
            "(dask.dataframe: X.sample(frac=...))."
        )
    if not is_dask_collection(X):
        raise TypeError(f"{owner}.fit: y is a Dask collection but X is a {type(X).__name__}; "
                        "pass both as Dask collections (the same row blocks) or both in memory.")
    if getattr(estimator, "log_likelihood", False):
        raise ValueError(
            f"{owner}: log_likelihood=True stores the log-likelihood of every row, but a fit on "
            "Dask data keeps only their sufficient statistics (p x p numbers). Pass "
            "log_likelihood=False, or fit on rows in memory (X.compute(), y.compute())."
        )
    progressbar = bool(getattr(estimator, "progressbar", False))
    return SufficientStatistics.from_dask(X, y, progressbar=progressbar), None
