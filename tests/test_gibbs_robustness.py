"""sampler="gibbs" on numerically extreme but valid data: columns and targets in odd units.

The oracle is the closed-form Gaussian posterior: when every coefficient sits
deep in the centre of a Laplace prior (the prior scale ~1e6 times the
coefficients' size), the prior is flat there to far below Monte Carlo error,
so the Laplace posterior is the Normal-prior posterior of test_posterior's
``closed_form`` at the same wide scale. Tolerances are K_MCSE Monte Carlo
standard errors, fixed seeds.
"""

import numpy as np
import pytest
from scipy import stats

import bayesreg as br
from bayesreg.posterior import _gaussian_draws
from bayesreg.posterior import _gibbs_kernel as kernel
from bayesreg.posterior import gibbs as gibbs_module
from bayesreg.posterior._conditionals import draw_laplace_variance

from .test_posterior import assert_matches, closed_form


def gibbs(prior, **kwargs):
    kwargs.setdefault("progressbar", False)
    return br.PosteriorRegressor(prior, sampler="gibbs", **kwargs)


@pytest.fixture
def sweep(request, monkeypatch):
    """Run the compiled n >= p kernel or force the numpy sweep on the same data."""
    if request.param == "numpy":
        monkeypatch.setattr(gibbs_module, "_compiled_sweep_applies", lambda *args: False)
    return request.param


def regression(n, p, seed):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, p))
    return X, 0.3 + X[:, :3] @ np.array([1.0, -0.5, 0.8]) + rng.normal(size=n)


# ------------------------------------------------------------------ the conditional itself
@pytest.mark.parametrize("abs_coef, scale", [(0.5, 1.0), (1e-3, 2.0), (3.0, 0.1)])
def test_laplace_variance_draws_are_the_inverse_gaussian(abs_coef, scale):
    """1/v | w ~ InverseGaussian(mean 1/(s|w|), shape 1/s^2) (Park & Casella): KS against scipy."""
    rng = np.random.default_rng(30)
    mean, shape = 1 / (scale * abs_coef), 1 / scale**2
    reference = stats.invgauss(mean / shape, scale=shape)
    numpy_draws = draw_laplace_variance(np.full(20000, abs_coef), scale, rng)
    compiled_draws = np.array([kernel._laplace_variance(rng, abs_coef, scale) for _ in range(20000)])
    for draws in (numpy_draws, compiled_draws):
        assert stats.kstest(1 / draws, reference.cdf).pvalue > 1e-3


@pytest.mark.parametrize("abs_coef", [1e-9, 1e-300, 0.0])
def test_laplace_variance_given_a_negligible_coefficient_is_finite_and_tends_to_its_limit(abs_coef):
    """Where numpy's wald returns 0 (and 1/0 crashed the sampler): as w -> 0 the conditional
    p(v | w) ~ v^-1/2 exp(-w^2/(2v) - v/(2 s^2)) tends to s^2 * chi2(1)."""
    rng = np.random.default_rng(31)
    scale = 2.0
    numpy_draws = draw_laplace_variance(np.full(20000, abs_coef), scale, rng)
    compiled_draws = np.array([kernel._laplace_variance(rng, abs_coef, scale) for _ in range(20000)])
    for draws in (numpy_draws, compiled_draws):
        assert np.all(np.isfinite(draws)) and np.all(draws >= 0)
        assert stats.kstest(draws / scale**2, stats.chi2(1).cdf).pvalue > 1e-3


# ------------------------------------------------------------------ whole fits, n >= p
@pytest.mark.parametrize("sweep", ["compiled", "numpy"], indirect=True)
def test_laplace_with_a_column_in_huge_units_matches_the_closed_form(sweep):
    """One column x 1e8: its coefficient is ~1e-8, deep in the Laplace(1e6) prior's centre
    (this raised ZeroDivisionError from 1/rng.wald(...))."""
    X, y = regression(40, 3, seed=32)
    X[:, 2] *= 1e8
    model = gibbs(br.Laplace(1e6), sigma=1.0, draws=2000, random_seed=33).fit(X, y)
    assert_matches(model, *closed_form(X, y, 1e6, 1.0))


@pytest.mark.parametrize("sweep", ["compiled", "numpy"], indirect=True)
def test_laplace_with_y_in_tiny_units_matches_the_closed_form(sweep):
    """y in units of 1e-9 under Laplace(1.0): every coefficient ~1e-9 of the prior scale."""
    X, y = regression(40, 3, seed=34)
    y = y * 1e-9
    model = gibbs(br.Laplace(1.0), sigma=1e-9, draws=2000, random_seed=35).fit(X, y)
    assert_matches(model, *closed_form(X, y, 1.0, 1e-9))


@pytest.mark.parametrize("sweep", ["compiled", "numpy"], indirect=True)
def test_laplace_with_y_in_tiny_units_and_sigma_learned_samples(sweep):
    X, y = regression(40, 3, seed=34)
    model = gibbs(br.Laplace(1.0), draws=1000, random_seed=36).fit(X, y * 1e-9)
    posterior = model.idata_.posterior
    assert all(np.all(np.isfinite(posterior[name])) for name in ("coef", "intercept", "sigma"))
    # the noise sd is ~1e-9 in these units; the coefficients are all but unshrunk
    assert 0.5e-9 < model.sigma_ < 2e-9
    ols = np.linalg.lstsq(np.column_stack([np.ones(40), X]), y * 1e-9, rcond=None)[0]
    np.testing.assert_allclose(model.coef_, ols[1:], atol=5 * model.coef_sd_.max())


# ------------------------------------------------------------------ whole fits, p > n
def test_p_greater_than_n_with_a_column_in_huge_units_matches_the_closed_form():
    """Bhattacharya's n x n system is singular to working precision here (LinAlgError);
    the sampler takes the p x p draw for it."""
    X, y = regression(15, 25, seed=37)
    X[:, 0] *= 1e8
    model = gibbs(br.Normal(1.0), sigma=1.0, draws=2000, random_seed=38).fit(X, y)
    assert_matches(model, *closed_form(X, y, 1.0, 1.0))


@pytest.mark.parametrize("prior", [br.Laplace(1.0), br.Horseshoe(1.0), br.Laplace(br.HalfCauchy(1.0))],
                         ids=repr)
def test_p_greater_than_n_with_a_column_in_huge_units_samples_every_prior(prior):
    X, y = regression(10, 20, seed=39)
    X[:, 0] *= 1e8
    model = gibbs(prior, draws=300, tune=300, chains=2, random_seed=40)
    with pytest.warns(br.SamplingWarning):  # 600 draws: too few for the ESS threshold
        model.fit(X, y)
    for name, values in model.idata_.posterior.data_vars.items():
        assert np.all(np.isfinite(values)), name
    # the x 1e8 column's coefficient is on its own scale: |w| ~ 1e-8
    assert abs(model.coef_[0]) < 1e-6


def test_horseshoe_tau_density_by_woodbury_equals_the_n_by_n_form(monkeypatch):
    """The p x p form used when the n x n covariance is singular to working precision
    gives the same log density (same constant) where both are accurate."""
    rng = np.random.default_rng(44)
    X, y = rng.normal(size=(8, 15)), rng.normal(size=8)
    sweep = gibbs_module._GaussianSweep(X, y, None, True, 3, rng)
    lam2, tau2 = rng.uniform(0.5, 2.0, (3, 15)), np.array([0.3, 1.0, 2.0])
    gram = np.matmul(sweep.Xc[None] * lam2[:, None, :], sweep.Xc.T)
    direct = sweep._log_tau_posterior(gram, lam2, tau2, 1.0)
    monkeypatch.setattr(_gaussian_draws, "MAX_BHATTACHARYA_CONDITION", 0.0)
    woodbury = sweep._log_tau_posterior(gram, lam2, tau2, 1.0)
    np.testing.assert_allclose(woodbury, direct, rtol=1e-12, atol=1e-10)
