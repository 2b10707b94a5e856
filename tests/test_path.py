"""map_path against per-scale fits of scikit-learn and of the estimators."""

import dataclasses

import numpy as np
import pytest
from sklearn.linear_model import Lasso, Ridge

from bayesreg import ElasticNet, Horseshoe, Laplace, MAPClassifier, MAPRegressor, Normal, map_path

SCALES = np.logspace(-2, 2, 9)[::-1]  # deliberately not ascending


def test_ridge_path_equals_looping_sklearn_ridge(diabetes):
    X, y = diabetes
    path = map_path(X, y, Normal(1.0), SCALES, sigma=50.0)
    for scale, coef, intercept in zip(path.scales, path.coefs, path.intercepts):
        ref = Ridge(alpha=50.0**2 / scale**2).fit(X, y)
        np.testing.assert_allclose(coef, ref.coef_, rtol=1e-8, atol=1e-10)
        assert intercept == pytest.approx(ref.intercept_, rel=1e-10)
    np.testing.assert_allclose(path.alphas, 50.0**2 / SCALES**2)


def test_lasso_path_equals_sklearn_lasso_at_each_alpha(diabetes):
    X, y = diabetes
    path = map_path(X, y, Laplace(1.0), SCALES, sigma=50.0)
    n = len(y)
    for scale, coef in zip(path.scales, path.coefs):
        ref = Lasso(alpha=50.0**2 / (n * scale), tol=1e-12, max_iter=10**6).fit(X, y)
        np.testing.assert_allclose(coef, ref.coef_, rtol=1e-6, atol=1e-8)
        np.testing.assert_array_equal(coef == 0, ref.coef_ == 0)
    # the strongest penalties give all zeros, the weakest none
    assert np.all(path.coefs[path.scales == SCALES.min()] == 0)
    assert np.all(path.coefs[path.scales == SCALES.max()] != 0)


@pytest.mark.parametrize("prior", [ElasticNet(1.0, 0.4), Laplace(1.0), Normal(1.0)], ids=repr)
def test_path_rows_equal_the_estimator(wide_problem, prior):
    X, y, _ = wide_problem
    scales = SCALES[SCALES <= 1.0]  # beyond, the p > n lasso nearly interpolates: slow to converge
    path = map_path(X, y, prior, scales)  # sigma estimated once
    for scale, coef, intercept in zip(scales, path.coefs, path.intercepts):
        model = MAPRegressor(dataclasses.replace(prior, scale=scale)).fit(X, y)
        assert model.sigma_ == path.sigma
        # vector-relative: the duality-gap tolerance bounds the error relative to the largest coef
        np.testing.assert_allclose(coef, model.coef_, rtol=1e-6, atol=1e-6 * np.abs(coef).max())
        assert intercept == pytest.approx(model.intercept_, rel=1e-6, abs=1e-9)


@pytest.mark.parametrize("prior", [Normal(1.0), Laplace(1.0)], ids=repr)
def test_logistic_path_equals_the_classifier(diabetes, prior):
    X, y = diabetes
    labels = (y > y.median()).astype(int)
    scales = np.array([0.05, 0.5, 5.0])
    path = map_path(X, labels, prior, scales, likelihood="bernoulli")
    for scale, coef, intercept in zip(scales, path.coefs, path.intercepts):
        model = MAPClassifier(type(prior)(scale)).fit(X, labels)
        np.testing.assert_allclose(coef, model.coef_, rtol=1e-5, atol=1e-7)
        assert intercept == pytest.approx(model.intercept_, rel=1e-5, abs=1e-7)
    assert path.sigma is None
    np.testing.assert_allclose(path.alphas, scales if isinstance(prior, Laplace) else scales**2)


def test_to_frame_has_feature_names_and_scales(diabetes):
    X, y = diabetes
    frame = map_path(X, y, Laplace(1.0), [0.1, 1.0]).to_frame()
    assert list(frame.columns) == list(X.columns)
    assert list(frame.index) == [0.1, 1.0] and frame.index.name == "scale"


@pytest.mark.parametrize(
    "prior, scales, kwargs, error, match",
    [
        (Horseshoe(), [1.0], {}, ValueError, "no finite minimum"),
        ("lasso", [1.0], {}, TypeError, "bayesreg prior"),
        (Laplace(), [], {}, ValueError, "scales is empty"),
        (Laplace(), [1.0, -1.0], {}, ValueError, "scales must be finite and > 0"),
        (Laplace(), [1.0], {"sigma": 0.0}, ValueError, "sigma"),
        (Laplace(), [1.0], {"likelihood": "bernoulli", "sigma": 1.0}, ValueError, "no role"),
    ],
)
def test_bad_input(diabetes, prior, scales, kwargs, error, match):
    X, y = diabetes
    with pytest.raises(error, match=match):
        map_path(X, (y > 140) if kwargs.get("likelihood") else y, prior, scales, **kwargs)


@pytest.mark.parametrize("likelihood", ["gaussian", "bernoulli"])
def test_an_infinite_penalty_gives_zero_rows(diabetes, likelihood):
    """Issue 12: Laplace(1e-150) with sigma = 1e150 maps to alpha = inf: zeros, not an error."""
    X, y = diabetes
    if likelihood == "bernoulli":
        y = (y > y.quantile(0.3)).astype(int)
        path = map_path(X, y, Laplace(1.0), [1e-150, 1.0], likelihood="bernoulli")
        intercept = np.log(y.mean() / (1 - y.mean()))  # logit of the mean
    else:
        path = map_path(X, y, Laplace(1.0), [1e-150, 1.0], sigma=1e150)
        intercept = y.mean()
    np.testing.assert_array_equal(path.coefs[0], 0.0)
    assert path.intercepts[0] == pytest.approx(intercept, rel=1e-12)


def test_negligible_l1_part_uses_the_regressors_guard(diabetes):
    """Issue 15: an ElasticNet with l1_ratio ~ 0 made map_path's coordinate descent warn;
    its rows now equal the estimator's (which drops the negligible L1 part) and ridge."""
    X, y = diabetes
    prior = ElasticNet(1.0, 1e-12)
    scales = [0.01, 1.0, 100.0]
    path = map_path(X, y, prior, scales, sigma=50.0)
    for scale, coef in zip(scales, path.coefs):
        at_scale = dataclasses.replace(prior, scale=scale)
        np.testing.assert_allclose(coef, MAPRegressor(at_scale, sigma=50.0).fit(X, y).coef_, rtol=1e-10)
        ridge = Ridge(alpha=50.0**2 * at_scale.penalty_weights.l2).fit(X, y)
        np.testing.assert_allclose(coef, ref := ridge.coef_, rtol=1e-6, atol=1e-6 * np.abs(ref).max())


@pytest.mark.parametrize("prior", [Normal(1.0), Laplace(1.0), ElasticNet(1.0, 0.3)], ids=repr)
@pytest.mark.parametrize("likelihood", ["gaussian", "bernoulli"])
def test_every_path_row_is_the_estimator_at_that_scale(diabetes, prior, likelihood):
    """Issue 15, one MAP solver: map_path and the estimators call the same solve_map, so
    each row is the estimator's fit at that scale.  Not to 1e-10: the path warm-starts each
    scale at the previous one, the estimator starts cold, and both stop at the solver's
    tolerance (duality gap / KKT violation), which leaves ~1e-8 of the largest coefficient."""
    X, y = diabetes
    scales = np.logspace(-2, 3, 12)
    if likelihood == "bernoulli":
        y = (y > y.median()).astype(int)
        path = map_path(X, y, prior, scales, likelihood="bernoulli")
        fits = [MAPClassifier(prior.with_scale(s)).fit(X, y) for s in scales]
    else:
        path = map_path(X, y, prior, scales, sigma=50.0)
        fits = [MAPRegressor(prior.with_scale(s), sigma=50.0).fit(X, y) for s in scales]
    for coef, intercept, fit in zip(path.coefs, path.intercepts, fits):
        size = max(np.abs(fit.coef_).max(), 1.0)
        np.testing.assert_allclose(coef, fit.coef_, rtol=0, atol=1e-7 * size)
        assert intercept == pytest.approx(fit.intercept_, rel=1e-7, abs=1e-7)


def test_map_path_at_a_nearly_flat_l1_prior_is_least_squares_without_warning(diabetes):
    """Issue 15: an L1 weight near zero (Laplace/ElasticNet at a huge scale) needs the
    estimator's guard in map_path too: no ConvergenceWarning, rows equal least squares."""
    X, y = diabetes
    ols = np.linalg.lstsq(np.column_stack([np.ones(len(y)), X]), y, rcond=None)[0][1:]
    for prior in (Laplace(1.0), ElasticNet(1.0, 0.5)):
        path = map_path(X, y, prior, [1e12, 1e30], sigma=50.0)  # filterwarnings=error
        for coef in path.coefs:
            np.testing.assert_allclose(coef, ols, rtol=1e-8, atol=1e-8 * np.abs(ols).max())
