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
