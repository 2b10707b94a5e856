"""The exact one-coefficient posterior against independent references.

References: the conjugate normal formula; brute-force numerical integration of
``scipy.stats.norm`` likelihood times ``scipy.stats.laplace`` (or the elastic-net
density) on a fine grid; brute-force minimisation of the negative log posterior.
Tolerances: the brute-force grid has spacing 5e-5 over [-60, 60] (2.4 million
points), whose trapezoid error on these smooth-but-kinked densities is below
1e-8; we allow 1e-7 on moments and quantiles, 1e-6 relative on densities.
"""

import math

import numpy as np
import pytest
from scipy import integrate, optimize, stats

import bayesreg as br
from bayesreg.teaching.shrinkage import (
    one_coefficient_posterior,
    prior_variance,
    shrinkage_curves,
    with_variance,
)

FINE = np.linspace(-60.0, 60.0, 2_400_001)


def brute_force(z, se, prior_logpdf):
    """Normalised posterior on FINE and its mean, sd, median, by quadrature on the grid."""
    log_unnorm = stats.norm.logpdf(z, loc=FINE, scale=se) + prior_logpdf(FINE)
    density = np.exp(log_unnorm - log_unnorm.max())
    density /= integrate.trapezoid(density, FINE)
    mean = integrate.trapezoid(FINE * density, FINE)
    sd = math.sqrt(integrate.trapezoid((FINE - mean) ** 2 * density, FINE))
    cdf = integrate.cumulative_trapezoid(density, FINE, initial=0.0)
    median = float(np.interp(0.5, cdf, FINE))
    return density, mean, sd, median, cdf


@pytest.mark.parametrize("z", [0.0, 0.4, -1.3, 2.5, 6.0])
@pytest.mark.parametrize("scale, se", [(0.7, 1.0), (3.0, 0.5)])
def test_normal_prior_matches_conjugate_formula(z, scale, se):
    r = one_coefficient_posterior(z, se, br.Normal(scale=scale))
    shrink = scale**2 / (scale**2 + se**2)
    post_sd = math.sqrt(scale**2 * se**2 / (scale**2 + se**2))
    for estimate in (r.map, r.mean, r.median):
        assert estimate == pytest.approx(z * shrink, abs=1e-12)
    assert r.sd == pytest.approx(post_sd, rel=1e-12)
    np.testing.assert_allclose(
        r.posterior_density, stats.norm.pdf(r.grid, z * shrink, post_sd), rtol=1e-10, atol=1e-300
    )
    np.testing.assert_allclose(r.prior_density, stats.norm.pdf(r.grid, 0, scale), rtol=1e-12)
    np.testing.assert_allclose(r.likelihood, stats.norm.pdf(z, r.grid, se), rtol=1e-12)


@pytest.mark.parametrize("z", [0.0, 0.5, -1.0, 2.0, 3.7])
@pytest.mark.parametrize("scale, se", [(1.0, 1.0), (0.2, 1.0), (2.0, 0.6)])
def test_laplace_posterior_matches_brute_force(z, scale, se):
    prior = br.Laplace(scale=scale)
    r = one_coefficient_posterior(z, se, prior)
    density, mean, sd, median, _ = brute_force(z, se, stats.laplace(scale=scale).logpdf)
    assert r.mean == pytest.approx(mean, abs=1e-7)
    assert r.sd == pytest.approx(sd, abs=1e-7)
    assert r.median == pytest.approx(median, abs=1e-6)
    np.testing.assert_allclose(
        r.posterior_density, np.interp(r.grid, FINE, density), rtol=1e-6, atol=1e-12
    )
    np.testing.assert_allclose(r.prior_density, stats.laplace.pdf(r.grid, scale=scale), rtol=1e-12)


@pytest.mark.parametrize("z", [0.3, -2.2, 4.0])
def test_elasticnet_posterior_matches_brute_force(z):
    prior = br.ElasticNet(scale=0.8, l1_ratio=0.4)
    a, b = 0.4 / 0.8, 0.6 / 0.8**2  # penalty a|w| + b w^2 / 2, written out
    log_unnorm = lambda w: -a * np.abs(w) - 0.5 * b * w**2  # noqa: E731
    r = one_coefficient_posterior(z, 1.0, prior)
    _, mean, sd, median, _ = brute_force(z, 1.0, log_unnorm)
    assert r.mean == pytest.approx(mean, abs=1e-7)
    assert r.sd == pytest.approx(sd, abs=1e-7)
    assert r.median == pytest.approx(median, abs=1e-6)


@pytest.mark.parametrize(
    "prior", [br.Normal(scale=0.7), br.Laplace(scale=0.5), br.ElasticNet(scale=1.0, l1_ratio=0.5)]
)
@pytest.mark.parametrize("z", [-3.0, -0.2, 0.0, 0.9, 2.4])
def test_map_is_the_argmin_of_the_negative_log_posterior(prior, z):
    se = 0.8
    neg_log_post = lambda w: (w - z) ** 2 / (2 * se**2) - float(prior.logpdf(w))  # noqa: E731
    best = optimize.minimize_scalar(
        neg_log_post, bounds=(-10, 10), method="bounded", options={"xatol": 1e-10}
    ).x
    r = one_coefficient_posterior(z, se, prior)
    assert r.map == pytest.approx(best, abs=1e-7)
    # and the posterior density on the grid peaks there
    assert r.grid[np.argmax(r.posterior_density)] == pytest.approx(best, abs=np.diff(r.grid)[0])


def test_shrinkage_curves_are_soft_thresholding_and_linear_shrinkage():
    z = np.linspace(-5, 5, 41)
    se, s, t = 0.9, 0.6, 1.3
    laplace = shrinkage_curves(br.Laplace(scale=s), se, z)
    normal = shrinkage_curves(br.Normal(scale=t), se, z)
    np.testing.assert_allclose(laplace.map, np.sign(z) * np.maximum(np.abs(z) - se**2 / s, 0), atol=1e-14)
    np.testing.assert_allclose(normal.map, z * t**2 / (t**2 + se**2), atol=1e-14)
    np.testing.assert_allclose(normal.mean, z * t**2 / (t**2 + se**2), atol=1e-12)
    # the teaching point: the Laplace MAP is exactly zero near 0, its posterior mean never is
    near_zero = (np.abs(z) < se**2 / s) & (z != 0)
    assert np.all(laplace.map[near_zero] == 0.0)
    assert np.all(np.abs(laplace.mean[near_zero]) > 0.01)


@pytest.mark.parametrize("z", [-3.0, 0.7, 2.0])
def test_shrinkage_curve_mean_and_median_match_brute_force(z):
    curves = shrinkage_curves(br.Laplace(scale=0.5), 1.0, [z])
    _, mean, _, median, _ = brute_force(z, 1.0, stats.laplace(scale=0.5).logpdf)
    assert curves.mean[0] == pytest.approx(mean, abs=1e-7)
    assert curves.median[0] == pytest.approx(median, abs=1e-6)


def test_cdf_and_quantiles_match_brute_force():
    z, se, s = 1.1, 1.0, 0.7
    r = one_coefficient_posterior(z, se, br.Laplace(scale=s))
    _, _, _, _, cdf = brute_force(z, se, stats.laplace(scale=s).logpdf)
    points = np.array([-2.0, -0.5, 0.0, 0.3, 1.5, 3.0])
    np.testing.assert_allclose(r.cdf(points), np.interp(points, FINE, cdf), atol=1e-8)
    q = np.array([0.03, 0.25, 0.5, 0.75, 0.97])
    np.testing.assert_allclose(r.ppf(q), np.interp(q, cdf, FINE), atol=1e-6)


@pytest.mark.parametrize("sign", [1.0, -1.0])
@pytest.mark.parametrize("ratio", [40.0, 1e4])
def test_extreme_estimates_are_finite_and_stable(sign, ratio):
    se, s = 0.5, 1.0
    z = sign * ratio * se
    r = one_coefficient_posterior(z, se, br.Laplace(scale=s))
    fields = [r.map, r.mean, r.median, r.sd]
    assert all(math.isfinite(v) for v in fields)
    assert np.all(np.isfinite(r.posterior_density))
    # far from 0 the other half-line has mass ~ Phi(-ratio), so the posterior is the
    # normal N(z - sign se^2/s, se^2) truncated at 0, i.e. that normal to machine precision
    shifted = z - sign * se**2 / s
    assert r.map == pytest.approx(shifted, rel=1e-14)
    assert r.mean == pytest.approx(shifted, rel=1e-12)
    assert r.median == pytest.approx(shifted, rel=1e-12)
    assert r.sd == pytest.approx(se, rel=1e-9)
    np.testing.assert_allclose(
        r.posterior_density, stats.norm.pdf(r.grid, shifted, se), rtol=1e-9, atol=1e-300
    )
    # the default grid resolves the narrow posterior far from 0 (spacing se/40 there)
    assert integrate.trapezoid(r.posterior_density, r.grid) == pytest.approx(1.0, abs=1e-4)
    curves = shrinkage_curves(br.Laplace(scale=s), se, [z, -z])
    assert np.all(np.isfinite(curves.mean)) and np.all(np.isfinite(curves.median))


def test_user_grid_is_used():
    grid = np.linspace(-3, 3, 61)
    r = one_coefficient_posterior(1.0, 1.0, br.Laplace(scale=1.0), grid=grid)
    np.testing.assert_array_equal(r.grid, grid)
    assert r.posterior_density.shape == (61,)
    with pytest.raises(ValueError):
        r.grid[0] = 5.0  # results are read-only


def test_prior_variance_against_scipy():
    assert prior_variance(br.Normal(scale=1.7)) == pytest.approx(stats.norm(scale=1.7).var())
    assert prior_variance(br.Laplace(scale=0.6)) == pytest.approx(stats.laplace(scale=0.6).var())
    prior = br.ElasticNet(scale=1.4, l1_ratio=0.3)
    density = np.exp(prior.logpdf(FINE))
    assert prior_variance(prior) == pytest.approx(integrate.trapezoid(FINE**2 * density, FINE), rel=1e-8)


@pytest.mark.parametrize(
    "prior", [br.Normal(scale=3.0), br.Laplace(scale=0.2), br.ElasticNet(scale=5.0, l1_ratio=0.5)]
)
def test_with_variance_gives_that_variance(prior):
    rescaled = with_variance(prior, 2.5)
    assert type(rescaled) is type(prior)
    density = np.exp(rescaled.logpdf(FINE))
    assert integrate.trapezoid(FINE**2 * density, FINE) == pytest.approx(2.5, rel=1e-7)


def test_bad_input_errors():
    laplace = br.Laplace(scale=1.0)
    with pytest.raises(ValueError, match="se"):
        one_coefficient_posterior(1.0, 0.0, laplace)
    with pytest.raises(ValueError, match="se"):
        shrinkage_curves(laplace, -1.0, [1.0])
    with pytest.raises(ValueError, match="z must be finite"):
        one_coefficient_posterior(float("nan"), 1.0, laplace)
    with pytest.raises(TypeError, match="z must be a real number"):
        one_coefficient_posterior("1", 1.0, laplace)
    with pytest.raises(ValueError, match="horseshoe|Horseshoe"):
        one_coefficient_posterior(1.0, 1.0, br.Horseshoe())
    with pytest.raises(ValueError, match="hyperprior"):
        one_coefficient_posterior(1.0, 1.0, br.Laplace(scale=br.HalfCauchy(1.0)))
    with pytest.raises(TypeError, match="bayesreg prior"):
        one_coefficient_posterior(1.0, 1.0, "laplace")
    with pytest.raises(ValueError, match="increasing"):
        one_coefficient_posterior(1.0, 1.0, laplace, grid=[0.0, 2.0, 1.0])
    with pytest.raises(ValueError, match="1-D"):
        shrinkage_curves(laplace, 1.0, [])
    with pytest.raises(ValueError, match="finite"):
        shrinkage_curves(laplace, 1.0, [1.0, np.inf])
    with pytest.raises(ValueError, match="variance"):
        with_variance(laplace, 0.0)
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        one_coefficient_posterior(1.0, 1.0, laplace).ppf(1.5)


@pytest.mark.parametrize("z", [0.3, -2.0, 7.0, 250.0])
@pytest.mark.parametrize("prior", [br.Laplace(scale=0.5), br.ElasticNet(scale=0.8, l1_ratio=0.3),
                                   br.Normal(scale=2.0)])
def test_quadrature_route_equals_the_closed_form(z, prior):
    """The route for smooth priors without a closed form, checked where the closed form exists."""
    from bayesreg.teaching._quadrature import QuadraturePosterior
    from bayesreg.teaching._two_piece import TwoPieceNormal

    quad, exact = QuadraturePosterior(z, 0.7, prior), TwoPieceNormal(z, 0.7, prior)
    np.testing.assert_allclose(quad.moments(), exact.moments(), rtol=1e-9, atol=1e-12)
    q = np.array([0.05, 0.5, 0.95])
    np.testing.assert_allclose(quad.ppf(q), exact.ppf(q), rtol=1e-9, atol=1e-10)
    w = np.linspace(z - 2, z + 2, 5)
    np.testing.assert_allclose(quad.logpdf(w), exact.logpdf(w), rtol=1e-9, atol=1e-9)
