"""Priors scaled by sigma: ``w_j | sigma ~ prior(sigma * scale)`` (Park & Casella 2008).

Independent references: scikit-learn at the alpha derived by hand in each test
(docs/maths.md, "Priors scaled by sigma"), the closed-form Gaussian posterior,
simulation-based calibration, and a grid of the joint posterior density.
"""

import warnings

import numpy as np
import pytest
from scipy import stats
from sklearn.linear_model import ElasticNet, Lasso, Ridge

import bayesreg as br
from bayesreg.posterior.gibbs import check_gibbs

N, P = 60, 4


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(7)
    X = rng.standard_normal((N, P))
    y = 1.0 + X @ np.array([1.5, 0.0, -0.7, 0.2]) + 0.8 * rng.standard_normal(N)
    return X, y


# ---------------------------------------------------------------- the prior object
@pytest.mark.parametrize("prior", [br.Normal(0.5, scale_by_sigma=True), br.Laplace(2.0, scale_by_sigma=True),
                                   br.ElasticNet(0.3, 0.25, scale_by_sigma=True),
                                   br.Laplace(br.HalfCauchy(1.0), scale_by_sigma=True)], ids=repr)
def test_repr_round_trips_and_the_flag_enters_equality(prior):
    namespace = {"Normal": br.Normal, "Laplace": br.Laplace, "ElasticNet": br.ElasticNet,
                 "HalfCauchy": br.HalfCauchy}
    assert "scale_by_sigma=True" in repr(prior)
    assert eval(repr(prior), namespace) == prior
    today = type(prior)(**{k: v for k, v in vars(prior).items() if k != "scale_by_sigma"})
    assert today != prior and "scale_by_sigma" not in repr(today)  # today's form, today's repr


def test_default_is_todays_form():
    assert br.Laplace(1.0).scale_by_sigma is False
    assert repr(br.ElasticNet(1.0, 0.5)) == "ElasticNet(scale=1.0, l1_ratio=0.5)"
    assert br.Horseshoe(1.0).scale_by_sigma is False  # a family without the choice


def test_flag_must_be_a_bool():
    with pytest.raises(TypeError, match="scale_by_sigma must be True"):
        br.Laplace(1.0, scale_by_sigma="yes")


def test_given_sigma_is_the_family_at_sigma_times_scale():
    w = np.linspace(-3, 3, 13)
    sigma = 2.5
    for scaled, reference in [
        (br.Laplace(0.4, scale_by_sigma=True), stats.laplace(scale=sigma * 0.4)),
        (br.Normal(0.4, scale_by_sigma=True), stats.norm(scale=sigma * 0.4)),
    ]:
        np.testing.assert_allclose(scaled.given_sigma(sigma).logpdf(w), reference.logpdf(w), rtol=1e-12)
    assert br.Laplace(0.4).given_sigma(sigma) == br.Laplace(0.4)  # today's form ignores sigma
    with pytest.raises(ValueError, match="noise scale sigma"):
        br.Laplace(0.4, scale_by_sigma=True).given_sigma(None)


# ---------------------------------------------------------------- the mapping and the MAP
def test_scaled_laplace_is_sklearn_lasso_at_alpha_sigma_over_n_s(data):
    X, y = data
    s, sigma = 0.05, 0.9
    prior = br.Laplace(s, scale_by_sigma=True)
    # |r|^2/(2 sigma^2) + |w|_1/(sigma s), times sigma^2/n: alpha = sigma/(n s)
    alpha = sigma / (N * s)
    assert br.to_penalty(prior, n_samples=N, sigma=sigma) == pytest.approx({"estimator": "Lasso", "alpha": alpha})
    ours = br.MAPRegressor(prior, sigma=sigma).fit(X, y)
    sk = Lasso(alpha=alpha, tol=1e-12, max_iter=100_000).fit(X, y)
    np.testing.assert_allclose(ours.coef_, sk.coef_, atol=1e-6)
    assert ours.intercept_ == pytest.approx(sk.intercept_, abs=1e-6)
    assert ours.penalty_["alpha"] == pytest.approx(alpha, rel=1e-12)


def test_scaled_normal_ridge_alpha_is_free_of_sigma(data):
    X, y = data
    t = 0.3
    prior = br.Normal(t, scale_by_sigma=True)
    # |r|^2/(2 sigma^2) + |w|^2/(2 sigma^2 t^2), times 2 sigma^2: Ridge alpha = 1/t^2
    assert br.to_penalty(prior, n_samples=N) == pytest.approx({"estimator": "Ridge", "alpha": 1 / t**2})
    sk = Ridge(alpha=1 / t**2).fit(X, y)
    for sigma in (0.1, 3.0):
        assert br.to_penalty(prior, n_samples=N, sigma=sigma)["alpha"] == pytest.approx(1 / t**2, rel=1e-12)
        ours = br.MAPRegressor(prior, sigma=sigma).fit(X, y)
        np.testing.assert_allclose(ours.coef_, sk.coef_, atol=1e-8)


def test_scaled_elastic_net_maps_with_its_l1_part_linear_in_sigma(data):
    X, y = data
    s, r, sigma = 0.2, 0.6, 0.7
    prior = br.ElasticNet(s, r, scale_by_sigma=True)
    # penalty r|w|/(sigma s) + (1-r) w^2/(2 sigma^2 s^2), times sigma^2/n:
    l1, l2 = sigma * r / (N * s), (1 - r) / (N * s**2)
    alpha, ratio = l1 + l2, l1 / (l1 + l2)
    mapped = br.to_penalty(prior, n_samples=N, sigma=sigma)
    assert mapped == pytest.approx({"estimator": "ElasticNet", "alpha": alpha, "l1_ratio": ratio})
    ours = br.MAPRegressor(prior, sigma=sigma).fit(X, y)
    sk = ElasticNet(alpha=alpha, l1_ratio=ratio, tol=1e-12, max_iter=100_000).fit(X, y)
    np.testing.assert_allclose(ours.coef_, sk.coef_, atol=1e-6)


def test_from_penalty_gives_back_the_scaled_prior():
    sigma = 1.7
    for prior, kind, params in [
        (br.Laplace(0.05, scale_by_sigma=True), "Lasso", {"alpha": sigma / (N * 0.05)}),
        (br.Normal(0.3, scale_by_sigma=True), "Ridge", {"alpha": 1 / 0.3**2}),
    ]:
        back = br.from_penalty(kind, n_samples=N, sigma=sigma, scale_by_sigma=True, **params)
        assert back.scale_by_sigma and back.scale == pytest.approx(prior.scale, rel=1e-12)
    # ridge needs no sigma; the lasso does
    assert br.from_penalty("Ridge", alpha=4.0, scale_by_sigma=True) == br.Normal(0.5, scale_by_sigma=True)
    with pytest.raises(ValueError, match="sigma"):
        br.from_penalty("Lasso", n_samples=N, alpha=0.1, scale_by_sigma=True)
    with pytest.raises(ValueError, match="sigma is required"):
        br.to_penalty(br.Laplace(0.1, scale_by_sigma=True), n_samples=N)


def test_map_with_estimated_sigma_applies_the_noise_rule_then_the_mapping(data):
    X, y = data
    s = 0.05
    sigma = br.estimate_sigma(X, y)  # the rule does not depend on the prior
    model = br.MAPRegressor(br.Laplace(s, scale_by_sigma=True)).fit(X, y)
    assert model.sigma_ == pytest.approx(sigma, rel=1e-12)
    sk = Lasso(alpha=sigma / (N * s), tol=1e-12, max_iter=100_000).fit(X, y)
    np.testing.assert_allclose(model.coef_, sk.coef_, atol=1e-6)


def test_likelihoods_without_sigma_refuse_a_scaled_prior(data):
    X, y = data
    prior = br.Laplace(1.0, scale_by_sigma=True)
    with pytest.raises(ValueError, match="scale_by_sigma=False"):
        br.MAPClassifier(prior).fit(X, y > 1.0)
    with pytest.raises(ValueError, match="scale_by_sigma=False"):
        br.to_penalty(prior, likelihood="bernoulli")
    with pytest.raises(ValueError, match="scale_by_sigma=False"):
        br.PosteriorClassifier(prior, sampler="nutpie").fit(X, y > 1.0)


def test_gibbs_is_offered_for_the_gaussian_likelihood_only():
    prior = br.Laplace(1.0, scale_by_sigma=True)
    assert "gibbs" in prior.samplers("gaussian", False)
    assert "gibbs" not in prior.samplers("student_t", False, "gaussian")  # auto goes to NUTS
    with pytest.raises(ValueError, match="Gaussian likelihood only"):
        check_gibbs(prior, "test", br.likelihoods.StudentT(df=4.0))


# ---------------------------------------------------------------- the exact sampler
def test_exact_sampler_of_the_scaled_normal_is_the_closed_form_posterior(data):
    X, y = data
    t, sigma = 0.3, 0.8
    model = br.PosteriorRegressor(br.Normal(t, scale_by_sigma=True), sigma=sigma, sampler="exact",
                                  draws=4000, chains=2, random_seed=3).fit(X, y)
    # posterior of w: N(ridge(1/t^2), sigma^2 (Xc'Xc + I/t^2)^-1), the ridge from scikit-learn
    Xc = X - X.mean(axis=0)
    cov = sigma**2 * np.linalg.inv(Xc.T @ Xc + np.eye(P) / t**2)
    mean = Ridge(alpha=1 / t**2).fit(X, y).coef_
    draws = model.idata_.posterior["coef"].values.reshape(-1, P)
    se = np.sqrt(np.diag(cov) / draws.shape[0])  # independent draws
    assert np.all(np.abs(draws.mean(axis=0) - mean) < 5 * se)
    np.testing.assert_allclose(draws.std(axis=0), np.sqrt(np.diag(cov)), rtol=0.05)


def test_exact_sampler_refuses_a_learned_sigma(data):
    X, y = data
    with pytest.raises(ValueError, match="sampler='exact'"):
        br.PosteriorRegressor(br.Normal(0.3, scale_by_sigma=True), sampler="exact").fit(X, y)


def test_save_load_and_compare_keep_the_flag(data, tmp_path):
    X, y = data
    prior = br.Normal(0.3, scale_by_sigma=True)
    post = br.PosteriorRegressor(prior, sigma=0.8, sampler="exact", draws=2000, chains=2,
                                 random_seed=0).fit(X, y)
    post.save(tmp_path / "model")
    back = br.PosteriorRegressor.load(tmp_path / "model")
    assert back.prior == prior
    np.testing.assert_array_equal(back.coef_, post.coef_)
    table = br.compare(br.MAPRegressor(prior, sigma=0.8).fit(X, y), post).table
    assert len(table) >= P


# ---------------------------------------------------------------- the posterior: nutpie and Gibbs
def _fit(prior, sampler, X, y, draws):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return br.PosteriorRegressor(prior, sampler=sampler, draws=draws, tune=500, chains=2,
                                     random_seed=11, progressbar=False).fit(X, y)


@pytest.mark.slow
def test_gibbs_and_nutpie_agree_within_monte_carlo_error(data):
    import arviz as az

    X, y = data
    X, y = X[:25], 5.0 * y[:25]  # sigma ~ 4: the scaled Laplace(0.1) is near today's Laplace(0.4)
    prior = br.Laplace(0.1, scale_by_sigma=True)
    gibbs, nuts = _fit(prior, "gibbs", X, y, 3000), _fit(prior, "nutpie", X, y, 1500)
    assert set(nuts.idata_.posterior.data_vars) >= {"coef", "intercept", "sigma"}
    for name in ("coef", "sigma", "intercept"):
        a, b = gibbs.idata_.posterior[name], nuts.idata_.posterior[name]
        gap = np.abs(a.mean(("chain", "draw")).values - b.mean(("chain", "draw")).values)
        mcse = np.hypot(az.mcse(a)[name].values, az.mcse(b)[name].values)
        assert np.all(gap < 4 * mcse), (name, gap, mcse)
    today = _fit(br.Laplace(0.1), "gibbs", X, y, 3000)  # the flag changes the posterior
    assert abs(float(today.idata_.posterior["coef"][..., 0].mean())
               - float(gibbs.idata_.posterior["coef"][..., 0].mean())) > 0.1


@pytest.mark.slow
@pytest.mark.parametrize("sampler, simulations, bins", [("gibbs", 60, 5), ("nutpie", 30, 5)])
def test_scaled_laplace_is_calibrated(sampler, simulations, bins):
    """SBC of Laplace(1, scale_by_sigma=True), learned sigma: coef drawn as sigma x Laplace(1)."""
    from validation import sbc

    from .test_sbc import assert_uniform

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = sbc.run_config(sbc.CONFIGS["laplace-sigma-gauss-learned"], simulations=simulations,
                                sampler=sampler, draws=300, chains=2, seed=5)
    assert set(result["ranks"]) == {"coef[0]", "coef[1]", "coef[2]", "coef[3]", "sigma"}
    assert_uniform(result, bins=bins)


# ---------------------------------------------------------------- why: one mode instead of two
def _joint_log_posterior(prior, w, sigma, n, xx, xy, yy):
    """log p(w, log sigma | y) for y = x w + e, e ~ N(0, sigma^2), p(sigma) flat in log sigma
    (a HalfNormal of huge scale), from the prior's own density at each sigma."""
    out = np.empty((w.size, sigma.size))
    for k, s in enumerate(sigma):
        rss = yy - 2 * w * xy + w**2 * xx
        out[:, k] = -n * np.log(s) - rss / (2 * s**2) + prior.given_sigma(s).logpdf(w)
    return out


def _local_maxima(f, size=9):
    from scipy.ndimage import maximum_filter

    peaks = (f == maximum_filter(f, size=size, mode="nearest")) & (f > f.max() - 30)
    edge = size // 2 + 1
    return int(peaks[edge:-edge, edge:-edge].sum())


def test_scaled_laplace_posterior_is_unimodal_where_todays_is_bimodal():
    """Park & Casella (2008, section 2): with a Laplace prior not scaled by sigma the joint
    posterior of (w, sigma) can have two modes, one at w = 0 with a large sigma and one near
    least squares with a small sigma; scaled by sigma it has one. n = 10, x'x = 1, x'y = 2,
    y'y = 4.5, s = 0.2 (found on this grid; flat prior on log sigma)."""
    w, sigma = np.linspace(-1, 4, 801), np.exp(np.linspace(-4, 3, 801))
    stats_ = {"n": 10, "xx": 1.0, "xy": 2.0, "yy": 4.5}
    assert _local_maxima(_joint_log_posterior(br.Laplace(0.2), w, sigma, **stats_)) == 2
    assert _local_maxima(_joint_log_posterior(br.Laplace(0.2, scale_by_sigma=True), w, sigma, **stats_)) == 1


# ---------------------------------------------------------------- widgets: the flag is carried, never dropped
def test_widgets_keep_the_flag_of_a_scaled_prior(data):
    """The views used to refuse a prior scaled by sigma (issue 18: they now carry it): its
    family is offered, the flag is kept at every scale, and a seed posterior is accepted.
    (tests/test_widget_prior_forms.py checks the numbers.)"""
    from bayesreg.widgets._explorer_data import check_posterior
    from bayesreg.widgets._prior_choice import family_of, family_prior, prior_kind

    assert prior_kind(br.Laplace(1.0)) == "laplace"
    assert prior_kind(br.Laplace(1.0, scale_by_sigma=True)) == "laplace"
    assert family_prior(family_of(br.Laplace(1.0, scale_by_sigma=True)), 0.3) == \
        br.Laplace(0.3, scale_by_sigma=True)
    X, y = data
    post = br.PosteriorRegressor(br.Normal(0.3, scale_by_sigma=True), sigma=0.8, sampler="exact",
                                 draws=2000, chains=2, random_seed=0).fit(X, y)
    assert check_posterior(post, X, y, 0.8) == br.Normal(0.3, scale_by_sigma=True)


def test_plot_labels_show_the_flag_only_when_set():
    from bayesreg.plots._families import short_repr

    assert short_repr(br.Laplace(scale=0.70710678)) == "Laplace(scale=0.707)"
    assert short_repr(br.Laplace(scale=0.70710678, scale_by_sigma=True)) == "Laplace(scale=0.707, scale_by_sigma=True)"


def test_choose_scale_refuses_empirical_bayes_of_today_form_for_a_scaled_prior(data):
    X, y = data
    with pytest.raises(NotImplementedError, match="scaled by sigma"):
        br.choose_scale(X, y, br.Normal(1.0, scale_by_sigma=True), method="empirical_bayes")


def test_gibbs_reports_the_lasso_alpha_of_each_draw_as_sigma_over_n_scale(data):
    X, y = data
    model = br.PosteriorRegressor(br.Laplace(br.HalfCauchy(1.0), scale_by_sigma=True), sampler="gibbs",
                                  draws=50, tune=50, chains=2, random_seed=0, progressbar=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # 50 draws: diagnostics warn
        model.fit(X, y)
    post = model.idata_.posterior
    np.testing.assert_allclose(post["alpha"], post["sigma"] / (N * post["scale"]), rtol=1e-12)
