"""What a fitted posterior reports: summary, log-likelihood, draws, save and load.

A mixin of :class:`~bayesreg.posterior.estimators.PosteriorRegressor` and
:class:`~bayesreg.posterior.classifier.PosteriorClassifier`; it reads
``idata_`` and never samples.
"""

from __future__ import annotations

import threading

import arviz as az
import numpy as np
import pandas as pd
import xarray as xr
from sklearn.utils.validation import check_is_fitted

from ..model.sufficient_statistics import SufficientStatistics
from . import io
from ._coordinates import rows_coordinates
from ._pointwise import likelihood_at_draws, linear_predictor_blocks, pointwise_log_likelihood
from ._ranking import model_evidence_table
from ._training_data import statistics_dataset, training_data

__all__ = ["DIAGNOSTIC_VARS", "SUMMARY_VARS", "PosteriorResults", "inference_data", "log_likelihood_group"]

_build_lock = threading.Lock()  # a first read of idata_ racing a refit of the same estimator

#: Posterior variables reported in summaries, in order.
SUMMARY_VARS = ("intercept", "coef", "sigma", "df", "scale", "alpha", "C", "penalty_l1_ratio", "tau",
                "inclusion_probability")
#: ... and checked by the diagnostics (the horseshoe's local scales often mix worst).
DIAGNOSTIC_VARS = SUMMARY_VARS + ("lambda",)


def log_likelihood_group(likelihood, posterior, X, y, sigma, offset=None):
    """The ``log_likelihood`` group: ``y`` of shape (chain, draw, obs), computed in row blocks."""
    chains, draws = posterior.sizes["chain"], posterior.sizes["draw"]
    coef = posterior["coef"].values.reshape(chains * draws, -1)
    intercept = posterior["intercept"].values.reshape(-1) if "intercept" in posterior else 0.0
    sigma_draws = posterior["sigma"].values.reshape(-1) if "sigma" in posterior else sigma
    likelihood = likelihood_at_draws(likelihood, posterior)  # e.g. a learned df per draw
    loglik = pointwise_log_likelihood(likelihood, coef, intercept, sigma_draws, X, y, offset)
    return xr.Dataset(
        {"y": (("chain", "draw", "obs"), loglik.reshape(chains, draws, -1))},
        coords={"chain": posterior["chain"].values, "draw": posterior["draw"].values,
                "obs": np.arange(X.shape[0])},
    )


def inference_data(posterior, sample_stats, X, y, offset=None, sampler=None, log_likelihood=None):
    """The fit's InferenceData: ``posterior``, the training data, ``sample_stats`` (NUTS) and
    the ``log_likelihood`` group where one is given; ``attrs["sampler"]`` names the sampler."""
    if isinstance(X, SufficientStatistics):  # no rows: the statistics stand for them
        groups = {"posterior": posterior, "constant_data": statistics_dataset(X, posterior)}
    else:
        # X is referenced, not copied (validate_data copies only to convert)
        groups = {  # the coordinates' indexes built once per shape (._coordinates)
            "posterior": posterior,
            "observed_data": xr.Dataset({"y": (("obs",), y)}, coords=rows_coordinates(X.shape[0])),
            "constant_data": xr.Dataset(
                {"X": (("obs", "feature"), X)},
                coords=rows_coordinates(X.shape[0], posterior["feature"].values.tolist()),
            ),
        }
        if offset is not None:  # the known log exposure of each training row
            groups["constant_data"]["offset"] = (("obs",), offset)
    if sample_stats is not None:
        groups["sample_stats"] = sample_stats
    if log_likelihood is not None:
        groups["log_likelihood"] = log_likelihood
    idata = az.InferenceData(**groups)
    if sampler is not None:
        idata.attrs["sampler"] = sampler
    return idata


class PosteriorResults:
    """The results of a fitted posterior estimator (``_likelihood`` is its Likelihood object).

    ``idata_`` is assembled on first access: a fit keeps its parts (the posterior
    Dataset, the training data it references, the sampler's statistics) and
    builds the InferenceData when something reads it, so that a refit under a
    slider pays for its draws and diagnostics, not for xarray groups nobody
    looks at. The fitted attributes (``coef_``, ``diagnostics_``...) are set
    by the fit itself, and warnings are emitted there.
    """

    @property
    def idata_(self):
        state = self.__dict__
        idata = state.get("_idata")
        if idata is None:
            parts = state.get("_idata_parts")
            if parts is None:
                raise AttributeError(f"{type(self).__name__!r} object has no attribute 'idata_'")
            idata = inference_data(*parts)
            with _build_lock:  # kept only if no refit (another thread) replaced the parts meanwhile
                if state.get("_idata_parts") is parts:
                    state["_idata"], state["_idata_parts"] = idata, None
                elif state.get("_idata") is not None:  # another first read won: one idata_ for all
                    idata = state["_idata"]
        return idata

    @idata_.setter
    def idata_(self, idata):
        self.__dict__["_idata"] = idata
        self.__dict__["_idata_parts"] = None

    def __setstate__(self, state):
        # an estimator pickled before idata_ became a property kept it in its __dict__
        if "idata_" in state:
            state = dict(state)
            state["_idata"], state["_idata_parts"] = state.pop("idata_"), None
        super().__setstate__(state)

    def _posterior(self):
        """The posterior Dataset, without assembling ``idata_`` for it."""
        parts = self.__dict__.get("_idata_parts")
        return parts[0] if parts is not None else self.idata_.posterior

    def _defer_inference_data(self, posterior, sample_stats, X, y, sigma, offset, sampler):
        """Keep what ``idata_`` is made of; the log-likelihood, when asked for, is computed now
        (with the likelihood the fit used), the rest is assembled on first access."""
        loglik = (log_likelihood_group(self._likelihood, posterior, X, y, sigma, offset)
                  if self.log_likelihood and not isinstance(X, SufficientStatistics) else None)
        self.__dict__["_idata"] = None
        self.__dict__["_idata_parts"] = (posterior, sample_stats, X, y, offset, sampler, loglik)

    def compute_log_likelihood(self):
        """Add the pointwise log-likelihood group to ``idata_`` (for ``arviz.loo``) and return it.

        Computed from the stored training data a block of rows at a time; the
        group itself holds chains x draws x n_samples numbers. Fit with
        ``log_likelihood=True`` to have it computed during ``fit``.

        Returns
        -------
        arviz.InferenceData
            ``idata_``, now with a ``log_likelihood`` group (variable ``y``).
        """
        check_is_fitted(self)
        idata = self.idata_
        if "log_likelihood" not in idata.groups():
            X, y = training_data(idata)
            if y is None:
                raise ValueError(
                    f"{type(self).__name__} was fitted on {X!r}: "
                    "the pointwise log-likelihood (and LOO, compare_models) needs the rows. "
                    "Refit on X, y for it; the total log-likelihood of the statistics is "
                    "likelihood.total_loglik(stats, coef, intercept, sigma)."
                )
            sigma = getattr(self, "sigma", None)
            offset = idata.constant_data["offset"].values if "offset" in idata.constant_data else None
            idata.add_groups(log_likelihood=log_likelihood_group(
                self._likelihood, idata.posterior, X, y, sigma, offset))
        return idata

    def _set_results(self, idata, diagnostics):
        """Fitted attributes that follow from ``idata`` (load, and the Dask fit)."""
        self._set_posterior_results(idata.posterior, diagnostics, idata.attrs["sampler"])
        self.idata_ = idata

    def _set_posterior_results(self, posterior, diagnostics, sampler, coef_median=None):
        """Fitted attributes that follow from the posterior draws; ``coef_median``: the
        coefficients' medians where the diagnostics' sort already gave them (else np.median)."""
        coef = posterior.variables["coef"].values.reshape(-1, posterior.sizes["feature"])
        self.coef_ = coef.mean(axis=0)
        self.coef_median_ = np.median(coef, axis=0) if coef_median is None else coef_median
        self.coef_sd_ = coef.std(axis=0, ddof=1) if coef.shape[0] > 1 else np.zeros(coef.shape[1])
        self.intercept_ = (float(posterior.variables["intercept"].values.mean()) if "intercept" in posterior
                           else 0.0)
        self.diagnostics_ = diagnostics
        self.sampler_ = sampler

    def _draws(self, name):
        """Posterior draws of ``name`` flattened over chains: (S,) or (S, p)."""
        values = self._posterior()[name].values
        return values.reshape(-1, *values.shape[2:])

    def _linear_predictor_blocks(self, X, offset=None):
        """``(rows, eta)`` blocks of the (draws x rows) linear predictor; see ``_pointwise``."""
        intercept = self._draws("intercept") if "intercept" in self._posterior() else 0.0
        return linear_predictor_blocks(self._draws("coef"), intercept, X, offset)

    def summary(self, hdi_prob=0.94):
        """ArviZ's summary of the posterior, with the MAP of the same model beside it.

        Parameters
        ----------
        hdi_prob : float, default=0.94

        Returns
        -------
        pandas.DataFrame
            One row per scalar (``coef[<feature>]``, ``intercept``, ``sigma``,
            ``scale``...): mean, sd, HDI, MCSE, ESS, R-hat and ``map`` (NaN where
            the MAP is not defined: hierarchical scales and the horseshoe).
            ``table.attrs["sampler"]`` names the sampler that drew it.
            The ``coef`` rows also rank the features by posterior evidence
            (NaN on the other rows): ``p_sign``, ``p_outside_zero_band`` and
            ``rank`` (1 = strongest), with ``p_inclusion`` first for a prior
            with inclusion indicators; the rule is in
            :mod:`bayesreg.posterior._ranking`.
        """
        check_is_fitted(self)
        var_names = [name for name in SUMMARY_VARS if name in self.idata_.posterior]
        table = az.summary(self.idata_, var_names=var_names, hdi_prob=hdi_prob)
        table.insert(0, "map", pd.Series(self._map_values(), dtype=float).reindex(table.index))
        evidence = model_evidence_table(self)
        evidence.index = [f"coef[{f}]" for f in evidence.index]  # az.summary's row names
        table = table.join(evidence.astype(float))
        table.attrs["sampler"] = self.sampler_
        return table

    def _map_values(self):
        if self.map_ is None:
            return {}
        features = self.idata_.posterior["feature"].values
        values = {f"coef[{f}]": c for f, c in zip(features, self.map_.coef_)}
        if self.fit_intercept:
            values["intercept"] = self.map_.intercept_
        if getattr(self, "sigma", None) is None and hasattr(self.map_, "sigma_"):
            values["sigma"] = self.map_.sigma_
        for name in self._likelihood.learned_parameters:  # the joint mode's value (e.g. df_)
            values[name] = getattr(self.map_, name + "_")
        return values

    def save(self, path):
        """Save the fitted posterior to a netCDF file (no pickle: data and JSON only)."""
        check_is_fitted(self)
        io.save(self, path)

    @classmethod
    def load(cls, path):
        """Load an estimator saved by :meth:`save`; nothing in the file is executed."""
        return io.load(cls, path)
