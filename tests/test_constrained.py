"""Exact least squares under an L1/L2 budget, against scikit-learn and a generic solver."""

import numpy as np
import pytest
from scipy import optimize
from sklearn.linear_model import Lasso, LinearRegression, Ridge

from bayesreg.teaching.constrained import constrained_least_squares


@pytest.fixture(scope="module")
def correlated_problem():
    rng = np.random.default_rng(7)
    X = rng.multivariate_normal([1.0, -2.0], [[1.0, 0.6], [0.6, 1.0]], size=80)
    y = 3.0 + X @ np.array([1.5, 0.8]) + rng.normal(size=80)
    return X, y


def slsqp(X, y, budget, ord_):
    """The same problem through scipy's generic constrained optimiser (intercept free)."""
    Xc, yc = X - X.mean(0), y - y.mean()
    if ord_ == 1:  # split w = u - v, u, v >= 0, so the L1 constraint is linear and smooth
        fun = lambda uv: 0.5 * np.sum((yc - Xc @ (uv[:2] - uv[2:])) ** 2)  # noqa: E731
        cons = [{"type": "ineq", "fun": lambda uv: budget - uv.sum()}]
        res = optimize.minimize(fun, np.full(4, 0.1), method="SLSQP", bounds=[(0, None)] * 4,
                                constraints=cons, options={"ftol": 1e-14, "maxiter": 1000})
        return res.x[:2] - res.x[2:]
    fun = lambda w: 0.5 * np.sum((yc - Xc @ w) ** 2)  # noqa: E731
    cons = [{"type": "ineq", "fun": lambda w: budget**2 - w @ w}]
    res = optimize.minimize(fun, np.zeros(X.shape[1]), method="SLSQP", constraints=cons,
                            options={"ftol": 1e-14, "maxiter": 1000})
    return res.x


@pytest.mark.parametrize("budget", [0.3, 1.0, 1.8])
def test_l1_optimum_matches_lasso_and_generic_solver(correlated_problem, budget):
    X, y = correlated_problem
    fit = constrained_least_squares(X, y, budget, norm="l1")
    assert np.abs(fit.coef).sum() == pytest.approx(budget, rel=1e-12)
    lasso = Lasso(alpha=fit.penalty["alpha"], tol=1e-14, max_iter=1_000_000).fit(X, y)
    np.testing.assert_allclose(fit.coef, lasso.coef_, atol=1e-8)
    np.testing.assert_allclose(fit.coef, slsqp(X, y, budget, 1), atol=1e-5)


@pytest.mark.parametrize("budget", [0.3, 1.0, 1.5])
def test_l2_optimum_matches_ridge_and_generic_solver(correlated_problem, budget):
    X, y = correlated_problem
    fit = constrained_least_squares(X, y, budget, norm="l2")
    assert np.linalg.norm(fit.coef) == pytest.approx(budget, rel=1e-12)
    ridge = Ridge(alpha=fit.penalty["alpha"]).fit(X, y)
    np.testing.assert_allclose(fit.coef, ridge.coef_, atol=1e-10)
    np.testing.assert_allclose(fit.coef, slsqp(X, y, budget, 2), atol=1e-5)


def test_l1_corner_has_an_exact_zero():
    # orthogonal design, least squares (2, 0.3): the lasso at budget 1 soft-thresholds
    # both by 1, giving exactly (1, 0)
    X = np.array([[1.0, 0.0], [-1.0, 0.0], [0.0, 1.0], [0.0, -1.0]])
    y = X @ np.array([2.0, 0.3])
    fit = constrained_least_squares(X, y, 1.0, norm="l1")
    assert fit.coef[1] == 0.0
    assert fit.coef[0] == pytest.approx(1.0, abs=1e-14)
    assert fit.multiplier == pytest.approx(2.0)  # the gradient at (1, 0): X'X = 2I, 2 * (2 - 1)
    # orthogonal design: ridge shrinks both coordinates by the same factor
    l2 = constrained_least_squares(X, y, 1.0, norm="l2")
    np.testing.assert_allclose(l2.coef, np.array([2.0, 0.3]) / np.hypot(2.0, 0.3), rtol=1e-12)


def test_slack_budget_returns_least_squares(correlated_problem):
    X, y = correlated_problem
    ols = LinearRegression().fit(X, y).coef_
    for norm in ("l1", "l2"):
        fit = constrained_least_squares(X, y, 100.0, norm=norm)
        np.testing.assert_allclose(fit.coef, ols, rtol=1e-10)
        np.testing.assert_allclose(fit.least_squares, ols, rtol=1e-10)
        assert fit.multiplier == 0.0 and fit.penalty is None


def test_loss_is_the_centred_half_residual_sum_of_squares(correlated_problem):
    X, y = correlated_problem
    fit = constrained_least_squares(X, y, 1.0)
    w = np.array([[0.2, -0.1], [1.0, 1.0]])
    Xc, yc = X - X.mean(0), y - y.mean()
    expected = [0.5 * np.sum((yc - Xc @ row) ** 2) for row in w]
    np.testing.assert_allclose(fit.loss(w), expected, rtol=1e-12)


def test_bad_input():
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(20, 3)), rng.normal(size=20)
    with pytest.raises(ValueError, match="two features"):
        constrained_least_squares(X, y, 1.0, norm="l1")
    with pytest.raises(ValueError, match="collinear"):
        constrained_least_squares(np.column_stack([X[:, 0], 2 * X[:, 0]]), y, 1.0)
    with pytest.raises(ValueError, match="budget"):
        constrained_least_squares(X[:, :2], y, 0.0)
    with pytest.raises(ValueError, match="norm"):
        constrained_least_squares(X[:, :2], y, 1.0, norm="linf")
    with pytest.raises(ValueError, match="shapes"):
        constrained_least_squares(X[:, :2], y[:5], 1.0)
