"""The Student-t prior (bayesreg/model/student_t.py), the worked example of "Adding a prior".

Each number is checked against something independent of bayesreg: scipy.stats.t
for the density, brute-force minimisation for the one-coefficient and the
regression MAP, and quadrature of the exact one-dimensional posterior for the
sampled posterior (tolerance in Monte Carlo standard errors).
"""

from __future__ import annotations

import warnings

import arviz as az
import numpy as np
import pytest
from scipy import integrate, optimize, stats

import bayesreg as br
from bayesreg.model.registry import prior_families, prior_from_dict, prior_to_dict
from bayesreg.model.student_t import StudentT

K_MCSE = 4.0  # |estimate - truth| < 4 Monte Carlo standard errors


@pytest.mark.parametrize("scale, df", [(1.0, 1.0), (0.3, 3.0), (2.5, 30.0)])
def test_logpdf_is_scipys_student_t_and_integrates_to_one(scale, df):
    prior = StudentT(scale=scale, df=df)
    w = np.array([-1e3, -7.0, -0.5, 0.0, 0.01, 2.0, 40.0])
    np.testing.assert_allclose(prior.logpdf(w), stats.t(df, scale=scale).logpdf(w), rtol=1e-12, atol=1e-12)
    total, _ = integrate.quad(lambda v: np.exp(prior.logpdf(v)), -np.inf, np.inf, epsabs=1e-13, epsrel=1e-12)
    assert total == pytest.approx(1.0, abs=1e-8)


def test_penalty_is_minus_log_density_up_to_a_constant():
    prior = StudentT(scale=0.8, df=2.0)
    a, b = np.array([0.3, -2.0, 5.0]), np.array([-1.0, 0.0, 0.7])
    assert prior.penalty(a) - prior.penalty(b) == pytest.approx(-prior.logpdf(a).sum() + prior.logpdf(b).sum())


def test_quadratic_bound_lies_above_the_penalty_and_touches_it():
    prior, rng = StudentT(scale=0.5, df=1.5), np.random.default_rng(0)
    for _ in range(200):
        w, v = rng.standard_cauchy(4), rng.standard_cauchy(4)
        c = prior.quadratic_bound_weights(w)
        bound = prior.penalty(w) + 0.5 * np.sum(c * (v**2 - w**2))
        assert prior.penalty(v) <= bound + 1e-12


@pytest.mark.parametrize("z", [-12.0, -1.0, 0.0, 0.3, 2.0, 4.5])
def test_prox_is_the_brute_force_one_coefficient_map(z):
    prior, step = StudentT(scale=0.4, df=1.0), 0.8
    grid = np.linspace(-20, 20, 2_000_001)
    objective = (grid - z) ** 2 / (2 * step) + 0.5 * (prior.df + 1) * np.log1p((grid / prior.scale) ** 2 / prior.df)
    assert prior.prox(z, step) == pytest.approx(grid[np.argmin(objective)], abs=1e-4)


def test_no_library_penalty_equals_it():
    with pytest.raises(ValueError, match="no lambda/alpha equivalent"):
        br.to_penalty(StudentT(), n_samples=10, sigma=1.0)


def test_registry_save_format_and_widget_choices_find_it():
    assert prior_families()["studentt"] is StudentT
    prior = StudentT(scale=0.25, df=4.0)
    assert prior_from_dict(prior_to_dict(prior)) == prior
    assert eval(repr(prior), {"StudentT": StudentT}) == prior


@pytest.fixture(scope="module")
def regression():
    rng = np.random.default_rng(3)
    X = rng.standard_normal((60, 5))
    coef = np.array([3.0, 0.0, 0.0, -1.5, 0.1])
    y = 1.0 + X @ coef + rng.standard_normal(60)
    return X, y


def _negative_log_posterior(theta, X, y, prior, sigma):
    intercept, w = theta[0], theta[1:]
    r = y - intercept - X @ w
    return 0.5 * r @ r / sigma**2 + prior.penalty(w)


def test_map_regressor_finds_the_best_mode_many_starts_find(regression):
    X, y = regression
    prior, sigma = StudentT(scale=0.2, df=1.0), 1.0
    fit = br.MAPRegressor(prior, sigma=sigma).fit(X, y)
    ours = _negative_log_posterior(np.r_[fit.intercept_, fit.coef_], X, y, prior, sigma)
    rng, best = np.random.default_rng(1), np.inf
    for _ in range(30):
        start = rng.normal(scale=3.0, size=X.shape[1] + 1)
        result = optimize.minimize(_negative_log_posterior, start, args=(X, y, prior, sigma),
                                   method="BFGS", options={"gtol": 1e-10})
        best = min(best, result.fun)
    assert ours <= best + 1e-7
    gradient = optimize.approx_fprime(np.r_[fit.intercept_, fit.coef_], _negative_log_posterior,
                                      1e-7, X, y, prior, sigma)
    assert np.max(np.abs(gradient)) < 1e-4


def test_map_path_and_explorer_offer_it(regression):
    X, y = regression
    path = br.map_path(X, y, StudentT(df=2.0), [0.05, 0.5, 1e4], sigma=1.0)
    # a nearly flat prior (curvature (df+1)/(df s^2) = 1.5e-8) leaves least squares
    Z = np.column_stack([np.ones(len(y)), X])
    least_squares = np.linalg.lstsq(Z, y, rcond=None)[0][1:]
    np.testing.assert_allclose(path.coefs[-1], least_squares, atol=1e-6)
    assert np.all(np.isnan(path.alphas))  # no library penalty
    from bayesreg.widgets.scale_explorer import ScaleExplorer

    explorer = ScaleExplorer(X, y, prior="studentt", sigma=1.0)
    state = explorer.map_state(0.5)
    fit = br.MAPRegressor(StudentT(scale=0.5, df=3.0), sigma=1.0).fit(X, y)
    np.testing.assert_allclose(state["map_coef"], fit.coef_, atol=1e-8)
    assert state["alpha"] is None and "no scikit-learn or glmnet penalty" in state["formulas"][0]


@pytest.fixture(scope="module")
def one_coefficient_posterior():
    """p = 1, no intercept, sigma fixed: the exact posterior is one-dimensional."""
    rng = np.random.default_rng(7)
    x = rng.standard_normal(8)
    y = 0.9 * x + rng.standard_normal(8)
    prior, sigma = StudentT(scale=0.3, df=2.0), 1.0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", br.SamplingWarning)  # short chains; checked below
        model = br.PosteriorRegressor(prior, sigma=sigma, fit_intercept=False, draws=1000, tune=1000,
                                      chains=2, random_seed=11, progressbar=False).fit(x[:, None], y)
    return model, x, y, prior, sigma


def test_posterior_is_sampled_with_nuts_and_matches_quadrature(one_coefficient_posterior):
    model, x, y, prior, sigma = one_coefficient_posterior
    assert model.sampler_ == "nutpie"  # no Gibbs or exact scheme: NUTS covers every prior

    def unnormalised(w):
        return np.exp(-0.5 * np.sum((y - w * x) ** 2) / sigma**2 + prior.logpdf(w))

    z, _ = integrate.quad(unnormalised, -10, 10, epsabs=0, epsrel=1e-12, limit=200)
    mean, _ = integrate.quad(lambda w: w * unnormalised(w) / z, -10, 10, epsabs=0, epsrel=1e-12, limit=200)
    draws = model.idata_.posterior["coef"].values[..., 0]
    mcse = float(np.asarray(az.mcse(draws, method="mean")).ravel()[0])
    assert abs(draws.mean() - mean) < K_MCSE * mcse, (draws.mean(), mean, mcse)


def test_posterior_save_and_load_round_trip(one_coefficient_posterior, tmp_path):
    model = one_coefficient_posterior[0]
    model.save(tmp_path / "studentt.nc")
    loaded = br.PosteriorRegressor.load(tmp_path / "studentt.nc")
    assert loaded.prior == model.prior
    np.testing.assert_array_equal(loaded.coef_, model.coef_)


def test_prior_draws_follow_scipys_student_t():
    draws = StudentT(scale=0.5, df=2.0).sample(np.random.default_rng(2), 20_000)
    assert stats.kstest(draws, stats.t(2.0, scale=0.5).cdf).pvalue > 1e-3
