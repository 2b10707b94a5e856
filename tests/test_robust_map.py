"""MAP of the robust likelihoods (Student-t, Laplace) against independent solvers.

References: scikit-learn's ``QuantileRegressor(quantile=0.5)`` at the mapped alpha
(Laplace likelihood + Laplace prior); a direct scipy optimisation (SLSQP on the
smooth reformulation with slack variables for every absolute value, L-BFGS for a
smooth objective) from many starts for every other pair; scipy.stats for the
densities; simulations with known truth for the sigma=None rules.
"""

import numpy as np
import pytest
from scipy import optimize, stats
from sklearn.linear_model import QuantileRegressor

import bayesreg as br
from bayesreg.likelihoods import Laplace as LaplaceLik
from bayesreg.likelihoods import StudentT


def _data(seed=0, n=60, p=4):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p))
    y = 1.0 + X @ np.array([1.0, -2.0, 0.0, 0.5])[:p] + rng.standard_t(3, n)
    y[:3] += 15.0  # gross outliers
    return X, y


def _objective(lik, prior, X, y, b0, coef, sigma):
    """Negative log posterior up to constants: -sum loglik + penalty (independent of the solver)."""
    l1, l2 = (float(v) for v in prior.penalty_weights)
    eta = b0 + X @ coef
    return (-np.sum(lik.pointwise_loglik(y, eta, sigma)) + l1 * np.abs(coef).sum()
            + 0.5 * l2 * coef @ coef)


def _direct(lik, prior, X, y, sigma, starts=8, seed=1):
    """Best objective of scipy's SLSQP on ``(b0, w, a)`` with ``a_j >= |w_j|``, from many starts."""
    n, p = X.shape
    l1, l2 = (float(v) for v in prior.penalty_weights)
    laplace = isinstance(lik, LaplaceLik)
    rng = np.random.default_rng(seed)
    best = None
    for _ in range(starts):
        # variables: b0, w (p), a (p) >= |w|, and t (n) >= |r| for the Laplace loss
        m = 1 + 2 * p + (n if laplace else 0)

        def f(z):
            b0, w, a = z[0], z[1:1 + p], z[1 + p:1 + 2 * p]
            if laplace:
                data = z[1 + 2 * p:].sum() / sigma
            else:
                data = -np.sum(lik.pointwise_loglik(y, b0 + X @ w, sigma))
            return data + l1 * a.sum() + 0.5 * l2 * w @ w

        cons = [{"type": "ineq", "fun": lambda z: z[1 + p:1 + 2 * p] - z[1:1 + p]},
                {"type": "ineq", "fun": lambda z: z[1 + p:1 + 2 * p] + z[1:1 + p]}]
        if laplace:
            cons += [{"type": "ineq", "fun": lambda z: z[1 + 2 * p:] - (y - z[0] - X @ z[1:1 + p])},
                     {"type": "ineq", "fun": lambda z: z[1 + 2 * p:] + (y - z[0] - X @ z[1:1 + p])}]
        z0 = np.zeros(m)
        z0[:1 + p] = rng.normal(0, 2, 1 + p)
        z0[1 + p:1 + 2 * p] = np.abs(z0[1:1 + p]) + 0.1
        if laplace:
            z0[1 + 2 * p:] = np.abs(y - z0[0] - X @ z0[1:1 + p]) + 0.1
        res = optimize.minimize(f, z0, method="SLSQP", constraints=cons,
                                options={"maxiter": 2000, "ftol": 1e-14})
        b0, w = res.x[0], res.x[1:1 + p]
        value = _objective(lik, prior, X, y, b0, w, sigma)
        if best is None or value < best[0]:
            best = (value, b0, w)
    return best


def test_laplace_likelihood_laplace_prior_is_quantile_regressor():
    X, y = _data()
    n, b, s = X.shape[0], 0.8, 0.3
    model = br.MAPRegressor(br.Laplace(s), likelihood="laplace", sigma=b).fit(X, y)
    alpha = b / (2 * n * s)  # docs/maths.md
    assert model.penalty_ == {"estimator": "QuantileRegressor", "quantile": 0.5,
                              "alpha": pytest.approx(alpha, rel=1e-14)}
    reference = QuantileRegressor(quantile=0.5, alpha=alpha, solver="highs").fit(X, y)
    np.testing.assert_allclose(model.coef_, reference.coef_, atol=1e-6)
    assert model.intercept_ == pytest.approx(reference.intercept_, abs=1e-6)
    # and the mapping back
    back = br.from_penalty("QuantileRegressor", n_samples=n, sigma=b, alpha=alpha, quantile=0.5)
    assert back.scale == pytest.approx(s, rel=1e-12)
    assert back == br.Laplace(back.scale)


@pytest.mark.parametrize("likelihood, prior", [
    (LaplaceLik(), br.Normal(0.5)),
    (LaplaceLik(), br.ElasticNet(0.5, l1_ratio=0.5)),
    (StudentT(df=4.0), br.Normal(0.5)),
    (StudentT(df=4.0), br.Laplace(0.3)),
    (StudentT(df=3.0), br.ElasticNet(0.5, l1_ratio=0.5)),
])
def test_map_equals_direct_optimisation(likelihood, prior):
    """IRLS / EM reach the best objective a direct optimiser finds from 8 starts (to 1e-6)."""
    X, y = _data(seed=2, n=30)
    sigma = 0.8
    model = br.MAPRegressor(prior, likelihood=likelihood, sigma=sigma).fit(X, y)
    ours = _objective(likelihood, prior, X, y, model.intercept_, model.coef_, sigma)
    best, _, w = _direct(likelihood, prior, X, y, sigma)
    assert ours <= best + 1e-6 * (1 + abs(best))
    assert ours == pytest.approx(best, rel=1e-6)
    np.testing.assert_allclose(model.coef_, w, atol=2e-3)  # SLSQP itself stops near 1e-4


def test_student_t_map_can_be_one_of_several_modes():
    """A bimodal Student-t objective: EM stops at a stationary point, a mode (docs/maths.md)."""
    # two clusters of y for the same x: the Cauchy-like likelihood has a mode at each
    rng = np.random.default_rng(3)
    X = rng.standard_normal((40, 1)) * 0.01
    y = np.r_[np.full(20, -5.0), np.full(20, 5.0)] + 0.1 * rng.standard_normal(40)
    lik, prior, sigma = StudentT(df=1.0), br.Normal(10.0), 0.5
    model = br.MAPRegressor(prior, likelihood=lik, sigma=sigma).fit(X, y)
    grad = optimize.approx_fprime(np.r_[model.intercept_, model.coef_],
                                  lambda z: _objective(lik, prior, X, y, z[0], z[1:], sigma), 1e-7)
    assert np.max(np.abs(grad)) < 1e-3  # stationary
    values = [optimize.minimize(lambda z: _objective(lik, prior, X, y, z[0], z[1:], sigma),
                                [start, 0.0]).fun for start in (-5.0, 0.0, 5.0)]
    assert max(values) - min(values) > 1e-3  # scipy finds more than one local minimum


def test_likelihood_densities_match_scipy():
    y, eta, sigma = np.array([0.3, -2.0, 7.0]), np.array([0.0, 1.0, 2.0]), 1.7
    np.testing.assert_allclose(StudentT(df=3.5).pointwise_loglik(y, eta, sigma),
                               stats.t.logpdf(y, 3.5, loc=eta, scale=sigma))
    np.testing.assert_allclose(LaplaceLik().pointwise_loglik(y, eta, sigma),
                               stats.laplace.logpdf(y, loc=eta, scale=sigma))
    assert StudentT(df=5.0).noise_variance(np.zeros(2), 2.0) == pytest.approx(
        [stats.t.var(5.0, scale=2.0)] * 2)
    assert LaplaceLik().noise_variance(np.zeros(1), 2.0)[0] == pytest.approx(stats.laplace.var(scale=2.0))
    assert np.all(np.isinf(StudentT(df=2.0).noise_variance(np.zeros(2), 1.0)))


@pytest.mark.parametrize("likelihood, truth", [(LaplaceLik(), 2.0), (StudentT(df=4.0), 1.5)])
def test_sigma_none_rule_recovers_the_scale_despite_outliers(likelihood, truth):
    """Known truth: 4000 rows, 5% gross outliers (+50).

    The median absolute residual then sits at the 0.5/0.95 quantile of the clean
    |noise| (scipy.stats), so the rule's expected value is known; the Gaussian
    (least-squares) rule is pulled far off.
    """
    rng = np.random.default_rng(4)
    X = rng.standard_normal((4000, 3))
    y = X @ np.array([1.0, 0.0, -1.0]) + likelihood.simulate(np.zeros(4000), truth, rng)
    y[:200] += 50.0
    model = br.MAPRegressor(br.Normal(10.0), likelihood=likelihood).fit(X, y)
    q = 0.5 / 0.95  # the median of |r| when 5% of |r| are huge
    if isinstance(likelihood, LaplaceLik):
        expected = truth * stats.expon.ppf(q) / np.log(2.0)  # |Laplace(b)| ~ Exp(b)
    else:
        expected = truth * stats.t.ppf(0.5 + q / 2, 4.0) / stats.t.ppf(0.75, 4.0)
    assert model.sigma_ == pytest.approx(expected, rel=0.03)
    assert model.sigma_ == pytest.approx(truth, rel=0.1)
    gaussian = br.MAPRegressor(br.Normal(10.0)).fit(X, y)
    assert gaussian.sigma_ > 3 * truth  # the least-squares rule is not robust


def test_predict_is_the_location():
    X, y = _data()
    model = br.MAPRegressor(br.Normal(1.0), likelihood=StudentT(df=4.0), sigma=1.0).fit(X, y)
    np.testing.assert_allclose(model.predict(X), model.intercept_ + X @ model.coef_)


@pytest.mark.parametrize("df", [0, -1.0, np.inf, np.nan])
def test_bad_df_is_refused(df):
    with pytest.raises(ValueError, match="df must be a finite number > 0"):
        StudentT(df=df)


def test_bad_df_type_and_sigma_are_refused():
    with pytest.raises(TypeError, match="df must be a number"):
        StudentT(df="4")
    X, y = _data()
    for sigma in (0.0, -1.0):
        with pytest.raises(ValueError, match="sigma"):
            br.MAPRegressor(br.Normal(1.0), likelihood="laplace", sigma=sigma).fit(X, y)
    with pytest.raises(ValueError, match="n_samples > n_features"):
        br.MAPRegressor(br.Normal(1.0), likelihood="student_t").fit(X[:4], y[:4])
    with pytest.raises(ValueError, match="quantile=0.5"):
        br.from_penalty("QuantileRegressor", n_samples=10, sigma=1.0, alpha=0.1, quantile=0.3)
    no_library = br.to_penalty(br.Normal(1.0), n_samples=10, sigma=1.0, likelihood="laplace")
    assert no_library["estimator"] is None  # no library fits the L1 loss with an L2 penalty
