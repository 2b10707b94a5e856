"""The Student-t likelihood with a learned degrees of freedom, ``StudentT(df=br.Gamma(a, b))``.

References, all independent of the code under test: quadrature of the df
conditionals (the slice sampler's stationary law), scipy.stats densities and
scipy.optimize from many starts (the joint mode of the MAP), uniform SBC ranks
(Talts et al. 2018), a simulation with known df, and NUTS on PyMC's own
Student-t density (Gibbs vs nutpie within Monte Carlo standard errors).
"""

import math
import warnings

import arviz as az
import numpy as np
import pytest
from scipy import integrate, optimize, stats

import bayesreg as br
from bayesreg.likelihoods import StudentT
from bayesreg.model._student_t_df import (
    df_conditional_mode,
    df_log_conditional,
    df_log_conditional_marginal,
)
from bayesreg.model.likelihoods import likelihood_from_dict, likelihood_to_dict
from bayesreg.posterior import _robust_sweeps
from bayesreg.posterior._slice import slice_sample
from bayesreg.posterior.model import ModelSpec

LEARNED = StudentT(df=br.Gamma(2.0, 0.1))


def _t_data(n, df, sigma=0.5, seed=0, p=3):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p))
    coef = np.array([1.0, -2.0, 0.5, 0.0, 0.0][:p])
    y = 1.0 + X @ coef + sigma * rng.standard_t(df, size=n)
    return X, y


# ------------------------------------------------------------------ the slice sampler
def _quadrature_law(log_density, lo, hi):
    """Normalised density on a fine grid by quadrature: (grid, cdf, mean)."""
    grid = np.exp(np.linspace(np.log(lo), np.log(hi), 4001))
    logp = np.array([log_density(x) for x in grid])
    dens = np.exp(logp - logp.max())
    total = integrate.trapezoid(dens, grid)
    cdf = integrate.cumulative_trapezoid(dens, grid, initial=0.0) / total
    return grid, cdf, integrate.trapezoid(grid * dens, grid) / total


@pytest.mark.parametrize("which", ["given_weights", "weights_integrated_out"])
def test_slice_sampler_leaves_the_df_conditional_invariant(which):
    """8000 slice updates of log df: mean and three quantiles' tail fractions within 4 MCSE of quadrature."""
    rng = np.random.default_rng(11)
    prior, n = br.Gamma(2.0, 0.1), 25
    if which == "given_weights":
        u = rng.gamma(2.0, 1.0 / 2.0, n)  # weights of df = 4
        s = float(np.sum(np.log(u) - u))

        def target(df):
            return float(df_log_conditional(df, n, s, prior))
    else:
        z = rng.standard_t(4.0, n)

        def target(df):
            return df_log_conditional_marginal(df, z, prior)

    grid, cdf, mean = _quadrature_law(target, 1e-3, 2e3)
    x, chain = math.log(10.0), np.empty(8000)
    for i in range(chain.size):
        x = slice_sample(lambda t: target(math.exp(t)) + t, x, rng)
        chain[i] = math.exp(x)
    ess = float(az.ess(chain[None, :]))
    assert abs(chain.mean() - mean) < 4 * chain.std() / math.sqrt(ess)
    for q in (0.1, 0.5, 0.9):
        below = chain < np.interp(q, cdf, grid)
        ess_q = float(az.ess(below[None, :].astype(float)))
        assert abs(below.mean() - q) < 4 * math.sqrt(q * (1 - q) / ess_q), q


# ------------------------------------------------------------------ the MAP: joint mode
def test_df_conditional_mode_is_the_grid_argmax():
    z = np.random.default_rng(2).standard_t(3.0, 80)
    grid = np.exp(np.linspace(np.log(0.05), np.log(500), 20001))
    objective = stats.t.logpdf(z[:, None], grid).sum(axis=0) + stats.gamma.logpdf(grid, 2, scale=10)
    assert df_conditional_mode(z, br.Gamma(2, 0.1)) == pytest.approx(grid[np.argmax(objective)], rel=1e-3)


def _joint_objective(theta, X, y, sigma, prior_scale, a, b):
    """-log posterior over (b0, w, log df) with scipy's densities (df's mode, no Jacobian)."""
    b0, w, df = theta[0], theta[1:-1], math.exp(theta[-1])
    nll = -np.sum(stats.t.logpdf(y, df, loc=b0 + X @ w, scale=sigma))
    return nll + np.sum(w**2) / (2 * prior_scale**2) - stats.gamma.logpdf(df, a, scale=1 / b)


@pytest.mark.parametrize("a, b", [(2.0, 0.1), (4.0, 1.0)])
def test_map_with_learned_df_is_the_joint_mode(a, b):
    """MAPRegressor's (coef, intercept, df_) minimise the joint objective: best of 20 scipy starts."""
    X, y = _t_data(80, 3.0, seed=4)
    y[:2] += 15.0  # gross outliers
    sigma, scale = 0.5, 2.0
    model = br.MAPRegressor(br.Normal(scale), likelihood=StudentT(df=br.Gamma(a, b)),
                            sigma=sigma).fit(X, y)
    rng = np.random.default_rng(0)
    best = None
    for _ in range(20):
        start = np.concatenate([[np.median(y)], rng.normal(0, 1, 3), [rng.uniform(0, 4)]])
        result = optimize.minimize(_joint_objective, start, args=(X, y, sigma, scale, a, b),
                                   method="BFGS", options={"gtol": 1e-9})
        if best is None or result.fun < best.fun:
            best = result
    ours = np.concatenate([[model.intercept_], model.coef_, [math.log(model.df_)]])
    assert _joint_objective(ours, X, y, sigma, scale, a, b) <= best.fun + 1e-7
    np.testing.assert_allclose(model.coef_, best.x[1:-1], atol=1e-4)
    assert model.df_ == pytest.approx(math.exp(best.x[-1]), rel=1e-3)


def test_map_with_learned_df_and_estimated_sigma():
    """sigma=None: the robust plug-in scale at the profile's df; df_ is the mode at that scale."""
    X, y = _t_data(200, 3.0, seed=5)
    model = br.MAPRegressor(br.Normal(10.0), likelihood=LEARNED).fit(X, y)
    assert 0.3 < model.sigma_ < 0.7 and 1.0 < model.df_ < 10.0
    resid = (y - model.predict(X)) / model.sigma_
    assert model.df_ == pytest.approx(df_conditional_mode(resid, LEARNED.df), rel=1e-6)


# ------------------------------------------------------------------ input, save/load, repr
@pytest.mark.parametrize("df", [0, -1.0, np.nan, np.inf])
def test_bad_numeric_df_names_both_allowed_forms(df):
    with pytest.raises(ValueError, match=r"finite number > 0.*br\.Gamma"):
        StudentT(df=df)


@pytest.mark.parametrize("df", [br.HalfCauchy(1.0), br.HalfNormal(5.0), br.InverseGamma(2, 1)])
def test_a_df_prior_other_than_gamma_is_refused(df):
    with pytest.raises(TypeError, match=r"learned df takes a Gamma prior.*br\.Gamma\(a, b\)"):
        StudentT(df=df)


def test_a_bad_gamma_is_refused_by_gamma():
    with pytest.raises(ValueError, match="Gamma: a must be finite and > 0"):
        StudentT(df=br.Gamma(0.0, 0.1))


def test_learned_df_dict_and_repr_round_trip():
    data = likelihood_to_dict(LEARNED)
    assert data == {"type": "StudentT", "df": {"type": "Gamma", "a": 2.0, "b": 0.1}}
    assert likelihood_from_dict(data) == LEARNED
    assert eval(repr(LEARNED), {"StudentT": StudentT, "Gamma": br.Gamma}) == LEARNED
    assert LEARNED.learned_parameters == ("df",) and StudentT(3.0).learned_parameters == ()


def test_one_graph_for_every_gamma_prior_of_df():
    """The compiled-model key holds the structure; the Gamma's numbers are pm.Data."""
    def spec(likelihood):
        return ModelSpec.create(likelihood, br.Normal(1.0), None, True, ["a"])

    assert spec(LEARNED) == spec(StudentT(df=br.Gamma(3.0, 0.5)))
    assert spec(StudentT(3.0)) != spec(StudentT(4.0))
    assert spec(LEARNED) != spec(StudentT(3.0))
