"""The Poisson likelihood (log link) and its MAP, each checked against an independent reference.

References: scipy.stats.poisson (log-likelihood), scikit-learn's PoissonRegressor at the
mapped alpha (Normal prior), scipy L-BFGS-B on split coefficients and glum's
GeneralizedLinearRegressor (Laplace and elastic-net priors, with an exposure offset).
"""

import math

import numpy as np
import pytest
from scipy import optimize, stats
from sklearn.linear_model import PoissonRegressor
from sklearn.metrics import mean_poisson_deviance

import bayesreg as br
from bayesreg.posterior.samplers import resolve_sampler


@pytest.fixture(scope="module")
def counts():
    rng = np.random.default_rng(17)
    n = 150
    X = rng.normal(size=(n, 5)) * np.array([1.0, 3.0, 0.5, 1.0, 10.0])
    exposure = rng.uniform(0.5, 4.0, size=n)
    coef = np.array([0.4, -0.1, 0.0, 0.3, 0.0])
    y = rng.poisson(exposure * np.exp(0.2 + X @ coef)).astype(float)
    return X, y, exposure


def test_poisson_log_likelihood_mean_and_deviance_are_scipys_and_sklearns():
    lik = br.likelihoods.Poisson()
    y = np.array([0.0, 1.0, 4.0, 12.0])
    eta = np.array([-1.0, 0.3, 1.2, 2.0])
    np.testing.assert_allclose(lik.pointwise_loglik(y, eta), stats.poisson.logpmf(y, np.exp(eta)),
                               rtol=1e-12)
    np.testing.assert_allclose(lik.mean(eta), np.exp(eta))
    np.testing.assert_allclose(lik.noise_variance(lik.mean(eta), None), np.exp(eta))
    assert lik.cv_loss(y, eta) == pytest.approx(mean_poisson_deviance(y, np.exp(eta)), rel=1e-12)
    assert lik.dispersion(None) == 1.0
    assert br.likelihoods.get_likelihood("poisson") == lik
    assert "poisson" in br.likelihoods.regression_likelihood_names()


def test_poisson_simulates_counts_with_mean_exp_eta():
    lik = br.likelihoods.Poisson()
    rng = np.random.default_rng(0)
    eta = np.full(20000, math.log(3.0))
    draws = lik.simulate(eta, None, rng)
    # mean 3, sd of the sample mean sqrt(3 / 20000)
    assert abs(draws.mean() - 3.0) < 4 * math.sqrt(3.0 / 20000)
    block = lik.predictive_draws(np.full((200, 50), math.log(3.0)), None, rng)
    assert block.shape == (200, 50) and abs(block.mean() - 3.0) < 4 * math.sqrt(3.0 / 10000)


def test_to_penalty_and_from_penalty_poisson_regressor_and_glmnet():
    # PoissonRegressor: (1/n) NLL + (alpha/2)|w|^2, so alpha = 1 / (n t^2)
    pen = br.to_penalty(br.Normal(scale=0.5), n_samples=100, likelihood="poisson")
    assert pen == {"estimator": "PoissonRegressor", "alpha": pytest.approx(1 / (100 * 0.25))}
    assert br.from_penalty("PoissonRegressor", n_samples=100, alpha=0.04) == br.Normal(scale=0.5)
    # glmnet family="poisson": lambda = (a + b) / n, alpha_g = a / (a + b), as the binomial
    glm = br.to_penalty(br.ElasticNet(scale=0.5, l1_ratio=0.5), n_samples=100, likelihood="poisson",
                        convention="glmnet")
    a, b = 0.5 / 0.5, 0.5 / 0.25
    assert glm["family"] == "poisson"
    assert glm["lambda"] == pytest.approx((a + b) / 100) and glm["alpha"] == pytest.approx(a / (a + b))
    back = br.from_penalty("glmnet", n_samples=100, family="poisson", **{"lambda": glm["lambda"],
                                                                        "alpha": glm["alpha"]})
    assert back.scale == pytest.approx(0.5) and back.l1_ratio == pytest.approx(0.5)
    with pytest.raises(ValueError, match="L2 penalty only.*glmnet"):
        br.to_penalty(br.Laplace(scale=0.5), n_samples=100, likelihood="poisson")
    with pytest.raises(ValueError, match="sigma has no role in the Poisson"):
        br.to_penalty(br.Normal(scale=0.5), n_samples=100, sigma=1.0, likelihood="poisson")


@pytest.mark.parametrize("scale", [0.05, 0.3, 3.0])
def test_normal_prior_map_is_sklearn_poisson_regressor_at_the_mapped_alpha(counts, scale):
    X, y, _ = counts
    model = br.MAPRegressor(br.Normal(scale=scale), likelihood="poisson").fit(X, y)
    alpha = 1.0 / (len(y) * scale**2)  # docs/maths.md, written out
    assert model.penalty_ == {"estimator": "PoissonRegressor", "alpha": pytest.approx(alpha)}
    reference = PoissonRegressor(alpha=alpha, solver="newton-cholesky", tol=1e-14,
                                 max_iter=1000).fit(X, y)
    np.testing.assert_allclose(model.coef_, reference.coef_, atol=1e-6, rtol=0)
    assert model.intercept_ == pytest.approx(reference.intercept_, abs=1e-6)
    assert model.sigma_ is None


def _objective(X, y, offset, l1, l2, coef, intercept):
    eta = offset + intercept + X @ coef
    return np.sum(np.exp(eta) - y * eta) + l1 * np.abs(coef).sum() + 0.5 * l2 * coef @ coef


def _scipy_split_map(X, y, offset, l1, l2):
    """min NLL + l1 |w| + l2/2 |w|^2 with w = u - v, u, v >= 0 (smooth, box-constrained)."""
    p = X.shape[1]

    def fun(z):
        b0, u, v = z[0], z[1 : p + 1], z[p + 1 :]
        w = u - v
        eta = offset + b0 + X @ w
        mu = np.exp(eta)
        r = mu - y
        g_w = X.T @ r + l2 * w
        value = np.sum(mu - y * eta) + l1 * np.sum(u + v) + 0.5 * l2 * w @ w
        return value, np.concatenate([[r.sum()], g_w + l1, -g_w + l1])

    bounds = [(None, None)] + [(0.0, None)] * (2 * p)
    z0 = np.zeros(2 * p + 1)
    z0[0] = math.log(y.sum() / np.exp(offset).sum())
    res = optimize.minimize(fun, z0, jac=True, method="L-BFGS-B", bounds=bounds,
                            options={"ftol": 1e-15, "gtol": 1e-12, "maxiter": 50_000,
                                     "maxcor": 30})
    return res.x[1 : p + 1] - res.x[p + 1 :], res.x[0], res.fun


@pytest.mark.parametrize("prior", [br.Laplace(scale=0.05), br.ElasticNet(scale=0.1, l1_ratio=0.5),
                                   br.Laplace(scale=1.0)])
def test_laplace_and_elastic_net_map_with_exposure_match_scipy_on_split_coefficients(counts, prior):
    X, y, exposure = counts
    offset = np.log(exposure)
    l1, l2 = (float(v) for v in prior.penalty_weights)
    model = br.MAPRegressor(prior, likelihood="poisson").fit(X, y, exposure=exposure)
    coef_ref, b0_ref, value_ref = _scipy_split_map(X, y, offset, l1, l2)
    ours = _objective(X, y, offset, l1, l2, model.coef_, model.intercept_)
    # the objective to 1e-6 (relative) and never above the reference optimum
    assert ours <= value_ref + 1e-9 * abs(value_ref)
    assert abs(ours - value_ref) <= 1e-6 * abs(value_ref)
    np.testing.assert_allclose(model.coef_, coef_ref, atol=1e-4)
    # the exact KKT conditions, computed here from the definition
    eta = offset + model.intercept_ + X @ model.coef_
    grad = X.T @ (np.exp(eta) - y) + l2 * model.coef_
    scale = len(y)
    assert abs(np.sum(np.exp(eta) - y)) <= 1e-6 * scale
    on = model.coef_ != 0
    np.testing.assert_allclose(grad[on], -l1 * np.sign(model.coef_[on]), atol=1e-6 * scale)
    assert np.all(np.abs(grad[~on]) <= l1 + 1e-6 * scale)
    assert model.penalty_ is None  # scikit-learn has no Poisson lasso


@pytest.mark.parametrize("prior", [br.Laplace(scale=0.05), br.ElasticNet(scale=0.1, l1_ratio=0.5)])
def test_laplace_and_elastic_net_map_with_exposure_match_glum(counts, prior):
    glum = pytest.importorskip("glum")
    X, y, exposure = counts
    a, b = (float(v) for v in prior.penalty_weights)
    model = br.MAPRegressor(prior, likelihood="poisson").fit(X, y, exposure=exposure)
    # glum: deviance / (2n) + alpha (l1_ratio |w|_1 + (1 - l1_ratio)/2 |w|^2): the glmnet form
    pen = br.to_penalty(prior, n_samples=len(y), likelihood="poisson", convention="glmnet")
    assert pen["lambda"] == pytest.approx((a + b) / len(y))
    reference = glum.GeneralizedLinearRegressor(
        family="poisson", alpha=pen["lambda"], l1_ratio=pen["alpha"], gradient_tol=1e-12,
        max_iter=1000, solver="irls-cd",
    ).fit(X, y, offset=np.log(exposure))
    np.testing.assert_allclose(model.coef_, reference.coef_, atol=1e-6)
    assert model.intercept_ == pytest.approx(reference.intercept_, abs=1e-6)


def test_exposure_is_the_offset_log_exposure_and_scales_predictions(counts):
    X, y, exposure = counts
    prior = br.Laplace(scale=0.1)
    by_exposure = br.MAPRegressor(prior, likelihood="poisson").fit(X, y, exposure=exposure)
    by_offset = br.MAPRegressor(prior, likelihood="poisson").fit(X, y, offset=np.log(exposure))
    np.testing.assert_array_equal(by_exposure.coef_, by_offset.coef_)
    rate = by_exposure.predict(X[:5])
    np.testing.assert_allclose(by_exposure.predict(X[:5], exposure=exposure[:5]), exposure[:5] * rate)
    np.testing.assert_allclose(rate, np.exp(by_exposure.intercept_ + X[:5] @ by_exposure.coef_))


def test_a_penalty_at_or_above_lambda_max_gives_exact_zeros(counts):
    X, y, _ = counts
    mu0 = np.full(len(y), y.mean())  # the intercept-only MAP's expected counts
    lam_max = np.max(np.abs(X.T @ (y - mu0)))
    at = br.MAPRegressor(br.Laplace(scale=1.0 / lam_max), likelihood="poisson").fit(X, y)
    assert np.all(at.coef_ == 0) and at.intercept_ == pytest.approx(math.log(y.mean()))
    below = br.MAPRegressor(br.Laplace(scale=1.0 / (0.9 * lam_max)), likelihood="poisson").fit(X, y)
    assert np.count_nonzero(below.coef_) >= 1


def test_map_path_reports_glmnet_lambda_for_a_poisson_lasso(counts):
    X, y, _ = counts
    path = br.map_path(X, y, br.Laplace(1.0), [0.01, 0.1], likelihood="poisson")
    np.testing.assert_allclose(path.alphas, [1 / (0.01 * len(y)), 1 / (0.1 * len(y))])
    single = br.MAPRegressor(br.Laplace(0.1), likelihood="poisson").fit(X, y)
    np.testing.assert_allclose(path.coefs[1], single.coef_, atol=1e-8)


@pytest.mark.parametrize(
    "y, match",
    [([0, 1, -2, 3], "counts 0, 1, 2.*negative values.*exposure="),
     ([0, 1, 2.5, 3], "counts 0, 1, 2.*non-integer values.*exposure="),
     # scikit-learn's validate_data refuses a non-finite y first, in its own words
     ([0, 1, np.nan, 3], "y contains NaN"), ([0, 1, np.inf, 3], "y contains infinity")],
)
@pytest.mark.parametrize("estimator", [br.MAPRegressor, br.PosteriorRegressor])
def test_bad_counts_are_refused_with_the_fix(estimator, y, match):
    X = np.arange(8.0).reshape(4, 2)
    with pytest.raises(ValueError, match=match):
        estimator(br.Normal(1.0), likelihood="poisson").fit(X, np.array(y, dtype=float))


def test_the_likelihood_itself_refuses_non_finite_counts():
    with pytest.raises(ValueError, match="counts 0, 1, 2.*non-finite values"):
        br.likelihoods.Poisson().check_target(np.array([0.0, np.nan]), "map_path")


@pytest.mark.parametrize(
    "kwargs, match",
    [({"exposure": [1.0, 2.0, 0.0, 1.0]}, "exposure must be > 0"),
     ({"exposure": [1.0, -2.0, 1.0, 1.0]}, "exposure must be > 0"),
     ({"exposure": [1.0, np.nan, 1.0, 1.0]}, "exposure has non-finite"),
     ({"offset": [0.0, np.inf, 0.0, 0.0]}, "offset has non-finite"),
     ({"offset": [0.0, 0.0]}, "one value per row of X \\(4\\)"),
     ({"offset": [0.0] * 4, "exposure": [1.0] * 4}, "not both")],
)
@pytest.mark.parametrize("estimator", [br.MAPRegressor, br.PosteriorRegressor])
def test_bad_exposure_or_offset_is_refused(estimator, kwargs, match):
    X = np.arange(8.0).reshape(4, 2)
    y = np.array([0.0, 1.0, 3.0, 2.0])
    model = estimator(br.Normal(1.0), likelihood="poisson")
    with pytest.raises(ValueError, match=match):
        model.fit(X, y, **kwargs)
    assert not hasattr(model, "coef_")  # nothing half-fitted


def test_bad_exposure_at_predict_is_refused_and_gaussian_takes_none(counts):
    X, y, _ = counts
    model = br.MAPRegressor(br.Normal(1.0), likelihood="poisson").fit(X, y)
    with pytest.raises(ValueError, match="MAPRegressor.predict: exposure must be > 0"):
        model.predict(X[:2], exposure=[1.0, 0.0])
    with pytest.raises(ValueError, match="Gaussian likelihood takes no exposure"):
        br.MAPRegressor(br.Normal(1.0), sigma=1.0).fit(X, y, exposure=np.ones(len(y)))


@pytest.mark.parametrize("estimator", [br.MAPRegressor, br.PosteriorRegressor])
def test_sigma_is_refused_for_poisson(estimator):
    X = np.arange(8.0).reshape(4, 2)
    with pytest.raises(ValueError, match="sigma has no role in the Poisson likelihood; leave it"):
        estimator(br.Normal(1.0), likelihood="poisson", sigma=1.0).fit(X, np.array([0.0, 1, 2, 3]))


def test_all_zero_counts_have_no_intercept_map():
    X = np.arange(8.0).reshape(4, 2)
    with pytest.raises(ValueError, match="every count is 0.*fit_intercept=False"):
        br.MAPRegressor(br.Normal(1.0), likelihood="poisson").fit(X, np.zeros(4))


@pytest.mark.parametrize("prior", [br.Normal(1.0), br.Laplace(1.0), br.Horseshoe(1.0)])
def test_poisson_is_nuts_only_gibbs_refused_and_auto_is_nutpie(prior):
    assert resolve_sampler("auto", prior, "poisson", False) == "nutpie"
    assert "gibbs" not in prior.samplers("poisson", False)
    X = np.arange(8.0).reshape(4, 2)
    model = br.PosteriorRegressor(prior, likelihood="poisson", sampler="gibbs")
    with pytest.raises(ValueError, match="sampler='gibbs' does not cover the Poisson likelihood.*NUTS only"):
        model.fit(X, np.array([0.0, 1, 2, 3]))
