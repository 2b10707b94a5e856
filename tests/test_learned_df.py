"""The Student-t likelihood with a learned degrees of freedom, ``StudentT(df=br.Gamma(a, b))``.

References, all independent of the code under test: quadrature of the df
conditionals (the slice sampler's stationary law), scipy.stats densities and
scipy.optimize from many starts (the joint mode of the MAP), uniform SBC ranks
(Talts et al. 2018), a simulation with known df, and NUTS on PyMC's own
Student-t density (Gibbs vs nutpie within Monte Carlo standard errors).
"""

import math
import warnings

import arviz as az
import numpy as np
import pytest
from scipy import integrate, optimize, stats

import bayesreg as br
from bayesreg.likelihoods import StudentT
from bayesreg.model._student_t_df import (
    df_conditional_mode,
    df_log_conditional,
    df_log_conditional_marginal,
)
from bayesreg.model.likelihoods import likelihood_from_dict, likelihood_to_dict
from bayesreg.posterior import _robust_sweeps
from bayesreg.posterior._slice import slice_sample
from bayesreg.posterior.model import ModelSpec

LEARNED = StudentT(df=br.Gamma(2.0, 0.1))


def _t_data(n, df, sigma=0.5, seed=0, p=3):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p))
    coef = np.array([1.0, -2.0, 0.5, 0.0, 0.0][:p])
    y = 1.0 + X @ coef + sigma * rng.standard_t(df, size=n)
    return X, y


# ------------------------------------------------------------------ the slice sampler
def _quadrature_law(log_density, lo, hi):
    """Normalised density on a fine grid by quadrature: (grid, cdf, mean)."""
    grid = np.exp(np.linspace(np.log(lo), np.log(hi), 4001))
    logp = np.array([log_density(x) for x in grid])
    dens = np.exp(logp - logp.max())
    total = integrate.trapezoid(dens, grid)
    cdf = integrate.cumulative_trapezoid(dens, grid, initial=0.0) / total
    return grid, cdf, integrate.trapezoid(grid * dens, grid) / total


@pytest.mark.parametrize("which", ["given_weights", "weights_integrated_out"])
def test_slice_sampler_leaves_the_df_conditional_invariant(which):
    """8000 slice updates of log df: mean and three quantiles' tail fractions within 4 MCSE of quadrature."""
    rng = np.random.default_rng(11)
    prior, n = br.Gamma(2.0, 0.1), 25
    if which == "given_weights":
        u = rng.gamma(2.0, 1.0 / 2.0, n)  # weights of df = 4
        s = float(np.sum(np.log(u) - u))

        def target(df):
            return float(df_log_conditional(df, n, s, prior))
    else:
        z = rng.standard_t(4.0, n)

        def target(df):
            return df_log_conditional_marginal(df, z, prior)

    grid, cdf, mean = _quadrature_law(target, 1e-3, 2e3)
    x, chain = math.log(10.0), np.empty(8000)
    for i in range(chain.size):
        x = slice_sample(lambda t: target(math.exp(t)) + t, x, rng)
        chain[i] = math.exp(x)
    ess = float(az.ess(chain[None, :]))
    assert abs(chain.mean() - mean) < 4 * chain.std() / math.sqrt(ess)
    for q in (0.1, 0.5, 0.9):
        below = chain < np.interp(q, cdf, grid)
        ess_q = float(az.ess(below[None, :].astype(float)))
        assert abs(below.mean() - q) < 4 * math.sqrt(q * (1 - q) / ess_q), q


# ------------------------------------------------------------------ the MAP: joint mode
def test_df_conditional_mode_is_the_grid_argmax():
    z = np.random.default_rng(2).standard_t(3.0, 80)
    grid = np.exp(np.linspace(np.log(0.05), np.log(500), 20001))
    objective = stats.t.logpdf(z[:, None], grid).sum(axis=0) + stats.gamma.logpdf(grid, 2, scale=10)
    assert df_conditional_mode(z, br.Gamma(2, 0.1)) == pytest.approx(grid[np.argmax(objective)], rel=1e-3)


def _joint_objective(theta, X, y, sigma, prior_scale, a, b):
    """-log posterior over (b0, w, log df) with scipy's densities (df's mode, no Jacobian)."""
    b0, w, df = theta[0], theta[1:-1], math.exp(theta[-1])
    nll = -np.sum(stats.t.logpdf(y, df, loc=b0 + X @ w, scale=sigma))
    return nll + np.sum(w**2) / (2 * prior_scale**2) - stats.gamma.logpdf(df, a, scale=1 / b)


@pytest.mark.parametrize("a, b", [(2.0, 0.1), (4.0, 1.0)])
def test_map_with_learned_df_is_the_joint_mode(a, b):
    """MAPRegressor's (coef, intercept, df_) minimise the joint objective: best of 20 scipy starts."""
    X, y = _t_data(80, 3.0, seed=4)
    y[:2] += 15.0  # gross outliers
    sigma, scale = 0.5, 2.0
    model = br.MAPRegressor(br.Normal(scale), likelihood=StudentT(df=br.Gamma(a, b)),
                            sigma=sigma).fit(X, y)
    rng = np.random.default_rng(0)
    best = None
    for _ in range(20):
        start = np.concatenate([[np.median(y)], rng.normal(0, 1, 3), [rng.uniform(0, 4)]])
        result = optimize.minimize(_joint_objective, start, args=(X, y, sigma, scale, a, b),
                                   method="BFGS", options={"gtol": 1e-9})
        if best is None or result.fun < best.fun:
            best = result
    ours = np.concatenate([[model.intercept_], model.coef_, [math.log(model.df_)]])
    assert _joint_objective(ours, X, y, sigma, scale, a, b) <= best.fun + 1e-7
    np.testing.assert_allclose(model.coef_, best.x[1:-1], atol=1e-4)
    assert model.df_ == pytest.approx(math.exp(best.x[-1]), rel=1e-3)


def test_map_with_learned_df_and_estimated_sigma():
    """sigma=None: the robust plug-in scale at the profile's df; df_ is the mode at that scale."""
    X, y = _t_data(200, 3.0, seed=5)
    model = br.MAPRegressor(br.Normal(10.0), likelihood=LEARNED).fit(X, y)
    assert 0.3 < model.sigma_ < 0.7 and 1.0 < model.df_ < 10.0
    resid = (y - model.predict(X)) / model.sigma_
    assert model.df_ == pytest.approx(df_conditional_mode(resid, LEARNED.df), rel=1e-6)


def test_a_refit_with_a_fixed_df_drops_the_learned_df_():
    """The last fit's df_ never outlives a refit whose likelihood learns no df."""
    X, y = _t_data(60, 3.0, seed=6)
    model = br.MAPRegressor(br.Normal(10.0), likelihood=LEARNED, sigma=0.5).fit(X, y)
    assert model.df_ > 0
    model.set_params(likelihood=StudentT(df=4.0)).fit(X, y)
    assert not hasattr(model, "df_")


# ------------------------------------------------------------------ input, save/load, repr
@pytest.mark.parametrize("df", [0, -1.0, np.nan, np.inf])
def test_bad_numeric_df_names_both_allowed_forms(df):
    with pytest.raises(ValueError, match=r"finite number > 0.*br\.Gamma"):
        StudentT(df=df)


@pytest.mark.parametrize("df", [br.HalfCauchy(1.0), br.HalfNormal(5.0), br.InverseGamma(2, 1)])
def test_a_df_prior_other_than_gamma_is_refused(df):
    with pytest.raises(TypeError, match=r"learned df takes a Gamma prior.*br\.Gamma\(a, b\)"):
        StudentT(df=df)


def test_a_bad_gamma_is_refused_by_gamma():
    with pytest.raises(ValueError, match="Gamma: a must be finite and > 0"):
        StudentT(df=br.Gamma(0.0, 0.1))


def test_learned_df_dict_and_repr_round_trip():
    data = likelihood_to_dict(LEARNED)
    assert data == {"type": "StudentT", "df": {"type": "Gamma", "a": 2.0, "b": 0.1}}
    assert likelihood_from_dict(data) == LEARNED
    assert eval(repr(LEARNED), {"StudentT": StudentT, "Gamma": br.Gamma}) == LEARNED
    assert LEARNED.learned_parameters == ("df",) and StudentT(3.0).learned_parameters == ()


def test_one_graph_for_every_gamma_prior_of_df():
    """The compiled-model key holds the structure; the Gamma's numbers are pm.Data."""
    def spec(likelihood):
        return ModelSpec.create(likelihood, br.Normal(1.0), None, True, ["a"])

    assert spec(LEARNED) == spec(StudentT(df=br.Gamma(3.0, 0.5)))
    assert spec(StudentT(3.0)) != spec(StudentT(4.0))
    assert spec(LEARNED) != spec(StudentT(3.0))


# ------------------------------------------------------------------ the posterior
def _gibbs(likelihood, **kwargs):
    params = {"sampler": "gibbs", "draws": 500, "tune": 300, "chains": 2, "random_seed": 1,
              "progressbar": False}
    params.update(kwargs)
    return br.PosteriorRegressor(br.Normal(10.0), likelihood=likelihood, **params)


def _quiet_fit(model, X, y):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a short chain may warn about its ESS
        return model.fit(X, y)


@pytest.fixture(scope="module")
def gibbs_fit():
    X, y = _t_data(150, 3.0, seed=6)
    return _quiet_fit(_gibbs(LEARNED), X, y), X, y


def test_gibbs_reports_df_and_its_map(gibbs_fit):
    model, _, _ = gibbs_fit
    assert model.idata_.posterior["df"].shape == (2, 500)
    table = model.summary()
    assert table.loc["df", "map"] == pytest.approx(model.map_.df_)
    assert float(az.ess(model.idata_, var_names=["df"])["df"]) > 100


def test_log_likelihood_uses_each_draws_df(gibbs_fit):
    """The pointwise log-likelihood equals scipy's t density at each draw's (coef, sigma, df)."""
    model, X, y = gibbs_fit
    loglik = model.compute_log_likelihood().log_likelihood["y"].values.reshape(-1, len(y))
    post = model.idata_.posterior
    coef = post["coef"].values.reshape(-1, 3)
    b0, sigma, df = (post[v].values.reshape(-1) for v in ("intercept", "sigma", "df"))
    for s in (0, 77, 999):
        expected = stats.t.logpdf(y, df[s], loc=b0[s] + X @ coef[s], scale=sigma[s])
        np.testing.assert_allclose(loglik[s], expected, rtol=1e-12)


def test_predictive_sd_and_interval_with_learned_df(gibbs_fit):
    model, X, _ = gibbs_fit
    post = model.idata_.posterior
    df, sigma = post["df"].values.reshape(-1), post["sigma"].values.reshape(-1)
    mean, sd = model.predict(X[:4], return_std=True)
    if np.any(df <= 2):  # a draw without a finite variance: the predictive sd does not exist
        assert np.all(np.isinf(sd))
    else:
        eta = model._draws("coef") @ X[:4].T + model._draws("intercept")[:, None]
        expected = np.sqrt(eta.var(axis=0) + np.mean(sigma**2 * df / (df - 2)))
        np.testing.assert_allclose(sd, expected, rtol=1e-10)
    lo, hi = model.predict_interval(X[:4], prob=0.9, random_state=0)
    assert np.all(lo < mean) and np.all(mean < hi)


def test_save_load_keeps_the_learned_df(gibbs_fit, tmp_path):
    model, _, _ = gibbs_fit
    model.save(tmp_path / "fit.nc")
    back = br.PosteriorRegressor.load(tmp_path / "fit.nc")
    assert back.likelihood == LEARNED
    np.testing.assert_array_equal(back.idata_.posterior["df"].values, model.idata_.posterior["df"].values)


def test_gibbs_recovers_a_known_df():
    """n = 400 rows of t_3 noise: the posterior mean of df within 3 posterior sds of 3."""
    X, y = _t_data(400, 3.0, seed=12)
    model = _quiet_fit(_gibbs(LEARNED, draws=1000, chains=2), X, y)
    df = model.idata_.posterior["df"].values.reshape(-1)
    assert abs(df.mean() - 3.0) < 3 * df.std()
    assert df.std() < 1.5  # informative: the prior's sd is 14


@pytest.mark.slow
@pytest.mark.parametrize("integrated_out", [True, False])
def test_gibbs_sbc_with_learned_df(integrated_out, monkeypatch):
    """SBC: df ~ Gamma(4, 1), coef ~ Normal(1), sigma 0.7, no intercept; 80 simulations, 5 bins."""
    monkeypatch.setattr(_robust_sweeps, "DF_WEIGHTS_INTEGRATED_OUT", integrated_out)
    rng = np.random.default_rng(21)
    n, p, sigma, prior_df = 30, 2, 0.7, br.Gamma(4.0, 1.0)
    X = rng.standard_normal((n, p))
    model = br.PosteriorRegressor(br.Normal(1.0), likelihood=StudentT(df=prior_df), sigma=sigma,
                                  sampler="gibbs", draws=300, tune=200, chains=1,
                                  fit_intercept=False, progressbar=False)
    rank_draws, ranks = 19, []
    for i in range(80):
        coef, df = rng.standard_normal(p), prior_df.sample(rng)
        y = X @ coef + sigma * rng.standard_t(df, n)
        _quiet_fit(model.set_params(random_seed=1000 + i), X, y)
        post = model.idata_.posterior
        draws = np.column_stack([post["coef"].values.reshape(-1, p), post["df"].values.reshape(-1)])
        kept = draws[np.linspace(0, len(draws) - 1, rank_draws).astype(int)]
        ranks.append((kept < np.append(coef, df)).sum(axis=0))
    edges = np.linspace(0, rank_draws + 1, 6)
    pvalues = [stats.chisquare(np.histogram(r, bins=edges)[0]).pvalue for r in np.array(ranks).T]
    assert min(pvalues) * len(pvalues) > 0.001, pvalues


@pytest.mark.slow
def test_gibbs_and_nutpie_agree_on_df_and_coef():
    """Same data (outliers), learned sigma and df: posterior means within 4.5 MCSE; then a new
    Gamma(a, b) refits on the same compiled model."""
    from bayesreg.posterior import samplers

    X, y = _t_data(80, 3.0, seed=9)
    y[:3] += 15.0
    fits = {}
    for sampler in ("gibbs", "nutpie"):
        model = _gibbs(LEARNED, sampler=sampler, draws=1500, tune=700, random_seed=8)
        fits[sampler] = _quiet_fit(model, X, y).idata_.posterior
    for name in ("coef", "intercept", "sigma", "df"):
        means = {s: fits[s][name].mean(("chain", "draw")).values for s in fits}
        mcse = {s: az.mcse(fits[s], var_names=[name])[name].values for s in fits}
        z = np.abs(means["gibbs"] - means["nutpie"]) / np.hypot(mcse["gibbs"], mcse["nutpie"])
        assert np.all(z < 4.5), (name, z)
    compiled = samplers.compile_counts["nutpie"]
    other = _gibbs(StudentT(df=br.Gamma(3.0, 0.5)), sampler="nutpie", draws=100, tune=100)
    _quiet_fit(other, X, y)
    assert samplers.compile_counts["nutpie"] == compiled
    assert "df" in other.idata_.posterior


def test_choose_scale_cv_scores_each_fold_at_its_own_map_df():
    """Held-out Student-t deviance (scipy) at each fold's MAP and df_, as a hand CV."""
    from sklearn.model_selection import KFold

    X, y = _t_data(90, 3.0, seed=13)
    scales, sigma = np.array([0.05, 0.5, 5.0]), 0.5
    choice = br.choose_scale(X, y, br.Normal(1.0), likelihood=LEARNED, sigma=sigma,
                             scales=scales, cv=3, random_seed=2)
    losses = np.empty((3, scales.size))
    for k, (train, test) in enumerate(KFold(3, shuffle=True, random_state=2).split(X)):
        for j, scale in enumerate(scales):
            fit = br.MAPRegressor(br.Normal(scale), likelihood=LEARNED, sigma=sigma).fit(X[train], y[train])
            losses[k, j] = -np.mean(stats.t.logpdf(y[test], fit.df_, loc=fit.predict(X[test]), scale=sigma))
    np.testing.assert_allclose(choice.details["cv_loss"], losses, rtol=1e-6)


def test_posterior_map_is_that_of_its_own_likelihood():
    """Regression: the MAP cache keyed on the likelihood too (a Gaussian fit's map_ was reused
    for a Student-t or learned-df fit of the same prior and data)."""
    X, y = _t_data(60, 3.0, seed=14)
    y[:2] += 10.0
    for likelihood in ("gaussian", StudentT(4.0), LEARNED):
        model = _quiet_fit(_gibbs(likelihood, sigma=0.5, draws=50, tune=50), X, y)
        reference = br.MAPRegressor(br.Normal(10.0), likelihood=likelihood, sigma=0.5).fit(X, y)
        np.testing.assert_allclose(model.map_.coef_, reference.coef_, rtol=1e-12)
