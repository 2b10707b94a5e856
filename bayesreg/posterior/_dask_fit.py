"""``PosteriorClassifier.fit`` on Dask rows: the Polya-Gamma Gibbs sampler, one pass per sweep.

The rows stay on the workers: a first pass reads n, the column moments and the
labels, then every Gibbs sweep is one pass (:mod:`._dask_gibbs`). ``idata_``
holds the posterior only (no rows, no pointwise log-likelihood); ``map_`` is
the Dask MAP of the same model (a few more passes, see ``MAPClassifier``).
"""

from __future__ import annotations

import warnings

import arviz as az
import numpy as np

from ..model._dask_passes import DaskRows
from ..model.column_scaling import ColumnScaling
from ._dask_gibbs import DaskLogisticRows
from ._results import DIAGNOSTIC_VARS
from .diagnostics import compute_diagnostics, warn_on_problems
from .gibbs import check_gibbs, sample_gibbs

__all__ = ["fit_classifier_on_dask"]


def fit_classifier_on_dask(estimator, X, y):
    """Sample ``estimator``'s posterior on Dask ``X``, ``y``, set its fitted attributes; the estimator."""
    owner = type(estimator).__name__
    likelihood = estimator._likelihood
    if not likelihood.has_distributed_passes:
        raise ValueError(f"{owner}.fit: the {likelihood.label} likelihood takes no Dask input; "
                         "fit on X.compute(), y.compute().")
    if estimator.log_likelihood:
        raise ValueError(
            f"{owner}: log_likelihood=True stores the log-likelihood of every row, but a fit on "
            "Dask data keeps no rows. Pass log_likelihood=False, or fit on rows in memory "
            "(X.compute(), y.compute())."
        )
    if estimator.sampler not in ("auto", "gibbs"):
        raise ValueError(
            f"{owner}: on Dask data the posterior is sampled by sampler='gibbs' (Polya-Gamma, "
            f"one distributed pass over the rows per sweep); sampler={estimator.sampler!r} needs "
            "the rows in memory. Pass sampler='gibbs' (or 'auto'), or fit on X.compute(), y.compute()."
        )
    check_gibbs(estimator.prior, owner, likelihood)
    rows = DaskRows(X, y, owner)
    estimator.prior.check_n_features(rows.n_features, owner)
    summary = likelihood.rows_summary(rows, owner)
    names = rows.feature_names
    feature_names = list(names) if names is not None else [f"x{j}" for j in range(rows.n_features)]
    data = DaskLogisticRows(likelihood, rows, summary)
    scaling = ColumnScaling(data, estimator.standardize, owner, feature_names)
    posterior = sample_gibbs(
        likelihood, estimator.prior, None, scaling.transform(data), None,
        fit_intercept=estimator.fit_intercept, draws=estimator.draws, tune=estimator.tune,
        chains=estimator.chains, random_seed=estimator.random_seed,
        progressbar=estimator.progressbar, feature_names=feature_names,
    )
    if scaling.active:
        posterior = posterior.assign(coef=posterior["coef"] / scaling.scales)
    estimator.n_features_in_ = rows.n_features
    if names is not None:
        estimator.feature_names_in_ = np.asarray(names, dtype=object)
    elif hasattr(estimator, "feature_names_in_"):
        del estimator.feature_names_in_
    estimator.classes_ = summary.classes
    diagnostics = compute_diagnostics(posterior, None, [v for v in DIAGNOSTIC_VARS if v in posterior])
    idata = az.InferenceData(posterior=posterior)
    idata.attrs["sampler"] = "gibbs"
    estimator._set_results(idata, diagnostics)
    estimator.map_ = _dask_map(estimator, X, y)
    warn_on_problems(diagnostics, owner)
    return estimator


def _dask_map(estimator, X, y):
    """The MAP of the same model on the same Dask rows, or None where it has none."""
    prior = estimator.prior
    if not prior.has_map or prior.is_hierarchical or not prior.is_convex:
        return None
    try:
        return estimator._map_estimator().fit(X, y)
    except ValueError as exc:
        warnings.warn(f"{type(estimator).__name__}: the MAP of the same model could not be fitted "
                      f"({exc}); map_ is None.", UserWarning, stacklevel=4)
        return None
