"""The horseshoe+'s exact two-block local update: eta^2 | lambda^2 against quadrature.

The reference is the conditional density written from the model,
``p(eta | lambda) ∝ C+(eta; 0, 1) * C+(lambda; 0, eta)``, changed to ``E = eta^2``
and integrated numerically on a log grid (not the closed-form CDF the sampler inverts).
"""

import numpy as np
import pytest
from scipy import stats

from bayesreg.posterior._conditionals import draw_half_cauchy_scale_of_scale


def _reference_cdf(lam2):
    """CDF of E = eta^2 given lambda^2 by the trapezoid rule on log E (from the two half-Cauchy densities)."""
    lam = np.sqrt(lam2)
    t = np.linspace(np.log(lam2) - 60.0 if lam2 < 1 else -60.0, np.log(lam2) + 60.0 if lam2 > 1 else 60.0, 400001)
    eta = np.exp(0.5 * t)
    half_cauchy_eta = 2 / np.pi / (1 + eta**2)
    half_cauchy_lam_given_eta = 2 / (np.pi * eta * (1 + (lam / eta) ** 2))
    density_t = half_cauchy_eta * half_cauchy_lam_given_eta * 0.5 * eta  # d eta / d log E = eta / 2
    cdf = np.concatenate([[0.0], np.cumsum(0.5 * (density_t[1:] + density_t[:-1]) * np.diff(t))])
    cdf /= cdf[-1]
    return lambda x: np.interp(np.log(x), t, cdf)


@pytest.mark.parametrize("lam2", [1e-12, 1e-3, 0.5, 1.0, 1.0 + 1e-12, 4.0, 1e6, 1e14])
def test_eta_given_lambda_draws_follow_their_density(lam2):
    draws = draw_half_cauchy_scale_of_scale(np.full(20000, lam2), np.random.default_rng(3))
    assert np.all(np.isfinite(draws)) and np.all(draws > 0)
    assert stats.kstest(draws, _reference_cdf(lam2)).pvalue > 0.001


# ---------------------------------------------------------------- lambda_j | w_j, tau with eta_j integrated out
# The reference density of u = log(lambda) is written from the model again: the product
# lambda = eta * nu of two C+(0, 1) variables, p(lambda) = int C+(eta; 0, 1) C+(lambda; 0, eta) d eta
# (numerical integration over eta; not the closed form u / sinh(u) the sampler uses), times the
# Gaussian likelihood N(w; 0, lambda^2 tau^2) in m = w^2 / (2 tau^2).


def _product_of_half_cauchy_log_density(u):
    """log p(u = log lambda) of lambda = eta * nu, eta, nu ~ C+(0, 1), by the trapezoid rule on log eta."""
    s = np.linspace(-80.0, 80.0, 4001)  # log eta (trapezoid rule: spectrally accurate here)
    eta = np.exp(s)[None, :]
    lam = np.exp(np.asarray(u, dtype=float))[:, None]
    integrand = (2 / np.pi / (1 + eta**2)) * 2 / (np.pi * eta * (1 + (lam / eta) ** 2)) * eta  # d eta = eta ds
    return np.log(np.trapezoid(integrand, s, axis=1) * lam[:, 0])  # d lambda / du = lambda


def _reference_log_local(m):
    """Grid, CDF and inverse CDF of u = log(lambda_j) given m = w_j^2 / (2 tau^2)."""
    grid = np.linspace(-45.0, 25.0, 3501)
    log_density = _product_of_half_cauchy_log_density(grid) - grid - m * np.exp(-2.0 * grid)
    density = np.exp(log_density - log_density.max())
    cdf = np.concatenate([[0.0], np.cumsum(0.5 * (density[1:] + density[:-1]) * np.diff(grid))])
    cdf /= cdf[-1]
    return (lambda x: np.interp(x, grid, cdf)), (lambda q: np.interp(q, cdf, grid))


def test_log_local_density_is_the_product_of_two_half_cauchy():
    from scipy import integrate

    from bayesreg.posterior._horseshoe_plus_local import log_local_density

    u = np.array([-30.0, -5.0, -1.0, -1e-6, 0.0, 1e-5, 0.3, 2.0, 12.0, 40.0])
    # m = 0: the likelihood term is -u alone; the prior of u is (2 / pi^2) u / sinh(u)
    closed = log_local_density(u, 0.0) + u + np.log(2 / np.pi**2)
    np.testing.assert_allclose(closed, _product_of_half_cauchy_log_density(u), rtol=0, atol=1e-8)
    total, _ = integrate.quad(lambda v: np.exp(log_local_density(v, 0.0) + v) * 2 / np.pi**2,
                              -np.inf, np.inf, epsabs=0, epsrel=1e-12, limit=200)
    assert abs(total - 1.0) < 1e-8


@pytest.mark.parametrize("m", [1e-10, 1e-3, 0.5, 20.0, 1e4])
def test_slice_update_leaves_the_local_conditional_invariant(m):
    """Start at exact draws of the conditional (inverse CDF on the grid); one update keeps the law."""
    from bayesreg.posterior._horseshoe_plus_local import slice_log_local

    cdf, quantile = _reference_log_local(m)
    rng = np.random.default_rng(11)
    start = quantile(rng.random(10000))
    moved = slice_log_local(start, np.full(start.shape, m), rng)
    assert np.all(np.isfinite(moved)) and np.mean(moved != start) > 0.99  # every update moves
    assert stats.kstest(moved, cdf).pvalue > 0.001
    # and from a poor start (u = 8) the chain reaches the law within a few updates
    u = np.full(10000, 8.0)
    for _ in range(15):
        u = slice_log_local(u, np.full(u.shape, m), rng)
    assert stats.kstest(u, cdf).pvalue > 0.001


@pytest.mark.parametrize("m", [1e-6, 0.5, 50.0])
def test_horseshoe_plus_local_update_keeps_the_conditional_of_lambda(m):
    """The sweep's whole local update (slice, then eta | lambda and lambda | eta, w) keeps lambda | w, tau."""
    from types import SimpleNamespace

    from bayesreg.model import HorseshoePlus
    from bayesreg.posterior._mixtures import MIXTURES

    cdf, quantile = _reference_log_local(m)
    rng = np.random.default_rng(5)
    chains, p = 4, 5000
    state = SimpleNamespace(coef=np.zeros((chains, p)), local=np.ones((chains, p)),
                            scale2=np.ones(chains), xi=np.ones(chains), sigma2=np.ones(chains))
    mixture = MIXTURES["half_cauchy_plus_local"](HorseshoePlus(1.0), state, rng)
    state.scale2[:] = 0.25
    coef = np.full((chains, p), np.sqrt(2.0 * m * 0.25))  # m = w^2 / (2 tau^2)
    state.local[:] = np.exp(2.0 * quantile(rng.random((chains, p))))
    mixture.update_local(coef, rng)
    assert stats.kstest(0.5 * np.log(state.local.ravel()), cdf).pvalue > 0.001
