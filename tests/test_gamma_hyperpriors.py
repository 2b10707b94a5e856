"""The Gamma and inverse-gamma hyperpriors against scipy.stats and quadrature."""

import numpy as np
import pytest
from scipy import integrate, stats

import bayesreg as br


@pytest.mark.parametrize("a, b", [(2.0, 0.1), (0.5, 3.0), (1.0, 1.0)])
def test_gamma_density_is_scipys_shape_rate_gamma_and_integrates_to_one(a, b):
    x = np.array([1e-3, 0.3, 1.0, 7.5, 40.0])
    np.testing.assert_allclose(br.Gamma(a, b).logpdf(x), stats.gamma(a, scale=1 / b).logpdf(x),
                               rtol=1e-12)
    total, _ = integrate.quad(lambda t: np.exp(br.Gamma(a, b).logpdf(t)), 0, np.inf)
    assert abs(total - 1) < 1e-8
    assert br.Gamma(a, b).logpdf(-1.0) == -np.inf and br.Gamma(a, b).logpdf(0.0) == -np.inf


@pytest.mark.parametrize("a, b", [(3.0, 2.0), (1.5, 0.2)])
def test_inverse_gamma_density_is_scipys_invgamma_and_integrates_to_one(a, b):
    x = np.array([1e-2, 0.3, 1.0, 7.5, 40.0])
    np.testing.assert_allclose(br.InverseGamma(a, b).logpdf(x),
                               stats.invgamma(a, scale=b).logpdf(x), rtol=1e-12)
    total, _ = integrate.quad(lambda t: np.exp(br.InverseGamma(a, b).logpdf(t)), 0, np.inf)
    assert abs(total - 1) < 1e-8


def test_draws_have_the_stated_law():
    rng = np.random.default_rng(0)
    assert stats.kstest(br.Gamma(2.0, 0.1).sample(rng, 4000), stats.gamma(2.0, scale=10).cdf).pvalue > 0.01
    assert stats.kstest(br.InverseGamma(3.0, 2.0).sample(rng, 4000),
                        stats.invgamma(3.0, scale=2.0).cdf).pvalue > 0.01


@pytest.mark.parametrize("bad", [0.0, -1.0, np.nan, np.inf])
def test_non_positive_parameters_are_refused(bad):
    with pytest.raises((ValueError, TypeError), match="Gamma"):
        br.Gamma(bad, 1.0)
    with pytest.raises((ValueError, TypeError), match="InverseGamma"):
        br.InverseGamma(1.0, bad)
