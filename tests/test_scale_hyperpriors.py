"""Gamma / InverseGamma hyperpriors of a prior scale, and the noise prior ``sigma_prior``.

Each new full conditional is checked against its density computed independently
(the prior density of the scale from scipy.stats, its Jacobian written out, the
likelihood terms of the mixture), normalised by quadrature: the draws must
follow that CDF (Kolmogorov-Smirnov). The compiled sweep must reproduce the
numpy sweep's numbers (its oracle, as in tests/test_gibbs_oracle.py).
"""

import warnings

import numpy as np
import pytest
from scipy import integrate, stats

import bayesreg as br
from bayesreg.model.likelihoods import get_likelihood
from bayesreg.model.registry import prior_from_dict, prior_to_dict
from bayesreg.posterior import _gibbs_kernel as kernel
from bayesreg.posterior import gibbs as gibbs_module
from bayesreg.posterior._conditionals import draw_variance
from bayesreg.posterior._gibbs_state import GibbsState, SweepWork
from bayesreg.posterior._mixtures import MIXTURES
from bayesreg.posterior._sweeps import SWEEPS


def _ks_against_density(draws, log_density, lo, hi):
    """KS p-value of ``draws`` against the density ``exp(log_density)`` normalised by quadrature on (lo, hi)."""
    grid = np.geomspace(lo, hi, 20001)
    logd = log_density(grid)
    dens = np.exp(logd - logd.max())
    cdf = integrate.cumulative_trapezoid(dens, grid, initial=0.0)
    cdf /= cdf[-1]
    return stats.kstest(draws, lambda x: np.interp(x, grid, cdf)).pvalue


# ------------------------------------------------------------------ the conditionals
@pytest.mark.parametrize("hyper", [br.Gamma(2.0, 3.0), br.InverseGamma(0.7, 0.4)], ids=repr)
def test_normal_prior_variance_conditional_is_the_quadrature_of_its_full_conditional(hyper):
    """Normal(scale=hyper): v = s^2 | w has density prod N(w_j; 0, v) x pi(v), pi from scipy with
    the Jacobian of v -> 1/v for the Gamma (on 1/s^2); drawn through the prior's own mixture."""
    w = np.array([0.3, -1.2, 0.05, 2.0])
    chains = 20000
    state = GibbsState(coef=np.tile(w, (chains, 1)), local=np.ones((chains, 4)), scale2=np.ones(chains),
                       xi=np.ones(chains), sigma2=np.ones(chains))
    prior = br.Normal(hyper)
    mixture = MIXTURES[prior.gibbs_mixture](prior, state, np.random.default_rng(0))
    mixture.update(state.coef, np.random.default_rng(1))
    if isinstance(hyper, br.Gamma):  # 1/v ~ Gamma(a, rate b): pi(v) = gamma.pdf(1/v) / v^2
        log_prior = lambda v: stats.gamma(hyper.a, scale=1 / hyper.b).logpdf(1 / v) - 2 * np.log(v)
    else:
        log_prior = stats.invgamma(hyper.a, scale=hyper.b).logpdf
    log_post = lambda v: stats.norm.logpdf(w[:, None], scale=np.sqrt(v)).sum(axis=0) + log_prior(v)
    assert _ks_against_density(state.scale2, log_post, 1e-4, 1e4) > 0.01


def test_park_casella_gamma_on_lambda_squared_is_the_quadrature_of_its_full_conditional():
    """Laplace(scale=Gamma(a, b)): given the exponential mixing variances tau_j^2 ~ Exp(rate
    1/(2 s^2)), lambda^2 = 1/s^2 has density prod Exp(tau_j^2) x Gamma(lambda^2; a, b), i.e.
    Gamma(a + p, b + sum tau^2 / 2) (Park & Casella 2008): checked on lambda^2 by quadrature."""
    a, b = 1.5, 0.8
    tau2 = np.array([0.4, 2.5, 0.01, 1.3, 0.7])
    chains = 20000
    state = GibbsState(coef=np.ones((chains, 5)), local=np.tile(tau2, (chains, 1)), scale2=np.ones(chains),
                       xi=np.ones(chains), sigma2=np.ones(chains))
    prior = br.Laplace(br.Gamma(a, b))
    mixture = MIXTURES[prior.gibbs_mixture](prior, state, np.random.default_rng(2))
    state.local[:] = tau2  # the mixture's own step: update_scale(p, sum tau^2 / 2)
    mixture.update_scale(5, 0.5 * state.local.sum(axis=1), np.random.default_rng(3))
    lam2 = 1.0 / state.scale2

    def log_post(l2):
        s2 = 1.0 / l2
        return (stats.expon(scale=2 * s2[None, :]).logpdf(tau2[:, None]).sum(axis=0)
                + stats.gamma(a, scale=1 / b).logpdf(l2))

    assert _ks_against_density(lam2, log_post, 1e-4, 1e3) > 0.01
    # and the closed form the docs state
    assert stats.kstest(lam2, stats.gamma(a + 5, scale=1 / (b + tau2.sum() / 2)).cdf).pvalue > 0.01


@pytest.mark.parametrize("sigma_prior", [br.InverseGamma(2.0, 1.5), br.Jeffreys(), br.HalfCauchy(0.8)],
                         ids=repr)
def test_noise_variance_conditional_is_the_quadrature_of_its_full_conditional(sigma_prior):
    """sigma^2 | w with k = dof/2, rate RSS/2: v^-k exp(-RSS/(2v)) times the prior of v
    (InverseGamma from scipy; Jeffreys 1/sigma -> 1/v; half-Cauchy of sigma with Jacobian 1/(2 sqrt v)).
    The half-Cauchy's auxiliary-variable chain is run 200 steps per chain first."""
    k, rss = 3.5, 4.2
    chains = 20000
    from bayesreg.posterior._noise_prior import NoiseVariance

    noise = NoiseVariance(sigma_prior, np.array([0.0, 1.0]), chains)
    rng = np.random.default_rng(4)
    v = np.ones(chains)
    for _ in range(200 if isinstance(sigma_prior, br.HalfCauchy) else 1):
        v = noise.draw(k, np.full(chains, rss / 2), rng, current=v)
    if isinstance(sigma_prior, br.InverseGamma):
        log_prior = stats.invgamma(2.0, scale=1.5).logpdf
    elif isinstance(sigma_prior, br.Jeffreys):
        log_prior = lambda v: -np.log(v)
    else:
        log_prior = lambda v: stats.halfcauchy(scale=0.8).logpdf(np.sqrt(v)) - 0.5 * np.log(v)
    log_post = lambda v: -k * np.log(v) - rss / (2 * v) + log_prior(v)
    assert _ks_against_density(v, log_post, 1e-3, 1e4) > 0.01


def test_draw_variance_by_class_name_takes_the_gamma_numbers():
    rng = np.random.default_rng(5)
    v, _ = draw_variance(2.0, np.full(20000, 1.0), "InverseGamma", (3.0, 0.5), None, rng)
    assert stats.kstest(v, stats.invgamma(5.0, scale=1.5).cdf).pvalue > 0.01


# ------------------------------------------------------------------ compiled == numpy
@pytest.mark.parametrize(
    "prior, sigma, sigma_prior",
    [(br.Laplace(br.Gamma(2.0, 1.0)), None, None), (br.Normal(br.InverseGamma(3.0, 2.0)), 1.0, None),
     (br.Laplace(0.5), None, br.InverseGamma(2.0, 1.0)), (br.Normal(br.Gamma(1.0, 1.0)), None, br.Jeffreys())],
    ids=["laplace-gamma", "normal-ig", "sigma-ig", "sigma-jeffreys"],
)
def test_the_compiled_sweep_reaches_the_numpy_sweeps_next_state(prior, sigma, sigma_prior):
    rng = np.random.default_rng(50)
    n, p = 30, 5
    X = rng.normal(size=(n, p))
    y = 1.0 + X[:, :2] @ np.array([1.5, -0.8]) + rng.normal(size=n)
    sweep = SWEEPS[get_likelihood("gaussian").gibbs_augmentation].build(X, y, sigma, True, 1, rng, sigma_prior)
    assert sweep.has_compiled_sweep
    state = GibbsState(coef=np.zeros((1, p)), local=np.ones((1, p)), scale2=np.ones(1), xi=np.ones(1),
                       sigma2=sweep.sigma2)
    mixture = MIXTURES[prior.gibbs_mixture](prior, state, rng)
    state.coef[:] = rng.normal(size=p)
    state.local[:] = np.exp(rng.uniform(-2, 2, p))
    compiled_state = GibbsState(*(a.copy() for a in state))
    data, codes = gibbs_module.chain_inputs(sweep, mixture)
    work = SweepWork.for_features(p)
    for step in range(20):
        gibbs_module.gibbs_sweep(sweep, mixture, np.random.default_rng([51, step]))
        kernel.gibbs_sweep(data, codes, compiled_state, np.random.default_rng([51, step]), work)
        for name, expected, actual in zip(GibbsState._fields, state, compiled_state):
            np.testing.assert_allclose(actual, expected, rtol=1e-10, atol=0, err_msg=f"{name}, sweep {step}")
        for a, b in zip(compiled_state, state):
            a[...] = b


def test_a_half_cauchy_noise_prior_runs_the_numpy_sweep():
    """The compiled sweep keeps no auxiliary variable of sigma: the half-Cauchy goes to numpy."""
    rng = np.random.default_rng(6)
    X, y = rng.normal(size=(20, 3)), rng.normal(size=20)
    sweep = SWEEPS[None].build(X, y, None, True, 2, rng, br.HalfCauchy(1.0))
    assert not sweep.has_compiled_sweep


def test_the_numpy_sweep_draws_each_chains_sigma_from_its_own_conditional():
    """Each chain's sigma^2 comes from its own residuals: two chains whose RSS differ by a
    factor 100 get sigma^2 draws a factor ~100 apart (a regression: all chains once took
    chain 0's draw)."""
    rng = np.random.default_rng(9)
    X, y = rng.normal(size=(200, 3)), rng.normal(size=200)
    sweep = SWEEPS[None].build(X, y, None, True, 2, rng, br.HalfCauchy(1.0))
    coef = np.zeros((2, 3))
    coef[1] = np.linalg.lstsq(X - X.mean(0), y - y.mean(), rcond=None)[0] + 10.0  # huge RSS
    rss = sweep.residual_sum_of_squares(coef)
    sweep.update_noise(coef, rng)
    ratio = sweep.sigma2[1] / sweep.sigma2[0]
    assert rss[1] / rss[0] > 50 and 0.5 * rss[1] / rss[0] < ratio < 2 * rss[1] / rss[0]


# ------------------------------------------------------------------ jeffreys: closed form
def test_jeffreys_gibbs_matches_the_closed_form_of_sigma_under_a_flat_prior():
    """Jeffreys' prior has no draws, so no SBC: instead, with a (practically) flat coefficient
    prior, sigma^2 | y ~ InvGamma((n - 1 - p)/2, RSS_ols / 2) exactly (intercept flat too).
    Posterior mean and the 10%/90% quantiles of sigma^2 within 4 Monte Carlo standard errors."""
    import arviz as az

    rng = np.random.default_rng(7)
    n, p = 25, 3
    X = rng.normal(size=(n, p))
    y = 0.5 + X @ np.array([1.0, -0.5, 0.2]) + 0.7 * rng.normal(size=n)
    Xc, yc = X - X.mean(0), y - y.mean()
    rss = float(np.sum((yc - Xc @ np.linalg.lstsq(Xc, yc, rcond=None)[0]) ** 2))
    exact = stats.invgamma((n - 1 - p) / 2, scale=rss / 2)
    model = br.PosteriorRegressor(br.Normal(1e4), sigma_prior=br.Jeffreys(), sampler="gibbs", draws=4000,
                                  tune=300, chains=2, random_seed=8, progressbar=False).fit(X, y)
    draws = (model.idata_.posterior["sigma"] ** 2).to_dataset(name="s2")
    s2 = draws["s2"].values
    mean_mcse = float(az.mcse(draws, method="mean")["s2"])
    assert abs(s2.mean() - exact.mean()) < 4 * mean_mcse
    for q in (0.1, 0.9):
        mcse = float(az.mcse(draws, method="quantile", prob=q)["s2"])
        assert abs(np.quantile(s2, q) - exact.ppf(q)) < 4 * mcse


# ------------------------------------------------------------------ round trips and checks
def test_repr_and_registry_round_trips():
    for prior in [br.Laplace(br.Gamma(2.0, 0.5)), br.Normal(br.InverseGamma(3.0, 1.0)),
                  br.ElasticNet(br.Gamma(1.0, 2.0), 0.3), br.Jeffreys()]:
        assert eval(repr(prior), vars(br)) == prior
        assert prior_from_dict(prior_to_dict(prior)) == prior


def test_prior_draws_of_the_scale_follow_the_stated_law():
    """sample_prior draws s with 1/s^2 ~ Gamma(a, rate b), resp. s^2 ~ InvGamma(a, b)."""
    rng = np.random.default_rng(9)
    gam = [br.Laplace(br.Gamma(2.0, 0.5)).sample_prior(rng, 2)[1]["scale"] for _ in range(3000)]
    assert stats.kstest(np.array(gam) ** -2, stats.gamma(2.0, scale=2.0).cdf).pvalue > 0.01
    ig = [br.Normal(br.InverseGamma(3.0, 1.0)).sample_prior(rng, 2)[1]["scale"] for _ in range(3000)]
    assert stats.kstest(np.array(ig) ** 2, stats.invgamma(3.0, scale=1.0).cdf).pvalue > 0.01


def test_jeffreys_is_refused_as_a_coefficient_scale_and_has_no_draws():
    with pytest.raises(ValueError, match="improper.*Use a proper hyperprior"):
        br.Laplace(br.Jeffreys())
    with pytest.raises(ValueError, match="improper"):
        br.Jeffreys().sample(np.random.default_rng(0))


def _data():
    rng = np.random.default_rng(10)
    X = rng.normal(size=(30, 3))
    return X, X @ np.array([1.0, 0.0, -0.5]) + rng.normal(size=30)


@pytest.mark.parametrize(
    "kwargs, match",
    [({"sigma": 1.0, "sigma_prior": br.Jeffreys()}, "fixes it.*sigma=None"),
     ({"likelihood": "poisson", "sigma_prior": br.HalfNormal(1.0)}, "no noise scale"),
     ({"sigma_prior": "halfnormal"}, "sigma_prior must be one of"),
     ({"sigma_prior": br.Normal(1.0)}, "sigma_prior must be one of")],
    ids=["fixed sigma", "poisson", "a string", "a coefficient prior"],
)
def test_bad_sigma_priors_are_refused_before_fitting(kwargs, match):
    X, y = _data()
    if kwargs.get("likelihood") == "poisson":
        y = np.random.default_rng(0).poisson(2.0, size=30).astype(float)
    model = br.PosteriorRegressor(br.Normal(1.0), sampler="gibbs", draws=10, tune=10, chains=1,
                                  progressbar=False, **kwargs)
    with pytest.raises((ValueError, TypeError), match=match):
        model.fit(X, y)
    assert not hasattr(model, "idata_")


def test_exact_with_a_half_cauchy_noise_prior_is_refused_and_auto_moves_on():
    from bayesreg.posterior.exact import exact_or_next

    X, y = _data()
    common = {"sigma_prior": br.HalfCauchy(1.0), "draws": 50, "tune": 50, "chains": 1,
              "progressbar": False, "random_seed": 0}
    with pytest.raises(ValueError, match="sampler='exact' has no closed form.*HalfCauchy.*another sigma_prior"):
        br.PosteriorRegressor(br.GPrior(g=30.0), sampler="exact", **common).fit(X, y)
    # the g-prior has no other sampler: "auto" is refused too, with the reason
    with pytest.raises(ValueError, match="sampler='auto' chose 'exact', which.*HalfCauchy.*another sigma_prior"):
        br.PosteriorRegressor(br.GPrior(g=30.0), sampler="auto", **common).fit(X, y)
    gaussian = get_likelihood("gaussian")
    assert exact_or_next("exact", "auto", br.GPrior(g=30.0), gaussian, br.Jeffreys(), "owner") == "exact"
    # a prior with other samplers moves on (a fixed-scale Normal offers exact, then gibbs)
    assert exact_or_next("exact", "auto", br.Normal(1.0), gaussian, br.HalfCauchy(1.0), "owner") == "gibbs"


def test_exact_g_prior_with_an_inverse_gamma_noise_prior_has_the_conjugate_sigma():
    """g-prior, sigma^2 ~ InvGamma(a, b): sigma^2 | y ~ InvGamma(dof/2 + a, S/2 + b), S as in
    g_prior_draws (y_c'y_c - g/(1+g) |X_c w_ols|^2), recomputed here from numpy least squares."""
    X, y = _data()
    g, a, b = 30.0, 3.0, 2.0
    Xc, yc = X - X.mean(0), y - y.mean()
    fitted = Xc @ np.linalg.lstsq(Xc, yc, rcond=None)[0]
    S = yc @ yc - g / (1 + g) * fitted @ fitted
    model = br.PosteriorRegressor(br.GPrior(g=g), sigma_prior=br.InverseGamma(a, b), sampler="exact",
                                  draws=4000, chains=1, random_seed=1, progressbar=False).fit(X, y)
    s2 = model.idata_.posterior["sigma"].values.ravel() ** 2
    assert stats.kstest(s2, stats.invgamma((30 - 1) / 2 + a, scale=S / 2 + b).cdf).pvalue > 0.01


def test_get_set_params_save_and_load_keep_the_sigma_prior(tmp_path):
    from sklearn.base import clone

    X, y = _data()
    model = br.PosteriorRegressor(br.Laplace(br.Gamma(2.0, 1.0)), sigma_prior=br.InverseGamma(2.0, 1.0),
                                  sampler="gibbs", draws=1000, tune=500, chains=2, random_seed=3,
                                  progressbar=False)
    assert model.get_params()["sigma_prior"] == br.InverseGamma(2.0, 1.0)
    assert clone(model).sigma_prior == br.InverseGamma(2.0, 1.0)
    model.set_params(sigma_prior=br.Jeffreys()).fit(X, y)
    summary = model.summary()
    assert "scale" in summary.index.astype(str).str.cat() and "sigma" in summary.index
    path = tmp_path / "fit.nc"
    model.save(path)
    loaded = br.PosteriorRegressor.load(path)
    assert loaded.sigma_prior == br.Jeffreys() and loaded.prior == br.Laplace(br.Gamma(2.0, 1.0))
    np.testing.assert_array_equal(loaded.coef_, model.coef_)
    # beside a MAP (at a fixed scale: a learned one has none), the table is made with a warning
    with pytest.warns(UserWarning, match="not of the same model"):
        comparison = br.compare(br.MAPRegressor(br.Laplace(1.0)).fit(X, y), model)
    assert len(comparison.table) == 3


def test_the_spike_and_slab_gibbs_refuses_a_sigma_prior():
    X, y = _data()
    model = br.PosteriorRegressor(br.SpikeAndSlab(), sigma_prior=br.Jeffreys(), sampler="gibbs",
                                  draws=10, tune=10, chains=1, progressbar=False)
    with pytest.raises(ValueError, match="default HalfNormal.*sigma_prior=None"):
        model.fit(X, y)


@pytest.mark.slow
def test_gibbs_and_nutpie_agree_under_a_gamma_hyperprior_and_an_inverse_gamma_noise_prior():
    """Laplace(scale=Gamma(2, 1)), sigma_prior=InverseGamma(3, 2): posterior means of scale,
    sigma and coef from Gibbs and nutpie within 4 combined Monte Carlo standard errors; a refit
    at other (a, b) reuses the compiled model (the numbers are pm.Data)."""
    import arviz as az

    from bayesreg.posterior import samplers

    rng = np.random.default_rng(20)
    X = rng.normal(size=(40, 3))
    y = X @ np.array([1.0, 0.0, -0.5]) + rng.normal(size=40)
    prior, noise = br.Laplace(br.Gamma(2.0, 1.0)), br.InverseGamma(3.0, 2.0)
    fits = {}
    for sampler in ("gibbs", "nutpie"):
        fits[sampler] = br.PosteriorRegressor(prior, sigma_prior=noise, sampler=sampler, draws=2000, tune=1000,
                                              chains=2, random_seed=21, progressbar=False).fit(X, y)
    for name in ("scale", "sigma", "coef"):
        means = {s: fits[s].idata_.posterior[name].mean(("chain", "draw")).values for s in fits}
        mcse = {s: az.mcse(fits[s].idata_.posterior[[name]], method="mean")[name].values for s in fits}
        bound = 4 * np.sqrt(mcse["gibbs"] ** 2 + mcse["nutpie"] ** 2)
        assert np.all(np.abs(means["gibbs"] - means["nutpie"]) < bound), (name, means, bound)
    before = samplers.compile_counts["nutpie"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # few draws: only the compile count matters here
        br.PosteriorRegressor(br.Laplace(br.Gamma(3.0, 0.5)), sigma_prior=br.InverseGamma(2.0, 1.0),
                              sampler="nutpie", draws=200, tune=200, chains=1, random_seed=22,
                              progressbar=False).fit(X, y)
    assert samplers.compile_counts["nutpie"] == before


@pytest.mark.parametrize("prior, name, reference", [
    (br.Laplace(br.Gamma(2.0, 0.5)), "scale", lambda s: stats.gamma(2.0, scale=2.0).sf(s ** -2.0)),
    (br.Normal(br.InverseGamma(3.0, 1.0)), "scale", lambda s: stats.invgamma(3.0, scale=1.0).cdf(s ** 2)),
], ids=["gamma", "inverse-gamma"])
def test_the_pymc_scale_variable_has_the_stated_law(prior, name, reference):
    """Prior draws of the model's "scale" Deterministic (pm.draw) against scipy: P(S <= s) is
    P(1/S^2 >= 1/s^2) under the Gamma, P(S^2 <= s^2) under the inverse gamma."""
    import pymc as pm

    from bayesreg.posterior.model import ModelSpec, build_model, model_data

    X, y = _data()
    spec = ModelSpec.create("gaussian", prior, None, True, ["a", "b", "c"], sigma_prior=br.InverseGamma(2.0, 3.0))
    model = build_model(spec, model_data(spec, prior, None, X, y))
    scale, sigma = pm.draw([model[name], model["sigma"]], draws=3000, random_seed=1)
    assert stats.kstest(scale, lambda s: reference(np.asarray(s))).pvalue > 0.01
    assert stats.kstest(sigma**2, stats.invgamma(2.0, scale=3.0).cdf).pvalue > 0.01
