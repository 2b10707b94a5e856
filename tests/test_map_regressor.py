"""MAPRegressor against scikit-learn at the mapped alpha, KKT conditions and bad input."""

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import ElasticNet as SkElasticNet
from sklearn.linear_model import Lasso, LinearRegression, Ridge

from bayesreg import ElasticNet, HalfCauchy, Horseshoe, Laplace, MAPRegressor, Normal, estimate_sigma, map_path
from bayesreg.datasets import make_sparse_regression


def sklearn_fit(penalty, X, y):
    """The scikit-learn estimator named by ``penalty``, fitted with its own intercept handling."""
    params = {k: v for k, v in penalty.items() if k != "estimator"}
    if penalty["estimator"] == "Ridge":
        return Ridge(**params).fit(X, y)
    cls = Lasso if penalty["estimator"] == "Lasso" else SkElasticNet
    return cls(**params, tol=1e-12, max_iter=1_000_000).fit(X, y)


def assert_same_fit(ours, theirs):
    np.testing.assert_allclose(ours.coef_, theirs.coef_, rtol=1e-6, atol=1e-9 * np.abs(theirs.coef_).max())
    assert ours.intercept_ == pytest.approx(theirs.intercept_, rel=1e-6)
    np.testing.assert_array_equal(ours.coef_ == 0, theirs.coef_ == 0)


DIABETES_PRIORS = [Normal(10.0), Normal(0.5), Laplace(1.0), Laplace(0.05), ElasticNet(2.0, 0.5), ElasticNet(0.3, 0.9)]


@pytest.mark.parametrize("prior", DIABETES_PRIORS, ids=repr)
def test_equals_sklearn_at_mapped_alpha_on_diabetes(diabetes, prior):
    X, y = diabetes
    ours = MAPRegressor(prior, sigma=54.0).fit(X, y)
    n = X.shape[0]
    # the mapping written out, not taken from the code under test
    expected_alpha = {
        "Normal": 54.0**2 / prior.scale**2,
        "Laplace": 54.0**2 / (n * prior.scale),
        "ElasticNet": 54.0**2 / n * (getattr(prior, "l1_ratio", 0) / prior.scale
                                     + (1 - getattr(prior, "l1_ratio", 0)) / prior.scale**2),
    }[type(prior).__name__]
    assert ours.penalty_["alpha"] == pytest.approx(expected_alpha, rel=1e-12)
    assert_same_fit(ours, sklearn_fit(ours.penalty_, X, y))


@pytest.mark.parametrize("prior", [Normal(0.3), Laplace(0.02), ElasticNet(0.1, 0.7)], ids=repr)
def test_equals_sklearn_when_p_exceeds_n(wide_problem, prior):
    X, y, _ = wide_problem
    ours = MAPRegressor(prior, sigma=1.0).fit(X, y)
    if not isinstance(prior, Normal):
        assert 0 < np.count_nonzero(ours.coef_) < X.shape[1] / 2  # a genuinely sparse answer
    assert_same_fit(ours, sklearn_fit(ours.penalty_, X, y))


@pytest.mark.parametrize("scale", [0.05, 0.5, 5.0])
def test_laplace_map_satisfies_kkt_conditions(diabetes, scale):
    """Independent of any solver: the subgradient of the log posterior contains 0."""
    X, y = diabetes
    sigma = 50.0
    model = MAPRegressor(Laplace(scale), sigma=sigma).fit(X, y)
    resid = y.to_numpy() - model.predict(X)
    assert resid.sum() == pytest.approx(0.0, abs=1e-6)  # flat-prior intercept
    grad = X.to_numpy().T @ resid / sigma**2  # d log-likelihood / d w
    active = model.coef_ != 0
    np.testing.assert_allclose(grad[active], np.sign(model.coef_[active]) / scale, rtol=1e-5)
    assert np.all(np.abs(grad[~active]) <= 1 / scale * (1 + 1e-8))


def test_normal_map_is_the_gaussian_posterior_mean(diabetes):
    """Closed form of the conjugate posterior mean with a flat intercept, written independently."""
    X, y = diabetes
    t, sigma = 3.0, 54.0
    Z = np.column_stack([np.ones(len(y)), X.to_numpy()])
    precision = Z.T @ Z / sigma**2 + np.diag([0.0] + [1 / t**2] * X.shape[1])
    mean = np.linalg.solve(precision, Z.T @ y.to_numpy() / sigma**2)
    model = MAPRegressor(Normal(t), sigma=sigma).fit(X, y)
    np.testing.assert_allclose(model.coef_, mean[1:], rtol=1e-9)
    assert model.intercept_ == pytest.approx(mean[0], rel=1e-12)


def test_sigma_none_uses_least_squares_estimate(diabetes):
    X, y = diabetes
    ols = LinearRegression().fit(X, y)
    rss = np.sum((y - ols.predict(X)) ** 2)
    expected = np.sqrt(rss / (len(y) - X.shape[1] - 1))
    model = MAPRegressor(Laplace(1.0)).fit(X, y)
    assert model.sigma_ == pytest.approx(expected, rel=1e-10)
    assert model.penalty_["alpha"] == pytest.approx(expected**2 / (len(y) * 1.0), rel=1e-10)
    fixed = MAPRegressor(Laplace(1.0), sigma=model.sigma_).fit(X, y)
    np.testing.assert_array_equal(fixed.coef_, model.coef_)


def test_sigma_none_recovers_true_noise_when_p_exceeds_n():
    """Simulation with known truth (sigma = 2): the CV-lasso rule is close on average."""
    estimates = []
    for seed in range(4):
        X, y, _ = make_sparse_regression(80, 200, 5, noise=2.0, random_state=seed)
        estimates.append(estimate_sigma(X, y))
    # relative error of sigma-hat is O(1/sqrt(n)) ~ 0.1 per data set; the mean of 4 within 15%
    assert np.mean(estimates) == pytest.approx(2.0, rel=0.15)
    assert MAPRegressor(Laplace(0.5)).fit(X, y).sigma_ == estimates[-1]


def test_feature_names_from_pandas(diabetes):
    X, y = diabetes
    model = MAPRegressor(Laplace(1.0)).fit(X, y)
    assert list(model.feature_names_in_) == list(X.columns)
    assert model.n_features_in_ == 10
    assert not hasattr(MAPRegressor(Laplace(1.0)).fit(X.to_numpy(), y), "feature_names_in_")


def test_no_intercept():
    X, y, _ = make_sparse_regression(50, 5, 3, random_state=0)
    model = MAPRegressor(Normal(100.0), sigma=1.0, fit_intercept=False).fit(X, y + 10)
    ref = Ridge(alpha=1e-4, fit_intercept=False).fit(X, y + 10)
    assert model.intercept_ == 0.0
    np.testing.assert_allclose(model.coef_, ref.coef_, rtol=1e-6)


# ------------------------------------------------------------------ bad input
def _data(n=20, p=3):
    rng = np.random.default_rng(0)
    return rng.normal(size=(n, p)), rng.normal(size=n)


@pytest.mark.parametrize(
    "make_xy, match",
    [
        (lambda X, y: (np.where(np.eye(*X.shape, dtype=bool), np.nan, X), y), "NaN"),
        (lambda X, y: (np.where(np.eye(*X.shape, dtype=bool), np.inf, X), y), "infinity"),
        (lambda X, y: (X, np.r_[np.nan, y[1:]]), "NaN"),
        (lambda X, y: (X[:-1], y), "inconsistent numbers of samples"),
        (lambda X, y: (np.empty((0, 3)), np.empty(0)), "0 sample"),
        (lambda X, y: (np.empty((20, 0)), y), "0 feature"),
        (lambda X, y: (pd.DataFrame({"a": ["x"] * 20, "b": 1.0}), y), "could not convert"),
    ],
)
def test_bad_data_raises_value_error_naming_the_problem(make_xy, match):
    X, y = make_xy(*_data())
    with pytest.raises(ValueError, match=match):
        MAPRegressor(Laplace(1.0)).fit(X, y)


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"prior": Horseshoe()}, ValueError, "no finite minimum"),
        ({"prior": Laplace(HalfCauchy(1.0))}, ValueError, "hyperprior on its scale"),
        ({"prior": "laplace"}, TypeError, "bayesreg prior"),
        ({"prior": Laplace(), "sigma": 0.0}, ValueError, "sigma must be finite and > 0"),
        ({"prior": Laplace(), "sigma": -2.0}, ValueError, "sigma must be finite and > 0"),
        ({"prior": Laplace(), "sigma": "1"}, TypeError, "sigma must be None or a positive number"),
    ],
)
def test_bad_parameters_raise_at_fit(kwargs, error, match):
    with pytest.raises(error, match=match):
        MAPRegressor(**kwargs).fit(*_data())


def test_wrong_width_at_predict():
    model = MAPRegressor(Laplace(1.0)).fit(*_data())
    with pytest.raises(ValueError, match="3 features"):
        model.predict(np.zeros((2, 4)))


def test_too_few_samples_to_estimate_sigma_says_pass_sigma():
    X, y = _data(n=2, p=1)
    with pytest.raises(ValueError, match="Pass sigma="):
        MAPRegressor(Laplace(1.0)).fit(X, y)
    assert MAPRegressor(Laplace(1.0), sigma=1.0).fit(X, y).coef_.shape == (1,)


def test_exact_fit_warns_and_gives_least_squares():
    X, _ = _data()
    y = X @ [1.0, 2.0, 3.0] + 4.0
    with pytest.warns(UserWarning, match="fits y exactly"):
        model = MAPRegressor(Normal(1.0)).fit(X, y)
    assert model.sigma_ == pytest.approx(1e-8 * np.std(y))
    np.testing.assert_allclose(model.coef_, [1.0, 2.0, 3.0], rtol=1e-6)
    assert model.intercept_ == pytest.approx(4.0)


def test_failed_fit_leaves_fitted_model_untouched(diabetes):
    X, y = diabetes
    model = MAPRegressor(Laplace(1.0)).fit(X, y)
    before = {k: v for k, v in vars(model).items() if k.endswith("_")}
    with pytest.raises(ValueError):
        model.fit(np.ones((2, 3)), np.ones(2))  # validates, then fails estimating sigma
    after = {k: v for k, v in vars(model).items() if k.endswith("_")}
    assert before.keys() == after.keys()
    for key in before:
        np.testing.assert_array_equal(before[key], after[key])
    np.testing.assert_allclose(model.predict(X.iloc[:3]), MAPRegressor(Laplace(1.0)).fit(X, y).predict(X.iloc[:3]))


# ---------------------------------------------------------------------- penalty beyond alpha_max
def _alpha_max(X, y):
    """The lasso's alpha_max = max|X'(y - mean y)| / n: zero is optimal at and above it."""
    X, y = np.asarray(X), np.asarray(y)
    return np.max(np.abs((X - X.mean(axis=0)).T @ (y - y.mean()))) / len(y)


@pytest.mark.parametrize(
    "prior, sigma",
    [(Laplace(1e-150), 1e150), (Normal(1e-150), 1e150), (ElasticNet(1e-150, 0.5), 1e150),
     (Laplace(1e-150), 1.0), (Laplace(1.0), 1e150)],
    ids=repr,
)
def test_an_infinite_mapped_penalty_gives_zeros_not_least_squares(diabetes, prior, sigma):
    """Issue 12: alpha = sigma**2 / (n s) overflows to inf; the MAP is 0 and b0 = mean(y)."""
    X, y = diabetes
    model = MAPRegressor(prior, sigma=sigma).fit(X, y)
    np.testing.assert_array_equal(model.coef_, np.zeros(X.shape[1]))
    assert model.intercept_ == pytest.approx(y.mean(), rel=1e-14)


@pytest.mark.parametrize("factor", [1.0, 1.0 + 1e-12, 10.0])
def test_lasso_at_or_above_alpha_max_gives_exact_zeros(diabetes, factor):
    X, y = diabetes
    n, sigma = len(y), 50.0
    alpha = factor * _alpha_max(X, y)
    model = MAPRegressor(Laplace(sigma**2 / (n * alpha)), sigma=sigma).fit(X, y)  # alpha = s^2/(n s)
    np.testing.assert_array_equal(model.coef_, np.zeros(X.shape[1]))
    assert model.intercept_ == pytest.approx(y.mean(), rel=1e-14)
    just_below = MAPRegressor(Laplace(sigma**2 / (n * alpha) * 1.001), sigma=sigma).fit(X, y)
    assert (np.count_nonzero(just_below.coef_) > 0) == (factor / 1.001 < 1.0)  # below alpha_max


@pytest.mark.parametrize(
    "prior, sigma",
    [(Laplace(1e30), 1.0), (Laplace(1.0), 1e-150), (ElasticNet(1e30, 0.5), 1.0), (Laplace(1e6), 1.0)],
    ids=repr,
)
def test_a_nearly_flat_prior_is_solved_exactly_without_a_convergence_warning(diabetes, prior, sigma):
    """An L1 weight far below alpha_max: coordinate descent ran to max_iter and warned
    (ConvergenceWarning is an error here). The MAP then has no zero coefficient and
    satisfies the optimality conditions X'(y - Xw) = a1 sign(w) + a2 w, written out
    here with numpy; and it is least squares to the size of that weight."""
    X, y = np.asarray(diabetes[0]), np.asarray(diabetes[1])
    fit = MAPRegressor(prior, sigma=sigma).fit(X, y)
    l1, l2 = prior.penalty_weights
    a1, a2 = sigma**2 * l1, sigma**2 * l2
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    gradient = Xc.T @ (yc - Xc @ fit.coef_)
    assert np.all(fit.coef_ != 0)
    np.testing.assert_allclose(gradient, a1 * np.sign(fit.coef_) + a2 * fit.coef_,
                               atol=1e-9 * np.abs(Xc.T @ yc).max())
    np.testing.assert_allclose(fit.coef_, LinearRegression().fit(X, y).coef_, rtol=1e-4)
    path = map_path(X, y, prior, [prior.scale], sigma=sigma)
    np.testing.assert_allclose(path.coefs[0], fit.coef_, rtol=1e-12)
