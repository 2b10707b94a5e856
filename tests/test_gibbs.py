"""sampler="gibbs": against closed forms, the NUTS posterior of the same model, and known moments.

Tolerances are in Monte Carlo standard errors, as in test_posterior.py: a
difference beyond K_MCSE = 4 combined MCSE has probability ~6e-5 per
comparison if both samplers are right; fixed seeds make every test deterministic.
"""

import arviz as az
import numpy as np
import pytest
from scipy import stats

import bayesreg as br
from bayesreg.posterior._conditionals import draw_variance
from bayesreg.posterior.gibbs import _draw_gaussian_bhattacharya

from .conftest import SIGMA_DIABETES
from .test_posterior import K_MCSE, assert_matches, closed_form, mcse_mean, mcse_sd


def gibbs(prior, **kwargs):
    kwargs.setdefault("progressbar", False)
    return br.PosteriorRegressor(prior, sampler="gibbs", **kwargs)


def assert_same_posterior(a, b, var_names):
    """Posterior mean and sd of each variable agree within K_MCSE combined MCSE."""
    for name in var_names:
        da, db = (m.idata_.posterior[name].values for m in (a, b))
        da, db = (d.reshape(*d.shape[:2], -1) for d in (da, db))
        diff_mean = np.abs(da.mean(axis=(0, 1)) - db.mean(axis=(0, 1)))
        diff_sd = np.abs(da.std(axis=(0, 1)) - db.std(axis=(0, 1)))
        assert np.all(diff_mean < K_MCSE * np.hypot(mcse_mean(da), mcse_mean(db))), name
        assert np.all(diff_sd < K_MCSE * np.hypot(mcse_sd(da), mcse_sd(db))), name


# ------------------------------------------------------------------ closed forms
def test_normal_prior_matches_closed_form(small_gaussian):
    X, y = small_gaussian
    model = gibbs(br.Normal(1.0), sigma=1.0, draws=2000, random_seed=1).fit(X, y)
    assert_matches(model, *closed_form(X, y, 1.0, 1.0))


def test_p_greater_than_n_draws_match_closed_form(wide_problem):
    """The Bhattacharya et al. path (n = 40 < p = 120), end to end."""
    X, y, _ = wide_problem
    model = gibbs(br.Normal(0.5), sigma=1.0, draws=1500, random_seed=2).fit(X, y)
    assert_matches(model, *closed_form(X, y, 0.5, 1.0))


def test_bhattacharya_draw_has_the_target_mean_and_covariance():
    """One step, many chains: sample mean and covariance vs the formula (batched chains)."""
    rng = np.random.default_rng(3)
    n, p, chains = 5, 8, 40000
    phi, alpha, variances = rng.normal(size=(n, p)), rng.normal(size=n), rng.uniform(0.2, 2.0, p)
    draws = _draw_gaussian_bhattacharya(
        np.broadcast_to(phi, (chains, n, p)), np.broadcast_to(alpha, (chains, n)),
        np.broadcast_to(variances, (chains, p)), rng,
    )
    cov = np.linalg.inv(phi.T @ phi + np.diag(1 / variances))
    mean = cov @ phi.T @ alpha
    sd = np.sqrt(np.diag(cov))
    assert np.all(np.abs(draws.mean(axis=0) - mean) < K_MCSE * sd / np.sqrt(chains))
    # sample covariance entries: sd of the estimate of cov_ij is sqrt((cov_ii cov_jj + cov_ij^2) / N)
    se_cov = np.sqrt((np.outer(sd**2, sd**2) + cov**2) / chains)
    assert np.all(np.abs(np.cov(draws.T) - cov) < K_MCSE * se_cov)


# ------------------------------------------------------------------ the same model as NUTS
@pytest.mark.slow
def test_laplace_matches_nuts_on_diabetes(diabetes, laplace_posterior):
    X, y = diabetes
    model = gibbs(br.Laplace(1.0), sigma=SIGMA_DIABETES, draws=2500, random_seed=4).fit(X, y)
    assert_same_posterior(model, laplace_posterior, ["coef", "intercept"])
    assert model.diagnostics_["divergences"] == 0 and "sample_stats" not in model.idata_.groups()


@pytest.mark.slow
def test_learned_scale_and_sigma_match_nuts_on_diabetes(diabetes, hierarchical_lasso_posterior):
    X, y = diabetes
    model = gibbs(br.Laplace(scale=br.HalfCauchy(1.0)), draws=2500, random_seed=5).fit(X, y)
    assert_same_posterior(model, hierarchical_lasso_posterior, ["coef", "intercept", "sigma", "scale"])
    post = model.idata_.posterior  # alpha is the Lasso alpha of each draw, as in the PyMC model
    np.testing.assert_allclose(post["alpha"], post["sigma"] ** 2 / (len(y) * post["scale"]), rtol=1e-12)


@pytest.mark.slow
@pytest.mark.parametrize("prior", [br.Horseshoe(1.0), br.Normal(br.HalfNormal(1.0)), br.Laplace(br.HalfNormal(1.0))],
                         ids=repr)
def test_hierarchical_priors_match_nuts(small_gaussian, prior):
    X, y = small_gaussian
    common = dict(draws=3000, random_seed=6, progressbar=False)
    model = gibbs(prior, **common).fit(X, y)
    reference = br.PosteriorRegressor(prior, sampler="nutpie", target_accept=0.99, **common)
    with _maybe_divergences():
        reference.fit(X, y)
    names = ["coef", "intercept", "sigma"] + (["scale"] if "scale" in model.idata_.posterior else [])
    assert_same_posterior(model, reference, names)


class _maybe_divergences:
    """Ignore SamplingWarnings of a reference fit (NUTS divergences on the horseshoe funnel,
    low ESS of a slow reference sampler); the comparisons are in MCSE of its actual ESS."""

    def __enter__(self):
        import warnings

        self._catch = warnings.catch_warnings()
        self._catch.__enter__()
        warnings.simplefilter("ignore", br.SamplingWarning)

    def __exit__(self, *exc):
        return self._catch.__exit__(*exc)


@pytest.mark.slow
@pytest.mark.parametrize("prior", [br.Normal(3.0), br.Laplace(1.0)], ids=repr)
def test_logistic_matches_nuts(prior):
    rng = np.random.default_rng(7)
    X = rng.normal(size=(200, 4))
    y = rng.uniform(size=200) < 1 / (1 + np.exp(-(-0.5 + X @ np.array([1.0, -1.0, 0.5, 0.0]))))
    common = dict(draws=2000, random_seed=8, progressbar=False)
    model = br.PosteriorClassifier(prior, sampler="gibbs", **common).fit(X, y)
    reference = br.PosteriorClassifier(prior, sampler="nutpie", **common).fit(X, y)
    assert_same_posterior(model, reference, ["coef", "intercept"])


@pytest.mark.slow
def test_logistic_p_greater_than_n_matches_nuts():
    """The intercept-then-Bhattacharya path of the Polya-Gamma sampler (n = 30 < p = 40)."""
    rng = np.random.default_rng(9)
    X = rng.normal(size=(30, 40))
    y = rng.uniform(size=30) < 1 / (1 + np.exp(-2 * X[:, 0]))
    common = dict(draws=2000, random_seed=10, progressbar=False)
    model = br.PosteriorClassifier(br.Normal(1.0), sampler="gibbs", **common).fit(X, y)
    reference = br.PosteriorClassifier(br.Normal(1.0), sampler="nutpie", **common).fit(X, y)
    assert_same_posterior(model, reference, ["coef", "intercept"])


@pytest.mark.slow
def test_horseshoe_samples_diabetes_without_divergences_or_warnings(diabetes):
    """Issue 3's horseshoe target: the same model NUTS leaves ~0.5% divergences on
    (test_posterior.py) is sampled by Gibbs with R-hat < 1.01 and ESS > 400
    (a SamplingWarning would fail this test: warnings are errors)."""
    X, y = diabetes
    model = gibbs(br.Horseshoe(global_scale=1.0), draws=3000, random_seed=12).fit(X, y)
    assert model.diagnostics_["max_r_hat"] < 1.01 and model.diagnostics_["min_ess_bulk"] > 400
    assert {"coef", "intercept", "sigma", "tau", "lambda"} == set(model.idata_.posterior.data_vars)


@pytest.mark.slow
def test_collapsed_tau_step_samples_the_same_horseshoe_posterior(monkeypatch):
    """p > n: tau by Metropolis with w integrated out vs the plain tau | w conditional
    (two exact samplers of one posterior, written independently)."""
    from bayesreg.posterior import gibbs as gibbs_module

    rng = np.random.default_rng(17)
    X = rng.normal(size=(20, 30))
    y = X[:, :2] @ np.array([2.0, -1.5]) + rng.normal(size=20)
    common = dict(sigma=1.0, draws=4000, random_seed=18)
    collapsed = gibbs(br.Horseshoe(1.0), **common).fit(X, y)
    monkeypatch.setattr(gibbs_module, "COLLAPSED_TAU", False)
    with _maybe_divergences():  # the plain update mixes tau slowly: low-ESS warnings expected
        plain = gibbs(br.Horseshoe(1.0), **common).fit(X, y)
    assert_same_posterior(collapsed, plain, ["coef", "intercept", "tau"])
    # ... which is why the collapsed step exists: tau's ESS, collapsed vs plain
    ess = [float(az.ess(m.idata_.posterior["tau"].values)) for m in (collapsed, plain)]
    assert ess[0] > 2 * ess[1], ess


@pytest.mark.slow
def test_numpy_sweep_matches_the_compiled_sweep_on_the_horseshoe(small_gaussian, monkeypatch):
    """Two implementations of the horseshoe Gibbs sampler: the compiled n >= p kernel
    (Makalic & Schmidt auxiliaries) and the numpy sweep (exact lambda | w draws, forced
    here on the same n >= p data), sigma learned."""
    from bayesreg.posterior import gibbs as gibbs_module

    X, y = small_gaussian
    compiled = gibbs(br.Horseshoe(1.0), draws=4000, random_seed=23).fit(X, y)
    monkeypatch.setattr(gibbs_module, "_compiled_sweep_applies", lambda *args: False)
    vectorised = gibbs(br.Horseshoe(1.0), draws=4000, random_seed=24).fit(X, y)
    assert_same_posterior(compiled, vectorised, ["coef", "intercept", "sigma", "tau"])


def test_horseshoe_local_precision_draws_follow_their_density():
    """eta = 1/lambda^2 | m has density exp(-m eta) / (1 + eta): KS test against its CDF by quadrature."""
    from scipy import integrate

    from bayesreg.posterior._conditionals import draw_horseshoe_local_precision

    rng = np.random.default_rng(25)
    for m in (1e-4, 0.05, 0.9, 1.1, 40.0):
        draws = draw_horseshoe_local_precision(np.full(4000, m), rng)
        density = lambda e, m=m: np.exp(-m * e) / (1 + e)  # noqa: E731
        total = integrate.quad(density, 0, np.inf)[0]
        cdf = np.vectorize(lambda x: integrate.quad(density, 0, x)[0] / total)
        assert stats.kstest(draws, cdf).pvalue > 1e-3, m


# ------------------------------------------------------------------ building blocks
def test_halfnormal_variance_conditional_is_the_generalised_inverse_gaussian():
    """v^-k exp(-b/v) exp(-v/(2 beta^2)) v^-1/2 is GIG(-(k-1/2), chi=2b, psi=1/beta^2): KS test."""
    rng = np.random.default_rng(13)
    k, b, beta = 3.0, 2.0, 0.7
    v, _ = draw_variance(k, np.full(20000, b), "HalfNormal", beta, None, rng)
    chi, psi = 2 * b, 1 / beta**2
    reference = stats.geninvgauss(-(k - 0.5), np.sqrt(chi * psi), scale=np.sqrt(chi / psi))
    assert stats.kstest(v, reference.cdf).pvalue > 1e-3


def test_halfcauchy_variance_conditional_is_inverse_gamma():
    """Given the auxiliary xi, v | xi is InvGamma(k + 1/2, b + 1/xi): KS test."""
    rng = np.random.default_rng(14)
    k, b, xi = 2.5, 1.5, 0.8
    v, _ = draw_variance(k, np.full(20000, b), "HalfCauchy", 1.0, np.full(20000, xi), rng)
    assert stats.kstest(v, stats.invgamma(k + 0.5, scale=b + 1 / xi).cdf).pvalue > 1e-3


def test_polya_gamma_draws_have_the_known_mean_and_variance():
    """PG(1, z): mean tanh(z/2)/(2z), variance (sinh z - z) / (4 z^3 cosh^2(z/2))."""
    from polyagamma import random_polyagamma

    rng = np.random.default_rng(15)
    for z in (0.3, 2.0, 7.5):
        draws = random_polyagamma(1.0, np.full(40000, z), random_state=rng)
        mean, var = np.tanh(z / 2) / (2 * z), (np.sinh(z) - z) / (4 * z**3 * np.cosh(z / 2) ** 2)
        assert abs(draws.mean() - mean) < K_MCSE * np.sqrt(var / draws.size)
        # sd of a sample variance ~ var * sqrt(2 / N) (PG tails are light enough for this)
        assert abs(draws.var() - var) < 2 * K_MCSE * var * np.sqrt(2 / draws.size)


# ------------------------------------------------------------------ estimator contract
def test_same_seed_gives_identical_draws_and_idata_groups(small_gaussian):
    X, y = small_gaussian
    a = gibbs(br.Laplace(1.0), draws=500, random_seed=16, log_likelihood=True).fit(X, y)
    b = gibbs(br.Laplace(1.0), draws=500, random_seed=16, log_likelihood=True).fit(X, y)
    np.testing.assert_array_equal(a.idata_.posterior["coef"], b.idata_.posterior["coef"])
    assert {"posterior", "observed_data", "constant_data", "log_likelihood"} <= set(a.idata_.groups())
    assert list(a.summary().index[:2]) == ["intercept", "coef[x0]"]


def test_gibbs_rejects_a_prior_without_a_scheme_with_advice(small_gaussian):
    """(The elastic net, the example here before it had a scheme, is in test_elastic_net_gibbs.py.)"""
    X, y = small_gaussian
    with pytest.raises(ValueError, match="sampler='nutpie'"):
        gibbs(br.RegularizedHorseshoe(1.0), sigma=1.0).fit(X, y)


def test_gibbs_refuses_the_logistic_horseshoe_that_fails_calibration(small_gaussian):
    X, y = small_gaussian
    with pytest.raises(ValueError, match="fails simulation-based calibration"):
        br.PosteriorClassifier(br.Horseshoe(1.0), sampler="gibbs").fit(X, y > np.median(y))


def test_compiled_halfnormal_variance_falls_back_to_metropolis_far_in_the_tail():
    """When the InvGamma proposal is all but always rejected (b/k >> beta^2), the compiled
    sweep must not loop forever: its Metropolis fallback keeps the same GIG conditional
    (checked by a KS test on a thinned chain of fallback steps)."""
    from bayesreg.posterior import _gibbs_kernel as kernel

    rng = np.random.default_rng(19)
    k, b, beta = 3.0, 1e4, 1.0  # acceptance ~ exp(-b / k / 2 / beta^2) = exp(-1667)
    v, _ = kernel._variance(rng, k, b, kernel.HALF_NORMAL, beta, 1.0, 50.0)
    assert np.isfinite(v) and v > 0
    chain, value = [], 50.0
    for _ in range(3000):
        value = kernel._metropolis_variance(rng, k, b, beta, value)
        chain.append(value)
    reference = stats.geninvgauss(-(k - 0.5), np.sqrt(2 * b / beta**2), scale=np.sqrt(2 * b * beta**2))
    assert stats.kstest(chain[500::5], reference.cdf).pvalue > 1e-3


def test_one_sample_with_learned_sigma_draws_sigma_from_its_prior():
    """n = 1 with an intercept: no residual informs sigma, so its posterior is the
    HalfNormal prior (scale 1 for a constant y): KS test of the draws."""
    model = gibbs(br.Normal(1.0), draws=1000, random_seed=20)
    with pytest.warns(UserWarning, match="MAP of the same model could not be fitted"):
        model.fit([[1.0, 2.0]], [3.0])
    sigma = model.idata_.posterior["sigma"].values.ravel()
    assert stats.kstest(sigma, stats.halfnorm(scale=1.0).cdf).pvalue > 1e-3


def test_classifier_map_keeps_the_users_labels():
    rng = np.random.default_rng(21)
    X = rng.normal(size=(80, 2))
    y = np.where(X[:, 0] + rng.normal(size=80) > 0, "yes", "no")
    model = br.PosteriorClassifier(br.Normal(1.0), sampler="gibbs", draws=500, random_seed=22,
                                   progressbar=False).fit(X, y)
    np.testing.assert_array_equal(model.map_.classes_, model.classes_)
    reference = br.MAPClassifier(br.Normal(1.0)).fit(X, y)
    np.testing.assert_array_equal(model.map_.predict(X), reference.predict(X))
