r"""What the prior-scale explorer shows, computed: no widgets, no plotting.

:class:`ScaleExplorer` holds one regression problem (X, y, sigma) and a prior
family, and answers "what does the model look like at prior scale t?":

* the equivalent penalty in every convention (:func:`penalty_readout`, via
  :func:`bayesreg.to_penalty`) with its formula,
* the MAP coefficients (:class:`bayesreg.MAPRegressor`) and the MAP path over
  a grid of scales (:func:`bayesreg.map_path`), computed once per family,
* the posterior along the whole path where it is known
  (:meth:`ScaleExplorer.posterior_band`: exact at every scale of the grid
  for the Normal prior with a fixed sigma, else at the sampled scales),
* the posterior at t, in the table layout of :func:`bayesreg.workflow.compare`:

  - Normal prior with a fixed sigma: the exact conjugate posterior
    (:func:`bayesreg.posterior.exact.conjugate_posterior`), instantly;
  - a prior with a Gibbs scheme (the prior says so), or a conjugate prior that couples
    the coefficients (Zellner's g-prior: its exact sampler): the live posterior drawn
    at t (:meth:`ScaleExplorer.live_posterior`, :mod:`._live_posterior`), ~20-30 ms;
  - otherwise: the nearest posterior sampled so far (:meth:`ScaleExplorer.sample`),
    reweighted to t by Pareto-smoothed importance sampling
    (:mod:`bayesreg.posterior.reweight`), with its Pareto k-hat; or the
    sampled posterior itself when t was sampled.

Every result is cached per (family, scale), so moving back to a scale costs a
dictionary look-up.  :mod:`bayesreg.widgets` is the notebook view of this class.
"""

from __future__ import annotations

import math
import numbers
import threading

import numpy as np

from ..map import estimate_sigma
from ..workflow.posterior_path import PosteriorPath
from ._explorer_data import (
    check_data, check_l1_ratio, column_scaling, default_scale_range, scale_key,
)
from ._explorer_live import LiveExplorerMethods
from ._explorer_map import MapExplorerMethods
from ._explorer_sampling import SampledExplorerMethods
from ._explorer_posterior import (
    exact_part, exact_summary, no_posterior_part, pending_part, sampled_part, sampled_summaries,
    table_on_original_scale,
)
from ._likelihood_choice import check_likelihood, map_estimator
from ._live_posterior import LivePosteriors, frame
from ._posterior_only import posterior_only_map_state, sampled_elsewhere_part
from ._prior_choice import family_key, family_prior, make_prior, prior_form, prior_kind
from ._readout import penalty_readout

__all__ = ["ScaleExplorer", "make_prior", "penalty_readout", "prior_kind"]


class ScaleExplorer(MapExplorerMethods, LiveExplorerMethods, SampledExplorerMethods):
    """The state of a regression at any prior scale, with caches.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    y : array-like of shape (n_samples,)
    prior : str or Prior, default="laplace"
        The prior family, one of the registry's (``prior_options(posterior_only=True)``:
        "normal", "laplace", "elasticnet", "gprior", "spikeandslab", the horseshoe
        family, ...); a Prior's own scale is ignored (see :meth:`state`).  A
        Prior also gives the form every scale keeps (:attr:`form`): ``scale_by_sigma=True``
        and per-feature scales, whose relative sizes stay while the overall
        (reference) scale moves; switching the family keeps them too.
    sigma : float or None, default=None
        Fixed noise sd.  None: the MAP and the penalty use
        :func:`bayesreg.estimate_sigma`, and sampled posteriors learn sigma.
        A likelihood without a noise scale (Poisson, Bernoulli) takes None.
    likelihood : str or Likelihood, default="gaussian"
        As :class:`bayesreg.MAPRegressor` takes it ("gaussian", "student_t",
        "laplace", "poisson", or an object such as ``br.StudentT(df=4)``); a
        likelihood of class labels ("bernoulli": y with two classes) fits
        :class:`bayesreg.MAPClassifier` and :class:`bayesreg.PosteriorClassifier`.
        The posterior is live where the prior and the likelihood have a Gibbs
        scheme (the likelihood's Gibbs augmentation, the prior's scale mixture).
    exposure : None
        Not taken yet (the MAP path is fitted without an offset): anything but
        None is a ValueError saying how to fit it instead.
    l1_ratio : float, default=0.5
        The elastic net's mixing (used when the family is "elasticnet").
    scale_range : (float, float) or None
        Scales the path covers; None picks them from the data: from a tenth of
        the scale at which the lasso MAP is all zeros to 100 times the largest
        least-squares coefficient.
    n_path : int, default=60
        Number of scales on the MAP path grid.
    hdi_prob : float, default=0.94
    sampler, draws, tune, chains, random_seed
        Passed to :class:`bayesreg.PosteriorRegressor` by :meth:`sample`.  With
        ``sampler="auto"`` (or "gibbs"/"exact") a prior whose posterior is exact or
        has a Gibbs scheme is drawn live (:meth:`live_posterior`); a NUTS sampler
        named here turns the live posterior off (the Sample button samples).
    live_chains, live_draws, live_tune : int, default=2, 1000, 200
        Of each live fit (why these: :mod:`bayesreg.widgets._live_posterior`).
    posterior : PosteriorRegressor, optional
        A fitted posterior on the same data with a fixed-scale prior of a
        family the explorer offers, in the explorer's :attr:`form` (else a
        ValueError): it seeds the cache of sampled posteriors.
    standardize : bool, default=False
        True: the prior, the scale axis and the penalty are those of the columns divided
        by their sd (divisor n, as glmnet); every coefficient shown is on X's scale.

    Notes
    -----
    :meth:`sample` may run in a background thread while :meth:`state` is
    called from another; the caches are guarded by a lock.
    """

    def __init__(
        self, X, y, prior="laplace", *, sigma=None, l1_ratio=0.5, scale_range=None, n_path=60,
        hdi_prob=0.94, sampler="auto", draws=500, tune=500, chains=2, random_seed=0,
        posterior=None, standardize=False, live_chains=2, live_draws=1000, live_tune=200,
        likelihood="gaussian", exposure=None,
    ):
        self.likelihood = check_likelihood(likelihood, exposure)
        self.X, y, self.feature_names = check_data(X, y)
        # the target as the likelihood's model takes it (class labels as 0/1), checked by it
        self.y, self.classes = self.likelihood.check_target(y, "ScaleExplorer")
        self.n_samples = self.X.shape[0]
        self.standardize, self._scaling = column_scaling(self.X, standardize, self.feature_names)
        self._X_prior = self._scaling.transform(self.X)  # what the prior sees; shown on X's scale
        sigma = self.likelihood.sigma_for(sigma, "ScaleExplorer")
        if sigma is not None:
            if isinstance(sigma, bool) or not isinstance(sigma, numbers.Real) or not sigma > 0:
                raise ValueError(f"sigma must be None or a positive number, got {sigma!r}.")
            self.sigma, self.sigma_fixed = float(sigma), True
        elif self.likelihood.has_sigma:
            self.sigma = float(estimate_sigma(self._X_prior, self.y, likelihood=self.likelihood))
            self.sigma_fixed = False
        else:  # no noise scale at all: nothing fixed, nothing learned
            self.sigma, self.sigma_fixed = None, False
        # (kind, l1_ratio, form) as ONE value, replaced whole by set_family: a method that
        # reads it once sees one family even while another thread switches it
        self._current = (prior_kind(prior, posterior_only=True), check_l1_ratio(l1_ratio), prior_form(prior))
        self._check_form(self.prior_at(1.0))
        self.hdi_prob = hdi_prob
        self.sampler, self.draws, self.tune, self.chains = sampler, draws, tune, chains
        self.random_seed = random_seed
        self.scale_range = (
            default_scale_range(self._X_prior, self.y,
                                math.sqrt(self.likelihood.dispersion(self.sigma)))
            if scale_range is None
            else tuple(float(s) for s in scale_range)
        )
        if scale_range is None and self.prior_at(1.0).scale_by_sigma:
            # the coefficients' scales in units of sigma: the same range divided by sigma
            self.scale_range = tuple(s / self.sigma for s in self.scale_range)
        self.n_path = int(n_path)
        self._lock = threading.Lock()
        self._paths = {}  # family -> MAPPath
        self._states = {}  # (family, scale) -> state dict without the posterior
        self._sampled = {}  # family -> {scale: (draws, reff, diagnostics)}
        self._posteriors = {}  # (family, scale, source scale) -> posterior part of the state
        self._bands = {}  # (family, "exact" or sampled scales) -> PosteriorPath
        self._live = LivePosteriors(
            frame(self.X, self.feature_names), self._X_prior, self.y,
            self.sigma if self.sigma_fixed else None, self._scaling, standardize=self.standardize,
            chains=live_chains, draws=live_draws, tune=live_tune, random_seed=random_seed,
            hdi_prob=hdi_prob, likelihood=self.likelihood)
        if posterior is not None:
            self.add_posterior(posterior)

    # ---------------------------------------------------------------- family
    @property
    def kind(self):
        """The current prior family's kind ("normal", "laplace", "elasticnet", ...)."""
        return self._current[0]

    @property
    def l1_ratio(self):
        """The elastic net's mixing as set (kept while another family is shown)."""
        return self._current[1]

    @property
    def family(self):
        """Key of the current prior family: ``(kind, l1_ratio)`` for a family with an
        ``l1_ratio`` (the elastic net), else ``(kind, None)``; ``+ (form,)`` for a prior
        scaled by sigma or with per-feature scales (:attr:`form`)."""
        return family_key(self._current)

    def set_family(self, kind=None, l1_ratio=None):
        """Switch the prior family and/or the elastic net's ``l1_ratio``.

        Both are checked before either is changed: a bad value (an unknown
        family, an ``l1_ratio`` outside [0, 1] or NaN) raises a ValueError and
        leaves the explorer as it was.
        """
        current_kind, current_l1_ratio, form = self._current
        new_kind = current_kind if kind is None else prior_kind(kind, posterior_only=True)
        new_l1_ratio = current_l1_ratio if l1_ratio is None else check_l1_ratio(l1_ratio)
        family_prior((new_kind, new_l1_ratio, form), 1.0)  # a family without the form: refused
        self._current = (new_kind, new_l1_ratio, form)

    @property
    def form(self):
        """``(scale_by_sigma, relative per-feature scales)`` kept at every scale, or None
        (today's scalar form); see :attr:`bayesreg.model.priors.Prior.form`."""
        return self._current[2]

    def _check_form(self, prior):
        """A per-feature prior has one scale per column; a prior scaled by sigma needs one."""
        prior.check_n_features(self.X.shape[1], "ScaleExplorer")
        if prior.scale_by_sigma and not self.likelihood.has_sigma:
            prior.given_sigma(None)  # its clear ValueError: no noise scale to scale by

    def prior_at(self, scale):
        """The prior of the current family at the overall (reference) ``scale``, in :attr:`form`."""
        return family_prior(self.family, scale)

    def _exact_scale(self, family, scale):
        """The Normal sd (one, or one per feature) of the closed-form posterior at ``scale``."""
        return family_prior(family, scale).given_sigma(self.sigma).scale_values

    def _has_exact(self, family):
        # the prior says whether its posterior has a closed form (the Normal with fixed sigma);
        # the one written here is of coefficients independent a priori (a diagonal prior
        # covariance); a conjugate prior that couples them (the g-prior) is drawn live by
        # its exact sampler instead (_explorer_live)
        prior = family_prior(family, 1.0)
        return (prior.independent_coefficients
                and prior.has_conjugate_posterior(self.likelihood.name, self.sigma_fixed))

    # ---------------------------------------------------------------- MAP
    def map_state(self, scale):
        """Scale, prior, penalty readout and MAP at ``scale`` (cached): the fast part."""
        return self._map_state(self.family, scale)

    def _map_state(self, family, scale):
        scale = scale_key(scale)
        key = (family, scale)
        with self._lock:
            cached = self._states.get(key)
        if cached is not None:
            return dict(cached)
        prior = family_prior(family, scale)
        if not prior.has_map:  # the horseshoe: no MAP, no penalty, the posterior only
            return posterior_only_map_state(prior, family, scale, self.likelihood, self.sigma,
                                            self.sigma_fixed, self.n_samples)
        readout = penalty_readout(
            prior, n_samples=self.n_samples, sigma=self.sigma, y_sd=float(np.std(self.y)),
            likelihood=self.likelihood,
        )
        fit = map_estimator(prior, self.likelihood, self.sigma, self.standardize).fit(self.X, self.y)
        penalty = (readout["sklearn"] or {})
        state = {
            "scale": scale,
            "prior": prior,
            "prior_kind": family[0],
            "likelihood": self.likelihood.name,
            "likelihood_label": self.likelihood.label,
            "l1_ratio": family[1],
            "sigma": self.sigma,
            "sigma_fixed": self.sigma_fixed,
            "n_samples": self.n_samples,
            # None where no library penalty equals the prior (not an L1/L2 penalty)
            "estimator": penalty.get("estimator"),
            "alpha": penalty.get("alpha"),
            "glmnet_lambda": (readout["glmnet"] or {}).get("lambda"),
            "logistic_C": (readout["logistic"] or {}).get("C"),
            "penalties": {k: readout[k] for k in ("sklearn", "glmnet", "logistic")},
            "formulas": readout["formulas"],
            "has_map": True,
            "map_coef": np.ravel(fit.coef_),
            "map_intercept": float(np.ravel(fit.intercept_)[0]),
        }
        with self._lock:
            self._states[key] = state
        return dict(state)

    # ---------------------------------------------------------------- posterior
    @property
    def has_exact(self):
        """True when the posterior has a closed form: Normal prior and a fixed sigma."""
        return self._has_exact(self.family)

    def posterior_state(self, scale, map_coef=None):
        """The posterior part of the state at ``scale`` (cached per scale and source).

        Returns
        -------
        dict
            ``posterior`` (DataFrame in compare's column layout, or None),
            ``posterior_source`` ("exact", "sampled", "reweighted" or None),
            ``source_scale``, ``khat``, ``ess``, ``reliable`` and a
            ``posterior_note`` in words.
        """
        return self._posterior_state(self.family, scale, map_coef)

    def _posterior_state(self, family, scale, map_coef=None):
        scale = scale_key(scale)
        if map_coef is None:
            map_coef = self._map_state(family, scale)["map_coef"]
        live = self._live_sampler(family)
        if live is not None:  # drawn at this scale, or not yet: never another scale's
            fit = self._live.cached(family, scale)
            part = (pending_part(live) if fit is None
                    else self._live.part(fit, live, map_coef, self.feature_names))
            return table_on_original_scale(part, self._scaling)
        exact = self._has_exact(family)
        sampled = () if exact else self._sampled_scales(family)
        source = scale if exact else min(
            sampled, key=lambda s: abs(math.log(s) - math.log(scale)), default=None)
        key = (family, scale, source)
        with self._lock:
            cached = self._posteriors.get(key)
        if cached is not None:
            return dict(cached)
        if exact:
            result = exact_part(self._X_prior, self.y, self._exact_scale(family, scale),
                                self.sigma, self.hdi_prob, map_coef, self.feature_names,
                                shown_scale=scale)
        elif source is None:
            result = no_posterior_part(self._live_refusal(family), self.can_sample)
        elif source != scale and not family_prior(family, scale).independent_coefficients:
            result = sampled_elsewhere_part(sampled)  # no PSIS preview for such a prior
        else:
            with self._lock:
                draws, reff, _ = self._sampled[family][source]
            result = sampled_part(draws, reff, family_prior(family, source),
                                  family_prior(family, scale), map_coef, self.feature_names,
                                  self.hdi_prob, sigma=self.sigma if self.sigma_fixed else None)
        result = table_on_original_scale(result, self._scaling)
        with self._lock:
            self._posteriors[key] = result
        return dict(result)

    def posterior_band(self):
        """The posterior HDI of every coefficient along the path, where it is known (cached).

        * Normal prior with a fixed sigma: the exact conjugate posterior at
          every scale of :meth:`path`'s grid (``sampler == "exact"``);
        * otherwise: the posteriors sampled so far for the current family, at
          their own scales (``sampler == "sampled"``); reweighted previews are
          not included.

        Returns
        -------
        bayesreg.PosteriorPath or None
            Mean, median, sd and the ``hdi_prob`` HDI bounds per scale and
            feature; None when the current family has no posterior yet.
        """
        family = self.family
        if self._live_sampler(family) is not None:
            return self._live_band(family)
        exact = self._has_exact(family)
        key = (family, "exact") if exact else (family, tuple(self._sampled_scales(family)))
        if not key[1]:
            return None
        with self._lock:
            cached = self._bands.get(key)
        if cached is not None:
            return cached
        if exact:
            scales = np.asarray(self._path(family).scales, dtype=float)
            rows = [exact_summary(self._X_prior, self.y, self._exact_scale(family, s), self.sigma,
                                  self.hdi_prob) for s in scales]
            mean, sd, low, high = (self._scaling.to_original(np.array(c)) for c in zip(*rows))
            median, sampler = mean, "exact"
        else:
            scales = np.array(key[1], dtype=float)
            with self._lock:
                sampled = [self._sampled[family][s][0] for s in key[1]]
            summaries = sampled_summaries(sampled, self.hdi_prob)
            mean, median, sd, low, high = (self._scaling.to_original(c) for c in summaries)
            sampler = "sampled"
        band = PosteriorPath(
            scales=scales, mean=mean, median=median, sd=sd, hdi_low=low, hdi_high=high,
            hdi_prob=float(self.hdi_prob), feature_names=list(self.feature_names),
            prior=family_prior(family, scales[0]),
            sigma=self.sigma if self.sigma_fixed else None, sampler=sampler,
        )
        with self._lock:
            self._bands[key] = band
        return band

    def state(self, scale):
        """Everything at ``scale``: :meth:`map_state` merged with :meth:`posterior_state`."""
        family = self.family  # once: both parts of one state are of one family
        state = self._map_state(family, scale)
        state.update(self._posterior_state(family, scale, state["map_coef"]))
        return state
