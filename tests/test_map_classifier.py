"""MAPClassifier against scikit-learn at the mapped C, an explicit optimum, and bad input."""

import numpy as np
import pytest
from scipy import optimize
from scipy.special import expit
from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import LogisticRegression

from bayesreg import ElasticNet, Horseshoe, Laplace, MAPClassifier, Normal


@pytest.fixture(scope="module")
def cancer():
    X, y = load_breast_cancer(return_X_y=True, as_frame=True)
    X = (X - X.mean()) / X.std(ddof=0)
    return X, y


def negative_log_posterior(theta, X, y, l1, l2):
    """The objective of the docstring, written out: Bernoulli-logit NLL plus penalty."""
    b0, w = theta[0], theta[1:]
    eta = b0 + X @ w
    return np.sum(np.logaddexp(0, -(2 * y - 1) * eta)) + l1 * np.abs(w).sum() + 0.5 * l2 * w @ w


@pytest.mark.parametrize("prior", [Normal(0.5), Normal(3.0)], ids=repr)
def test_normal_prior_equals_direct_minimisation(cancer, prior):
    X, y = cancer[0].to_numpy(), cancer[1].to_numpy()
    model = MAPClassifier(prior).fit(X, y)
    l2 = 1 / prior.scale**2
    res = optimize.minimize(
        negative_log_posterior, np.zeros(X.shape[1] + 1), args=(X, y, 0.0, l2),
        jac=lambda th, X, y, l1, l2: np.r_[
            -np.sum(y - expit(th[0] + X @ th[1:])),
            -X.T @ (y - expit(th[0] + X @ th[1:])) + l2 * th[1:],
        ],
        method="BFGS", options={"gtol": 1e-9},
    )
    np.testing.assert_allclose(model.coef_, res.x[1:], rtol=1e-6, atol=1e-8)
    assert model.intercept_ == pytest.approx(res.x[0], rel=1e-6, abs=1e-8)


@pytest.mark.parametrize("prior", [Normal(0.5), Laplace(0.2), ElasticNet(0.5, 0.6)], ids=repr)
def test_equals_sklearn_logistic_regression_at_mapped_c(cancer, prior):
    X, y = cancer
    model = MAPClassifier(prior).fit(X, y)
    expected_c = {"Normal": 0.25, "Laplace": 0.2, "ElasticNet": 1 / (0.6 / 0.5 + 0.4 / 0.25)}
    assert model.penalty_["C"] == pytest.approx(expected_c[type(prior).__name__], rel=1e-12)
    ref = LogisticRegression(
        C=model.penalty_["C"], l1_ratio=model.penalty_["l1_ratio"],
        solver="saga" if model.penalty_["l1_ratio"] else "newton-cholesky", tol=1e-10, max_iter=1_000_000,
    ).fit(X, y)
    np.testing.assert_allclose(model.coef_, ref.coef_[0], rtol=1e-4, atol=1e-6)
    assert model.intercept_ == pytest.approx(ref.intercept_[0], rel=1e-4)
    np.testing.assert_array_equal(model.coef_ == 0, ref.coef_[0] == 0)


def test_laplace_prior_satisfies_kkt_conditions(cancer):
    """Solver-independent optimality: 0 is in the subgradient of the log posterior."""
    X, y = cancer[0].to_numpy(), cancer[1].to_numpy()
    s = 0.2
    model = MAPClassifier(Laplace(s), tol=1e-10).fit(X, y)
    resid = y - expit(model.decision_function(X))
    assert resid.sum() == pytest.approx(0, abs=1e-5)
    grad = X.T @ resid
    active = model.coef_ != 0
    assert 0 < active.sum() < X.shape[1]
    np.testing.assert_allclose(grad[active], np.sign(model.coef_[active]) / s, rtol=1e-4)
    assert np.all(np.abs(grad[~active]) <= (1 / s) * (1 + 1e-4))


def test_separable_classes_give_a_finite_map():
    X = np.array([[-2.0], [-1.0], [1.0], [2.0]])
    y = np.array(["no", "no", "yes", "yes"])
    model = MAPClassifier(Normal(1.0)).fit(X, y)
    assert np.isfinite(model.coef_).all() and model.coef_[0] > 0
    assert list(model.classes_) == ["no", "yes"]
    np.testing.assert_array_equal(model.predict(X), y)
    proba = model.predict_proba(X)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    assert np.all(np.diff(proba[:, 1]) > 0)


def test_feature_names_and_shapes(cancer):
    X, y = cancer
    model = MAPClassifier(Normal(1.0)).fit(X, y)
    assert list(model.feature_names_in_) == list(X.columns)
    assert model.coef_.shape == (30,) and isinstance(model.intercept_, float)


def test_more_than_two_classes_is_a_clear_error():
    X = np.random.default_rng(0).normal(size=(9, 2))
    with pytest.raises(ValueError, match="3 classes.*OneVsRestClassifier"):
        MAPClassifier(Normal(1.0)).fit(X, [0, 1, 2] * 3)
    with pytest.raises(ValueError, match="only 1 class"):
        MAPClassifier(Normal(1.0)).fit(X, [1] * 9)
    with pytest.raises(ValueError, match="continuous"):
        MAPClassifier(Normal(1.0)).fit(X, np.linspace(0, 1, 9))


def test_horseshoe_and_bad_input(cancer):
    X, y = cancer
    with pytest.raises(ValueError, match="no finite minimum"):
        MAPClassifier(Horseshoe()).fit(X, y)
    with pytest.raises(ValueError, match="NaN"):
        MAPClassifier(Normal(1.0)).fit(X.where(X > 2), y)
    model = MAPClassifier(Normal(1.0)).fit(X, y)
    with pytest.raises(ValueError, match="missing"):
        model.predict(X.iloc[:, :5])


# ---------------------------------------------------------------------- badly scaled columns
def split_l1_logistic(X, y, l1_per_feature):
    """An independent L1 logistic MAP: L-BFGS-B on w = u - v, u, v >= 0 (smooth, bounded)."""
    n, p = X.shape

    def value_and_grad(theta):
        u, v, b0 = theta[:p], theta[p : 2 * p], theta[-1]
        eta = b0 + X @ (u - v)
        residual = expit(eta) - y
        g = X.T @ residual
        value = np.sum(np.logaddexp(0, eta) - y * eta) + l1_per_feature @ (u + v)
        return value, np.concatenate([g + l1_per_feature, -g + l1_per_feature, [residual.sum()]])

    result = optimize.minimize(
        value_and_grad, np.zeros(2 * p + 1), jac=True, method="L-BFGS-B",
        bounds=[(0, None)] * (2 * p) + [(None, None)],
        options={"gtol": 1e-12, "ftol": 0.0, "maxiter": 100_000, "maxcor": 50},
    )
    return result.x[:p] - result.x[p : 2 * p], result.x[-1]


@pytest.fixture(scope="module")
def logistic_problem():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 4))
    eta = X @ np.array([1.0, -0.5, 0.0, 0.8])
    y = (rng.uniform(size=200) < expit(eta)).astype(float)
    return X, y


def test_a_column_times_1e8_reaches_the_optimum(logistic_problem):
    """Issue 12: a column x 1e8 used to stop the L1 solver far from the optimum, silently."""
    X, y = logistic_problem
    big = X.copy()
    big[:, 0] *= 1e8
    model = MAPClassifier(Laplace(1.0)).fit(big, y)
    # |w_0| on the 1e8 column is |1e-8 * w'_0| on the unit column: the same problem, solved
    # independently on well-scaled columns with the exactly rescaled weights (1e-8, 1, 1, 1)
    weights = np.array([1e-8, 1.0, 1.0, 1.0])
    coef, intercept = split_l1_logistic(X, y, weights)
    np.testing.assert_allclose(model.coef_ * [1e8, 1, 1, 1], coef, rtol=1e-6, atol=1e-8)
    assert model.intercept_ == pytest.approx(intercept, abs=1e-7)
    ours = negative_log_posterior(np.r_[model.intercept_, model.coef_], big, y, 1.0, 0.0)
    optimum = negative_log_posterior(np.r_[intercept, coef], X, y, 0.0, 0.0) + weights @ np.abs(coef)
    assert ours == pytest.approx(optimum, rel=1e-12)


@pytest.mark.parametrize("prior, scaled", [(Laplace(1.0), Laplace(1e-8)), (Normal(1.0), Normal(1e-8)),
                                           (ElasticNet(1.0, 0.5), ElasticNet(1e-8, 0.5))], ids=repr)
def test_scaling_x_by_1e8_scales_the_map_by_exactly_1e_minus_8(logistic_problem, prior, scaled):
    """X -> 1e8 X with scale -> 1e-8 scale is the same posterior in v = 1e8 w: coef_ / 1e8."""
    X, y = logistic_problem
    small = MAPClassifier(prior).fit(X, y)
    big = MAPClassifier(scaled).fit(1e8 * X, y)
    np.testing.assert_allclose(big.coef_ * 1e8, small.coef_, rtol=1e-9, atol=1e-12)
    assert big.intercept_ == pytest.approx(small.intercept_, rel=1e-9, abs=1e-12)
    assert np.array_equal(big.coef_ == 0, small.coef_ == 0)


# ---------------------------------------------------------------------- penalty beyond the maximum
@pytest.mark.parametrize("prior", [Laplace(1e-150), Normal(1e-150), ElasticNet(1e-150, 0.5)], ids=repr)
def test_an_enormous_penalty_gives_zeros_and_the_logit_of_the_mean(logistic_problem, prior):
    X, y = logistic_problem
    y = y * (np.arange(len(y)) % 3 != 0)  # mean(y) != 1/2, so the intercept is not 0
    model = MAPClassifier(prior).fit(X, y)
    assert np.all(np.abs(model.coef_) < 1e-290)  # exact 0 for L1; 1e-300-ish for Normal(1e-150)
    assert model.intercept_ == pytest.approx(np.log(y.mean() / (1 - y.mean())), rel=1e-12)


def test_l1_weight_at_the_largest_gradient_gives_exact_zeros(logistic_problem):
    """KKT at w = 0: zero is the MAP iff l1 >= max|X'(y - mean y)| (intercept at logit mean)."""
    X, y = logistic_problem
    l1_max = np.max(np.abs(X.T @ (y - y.mean())))
    at_max = MAPClassifier(Laplace(1.0 / l1_max)).fit(X, y)
    assert np.all(at_max.coef_ == 0.0)
    assert at_max.intercept_ == pytest.approx(np.log(y.mean() / (1 - y.mean())), rel=1e-12)
    below = MAPClassifier(Laplace(1.001 / l1_max)).fit(X, y)
    assert np.count_nonzero(below.coef_) == 1
