"""PosteriorRegressor and the fitting both posterior estimators share (PosteriorClassifier: ``classifier``)."""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.utils.validation import check_is_fitted, validate_data

from ..map import MAPRegressor
from ..map._validation import validate_training_data
from ..model._checks import adopt_statistics, check_noise_learnable, restore_on_failure
from ..model._checks import statistics_of_dask_input
from ..model._dask_predict import predicts_on_dask
from ..model._params import check_params, check_sigma_prior_applies
from ..model.column_scaling import ColumnScaling
from ..model.likelihoods import get_likelihood
from ..model.offset import check_offset
from ..model.sufficient_statistics import SufficientStatistics
from ._expected_value import predictive_moments
from ._map_cache import SameModelMAP
from ._predictive import PredictiveIntervals
from ._results import DIAGNOSTIC_VARS, PosteriorResults
from .diagnostics import compute_diagnostics, warn_on_problems
from .exact import exact_or_next, sample_conjugate
from .gibbs import check_gibbs, sample_gibbs
from .model import INTERNAL, ModelSpec, model_data
from .samplers import check_sampler, resolve_sampler, sample_nuts

__all__ = ["PosteriorRegressor"]

class _PosteriorEstimator(SameModelMAP, PredictiveIntervals, PosteriorResults, BaseEstimator):
    """Shared fitting; results and persistence in :class:`PosteriorResults`.

    Subclasses set ``_likelihood``, a :class:`~bayesreg.model.likelihoods.Likelihood`.
    """

    _likelihood = None

    # ------------------------------------------------------------------ fitting
    def _check_params(self):
        """The parameter table of :mod:`bayesreg.model._params` (shared with load and the MAP
        estimators), then whether the sampler is installed; returns the checked values."""
        owner = type(self).__name__
        params = check_params(self.get_params(deep=False), owner)
        check_sampler(self.sampler, owner)
        return params

    def _target_accept(self):
        if self.target_accept is not None:
            return float(self.target_accept)
        return self.prior.nuts_target_accept  # funnels (learned scales) need smaller steps

    def _fit(self, X, y, sigma, offset=None):
        """Sample the posterior; ``y`` is numeric (0/1 for the classifier); ``offset`` or None."""
        feature_names = getattr(self, "feature_names_in_", None)
        if feature_names is None:
            feature_names = [f"x{j}" for j in range(self.n_features_in_)]
        # standardize=True: sample on X / sd, then report coef on X's scale (column_scaling)
        scaling = ColumnScaling(X, self.standardize, type(self).__name__, feature_names)
        X_original, X = X, scaling.transform(X)
        sigma_prior = getattr(self, "sigma_prior", None)  # the classifier has no sigma
        spec = ModelSpec.create(self._likelihood, self.prior, sigma, self.fit_intercept, feature_names,
                                has_offset=offset is not None, sigma_prior=sigma_prior)
        sampler = resolve_sampler(self.sampler, self.prior, self._likelihood, sigma is not None)
        sampler = exact_or_next(sampler, self.sampler, self.prior, self._likelihood, sigma_prior,
                                type(self).__name__)
        if sampler == "exact":
            self._check_exact(sigma)
            posterior = sample_conjugate(
                self.prior, X, y, sigma, fit_intercept=self.fit_intercept,
                draws=self.draws, chains=self.chains, random_seed=self.random_seed,
                feature_names=spec.feature_names, sigma_prior=sigma_prior,
            )
            sample_stats = None
        elif sampler == "gibbs":
            check_gibbs(self.prior, type(self).__name__, self._likelihood)
            posterior = sample_gibbs(
                self._likelihood, self.prior, sigma, X, y, fit_intercept=self.fit_intercept,
                draws=self.draws, tune=self.tune, chains=self.chains,
                random_seed=self.random_seed, progressbar=self.progressbar,
                feature_names=spec.feature_names, sigma_prior=sigma_prior,
            )
            sample_stats = None
        else:
            self._check_nuts(sampler)
            posterior, sample_stats = sample_nuts(
                spec, model_data(spec, self.prior, sigma, X, y, offset),
                sampler=sampler, draws=self.draws, tune=self.tune, chains=self.chains,
                random_seed=self.random_seed, progressbar=self.progressbar,
                target_accept=self._target_accept(),
            )
            internal = [name for name in posterior.data_vars if name.startswith(INTERNAL)]
            posterior = posterior.drop_vars(internal)
        if scaling.active:  # R-hat and ESS do not change when draws are divided by a constant
            posterior = posterior.assign(coef=posterior["coef"] / scaling.scales)
        X = X_original
        var_names = [name for name in DIAGNOSTIC_VARS if name in posterior]
        diagnostics, medians = compute_diagnostics(posterior, sample_stats, var_names, return_medians=True)
        self._set_posterior_results(posterior, diagnostics, sampler, medians.get("coef"))
        self._defer_inference_data(posterior, sample_stats, X, y, sigma, offset, sampler)
        self.map_ = self._cached_map(X, y, sigma, offset)
        return diagnostics

    def _check_nuts(self, sampler):
        reason = self.prior.nuts_refusal()
        if reason is not None:
            offered = self.prior.samplers(self._likelihood.name, True)
            raise ValueError(f"{type(self).__name__}: sampler={sampler!r} {reason} "
                             f"Samplers offered for {self.prior!r}: {offered}.")

    def _check_exact(self, sigma):
        prior = self.prior
        if not prior.has_conjugate_posterior(self._likelihood.name, sigma is not None):
            raise ValueError(
                f"{type(self).__name__}: sampler='exact' draws from the closed-form "
                "posterior, which exists only for the Gaussian likelihood with a Normal "
                "prior of fixed scale and a fixed sigma, or with a g-prior; got "
                f"prior={prior!r}, sigma={sigma!r}. Use sampler='nutpie' (or pass "
                "sigma=<noise sd>)."
            )

class PosteriorRegressor(RegressorMixin, _PosteriorEstimator):
    r"""Full posterior of the Bayesian linear regression whose MAP is :class:`MAPRegressor`.

    Same likelihood, same prior, same scale, same flat prior on the intercept:

    .. math::

        y_i \sim N(b_0 + x_i^\top w, \sigma^2), \qquad w_j \sim \text{prior},
        \qquad p(b_0) \propto 1,

    with ``sigma`` fixed, or, when ``sigma=None``, learned under ``sigma_prior``
    (by default the weakly informative :math:`\sigma \sim \text{HalfNormal}(\mathrm{sd}(y))`).
    A hyperprior on the scale (``Laplace(scale=HalfCauchy(1.0))``) lets the
    data choose it, and with it the equivalent lambda: the posterior then has
    ``scale`` and ``alpha``, the scikit-learn ``alpha`` of each draw.

    Parameters
    ----------
    prior : Normal, Laplace, ElasticNet, Horseshoe, SpikeAndSlab or GPrior
    likelihood : str or Likelihood, default="gaussian"
        The distribution of y given the linear predictor, as in
        :class:`MAPRegressor`; the formula above is the Gaussian one.
    sigma : float or None, default=None
        Fixed noise sd, or None to learn it (refused for a constant y, whose
        posterior of sigma is improper).
    sigma_prior : Hyperprior or None, default=None
        The prior of a learned sigma. None: ``HalfNormal(sd(y))``.
        ``HalfCauchy(s)``, ``HalfNormal(s)`` on sigma; ``Jeffreys()``
        (:math:`p(\sigma) \propto 1/\sigma`, improper); ``InverseGamma(a, b)``
        on :math:`\sigma^2` (``Gamma(a, b)`` on :math:`1/\sigma^2`, the same law).
        Every NUTS sampler and Gibbs take each; Gibbs draws the inverse gamma
        and Jeffreys conjugately. ``"exact"`` (g-prior) takes all but HalfCauchy.
        Refused with a fixed ``sigma`` or a likelihood without one (Poisson).
    fit_intercept : bool, default=True
        A real bool (``numpy.bool_`` too); a string such as ``"no"`` is refused.
    standardize : bool, default=False
        False: the prior applies to the coefficients of X as given.  True
        (glmnet's default): it applies to the coefficients of the columns
        divided by their standard deviation (divisor n); the draws of
        ``coef`` in ``idata_``, ``coef_``, ``summary()``, ``map_``,
        predictions and the log-likelihood are all on the original scale,
        while ``scale``, ``alpha`` and the horseshoe's ``tau``/``lambda``
        stay those of the standardised problem.  A constant column is then
        refused (see :mod:`bayesreg.model.column_scaling`).
    sampler : {"auto", "nutpie", "pymc", "numpyro", "gibbs", "exact"}, default="auto"
        ``"auto"`` runs the first sampler the prior offers for this model
        (:meth:`bayesreg.model.priors.Prior.samplers`): ``"exact"`` where the
        posterior is conjugate, else ``"gibbs"`` where a validated Gibbs scheme
        exists (Normal, Laplace; the horseshoe and horseshoe+ with the Gaussian likelihood),
        else ``"nutpie"``; ``sampler_`` says which ran. Name one to force it.
        The NUTS samplers work for every prior. ``"gibbs"`` samples the same
        model by its exact full conditionals (Normal, Laplace, Horseshoe and HorseshoePlus
        priors; see :mod:`bayesreg.posterior.gibbs`): no compilation, often an order of
        magnitude more effective draws per second; ``tune`` is then its burn-in (and
        fits the Laplace's independence proposal). ``"exact"`` draws independently from the
        closed-form posterior (Normal prior with fixed scale and fixed sigma; GPrior,
        sigma fixed or learned). SpikeAndSlab: Gibbs only (NUTS cannot move its
        discrete indicators).
    draws, tune, chains : int, default=1000, 1000, 4
    target_accept : float or None, default=None
        NUTS target acceptance; None means 0.8, 0.95 for learned scales and
        0.99 for the horseshoe, whose funnels need smaller steps.
    random_seed : int, numpy.random.Generator or None, default=None
        The same integer seed gives identical draws. A Generator is drawn from
        as given and saved as None; a legacy ``RandomState`` is refused.
    progressbar : bool, default=True
    log_likelihood : bool, default=False
        Also store the pointwise log-likelihood (group ``log_likelihood``,
        chains x draws x n_samples numbers), as PyMC's
        ``idata_kwargs={"log_likelihood": True}``; ``arviz.loo`` and
        ``arviz.compare`` need it. Off by default: it is the only part of a
        fit whose memory grows with draws times rows (32 GB for 4000 draws of
        a million rows). :meth:`compute_log_likelihood` adds it later.

    Attributes
    ----------
    idata_ : arviz.InferenceData
        Groups ``posterior`` (``coef`` with dim ``feature``, ``intercept``,
        and ``sigma``, ``scale``, ``alpha``, ``tau``, ``lambda`` where they
        exist), ``sample_stats`` (NUTS), ``observed_data`` (y),
        ``constant_data`` (the training X, referenced rather than copied when
        it was already a float64 array) and, with ``log_likelihood=True`` or
        after :meth:`compute_log_likelihood`, ``log_likelihood`` (so
        ``arviz.loo(idata_)`` works). Assembled on first access from what
        the fit kept, so a refit that nobody reads pays nothing for it.
    coef_, coef_median_, coef_sd_ : ndarray of shape (n_features,)
        Posterior mean, median and standard deviation.
    intercept_ : float
        Posterior mean of the intercept.
    sigma_ : float
        Posterior mean of sigma, or the fixed sigma.
    diagnostics_ : dict
        ``divergences``, ``max_r_hat``, ``min_ess_bulk``, ``min_ess_tail``;
        problems also raise a :class:`SamplingWarning`.
    sampler_ : str
        The sampler that ran (``"auto"`` resolved), also in
        ``idata_.attrs["sampler"]`` and ``summary().attrs["sampler"]``.
    map_ : MAPRegressor or None
        The MAP of the same model (None without a finite MAP).
    n_features_in_, feature_names_in_
    """

    def __init__(
        self, prior, *, likelihood="gaussian", sigma=None, sigma_prior=None, fit_intercept=True,
        standardize=False, sampler="auto", draws=1000, tune=1000, chains=4, target_accept=None,
        random_seed=None, progressbar=True, log_likelihood=False,
    ):
        self.prior = prior
        self.likelihood = likelihood
        self.sigma = sigma
        self.sigma_prior = sigma_prior
        self.fit_intercept = fit_intercept
        self.standardize = standardize
        self.sampler = sampler
        self.draws = draws
        self.tune = tune
        self.chains = chains
        self.target_accept = target_accept
        self.random_seed = random_seed
        self.progressbar = progressbar
        self.log_likelihood = log_likelihood

    @property
    def _likelihood(self):
        """The likelihood object the ``likelihood`` parameter names."""
        return get_likelihood(self.likelihood)

    def fit(self, X, y=None, exposure=None, offset=None):
        """Sample the posterior given data ``X`` (n_samples, n_features) and ``y``.

        ``exposure`` (or ``offset`` = log exposure), per row, for a likelihood
        with an offset (Poisson); see :meth:`MAPRegressor.fit`.  ``X`` may
        instead be a :class:`~bayesreg.SufficientStatistics` (``y`` omitted)
        for a likelihood that has them (the Gaussian): the same posterior in
        memory independent of n; ``idata_`` then has no ``observed_data`` or
        pointwise log-likelihood, and its ``constant_data`` holds the statistics.
        A Dask ``X``, ``y`` become those statistics in one pass where the data
        live (:meth:`~bayesreg.SufficientStatistics.from_dask`; bar if ``progressbar``).
        """
        owner = type(self).__name__
        params = self._check_params()
        sigma = params["likelihood"].sigma_for(params["sigma"], owner)
        check_sigma_prior_applies(params["sigma_prior"], sigma, params["likelihood"], owner)
        with restore_on_failure(self):
            X, y = statistics_of_dask_input(self, X, y, params["likelihood"])
            if isinstance(X, SufficientStatistics):
                X = adopt_statistics(self, X, y, params["likelihood"], owner)
            else:
                X, y = validate_training_data(self, X, y, y_numeric=True, dtype=np.float64)
                y, _ = params["likelihood"].check_target(y, owner)
            n_samples = X.n_samples if isinstance(X, SufficientStatistics) else X.shape[0]
            offset = check_offset(params["likelihood"], exposure, offset, n_samples, f"{owner}.fit")
            if params["likelihood"].has_sigma:
                check_noise_learnable(X, y, sigma, self.fit_intercept, owner)
            diagnostics = self._fit(X, y, sigma, offset)
        warn_on_problems(diagnostics, type(self).__name__, independent_draws=self.sampler_ == "exact")
        return self

    def _set_posterior_results(self, posterior, diagnostics, sampler, coef_median=None):
        super()._set_posterior_results(posterior, diagnostics, sampler, coef_median)
        if "sigma" in posterior:
            self.sigma_ = float(posterior["sigma"].mean())
        else:
            self.sigma_ = None if self.sigma is None else float(self.sigma)

    def _map_estimator(self):
        return MAPRegressor(self.prior, likelihood=self.likelihood, sigma=self.sigma,
                            fit_intercept=self.fit_intercept, standardize=self.standardize)

    @predicts_on_dask
    def predict(self, X, return_std=False, exposure=None, offset=None):
        """Posterior mean of y, ``E[mean(eta)]``; with ``return_std`` the predictive sd.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        return_std : bool, default=False
            Also return the standard deviation of the posterior predictive
            distribution of a new y: ``sqrt(Var[mu] + E[noise variance])``
            (``sigma**2`` for the Gaussian, ``mu`` for Poisson); never a draws
            x rows array for all rows (see ``_expected_value``).
        exposure, offset : array-like of shape (n_samples,), optional
            As in :meth:`fit` (Poisson): the expected count over that exposure.

        Returns
        -------
        y_mean : ndarray of shape (n_samples,)
        y_std : ndarray of shape (n_samples,), only with ``return_std``
        """
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, dtype=np.float64)
        offset = check_offset(self._likelihood, exposure, offset, X.shape[0],
                              f"{type(self).__name__}.predict")
        return predictive_moments(self, X, offset, return_std)
