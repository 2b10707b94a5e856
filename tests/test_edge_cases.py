"""Numerical edge cases: extreme scales, collinear, duplicated and constant columns, float32, n = 1, p = 1.

References: numpy.linalg.lstsq, closed forms written out here (ridge on an
augmented design, soft thresholding for one coefficient), KKT conditions and
scipy.optimize on the objective itself.
"""

import warnings

import numpy as np
import pytest
from scipy import optimize
from scipy.special import expit, logit

import bayesreg as br

MAP_FAMILIES = ["Normal", "Laplace", "ElasticNet"]


def prior_of(family, scale):
    return br.ElasticNet(scale, 0.5) if family == "ElasticNet" else getattr(br, family)(scale)


@pytest.fixture(scope="module")
def regression():
    rng = np.random.default_rng(42)
    X = rng.normal(size=(50, 4)) * [1.0, 2.0, 0.5, 1.0]
    y = 3.0 + X @ [1.5, -0.5, 0.0, 2.0] + rng.normal(size=50)
    return X, y


@pytest.fixture(scope="module")
def classification():
    rng = np.random.default_rng(43)
    X = rng.normal(size=(200, 3))
    y = (rng.uniform(size=200) < expit(0.3 + X @ [1.0, -0.5, 0.0])).astype(int)
    return X, y


def ols(X, y):
    """Least squares with an intercept, by numpy.linalg.lstsq: (intercept, coef)."""
    beta = np.linalg.lstsq(np.column_stack([np.ones(len(y)), X]), y, rcond=None)[0]
    return beta[0], beta[1:]


def exact_posterior(prior, X, y, sigma=1.0, draws=2000, seed=0):
    return br.PosteriorRegressor(prior, sigma=sigma, sampler="exact", draws=draws, chains=2,
                                 random_seed=seed, progressbar=False).fit(X, y)


# ------------------------------------------------------------------ huge and tiny scales
@pytest.mark.parametrize("family", MAP_FAMILIES)
def test_huge_scale_gives_least_squares(regression, family):
    X, y = regression
    model = br.MAPRegressor(prior_of(family, 1e8), sigma=1.0).fit(X, y)
    intercept, coef = ols(X, y)
    np.testing.assert_allclose(model.coef_, coef, rtol=1e-6)
    assert model.intercept_ == pytest.approx(intercept, rel=1e-6)


def test_huge_scale_exact_posterior_is_centred_on_least_squares(regression):
    X, y = regression
    model = exact_posterior(br.Normal(1e8), X, y)
    intercept, coef = ols(X, y)
    # posterior mean within 4 Monte Carlo standard errors (sd / sqrt(draws), draws independent)
    se = model.coef_sd_ / np.sqrt(4000)
    assert np.all(np.abs(model.coef_ - coef) < 4 * se)


def test_huge_scale_classifier_gives_the_unpenalized_mle(classification):
    X, y = classification

    def nll(theta):  # the logistic negative log likelihood, written out
        eta = theta[0] + X @ theta[1:]
        return np.sum(np.logaddexp(0.0, eta) - y * eta)

    mle = optimize.minimize(nll, np.zeros(4), method="BFGS", options={"gtol": 1e-10}).x
    for family in MAP_FAMILIES:
        model = br.MAPClassifier(prior_of(family, 1e8)).fit(X, y)
        np.testing.assert_allclose(model.coef_, mle[1:], rtol=1e-4, atol=1e-6)
        assert model.intercept_ == pytest.approx(mle[0], rel=1e-4)


@pytest.mark.parametrize("family", MAP_FAMILIES)
def test_tiny_scale_gives_zero_coefficients_and_the_mean(regression, family):
    X, y = regression
    model = br.MAPRegressor(prior_of(family, 1e-8), sigma=1.0).fit(X, y)
    if family == "Normal":  # shrunk by t^2 / sigma^2 = 1e-16, never exactly zero
        assert np.all(np.abs(model.coef_) < 1e-12)
    else:  # the L1 part puts them exactly at zero
        np.testing.assert_array_equal(model.coef_, 0.0)
    assert model.intercept_ == pytest.approx(np.mean(y), rel=1e-10)


def test_tiny_scale_classifier_gives_zero_coefficients_and_the_base_rate(classification):
    X, y = classification
    for family in MAP_FAMILIES:
        model = br.MAPClassifier(prior_of(family, 1e-8)).fit(X, y)
        assert np.all(np.abs(model.coef_) < 1e-10)
        assert model.intercept_ == pytest.approx(logit(np.mean(y)), rel=1e-6)


def test_tiny_scale_exact_posterior_is_the_prior_and_the_mean(regression):
    X, y = regression
    model = exact_posterior(br.Normal(1e-8), X, y)
    assert np.all(np.abs(model.coef_) < 1e-8)
    # the intercept posterior is N(mean(y), sigma^2 / n): 4 MCSE of its mean
    assert model.intercept_ == pytest.approx(np.mean(y), abs=4 / np.sqrt(50) / np.sqrt(4000))


# ------------------------------------------------------------------ collinear, duplicated, constant
def ridge_closed_form(X, y, scale, sigma=1.0):
    """Ridge MAP from lstsq on the augmented design [Xc; (sigma/t) I], no solver shared with bayesreg."""
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    p = X.shape[1]
    A = np.vstack([Xc, sigma / scale * np.eye(p)])
    coef = np.linalg.lstsq(A, np.concatenate([yc, np.zeros(p)]), rcond=None)[0]
    return y.mean() - X.mean(axis=0) @ coef, coef


def test_duplicated_column_normal_prior_shares_the_coefficient(regression):
    X, y = regression
    X_dup = np.column_stack([X, X[:, 0]])
    model = br.MAPRegressor(br.Normal(1.0), sigma=1.0).fit(X_dup, y)
    assert model.coef_[0] == pytest.approx(model.coef_[-1], rel=1e-10)
    intercept, coef = ridge_closed_form(X_dup, y, 1.0)
    np.testing.assert_allclose(model.coef_, coef, rtol=1e-8)
    # the same for the exact posterior: equal means, by symmetry
    post = exact_posterior(br.Normal(1.0), X_dup, y)
    np.testing.assert_allclose(post.coef_, coef, atol=4 * post.coef_sd_.max() / np.sqrt(4000))


def test_duplicated_column_classifier_shares_the_coefficient(classification):
    X, y = classification
    model = br.MAPClassifier(br.Normal(1.0)).fit(np.column_stack([X, X[:, 0]]), y)
    assert model.coef_[0] == pytest.approx(model.coef_[-1], rel=1e-6)


@pytest.mark.parametrize("family", ["Laplace", "ElasticNet"])
def test_duplicated_column_l1_prior_predicts_as_the_deduplicated_fit(regression, family):
    """With |a| + |b| >= |a + b|, the L1 optimum only fixes the sum of a duplicated pair.

    (The elastic net's L2 part makes the split unique: equal shares.)
    """
    X, y = regression
    prior = prior_of(family, 0.05)
    dup = br.MAPRegressor(prior, sigma=1.0).fit(np.column_stack([X, X[:, 0]]), y)
    assert np.all(np.isfinite(dup.coef_))
    if family == "Laplace":
        dedup = br.MAPRegressor(prior, sigma=1.0).fit(X, y)
        np.testing.assert_allclose(dup.predict(np.column_stack([X, X[:, 0]])), dedup.predict(X), rtol=1e-6)
        assert dup.coef_[0] + dup.coef_[-1] == pytest.approx(dedup.coef_[0], rel=1e-6)
    else:
        assert dup.coef_[0] == pytest.approx(dup.coef_[-1], rel=1e-6)


@pytest.mark.parametrize("family", MAP_FAMILIES)
def test_collinear_columns_satisfy_the_optimality_conditions(regression, family):
    """x3 = x0 + x1: no unique least squares; the MAP still satisfies its KKT conditions."""
    X, y = regression
    X = np.column_stack([X, X[:, 0] + X[:, 1]])
    prior = prior_of(family, 0.1)
    model = br.MAPRegressor(prior, sigma=1.0).fit(X, y)
    assert np.all(np.isfinite(model.coef_))
    l1, l2 = prior.penalty_weights
    w = model.coef_
    grad = X.T @ (y - model.predict(X)) - l2 * w  # d/dw of the smooth part, sigma = 1
    active = w != 0
    np.testing.assert_allclose(grad[active], l1 * np.sign(w[active]), atol=1e-6)
    assert np.all(np.abs(grad[~active]) <= l1 + 1e-6)


@pytest.mark.parametrize("family", MAP_FAMILIES)
def test_constant_column_gets_zero_coefficient(regression, family):
    X, y = regression
    X_const = np.column_stack([X, np.full(len(y), 7.0)])
    model = br.MAPRegressor(prior_of(family, 1.0), sigma=1.0).fit(X_const, y)
    assert model.coef_[-1] == 0.0
    reference = br.MAPRegressor(prior_of(family, 1.0), sigma=1.0).fit(X, y)
    np.testing.assert_allclose(model.coef_[:-1], reference.coef_, rtol=1e-10)
    clf = br.MAPClassifier(prior_of(family, 1.0)).fit(X_const, (y > np.median(y)).astype(int))
    assert abs(clf.coef_[-1]) < 1e-8


def test_constant_column_posterior_is_its_prior(regression):
    """A centred constant column carries no information: its coefficient keeps the N(0, t^2) prior."""
    X, y = regression
    model = exact_posterior(br.Normal(2.0), np.column_stack([X, np.full(len(y), 7.0)]), y, draws=4000)
    draws = model.idata_.posterior["coef"].values[..., -1].ravel()
    assert abs(draws.mean()) < 4 * 2.0 / np.sqrt(draws.size)
    assert draws.std() == pytest.approx(2.0, abs=4 * 2.0 / np.sqrt(2 * draws.size))


def test_all_columns_constant_gives_the_mean(regression):
    _, y = regression
    X = np.ones((len(y), 3))
    for family in MAP_FAMILIES:
        model = br.MAPRegressor(prior_of(family, 1.0)).fit(X, y)  # sigma estimated too
        np.testing.assert_array_equal(model.coef_, 0.0)
        assert model.intercept_ == pytest.approx(np.mean(y))


def test_exact_fit_with_estimated_sigma_and_collinear_columns_is_finite():
    """Found by the property tests: sigma floored near 0 made the ridge system singular."""
    X = np.array([[0.0, 1.0], [1.0, 0.0], [1.0, 0.0]])
    y = np.array([0.0, 1.0, 1.0])
    with pytest.warns(UserWarning, match="fits y exactly"):
        model = br.MAPRegressor(br.Normal(1.0)).fit(X, y)
    np.testing.assert_allclose(model.predict(X), y, atol=1e-6)
    np.testing.assert_allclose(model.coef_, [0.5, -0.5], atol=1e-6)  # the minimum-norm solution


def test_negligible_l1_ratio_is_the_ridge_fit(regression):
    """Found by the property tests: l1_ratio = 1e-12 sent coordinate descent to max_iter."""
    X, y = regression
    model = br.MAPRegressor(br.ElasticNet(1.0, 1e-12), sigma=1.0).fit(X, y)
    np.testing.assert_allclose(model.coef_, ridge_closed_form(X, y, 1.0)[1], rtol=1e-9)


# ------------------------------------------------------------------ float32
@pytest.mark.parametrize("family", MAP_FAMILIES)
def test_float32_input_gives_the_float64_result(regression, classification, family):
    """Input is converted to float64 (documented: outputs are float64 whatever the input dtype)."""
    X, y = regression
    prior = prior_of(family, 0.5)
    ref = br.MAPRegressor(prior, sigma=1.0).fit(X.astype(np.float32).astype(np.float64), y)
    model = br.MAPRegressor(prior, sigma=1.0).fit(X.astype(np.float32), y.astype(np.float32))
    assert model.coef_.dtype == np.float64 and model.predict(X.astype(np.float32)).dtype == np.float64
    np.testing.assert_allclose(model.coef_, ref.coef_, rtol=1e-5, atol=1e-6)
    # and the original float64 data, within float32 rounding (~6e-8) times the conditioning
    full = br.MAPRegressor(prior, sigma=1.0).fit(X, y)
    np.testing.assert_allclose(model.coef_, full.coef_, rtol=1e-5, atol=1e-6)
    Xc, yc = classification
    clf32 = br.MAPClassifier(prior).fit(Xc.astype(np.float32), yc)
    clf64 = br.MAPClassifier(prior).fit(Xc.astype(np.float32).astype(np.float64), yc)
    assert clf32.coef_.dtype == np.float64
    np.testing.assert_allclose(clf32.coef_, clf64.coef_, rtol=1e-5, atol=1e-6)


def test_float32_input_exact_posterior(regression):
    X, y = regression
    X32 = X.astype(np.float32)
    model = exact_posterior(br.Normal(1.0), X32, y.astype(np.float32))
    ref = exact_posterior(br.Normal(1.0), X32.astype(np.float64), y.astype(np.float32).astype(np.float64))
    assert model.idata_.posterior["coef"].dtype == np.float64
    np.testing.assert_allclose(model.coef_, ref.coef_, rtol=1e-6)  # same seed, same draws


@pytest.mark.filterwarnings("ignore::bayesreg.posterior.diagnostics.SamplingWarning")  # few draws
def test_float32_input_nutpie_smoke(regression):
    X, y = regression
    X = X[:, :3]  # the model of tests/test_posterior.py's nutpie fixture: compiled once per session
    model = br.PosteriorRegressor(br.Normal(1.0), sigma=1.0, sampler="nutpie", draws=300, tune=300,
                                  chains=2, random_seed=3, progressbar=False).fit(X.astype(np.float32), y.astype(np.float32))
    _, coef = ridge_closed_form(X.astype(np.float32).astype(float), y.astype(np.float32).astype(float), 1.0)
    assert model.coef_.dtype == np.float64
    # posterior mean = ridge MAP for the Normal prior; 5 sd / sqrt(300) is a generous MC bound
    assert np.all(np.abs(model.coef_ - coef) < 5 * model.coef_sd_ / np.sqrt(300))


# ------------------------------------------------------------------ n = 1, p = 1
def test_one_sample_needs_sigma_and_then_gives_a_defined_answer():
    X, y = np.array([[2.0, -1.0]]), np.array([5.0])
    with pytest.raises(ValueError, match="Pass sigma="):
        br.MAPRegressor(br.Laplace(1.0)).fit(X, y)
    for family in MAP_FAMILIES:
        # with an intercept the single point is fitted by the intercept alone
        model = br.MAPRegressor(prior_of(family, 1.0), sigma=1.0).fit(X, y)
        np.testing.assert_array_equal(model.coef_, 0.0)
        assert model.intercept_ == 5.0
    # without one, ridge on one row: w = x y / (x.x + sigma^2 / t^2)
    model = br.MAPRegressor(br.Normal(1.0), sigma=1.0, fit_intercept=False).fit(X, y)
    np.testing.assert_allclose(model.coef_, X[0] * 5.0 / (X[0] @ X[0] + 1.0), rtol=1e-12)


def test_one_sample_classifier_and_posterior():
    X, y = np.array([[2.0, -1.0]]), np.array([5.0])
    with pytest.raises(ValueError, match="2 classes"):
        br.MAPClassifier(br.Normal(1.0)).fit(X, [1])
    model = exact_posterior(br.Normal(3.0), X, y, draws=4000)
    # no information about the coefficients: the N(0, 9) prior; intercept ~ N(5 - x w, sigma^2)
    coef = model.idata_.posterior["coef"].values.reshape(-1, 2)
    assert np.all(np.abs(coef.mean(axis=0)) < 4 * 3.0 / np.sqrt(len(coef)))
    np.testing.assert_allclose(coef.std(axis=0), 3.0, rtol=4 / np.sqrt(2 * len(coef)))
    mean, _ = model.predict(X, return_std=True)
    assert mean[0] == pytest.approx(5.0, abs=4 / np.sqrt(len(coef)))


@pytest.mark.parametrize("prior", [br.Normal(0.3), br.Laplace(0.05), br.ElasticNet(0.2, 0.7)], ids=repr)
def test_one_feature_is_the_written_out_shrinkage(regression, prior):
    """p = 1: the MAP shrinks the least-squares slope z, with variance v = sigma^2 / sum(xc^2)."""
    X, y = regression
    x = X[:, :1]
    sigma = 2.0
    xc = x[:, 0] - x.mean()
    z = xc @ (y - y.mean()) / (xc @ xc)
    v = sigma**2 / (xc @ xc)
    l1, l2 = prior.penalty_weights
    expected = np.sign(z) * max(abs(z) - v * l1, 0.0) / (1.0 + v * l2)
    model = br.MAPRegressor(prior, sigma=sigma).fit(x, y)
    assert model.coef_[0] == pytest.approx(expected, rel=1e-8, abs=1e-12)
    assert model.intercept_ == pytest.approx(y.mean() - x.mean() * expected, rel=1e-8)


def test_one_feature_classifier_and_exact_posterior(classification, regression):
    X, y = classification
    x = X[:, :1]

    def objective(theta):  # logistic NLL + w^2 / (2 t^2), t = 0.5
        eta = theta[0] + x[:, 0] * theta[1]
        return np.sum(np.logaddexp(0.0, eta) - y * eta) + theta[1] ** 2 / (2 * 0.25)

    best = optimize.minimize(objective, np.zeros(2), method="BFGS", options={"gtol": 1e-10}).x
    model = br.MAPClassifier(br.Normal(0.5)).fit(x, y)
    assert model.coef_[0] == pytest.approx(best[1], rel=1e-5)
    Xr, yr = regression
    post = exact_posterior(br.Normal(1.0), Xr[:, :1], yr)
    _, coef = ridge_closed_form(Xr[:, :1], yr, 1.0)
    assert abs(post.coef_[0] - coef[0]) < 4 * post.coef_sd_[0] / np.sqrt(4000)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert post.predict(Xr[:3, :1]).shape == (3,)
