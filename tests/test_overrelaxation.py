"""The over-relaxed draw of w | v in the compiled Gaussian Gibbs sweep (Adler 1981).

``w' = m + a (w - m) + sqrt(1 - a^2) L^-T z`` must leave the conditional
N(m, A^-1) invariant with lag-1 autocorrelation exactly ``a``: checked against the
closed form (numpy's solve and inverse, not the kernel's Cholesky) in Monte Carlo
standard errors. End to end, the Laplace sweep with it must still give the
posterior (tests/test_independence_step.py compares the default sweep with
quadrature) and mix better than the plain draw. Fixed seeds.
"""

import warnings

import numpy as np
import pytest
from numba import njit

import bayesreg as br
from bayesreg.posterior import _gibbs_kernel as kernel
from bayesreg.posterior import gibbs as gibbs_module
from bayesreg.posterior._convergence import ess_bulk, ess_tail

K_MCSE = 4.5


@njit
def _overrelaxed_chain(gram, xty, sigma2, variances, rng, a, draws):
    p = xty.size
    out = np.empty((draws, p))
    work, coef, previous = np.empty((p, p)), np.zeros(p), np.empty(p)
    for t in range(draws):
        previous[:] = coef
        kernel._draw_coef(gram, xty, sigma2, variances, rng, work, coef, a, previous)
        out[t] = coef
    return out


@pytest.mark.parametrize("a", [-0.5, 0.6])
def test_overrelaxed_draws_keep_the_gaussian_and_have_lag_one_autocorrelation_a(a):
    rng = np.random.default_rng(4)
    X = rng.normal(size=(30, 3)) @ np.array([[1.0, 0.8, 0.0], [0.0, 0.6, 0.3], [0.0, 0.0, 1.0]])
    y = X @ np.array([1.0, -0.5, 0.2]) + rng.normal(size=30)
    gram, xty, sigma2, variances = X.T @ X, X.T @ y, 1.3, np.array([0.5, 2.0, 1.0])
    precision = gram / sigma2 + np.diag(1.0 / variances)
    mean, cov = np.linalg.solve(precision, xty / sigma2), np.linalg.inv(precision)
    draws = _overrelaxed_chain(gram, xty, sigma2, variances, np.random.default_rng(9), a, 40_000)[100:]
    n = draws.shape[0]
    sd = np.sqrt(np.diag(cov))
    # an AR(1) with coefficient a: the mean's variance is var/n x (1 + a)/(1 - a)
    mcse_mean = sd * np.sqrt((1 + a) / (1 - a) / n)
    np.testing.assert_array_less(np.abs(draws.mean(axis=0) - mean), K_MCSE * mcse_mean)
    centred = draws - mean
    for j in range(3):  # the variance, and the lag-1 autocorrelation a (its sd about sqrt((1 - a^2)/n))
        squares = centred[:, j] ** 2
        mcse_var = squares.std() * np.sqrt((1 + a**2) / (1 - a**2) / n)
        assert abs(squares.mean() - cov[j, j]) < K_MCSE * mcse_var, j
        lag1 = np.mean(centred[1:, j] * centred[:-1, j]) / cov[j, j]
        assert abs(lag1 - a) < K_MCSE * np.sqrt((1 + a**2) / n), (j, lag1)
    cross = np.mean(centred[:, 0] * centred[:, 1])
    assert abs(cross - cov[0, 1]) < K_MCSE * np.sqrt(cov[0, 0] * cov[1, 1] * 3 / n)


def _slowest_ess_per_draw(relaxation, monkeypatch, seed):
    monkeypatch.setattr(gibbs_module, "OVERRELAXATION", relaxation)
    X, y = br.datasets.load_diabetes()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", br.SamplingWarning)
        post = br.PosteriorRegressor(br.Laplace(4.0), sigma=54.0, sampler="gibbs", chains=2, draws=2000,
                                     random_seed=seed, progressbar=False).fit(X, y).idata_.posterior
    coef = post["coef"].values
    return ess_bulk(coef).min() / 4000, ess_tail(coef).min() / 4000


def test_the_overrelaxed_laplace_sweep_mixes_better_than_the_plain_draw(monkeypatch):
    """Diabetes, Laplace(4): the slowest coefficient's bulk ESS per draw at least 1.1x that of
    the plain draw (about 1.25x measured over 8 seeds), and its tail ESS not worse, summed
    over 3 seeds."""
    relaxed = np.array([_slowest_ess_per_draw(gibbs_module.OVERRELAXATION, monkeypatch, s) for s in range(3)])
    plain = np.array([_slowest_ess_per_draw(0.0, monkeypatch, s) for s in range(3)])
    assert relaxed[:, 0].sum() > 1.1 * plain[:, 0].sum()
    assert relaxed[:, 1].sum() > plain[:, 1].sum()


@pytest.mark.parametrize("sigma", [54.0, None], ids=["sigma fixed", "sigma learned"])
@pytest.mark.parametrize("prior", [br.Normal(10.0), br.ElasticNet(10.0, l1_ratio=0.0)], ids=repr)
def test_a_fixed_gaussian_prior_keeps_independent_draws(prior, sigma):
    """No prior variance moves there (a Normal prior, or an elastic net without its L1 part,
    of fixed scale), so the plain draws are independent (sigma fixed) or nearly so (sigma
    learned): no over-relaxation (it would only trade tail ESS for bulk ESS). Lag-1
    autocorrelation about 0."""
    X, y = br.datasets.load_diabetes()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", br.SamplingWarning)
        post = br.PosteriorRegressor(prior, sigma=sigma, sampler="gibbs", chains=1, draws=4000,
                                     random_seed=2, progressbar=False).fit(X, y).idata_.posterior
    coef = post["coef"].values[0]
    centred = coef - coef.mean(axis=0)
    lag1 = (centred[1:] * centred[:-1]).mean(axis=0) / centred.var(axis=0)
    np.testing.assert_array_less(np.abs(lag1), K_MCSE / np.sqrt(4000))
