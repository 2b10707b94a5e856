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
