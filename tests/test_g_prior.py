"""Zellner's g-prior: exact draws against the closed form, MAP against a generalized ridge.

References: the closed form of Liang et al. (2008) (posterior mean g/(1+g) OLS,
covariance g/(1+g) sigma^2 (Xc'Xc)^-1) computed here with numpy's lstsq; a
generalized ridge solved with numpy.linalg.solve; sigma's posterior by
quadrature of the marginal likelihood written as a dense Gaussian (scipy.stats).
"""

import numpy as np
import pytest
from scipy import integrate, stats

import bayesreg as br
from bayesreg.posterior.g_prior_draws import draw_sigma2, g_prior_posterior, sample_g_prior


def _data(n=50, p=4, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, p)) @ np.array([[1, 0.5, 0, 0], [0, 1, 0.3, 0], [0, 0, 1, 0], [0, 0, 0.4, 1]])[:p, :p]
    X[:, 0] += 3.0  # an offset: centring matters
    y = 1.0 + X @ np.array([1.0, -0.5, 0.0, 0.3])[:p] + 0.8 * rng.normal(size=n)
    return X, y


def _ols_centred(X, y):
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    return np.linalg.lstsq(Xc, yc, rcond=None)[0], Xc, yc


@pytest.mark.parametrize("g", [0.5, 10.0, 50.0])
def test_map_is_shrunk_least_squares_and_a_generalized_ridge(g):
    X, y = _data()
    ols, Xc, yc = _ols_centred(X, y)
    sigma = 0.8
    model = br.MAPRegressor(br.GPrior(g=g), sigma=sigma).fit(X, y)
    np.testing.assert_allclose(model.coef_, g / (1 + g) * ols, rtol=0, atol=1e-10)
    # the generalized ridge: min ||yc - Xc w||^2/(2 sigma^2) + w' Xc'Xc w / (2 g sigma^2)
    gram = Xc.T @ Xc
    ridge = np.linalg.solve(gram / sigma**2 + gram / (g * sigma**2), Xc.T @ yc / sigma**2)
    np.testing.assert_allclose(model.coef_, ridge, rtol=0, atol=1e-10)
    assert model.intercept_ == pytest.approx(y.mean() - X.mean(axis=0) @ ridge, abs=1e-10)
    assert model.penalty_ is None  # no library's lambda equals a non-diagonal penalty
    # sigma cancels: the estimated sigma gives the same MAP
    np.testing.assert_allclose(br.MAPRegressor(br.GPrior(g=g)).fit(X, y).coef_, ridge, atol=1e-10)


@pytest.mark.parametrize("fit_intercept", [True, False])
def test_exact_draws_match_the_closed_form_with_fixed_sigma(fit_intercept):
    X, y = _data()
    g, sigma = 8.0, 0.8
    if fit_intercept:
        ols, Xc, _ = _ols_centred(X, y)
    else:
        Xc = X
        ols = np.linalg.lstsq(X, y, rcond=None)[0]
    mean = g / (1 + g) * ols
    cov = g / (1 + g) * sigma**2 * np.linalg.inv(Xc.T @ Xc)
    model = br.PosteriorRegressor(br.GPrior(g=g), sigma=sigma, fit_intercept=fit_intercept, draws=5000,
                                  chains=2, random_seed=0, progressbar=False).fit(X, y)
    assert model.sampler_ == "exact"
    draws = model.idata_.posterior["coef"].values.reshape(-1, X.shape[1])
    S = draws.shape[0]  # independent draws
    se_mean = np.sqrt(np.diag(cov) / S)
    np.testing.assert_array_less(np.abs(draws.mean(axis=0) - mean), 4 * se_mean)
    # covariance entries: sd of the sample covariance of Gaussians ~ sqrt((c_ii c_jj + c_ij^2) / S)
    sample_cov = np.cov(draws, rowvar=False)
    se_cov = np.sqrt((np.outer(np.diag(cov), np.diag(cov)) + cov**2) / S)
    np.testing.assert_array_less(np.abs(sample_cov - cov), 4 * se_cov)
    if fit_intercept:  # intercept = b_c - x_mean' w with b_c ~ N(mean y, sigma^2 / n)
        intercept = model.idata_.posterior["intercept"].values.ravel()
        want = y.mean() - X.mean(axis=0) @ mean
        sd = np.sqrt(sigma**2 / len(y) + X.mean(axis=0) @ cov @ X.mean(axis=0))
        assert abs(intercept.mean() - want) < 4 * sd / np.sqrt(S)


def _sigma_posterior_by_quadrature(X, y, g, log_prior):
    """Mean and sd of sigma | y: y ~ N(0, sigma^2 (I + g X (X'X)^-1 X')) (no intercept), quadrature."""
    n = len(y)
    M = np.eye(n) + g * X @ np.linalg.solve(X.T @ X, X.T)
    base = stats.multivariate_normal(np.zeros(n), M).logpdf(y)  # at sigma = 1
    sign, logdet = np.linalg.slogdet(M)
    quad = y @ np.linalg.solve(M, y)

    def log_post(s):  # log N(y; 0, s^2 M) + log prior(s)
        return -n * np.log(s) - quad / (2 * s**2) + quad / 2 + base + log_prior(s)

    peak = max(log_post(s) for s in np.linspace(0.2, 3, 200))
    dens = lambda s: np.exp(log_post(s) - peak)  # noqa: E731
    z = integrate.quad(dens, 1e-3, 20, limit=200)[0]
    m1 = integrate.quad(lambda s: s * dens(s), 1e-3, 20, limit=200)[0] / z
    m2 = integrate.quad(lambda s: s**2 * dens(s), 1e-3, 20, limit=200)[0] / z
    return m1, np.sqrt(m2 - m1**2)


@pytest.mark.parametrize("sigma_prior", ["halfnormal", "jeffreys"])
def test_sigma_draws_match_quadrature(sigma_prior):
    X, y = _data(n=30, seed=3)
    g = 5.0
    beta = float(np.std(y))
    log_prior = (stats.halfnorm(scale=beta).logpdf if sigma_prior == "halfnormal" else lambda s: -np.log(s))
    mean, sd = _sigma_posterior_by_quadrature(X, y, g, log_prior)
    post = g_prior_posterior(X, y, g, fit_intercept=False)
    sigma = np.sqrt(draw_sigma2(post["S"], post["dof"], 40_000, np.random.default_rng(1), sigma_prior, beta))
    assert abs(sigma.mean() - mean) < 4 * sd / np.sqrt(sigma.size)
    assert abs(sigma.std() - sd) < 4 * sd / np.sqrt(2 * sigma.size) * 1.5


def test_learned_sigma_in_the_estimator_is_exact_and_independent():
    X, y = _data(n=30, seed=3)
    g = 5.0
    mean, sd = _sigma_posterior_by_quadrature(X, y, g, stats.halfnorm(scale=np.std(y)).logpdf)
    model = br.PosteriorRegressor(br.GPrior(g=g), fit_intercept=False, draws=4000, chains=2,
                                  random_seed=2, progressbar=False).fit(X, y)
    assert model.sampler_ == "exact"
    sigma = model.idata_.posterior["sigma"].values.ravel()
    assert abs(sigma.mean() - mean) < 4 * sd / np.sqrt(sigma.size)
    # E[w | y] = g/(1+g) OLS whatever sigma is
    draws = model.idata_.posterior["coef"].values.reshape(-1, X.shape[1])
    ols = np.linalg.lstsq(X, y, rcond=None)[0]
    se = draws.std(axis=0) / np.sqrt(draws.shape[0])
    np.testing.assert_array_less(np.abs(draws.mean(axis=0) - g / (1 + g) * ols), 4 * se)


def test_refusals_name_the_problem_and_the_fix():
    X, y = _data()
    prior = br.GPrior(g=10.0)
    with pytest.raises(ValueError, match="exact"):
        br.PosteriorRegressor(prior, sampler="nutpie").fit(X, y)
    with pytest.raises(ValueError, match="exact"):
        br.PosteriorRegressor(prior, sampler="gibbs").fit(X, y)
    with pytest.raises(ValueError, match="Xc'Xc invertible"):
        br.MAPRegressor(prior, sigma=1.0).fit(X[:4], y[:4])
    with pytest.raises(ValueError, match="lambda/alpha"):
        br.to_penalty(prior, n_samples=50, sigma=1.0)
    with pytest.raises(ValueError, match="couples the coefficients"):
        prior.logpdf(0.0)
    with pytest.raises(ValueError, match="g must be finite and > 0"):
        br.GPrior(g=0.0)
    with pytest.raises(ValueError):
        br.MAPClassifier(prior).fit(X, y > np.median(y))
    assert eval(repr(prior), {"GPrior": br.GPrior}) == prior


def test_log_density_is_scipys_multivariate_normal():
    X, _ = _data()
    Xc = X - X.mean(axis=0)
    w = np.array([0.3, -0.2, 0.1, 0.05])
    cov = 4.0 * 0.7**2 * np.linalg.inv(Xc.T @ Xc)
    assert br.GPrior(g=4.0).log_density(w, Xc, 0.7) == pytest.approx(
        stats.multivariate_normal(np.zeros(4), cov).logpdf(w), rel=1e-10)


def test_save_load_compare_and_widgets(tmp_path):
    from bayesreg.model.registry import prior_classes, prior_families

    X, y = _data()
    prior = br.GPrior(g=20.0)
    post = br.PosteriorRegressor(prior, sigma=0.8, draws=500, chains=2, random_seed=0,
                                 progressbar=False).fit(X, y)
    # the MAP column of summary() is the closed form
    ols, _, _ = _ols_centred(X, y)
    np.testing.assert_allclose(post.summary().loc[[f"coef[x{j}]" for j in range(4)], "map"],
                               20 / 21 * ols, atol=1e-10)
    post.save(tmp_path / "g.nc")
    loaded = br.PosteriorRegressor.load(tmp_path / "g.nc")
    assert loaded.prior == prior
    np.testing.assert_allclose(loaded.predict(X), post.predict(X))
    table = br.compare(br.MAPRegressor(prior, sigma=0.8).fit(X, y), post).table
    np.testing.assert_allclose(table["map"], 20 / 21 * ols, atol=1e-10)
    assert "GPrior" in prior_classes()
    # issue 18: the widgets offer it (the slider moves g; tests/test_widget_spike_and_g.py)
    assert prior_families()["gprior"] is br.GPrior


def test_exact_sampler_passes_simulation_based_calibration():
    """SBC with sigma fixed (Talts et al. 2018): 200 data sets, w drawn from the g-prior given X.

    Ranks of each coefficient among 99 draws of the exact sampler; 10 bins, chi-square p-value > 0.001 / p (Bonferroni). (A learned sigma
    has the data-dependent HalfNormal(sd(y)) prior, which SBC cannot simulate from; it is
    checked by quadrature above.)
    """
    ranks = _g_prior_sbc_ranks(g_fitted=4.0)
    p, draws = ranks.shape[1], 99
    for j in range(p):
        counts = np.bincount(ranks[:, j] * 10 // (draws + 1), minlength=10)
        assert stats.chisquare(counts).pvalue * p > 0.001, (j, counts)
    # power: the same test fails when the sampler is given g = 0.5 for data drawn with g = 4
    wrong = _g_prior_sbc_ranks(g_fitted=0.5)
    pvalues = [stats.chisquare(np.bincount(wrong[:, j] * 10 // (draws + 1), minlength=10)).pvalue
               for j in range(p)]
    assert max(pvalues) < 1e-6


def _g_prior_sbc_ranks(g_fitted):
    rng = np.random.default_rng(21)
    n, p, g, sigma, sims, draws = 20, 3, 4.0, 0.7, 200, 99
    ranks = np.empty((sims, p), dtype=int)
    for sim in range(sims):
        X = rng.normal(size=(n, p))
        Xc = X - X.mean(axis=0)
        w = rng.multivariate_normal(np.zeros(p), g * sigma**2 * np.linalg.inv(Xc.T @ Xc))
        y = 0.5 + X @ w + sigma * rng.normal(size=n)
        post = sample_g_prior(X, y, g_fitted, sigma, fit_intercept=True, draws=draws, chains=1,
                              random_seed=sim, feature_names=["a", "b", "c"])
        ranks[sim] = np.sum(post["coef"].values[0] < w, axis=0)
    return ranks
