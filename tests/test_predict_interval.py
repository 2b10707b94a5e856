"""predict_interval: posterior predictive intervals checked against closed forms and by simulation."""

import numpy as np
import pytest
from scipy import special, stats

import bayesreg as br
from bayesreg.posterior import _pointwise

SIGMA = 1.0
SCALE = 1.0


def _exact_predictive(X, y, Xnew, scale, sigma):
    """Closed-form posterior predictive of the Gaussian model with flat intercept, Normal(0, scale) w."""
    Xt = np.column_stack([np.ones(len(X)), X])
    precision = Xt.T @ Xt / sigma**2 + np.diag([0.0] + [scale**-2] * X.shape[1])
    cov = np.linalg.inv(precision)
    mean = cov @ Xt.T @ y / sigma**2
    Xn = np.column_stack([np.ones(len(Xnew)), Xnew])
    return Xn @ mean, np.sqrt(sigma**2 + np.einsum("ij,jk,ik->i", Xn, cov, Xn))


def test_regressor_interval_matches_the_closed_form_predictive():
    rng = np.random.default_rng(5)
    X = rng.normal(size=(25, 3))
    y = 0.5 + X @ np.array([1.0, -0.5, 0.0]) + SIGMA * rng.normal(size=25)
    Xnew = rng.normal(size=(40, 3))
    draws = 8000
    model = br.PosteriorRegressor(br.Normal(SCALE), sigma=SIGMA, sampler="exact", draws=draws,
                                  chains=1, random_seed=3, progressbar=False).fit(X, y)
    lo, hi = model.predict_interval(Xnew, prob=0.9)
    mean, sd = _exact_predictive(X, y, Xnew, SCALE, SIGMA)
    z = stats.norm.ppf(0.95)
    # MC standard error of a sample quantile: sqrt(q(1-q)/S) / density at the quantile
    se = sd * np.sqrt(0.05 * 0.95 / draws) / stats.norm.pdf(z)
    np.testing.assert_array_less(np.abs(lo - (mean - z * sd)), 5 * se)
    np.testing.assert_array_less(np.abs(hi - (mean + z * sd)), 5 * se)


def test_regressor_intervals_cover_new_draws_at_the_nominal_rate():
    """Truth drawn from the prior, so the posterior predictive is calibrated exactly.

    R data sets, each with its own true w; per data set the fraction of M new
    observations inside their 90% interval. The coverage estimate is the mean of
    those R independent fractions; its Monte Carlo standard error is their
    sd / sqrt(R) (rows of one data set share a posterior, so they are not
    independent). Tolerance: 4 standard errors.
    """
    rng = np.random.default_rng(2026)
    R, n, M, p = 150, 15, 40, 3
    fractions = np.empty(R)
    for r in range(R):
        w = SCALE * rng.normal(size=p)  # fit_intercept=False: no improper prior to draw from
        X, Xnew = rng.normal(size=(n, p)), rng.normal(size=(M, p))
        y = X @ w + SIGMA * rng.normal(size=n)
        ynew = Xnew @ w + SIGMA * rng.normal(size=M)
        model = br.PosteriorRegressor(br.Normal(SCALE), sigma=SIGMA, fit_intercept=False,
                                      sampler="exact", draws=2000, chains=1, random_seed=r,
                                      progressbar=False).fit(X, y)
        lo, hi = model.predict_interval(Xnew, prob=0.9)
        fractions[r] = np.mean((lo <= ynew) & (ynew <= hi))
    coverage = fractions.mean()
    se = fractions.std(ddof=1) / np.sqrt(R)
    assert abs(coverage - 0.9) < 4 * se, (coverage, se)


def test_learned_sigma_uses_each_draws_sigma(small_gaussian):
    X, y = small_gaussian
    model = br.PosteriorRegressor(br.Normal(1.0), sampler="gibbs", draws=2000, chains=1,
                                  random_seed=4, progressbar=False).fit(X, y)
    lo, hi = model.predict_interval(X[:10], prob=0.8, random_state=9)
    # independent recomputation from idata_: one predictive draw per posterior draw
    post = model.idata_.posterior
    coef = post["coef"].values.reshape(-1, 3)
    eta = post["intercept"].values.reshape(-1, 1) + coef @ X[:10].T
    sigma = post["sigma"].values.reshape(-1, 1)
    ytilde = eta + sigma * np.random.default_rng(9).standard_normal(eta.shape)
    np.testing.assert_allclose(lo, np.quantile(ytilde, 0.1, axis=0), rtol=1e-12)
    np.testing.assert_allclose(hi, np.quantile(ytilde, 0.9, axis=0), rtol=1e-12)


def test_intervals_are_reproducible_and_blockwise(monkeypatch):
    rng = np.random.default_rng(1)
    X = rng.normal(size=(30, 2))
    y = X @ np.array([1.0, 2.0]) + rng.normal(size=30)
    model = br.PosteriorRegressor(br.Normal(1.0), sigma=1.0, sampler="exact", draws=500,
                                  chains=2, random_seed=7, progressbar=False).fit(X, y)
    Xnew = rng.normal(size=(50, 2))
    first = model.predict_interval(Xnew)
    np.testing.assert_array_equal(first, model.predict_interval(Xnew))  # random_seed is the default
    other = model.predict_interval(Xnew, random_state=8)
    assert not np.array_equal(first[0], other[0])
    # tiny blocks: memory is bounded by one block; the answer is still a valid interval
    monkeypatch.setattr(_pointwise, "BLOCK_BYTES", 8 * 1000 * 3)  # 3 rows of 1000 draws
    lo, hi = model.predict_interval(Xnew)
    assert np.all(lo < hi)
    np.testing.assert_allclose(lo, first[0], atol=0.3)  # same distribution, other noise draws


@pytest.mark.parametrize("prob", [0.0, 1.0, 1.5, True, "0.9", None])
def test_bad_prob_is_refused(prob):
    rng = np.random.default_rng(1)
    X = rng.normal(size=(20, 2))
    model = br.PosteriorRegressor(br.Normal(1.0), sigma=1.0, sampler="exact", draws=500,
                                  chains=1, random_seed=1, progressbar=False).fit(X, X[:, 0])
    with pytest.raises(ValueError, match=r"prob must be a number in \(0, 1\)"):
        model.predict_interval(X, prob=prob)


@pytest.fixture(scope="module")
def logistic_fit():
    rng = np.random.default_rng(17)
    X = rng.normal(size=(400, 2))
    y = (rng.uniform(size=400) < special.expit(-0.3 + X @ np.array([1.0, -0.7]))).astype(int)
    model = br.PosteriorClassifier(br.Normal(2.0), sampler="gibbs", draws=3000, chains=1,
                                   random_seed=2, progressbar=False).fit(X, y)
    return X, y, model


def test_classifier_interval_is_the_credible_interval_of_p(logistic_fit):
    _, _, model = logistic_fit
    Xnew = np.array([[0.0, 0.0], [1.0, 1.0], [-1.5, 0.5], [2.0, -2.0]])
    lo, hi = model.predict_interval(Xnew, prob=0.9)
    post = model.idata_.posterior
    eta = post["intercept"].values.reshape(-1, 1) + post["coef"].values.reshape(-1, 2) @ Xnew.T
    p = special.expit(eta)
    np.testing.assert_allclose(lo, np.quantile(p, 0.05, axis=0), rtol=1e-12)
    np.testing.assert_allclose(hi, np.quantile(p, 0.95, axis=0), rtol=1e-12)
    assert np.all((0 < lo) & (lo < model.predict_proba(Xnew)[:, 1]) & (hi < 1))


def test_classifier_interval_agrees_with_the_laplace_approximation(logistic_fit):
    """n = 400, p = 2: the posterior is close to Gaussian around the MAP with the
    inverse Hessian as covariance; the interval of p is expit of the interval of eta."""
    X, y, model = logistic_fit
    Xt = np.column_stack([np.ones(len(X)), X])
    prec = np.diag([0.0, 2.0**-2, 2.0**-2])
    beta = np.zeros(3)
    for _ in range(50):  # Newton on the log posterior (flat intercept, Normal(0, 2) weights)
        mu = special.expit(Xt @ beta)
        hessian = Xt.T @ (Xt * (mu * (1 - mu))[:, None]) + prec
        beta += np.linalg.solve(hessian, Xt.T @ (y - mu) - prec @ beta)
    cov = np.linalg.inv(hessian)
    Xnew = np.array([[0.0, 0.0], [1.0, 1.0], [-1.5, 0.5]])
    Xn = np.column_stack([np.ones(3), Xnew])
    sd = np.sqrt(np.einsum("ij,jk,ik->i", Xn, cov, Xn))
    z = stats.norm.ppf(0.95)
    lo, hi = model.predict_interval(Xnew, prob=0.9)
    # Laplace error at n = 400 plus MC error of 3000 Gibbs draws: 0.02 on the probability scale
    np.testing.assert_allclose(lo, special.expit(Xn @ beta - z * sd), atol=0.02)
    np.testing.assert_allclose(hi, special.expit(Xn @ beta + z * sd), atol=0.02)
