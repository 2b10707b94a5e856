r"""Simulation-based calibration (Talts, Betancourt, Simpson, Vehtari & Gelman 2018).

If a sampler draws from the exact posterior, then for parameters drawn from the
prior, data simulated from them, and L posterior draws given those data, the
rank of the true value among the L draws is uniform on {0, ..., L}, for every
parameter.  Each configuration (prior x likelihood) is simulated
``--simulations`` times; the ranks of each parameter are binned and tested for
uniformity with a chi-square test, and drawn as rank histograms.

Run (from the repository root)::

    python -m validation.sbc --simulations 200 --sampler nutpie   # all configurations
    python -m validation.sbc --simulations 100 --sampler gibbs --configs normal-gauss-fixed
    python -m validation.sbc --report-only                        # rebuild table and figures

Each run stores its ranks in ``validation/results/sbc_<sampler>.json`` and
regenerates ``docs/validation_results.md`` (the table, from every results file)
and ``docs/_static/images/sbc_<sampler>_<config>.png`` (rank histograms).
Runtime, measured on the shared 2-core machine of 2026-11-23 (200 simulations,
nutpie, 2 x 500 draws): 0.1-0.6 s per fit for the Normal, Laplace and elastic-net
configurations (1-3 s for the horseshoe, whose funnels need long trajectories),
plus one compile of ~10 s per configuration.  The full run was stopped after
21.6 CPU-minutes with 14 of 15 configurations done and ``horseshoe-bernoulli``
part-way (it was then run with 50 simulations: 2.3 CPU-minutes), so budget
~30 CPU-minutes for all 15 at 200 simulations.  ``sampler="exact"`` takes
~80 ms per fit (mostly building ``idata_`` and diagnostics).

Design choices, each required for the test to be exact
------------------------------------------------------
* **Intercept.** The model's intercept has a flat (improper) prior, from which
  no true value can be drawn; SBC therefore fits ``fit_intercept=False`` with
  data simulated without an intercept.  (Drawing the intercept from a proper
  stand-in such as N(0, 1) while fitting under the flat prior would test a
  different posterior and bias the intercept's ranks.)
* **Learned sigma.** ``PosteriorRegressor(sigma=None)`` puts
  ``HalfNormal(sd(y))`` on sigma: a prior that depends on the data, so it is
  not a generative prior one can simulate from.  SBC draws
  ``sigma ~ HalfNormal(SIGMA_PRIOR_SCALE)`` and sets the model's
  ``sigma_prior_scale`` data to the same constant (the compiled graph is the
  library's own; only the value of that ``pm.Data`` changes), see
  :func:`fixed_sigma_prior_scale`.
* **Design matrix.** One X per configuration (SBC conditions on X), standard
  normal columns.
* **Bernoulli data with a single class** cannot be fitted; such simulations
  are redrawn.  Rejecting on a function of the data only leaves the ranks
  uniform (the posterior given y is unchanged by conditioning on an event of y).
* **Thinning.** From ``chains x draws`` posterior draws, L = ``RANK_DRAWS``
  evenly spaced draws are kept; with a bulk ESS >= L they are near-independent.
  Simulations whose min ESS < L are counted in the table (``low ESS``).
* **Test.** Ranks 0..L fall into ``BINS`` equal bins; chi-square test of
  uniformity per parameter.  A configuration has K parameters; it passes when
  the Bonferroni-adjusted min p-value, ``min(1, K * min p)``, exceeds
  ``ALPHA`` = 0.01.  With ~15 configurations per sampler, one false failure
  somewhere has probability ~14%, so a single marginal failure is examined
  (rerun with another seed) before it is read as a bug.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import time
import warnings

import arviz as az
import numpy as np

import bayesreg as br
from bayesreg.model.likelihoods import get_likelihood
from bayesreg.posterior import model as _model
from bayesreg.posterior import samplers as _samplers

from .sbc_ranks import ALPHA, BINS, RANK_DRAWS, RESULTS_DIR, rank_pvalue, summarize  # noqa: F401

SIGMA_FIXED = 1.0
SIGMA_PRIOR_SCALE = 1.0


@dataclasses.dataclass(frozen=True)
class Config:
    """One SBC configuration: a prior and a likelihood variant."""

    name: str
    prior: br.Prior
    likelihood: str  # "gaussian-fixed", "gaussian-learned", "bernoulli" or "poisson"
    n_samples: int
    n_features: int

    @property
    def family(self):
        """The likelihood object of the variant (its name before ``-fixed``/``-learned``)."""
        return get_likelihood(self.likelihood.split("-")[0])

    @property
    def sigma_learned(self):
        return self.likelihood.endswith("-learned")


PRIORS = {
    "normal": br.Normal(scale=1.0),
    "laplace": br.Laplace(scale=1.0),
    "elasticnet": br.ElasticNet(scale=1.0, l1_ratio=0.5),
    "laplace-hc": br.Laplace(scale=br.HalfCauchy(1.0)),
    "horseshoe": br.Horseshoe(global_scale=1.0),
    "horseshoeplus": br.HorseshoePlus(global_scale=1.0),
    "regularized-horseshoe": br.RegularizedHorseshoe(global_scale=1.0),
    # w | sigma ~ Laplace(sigma * 1) (Park & Casella): only with a likelihood that has a sigma
    "laplace-sigma": br.Laplace(scale=1.0, scale_by_sigma=True),
    # w | lambda, tau, sigma ~ N(0, sigma^2 tau^2 lambda^2) (Carvalho, Polson & Scott; Makalic & Schmidt)
    "horseshoe-sigma": br.Horseshoe(global_scale=1.0, scale_by_sigma=True),
}
LIKELIHOODS = {"gaussian-fixed": "gauss-fixed", "gaussian-learned": "gauss-learned", "bernoulli": "bernoulli",
               "poisson": "poisson"}


def all_configs():
    configs = []
    for prior_name, prior in PRIORS.items():
        for likelihood, short in LIKELIHOODS.items():
            if likelihood == "poisson" and prior_name in ("horseshoe", "laplace-hc"):
                continue  # heavy-tailed coefficients give exp(eta) beyond any count range
            if prior.scale_by_sigma and not get_likelihood(likelihood.split("-")[0]).has_sigma:
                continue  # nothing to scale by
            # a 0/1 label carries less information than a Gaussian y: more rows
            n = 40 if get_likelihood(likelihood.split("-")[0]).has_sigma else 100
            configs.append(Config(f"{prior_name}-{short}", prior, likelihood, n, 4))
    return {c.name: c for c in configs}


CONFIGS = all_configs()


# ------------------------------------------------------------------ drawing from the prior
def _half_cauchy(rng, beta, size=None):
    """Draws of ``HalfCauchy(beta)`` (the family's own sampler)."""
    return br.HalfCauchy(beta).sample(rng, size)


def _elastic_net(rng, scale, l1_ratio, size):
    """Exact draws from the elastic-net prior (the family's own sampler)."""
    return br.ElasticNet(scale, l1_ratio).sample(rng, size)


def draw_parameters(config, rng):
    """True parameters from the prior: ``coef`` and the hyperparameters the model samples."""
    coef, truth = config.prior.sample_prior(rng, config.n_features)
    if config.sigma_learned:
        truth["sigma"] = SIGMA_PRIOR_SCALE * abs(rng.standard_normal())
    if config.prior.scale_by_sigma:  # w | sigma ~ prior(sigma * scale): sigma times a draw at scale
        coef = coef * truth.get("sigma", SIGMA_FIXED)
    for j, c in enumerate(coef):
        truth[f"coef[{j}]"] = c
    return truth, coef


def simulate(config, X, coef, truth, rng):
    """y drawn from the configuration's likelihood at the true parameters."""
    return config.family.simulate(X @ coef, truth.get("sigma", SIGMA_FIXED), rng)


# ------------------------------------------------------------------ fitting
@contextlib.contextmanager
def fixed_sigma_prior_scale(scale):
    """Make ``sigma=None`` models use ``HalfNormal(scale)`` instead of ``HalfNormal(sd(y))``.

    Replaces ``bayesreg.posterior.model.sigma_prior_scale``, from which every
    sampler (NUTS through the ``pm.Data`` value, Gibbs directly) takes that
    scale; the graph (and its compiled form) is unchanged.
    """
    original = getattr(_model, "sigma_prior_scale", None)
    if original is None:
        raise RuntimeError(
            "bayesreg.posterior.model.sigma_prior_scale is gone; update "
            "validation.sbc.fixed_sigma_prior_scale to the new place the sigma prior is set."
        )
    _model.sigma_prior_scale = lambda y: float(scale)
    try:
        yield
    finally:
        _model.sigma_prior_scale = original


def make_estimator(config, sampler, draws, chains, seed):
    common = dict(
        fit_intercept=False, sampler=sampler, draws=draws, tune=draws, chains=chains,
        random_seed=seed, progressbar=False,
    )
    if config.family.is_classification:
        return br.PosteriorClassifier(config.prior, **common)
    if not config.family.has_sigma:  # e.g. Poisson: no noise scale
        return br.PosteriorRegressor(config.prior, likelihood=config.family.name, **common)
    sigma = None if config.sigma_learned else SIGMA_FIXED
    return br.PosteriorRegressor(config.prior, sigma=sigma, **common)


def posterior_draws(model, name):
    """Draws of ``name`` (``coef[j]`` or a scalar) as a (chain, draw) array."""
    post = model.idata_.posterior
    if name.startswith("coef["):
        return post["coef"].values[..., int(name[5:-1])]
    return post[name].values


def thin(draws, count):
    """``count`` evenly spaced draws of the chain-concatenated (chain, draw) array."""
    flat = draws.reshape(-1)
    return flat[np.linspace(0, flat.size - 1, count).round().astype(int)]


def run_config(config, *, simulations, sampler="nutpie", draws=500, chains=2, seed=0, rank_draws=RANK_DRAWS):
    """Run SBC for one configuration.

    Returns
    -------
    dict
        ``ranks`` (parameter -> list of ranks in 0..rank_draws), ``low_ess``
        (simulations with min bulk ESS < rank_draws), ``divergences`` (total),
        ``seconds``, ``fit_seconds`` and the compile counts of this run.
    """
    rng = np.random.default_rng([seed, sum(map(ord, config.name))])
    X = rng.standard_normal((config.n_samples, config.n_features))
    ranks, low_ess, divergences = {}, 0, 0
    before = dict(_samplers.compile_counts)
    start = time.perf_counter()
    fit_seconds = []
    context = (fixed_sigma_prior_scale(SIGMA_PRIOR_SCALE)
               if config.sigma_learned else contextlib.nullcontext())
    with context, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # diagnostics are recorded below, not warned per fit
        for i in range(simulations):
            while True:
                truth, coef = draw_parameters(config, rng)
                y = simulate(config, X, coef, truth, rng)
                if np.unique(y).size > 1:  # a classifier needs both labels
                    break
            model = make_estimator(config, sampler, draws, chains, seed=int(rng.integers(2**31)))
            t0 = time.perf_counter()
            model.fit(X, y)
            fit_seconds.append(time.perf_counter() - t0)
            ess = []
            for name, value in truth.items():
                values = posterior_draws(model, name)
                ess.append(float(az.ess(values[None] if values.ndim == 1 else values, method="bulk")))
                kept = thin(values, rank_draws)
                ranks.setdefault(name, []).append(int(np.sum(kept < value)))
            low_ess += min(ess) < rank_draws
            divergences += int(model.diagnostics_.get("divergences", 0) or 0)
    after = _samplers.compile_counts
    return {
        "config": config.name,
        "sampler": sampler,
        "simulations": simulations,
        "rank_draws": rank_draws,
        "draws": draws,
        "chains": chains,
        "seed": seed,
        "ranks": ranks,
        "low_ess": int(low_ess),
        "divergences": divergences,
        "seconds": time.perf_counter() - start,
        "fit_seconds_median": float(np.median(fit_seconds)),
        "compiles": {k: after[k] - before[k] for k in after},
    }


# ------------------------------------------------------------------ command line
def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--simulations", type=int, default=200)
    parser.add_argument("--sampler", default="nutpie")
    parser.add_argument("--configs", nargs="*", default=None, help=f"any of {sorted(CONFIGS)}")
    parser.add_argument("--draws", type=int, default=500, help="draws (and tuning steps) per chain")
    parser.add_argument("--chains", type=int, default=2)
    parser.add_argument("--seed", type=int, default=20261123)
    parser.add_argument("--report-only", action="store_true")
    args = parser.parse_args(argv)

    from .sbc_report import write_report  # matplotlib only for the report

    if not args.report_only:
        RESULTS_DIR.mkdir(exist_ok=True)
        path = RESULTS_DIR / f"sbc_{args.sampler}.json"
        stored = json.loads(path.read_text()) if path.exists() else {}
        for name in args.configs or list(CONFIGS):
            config = CONFIGS[name]
            try:
                result = run_config(config, simulations=args.simulations, sampler=args.sampler,
                                    draws=args.draws, chains=args.chains, seed=args.seed)
            except Exception as exc:  # e.g. a sampler that does not support this model
                result = {"config": name, "sampler": args.sampler, "error": f"{type(exc).__name__}: {exc}"}
                print(f"{name}: {result['error']}", flush=True)
            else:
                s = summarize(result)
                print(f"{name}: {result['simulations']} sims in {result['seconds']:.0f} s, "
                      f"adjusted p = {s['adjusted_p']:.3g} ({s['worst']}), "
                      f"{'pass' if s['passed'] else 'FAIL'}, compiles {result['compiles']}", flush=True)
            stored[name] = result
            path.write_text(json.dumps(stored, indent=1))
    write_report()


if __name__ == "__main__":
    main()
