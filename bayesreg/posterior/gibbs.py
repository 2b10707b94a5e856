r"""Gibbs samplers for the regularization priors: exact conditionals, no tuning.

The Normal, Laplace and horseshoe priors are scale mixtures of normals,

.. math::

    w_j \mid v_j \sim N(0, v_j), \qquad
    v_j = t^2 \ (\text{Normal}), \quad
    v_j \sim \text{Exp}\!\left(\text{rate} = \tfrac{1}{2 s^2}\right) \ (\text{Laplace}), \quad
    v_j = \lambda_j^2 \tau^2,\ \lambda_j, \tau \sim C^+ \ (\text{horseshoe}),

so given the variances ``v`` the coefficients are Gaussian, and given the
coefficients every variance has a standard conditional (Park & Casella 2008 for
the Laplace; Makalic & Schmidt 2016 for the half-Cauchy scales). This module
samples exactly the model that :mod:`bayesreg.posterior.model` writes for PyMC:
the same priors, the flat intercept, ``sigma`` fixed or ``HalfNormal(sd(y))``.

The steps of one sweep, for every chain at once (chains are a batch axis):

1. ``w | v, sigma`` (Gaussian likelihood; intercept integrated out by centring):
   :math:`N(A^{-1} X_c^\top y_c / \sigma^2, A^{-1})`, :math:`A = X_c^\top X_c/\sigma^2 + V^{-1}`.
   With ``n >= p`` by a Cholesky factor of ``A`` (Rue 2001); with ``p > n`` by
   the ``n x n`` method of Bhattacharya, Chakraborty & Mallick (2016).
2. ``sigma^2 | w`` (when learned): ``v^{-(n-1)/2} e^{-RSS/(2 v)}`` times the
   noise prior (``sigma_prior``: half-normal by default, half-Cauchy, inverse
   gamma on ``sigma^2`` or Jeffreys; see :mod:`._conditionals`, :mod:`._noise_prior`).
3. the prior's variances ``| w`` (inverse Gaussian for the Laplace, inverse
   gamma for the half-Cauchy scales), and a learned scale.
4. the intercept ``| w, sigma``: :math:`N(\bar y - \bar x^\top w, \sigma^2/n)`.

The compiled sweep of the Laplace prior of fixed scale adds, between steps 1
and 3, an independence Metropolis step on ``w`` whose t proposal is fitted on
the burn-in (:mod:`._independence_step`: same stationary law, about 1.7x the
bulk ESS per draw on collinear data). Every compiled sweep draws ``w | v`` over-relaxed
(``OVERRELAXATION``, Adler 1981: same conditional law, less autocorrelation), except
where no prior variance moves and its plain draws are already (nearly) independent.

For the Gaussian likelihood with ``n >= p`` a sweep is a few hundred flops, so
it runs compiled, one chain after another (:mod:`._gibbs_kernel`, numba);
``p > n`` and the logistic model run all chains at once in numpy, where BLAS
and the Polya-Gamma draws dominate. Both take the same conditionals in the same
order (:mod:`._conditionals`, :mod:`._mixtures`, :mod:`._sweeps`): the numpy
sweep is the compiled one's test oracle. Which updates apply, the families say
themselves: the prior its scale mixture and the hyperprior of its scale, the
hyperprior its variance update, the likelihood its augmentation.

Bernoulli-logit likelihood: Polya-Gamma augmentation (Polson, Scott & Windle
2013), ``omega_i | w ~ PG(1, eta_i)``, after which ``(intercept, w)`` is
Gaussian with precision :math:`\tilde X^\top \Omega \tilde X + V^{-1}` (the
intercept's prior precision is 0), drawn jointly when ``p < n`` and as
intercept-then-coefficients (Bhattacharya) when ``p >= n``.
"""

from __future__ import annotations

from contextlib import contextmanager

import numpy as np
import xarray as xr

from ..model.likelihoods import get_likelihood
from ..model.mapping import penalty_strength
from ..model.priors import Prior
from ..model.registry import prior_classes
from ..model.sufficient_statistics import SufficientStatistics
from ._blas_threads import one_blas_thread
from ._coordinates import draws_coordinates
from ._gaussian_draws import draw_gaussian_bhattacharya as _draw_gaussian_bhattacharya  # noqa: F401 (tests)
from ._gibbs_state import (
    ChainData,
    ChainDraws,
    ChainPrior,
    GibbsState,
    SweepWork,
    chain_state,
)
from ._mixtures import MIXTURES
from ._parallel_chains import run_chains
from ._robust_sweeps import ROBUST_SWEEPS
from ._sigma_scaled import sigma_scaled_sweep
from ._sweeps import SWEEPS, _GaussianSweep  # noqa: F401 (tests)
from .spike_and_slab_gibbs import sample_spike_and_slab

__all__ = ["GIBBS_PRIORS", "check_gibbs", "sample_gibbs"]

#: The prior families with a Gibbs scheme for some likelihood, from the classes
#: themselves; each says which likelihoods (``Prior.gibbs_refusal``).
GIBBS_PRIORS = tuple(
    cls for cls in prior_classes().values() if issubclass(cls, Prior) and cls._gibbs_likelihoods
    and cls.gibbs_scheme == "scale_mixture"
)
#: ... and those with a Gibbs sampler of their own (the spike-and-slab's indicators).
GIBBS_INDICATOR_PRIORS = tuple(
    cls for cls in prior_classes().values() if issubclass(cls, Prior) and cls._gibbs_likelihoods
    and cls.gibbs_scheme == "inclusion_indicators"
)

#: The compiled Laplace sweep (fixed scale) adds an independence Metropolis step on w whose
#: t proposal is fitted on the burn-in (._independence_step; False: the plain Park-Casella sweep,
#: which the tests compare it with).
INDEPENDENCE_STEP = True

#: The compiled sweep over-relaxes its draw of w | v (``_gibbs_kernel._draw_coef``, Adler 1981):
#: w = m + a (w_prev - m) + sqrt(1 - a^2) L^-T z leaves N(m, A^-1) invariant, and a < 0 cancels
#: part of the coefficients' autocorrelation through v. On diabetes, Laplace(4): min bulk ESS per
#: draw about 0.70 -> 0.87 and min tail ESS 0.76 -> 0.81 (a = -0.5, 2 chains, 8 seeds); 0: the
#: plain draw, the numpy sweep's (the test oracle). Not applied where no prior variance moves
#: (``_gibbs_kernel.gaussian_chain``).
OVERRELAXATION = -0.5

#: Update the horseshoe's tau with the coefficients integrated out when p > n
#: (False: the plain tau | w conditional; the tests compare the two).
COLLAPSED_TAU = True


def check_gibbs(prior, owner, likelihood="gaussian"):
    """Raise a clear error if the Gibbs sampler does not cover ``prior`` (and ``likelihood``).

    The prior says so itself (:meth:`bayesreg.model.priors.Prior.gibbs_refusal`), after
    the likelihood (a name or an object): one without a Gibbs scheme (``has_gibbs_sampler``
    False, e.g. Poisson) is NUTS only, whatever the prior.
    """
    family = get_likelihood(likelihood)
    if not family.has_gibbs_sampler:
        raise ValueError(
            f"{owner}: sampler='gibbs' does not cover the {family.label} likelihood: it has no "
            "conditionally Gaussian augmentation, so its posterior is sampled by NUTS only. "
            "Use sampler='nutpie' (or 'auto') for it."
        )
    # a scale-mixture likelihood takes the Gaussian's schemes, except a prior's own collapsed
    # sweep (the spike-and-slab integrates the coefficients out of a Gaussian likelihood)
    reason = prior.gibbs_refusal(family.gibbs_prior_schemes or family.name)
    if reason is None and prior.scale_by_sigma and family.gibbs_augmentation is not None:
        reason = (f"does not cover {prior!r} with the {family.label} likelihood: the sweep of a "
                  "prior scaled by sigma is written for the Gaussian likelihood only.")
    if reason is None and family.gibbs_prior_schemes and prior.gibbs_scheme == "inclusion_indicators":
        reason = (f"does not cover {prior!r} with the {family.label} likelihood: its collapsed "
                  "indicator update needs the Gaussian likelihood itself.")
    if reason is not None:
        if prior.nuts_refusal() is None:
            raise ValueError(f"{owner}: sampler='gibbs' {reason} Use sampler='nutpie' for it.")
        offered = prior.samplers(family.name, True, family.gibbs_prior_schemes)
        raise ValueError(f"{owner}: sampler='gibbs' {reason} Samplers offered for it with the "
                         f"{family.name!r} likelihood: {offered}.")


@contextmanager
def _progress(total, enabled):
    """A rich progress bar (PyMC's own dependency), or nothing."""
    if not enabled:
        yield lambda advance: None
        return
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (TextColumn("Gibbs"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
               TimeRemainingColumn())
    with Progress(*columns) as progress:
        task = progress.add_task("gibbs", total=total)
        yield lambda advance: progress.update(task, advance=advance)


def sample_gibbs(likelihood, prior, sigma, X, y, *, fit_intercept, draws, tune, chains,
                 random_seed, progressbar, feature_names, sigma_prior=None):
    """Sample the posterior by Gibbs; returns an ``xarray.Dataset`` like the NUTS samplers.

    ``likelihood`` is a likelihood's name or object. Variables: ``coef`` (dim
    ``feature``), ``intercept``, and where the model has them ``sigma``,
    ``scale`` with ``alpha`` (Gaussian) or ``C`` (Bernoulli), ``tau`` and
    ``lambda``. ``tune`` sweeps are discarded as burn-in. For the Gaussian
    likelihood ``X`` may be a
    :class:`~bayesreg.model.sufficient_statistics.SufficientStatistics` (``y`` None).
    ``sigma_prior``: the hyperprior of a learned sigma (None: ``HalfNormal(sd(y))``).
    """
    likelihood = get_likelihood(likelihood)
    check_gibbs(prior, "sample_gibbs", likelihood.name)
    if prior.gibbs_scheme == "inclusion_indicators":  # a spike-and-slab: its own collapsed sweep
        if sigma_prior is not None and sigma is None:
            raise ValueError(
                f"sample_gibbs: the collapsed indicator sweep of {prior!r} draws sigma under the "
                f"default HalfNormal(sd(y)) prior only, not sigma_prior={sigma_prior!r}. Leave "
                "sigma_prior=None, or use another prior."
            )
        with _progress(chains * (tune + draws), progressbar) as advance, one_blas_thread():
            return sample_spike_and_slab(
                prior, sigma, X, y, fit_intercept=fit_intercept, draws=draws, tune=tune,
                chains=chains, random_seed=random_seed, feature_names=feature_names, advance=advance,
            )
    rng = np.random.default_rng(random_seed)
    factors = prior.relative_scales
    if factors is not None:
        # per-feature scales s_j = c_j s_ref: w_j = c_j v_j with v_j under the common-scale
        # prior on the columns c_j x_j is the same posterior (a linear change of variables,
        # bayesreg.model._per_feature): the prior precision of w_j is that of v_j over c_j^2
        prior = prior.at_reference_scale()
        X = X.scale_columns(factors) if hasattr(X, "scale_columns") else X * factors  # rows: numpy
    if isinstance(X, SufficientStatistics):
        if not likelihood.has_sufficient_statistics:
            likelihood.sufficient_statistics(None, None)  # its clear refusal
        n, p = X.n_samples, X.n_features
    else:
        n, p = X.shape
    # the chains' start: the sweep's (centred data, first sigma^2), then the prior's
    sweep = _build_sweep(likelihood, X, y, sigma, fit_intercept, chains, rng, sigma_prior)
    state = GibbsState(coef=np.zeros((chains, p)), local=np.ones((chains, p)), scale2=np.ones(chains),
                       xi=np.ones(chains), sigma2=sweep.sigma2)
    mixture = MIXTURES[prior.gibbs_mixture](prior, state, rng)
    # One BLAS thread: the sweeps are many small products, and OpenBLAS's spinning
    # worker threads made them ~30x slower on a loaded two-core machine.
    with _progress(chains * (tune + draws), progressbar) as advance, one_blas_thread():
        if (sweep.has_compiled_sweep and sweep.use_rue and mixture.has_compiled_sweep
                and not prior.scale_by_sigma
                and _compiled_sweep_applies(prior, sigma, n, p, fit_intercept)):
            store = _sample_compiled(sweep, mixture, state, draws, tune, rng, advance)
        else:
            store = _sample_vectorised(sweep, mixture, draws, tune, rng, advance,
                                       scaled_by_sigma=prior.scale_by_sigma)

    if factors is not None:
        store["coef"] = store["coef"] * factors
    if prior.is_hierarchical:  # the penalty of each draw of the scale, as the PyMC model reports it
        noise = store.get("sigma", sigma)
        # scaled by sigma: the penalty of each draw is that at scale * sigma (Prior.given_sigma)
        scale = store["scale"] * noise if prior.scale_by_sigma else store["scale"]
        strength = penalty_strength(prior.penalty_weights_at(scale), likelihood.dispersion(noise))
        store[likelihood.penalty_name] = likelihood.penalty_parameter(strength, n, prior)

    dims = {"coef": ("chain", "draw", "feature"), "lambda": ("chain", "draw", "feature")}
    return xr.Dataset(
        {name: (dims.get(name, ("chain", "draw")), value) for name, value in store.items()},
        coords=draws_coordinates(chains, draws, feature_names),
    )


def _build_sweep(likelihood, X, y, sigma, fit_intercept, chains, rng, sigma_prior=None):
    """The sweep of the likelihood's augmentation; a robust likelihood's sweep takes the likelihood."""
    augmentation = likelihood.gibbs_augmentation
    if augmentation in ROBUST_SWEEPS:  # Student-t, Laplace: weighted Gaussian (._robust_sweeps)
        return ROBUST_SWEEPS[augmentation](likelihood, X, y, sigma, fit_intercept, chains, rng, sigma_prior)
    return SWEEPS[augmentation].build(X, y, sigma, fit_intercept, chains, rng, sigma_prior)


def gibbs_sweep(sweep, mixture, rng, collapsed=False, tuning=False):
    """One numpy sweep of every chain, updating ``mixture.state`` in place; returns the coefficients.

    The order of the compiled ``_gibbs_kernel.gibbs_sweep``: ``w``, then ``sigma^2``,
    then the prior's variances and scale. ``collapsed``: ``(tau, w)`` jointly first (p > n).
    """
    if collapsed:
        coef = sweep.draw_tau_and_coef(mixture, rng, tuning=tuning)
        sweep.update_noise(coef, rng)
        mixture.update_local(coef, rng)
    else:
        coef = sweep.draw_coef(mixture.variances, rng)
        sweep.update_noise(coef, rng)
        mixture.update(coef, rng)
    mixture.state.coef[:] = coef
    return coef


def _sample_vectorised(sweep, mixture, draws, tune, rng, advance, scaled_by_sigma=False):
    """All chains at once with numpy: the p > n, logistic and sigma-scaled samplers (BLAS-bound sweeps)."""
    chains = mixture.state.coef.shape[0]
    collapsed = (COLLAPSED_TAU and mixture.collapsible_scale and sweep.collapses_global_scale
                 and not scaled_by_sigma)
    store = {}
    step = max(1, (tune + draws) // 100)
    for it in range(tune + draws):
        if scaled_by_sigma:
            coef = sigma_scaled_sweep(sweep, mixture, rng)
        else:
            coef = gibbs_sweep(sweep, mixture, rng, collapsed=collapsed, tuning=it < tune)
        if it >= tune:
            values = {"coef": coef, **sweep.record(coef, rng), **mixture.record()}
            for name, value in values.items():
                if name not in store:
                    store[name] = np.empty((chains, draws) + value.shape[1:])
                store[name][:, it - tune] = value
        if (it + 1) % step == 0:
            advance(step * chains)
    return store


def _compiled_sweep_applies(prior, sigma, n, p, fit_intercept):
    """The compiled sweep is the Cholesky one (``sweep.use_rue``: n >= p, or statistics);
    p > n on rows takes Bhattacharya's draw in numpy. A hook for tests to force numpy."""
    return True


def chain_inputs(sweep, mixture):
    """The compiled sweep's data and prior codes (see :mod:`._gibbs_state`)."""
    from . import _gibbs_kernel as kernel

    noise = sweep.noise.hyper
    noise_update = kernel.VARIANCE_UPDATES[noise.gibbs_variance_update]
    noise_shape, noise_scale = (noise.gibbs_parameters if noise_update == kernel.CONJUGATE
                                else (0.0, noise.gibbs_parameters))
    data = ChainData(sweep.gram, sweep.Xty, float(sweep.yty),
                     float(sweep.n - int(sweep.fit_intercept)), float(noise_scale),
                     bool(sweep.sigma_fixed), int(noise_update), float(noise_shape))
    hyper = mixture.hyper
    update = kernel.VARIANCE_UPDATES[None if hyper is None else hyper.gibbs_variance_update]
    shape, scale = 0.0, 1.0
    if update == kernel.CONJUGATE:
        shape, scale = hyper.gibbs_parameters
    elif hyper is not None:
        scale = hyper.gibbs_parameters
    codes = ChainPrior(kernel.MIXTURES[mixture.name], update, float(scale), float(shape),
                       float(mixture.l1), float(mixture.l2))
    return data, codes


def _sample_compiled(sweep, mixture, state, draws, tune, rng, advance):
    """The compiled chains (see :mod:`._gibbs_kernel`), in parallel on the machine's cores.

    Same sweep as the numpy one; each chain draws from its own stream spawned
    from ``rng`` (:mod:`._parallel_chains`), so the draws do not depend on the
    number of cores.
    """
    from . import _gibbs_kernel as kernel

    chains, p = state.coef.shape
    data, codes = chain_inputs(sweep, mixture)
    out = ChainDraws(np.empty((chains, draws, p)), np.empty((chains, draws)), np.empty((chains, draws)),
                     np.empty((chains, draws, p)))
    streams = rng.spawn(chains)

    def run_chain(c):
        kernel.gaussian_chain(data, codes, chain_state(state, c), tune, streams[c],
                              SweepWork.for_features(p), ChainDraws(*(a[c] for a in out)),
                              INDEPENDENCE_STEP, OVERRELAXATION)

    run_chains(run_chain, chains, done=lambda c: advance(tune + draws))
    return {"coef": out.coef, **sweep.record(out.coef, rng, sigma2=out.sigma2),
            **mixture.named_draws(out.scale2, out.local)}
