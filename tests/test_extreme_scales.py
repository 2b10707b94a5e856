"""Scales and sigma far from 1: refused outside SCALE_RANGE, finite (or inf) inside it.

Before the range existed, ``Normal(1e-154).penalty_weights`` raised a bare
ZeroDivisionError, ``Laplace(1e200)`` an OverflowError in ``to_penalty``, and
``Laplace(5e-324)`` silently gave least squares.  Now every scale (prior,
hyperprior, horseshoe) and every sigma outside [1e-150, 1e150] is refused when
it is given, with the range in the message.
"""

import math
import warnings

import numpy as np
import pytest

import bayesreg as br
from bayesreg.model.scales import SCALE_RANGE

OUTSIDE = [1e-154, 1e154, 1e-200, 1e200, 5e-324, 1.7e308]
RANGE_MESSAGE = r"must lie in \[1e-150, 1e\+150\]"
CONVENTIONS = [("gaussian", "sklearn"), ("gaussian", "glmnet"), ("bernoulli", "sklearn"),
               ("bernoulli", "glmnet")]


@pytest.fixture(scope="module")
def small_data():
    X, y = br.datasets.load_diabetes()
    return X.to_numpy()[:60, :4], y.to_numpy()[:60]


def test_the_documented_range():
    assert SCALE_RANGE == (1e-150, 1e150)
    lo, hi = SCALE_RANGE
    # squares and reciprocals of in-range numbers, and products of two, stay finite and > 0
    for v in (lo, hi):
        assert 0 < v**2 < math.inf and 0 < 1 / v**2 < math.inf


@pytest.mark.parametrize("value", OUTSIDE)
@pytest.mark.parametrize(
    "make",
    [
        lambda v: br.Normal(scale=v),
        lambda v: br.Laplace(scale=v),
        lambda v: br.ElasticNet(scale=v, l1_ratio=0.5),
        lambda v: br.Horseshoe(global_scale=v),
        lambda v: br.HalfCauchy(scale=v),
        lambda v: br.HalfNormal(scale=v),
        lambda v: br.Laplace(scale=br.HalfCauchy(v)),
    ],
    ids=["Normal", "Laplace", "ElasticNet", "Horseshoe", "HalfCauchy", "HalfNormal", "hyperprior"],
)
def test_priors_refuse_scales_outside_the_range(make, value):
    """penalty_weights, logpdf and to_penalty can no longer meet such a scale."""
    with pytest.raises(ValueError, match=RANGE_MESSAGE):
        make(value)


def test_laplace_at_the_smallest_double_is_refused_not_least_squares(small_data):
    """Laplace(5e-324) used to make MAPRegressor return least squares (1/s overflowed)."""
    X, y = small_data
    with pytest.raises(ValueError, match=RANGE_MESSAGE):
        br.MAPRegressor(br.Laplace(scale=5e-324), sigma=1.0).fit(X, y)


@pytest.mark.parametrize("sigma", OUTSIDE)
def test_sigma_outside_the_range_is_refused_everywhere(sigma, small_data):
    X, y = small_data
    with pytest.raises(ValueError, match=RANGE_MESSAGE):
        br.to_penalty(br.Laplace(1.0), n_samples=10, sigma=sigma)
    with pytest.raises(ValueError, match=RANGE_MESSAGE):
        br.from_penalty("Lasso", n_samples=10, sigma=sigma, alpha=1.0)
    with pytest.raises(ValueError, match="MAPRegressor: sigma " + RANGE_MESSAGE):
        br.MAPRegressor(br.Laplace(1.0), sigma=sigma).fit(X, y)
    with pytest.raises(ValueError, match="PosteriorRegressor: sigma " + RANGE_MESSAGE):
        br.PosteriorRegressor(br.Normal(1.0), sigma=sigma, sampler="exact", progressbar=False).fit(X, y)
    with pytest.raises(ValueError, match="map_path: sigma " + RANGE_MESSAGE):
        br.map_path(X, y, br.Laplace(1.0), [1.0, 2.0], sigma=sigma)


@pytest.mark.parametrize("scale", [1e-154, 1e200])
def test_map_path_refuses_a_grid_scale_outside_the_range(scale, small_data):
    X, y = small_data
    with pytest.raises(ValueError, match=RANGE_MESSAGE):
        br.map_path(X, y, br.Laplace(1.0), [1.0, scale], sigma=1.0)


@pytest.mark.parametrize("scale", SCALE_RANGE)
@pytest.mark.parametrize("family", [br.Normal, br.Laplace, lambda s: br.ElasticNet(s, 0.5)],
                         ids=["Normal", "Laplace", "ElasticNet"])
def test_densities_at_the_ends_of_the_range(family, scale):
    """penalty_weights and logpdf are finite at the ends (tails: -inf, never a warning)."""
    prior = family(scale)
    l1, l2 = prior.penalty_weights
    assert np.isfinite(l1) and np.isfinite(l2) and l1 >= 0 and l2 >= 0 and l1 + l2 > 0
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        logp = prior.logpdf([0.0, 1e-200, 1.0, 1e200])
        assert np.isfinite(logp[0]) and np.isfinite(logp[1])
        assert not np.any(np.isnan(logp)) and logp[3] <= logp[0]
        assert np.isfinite(prior.penalty([0.0, 1.0])) or prior.penalty([0.0, 1.0]) == math.inf


@pytest.mark.parametrize("likelihood, convention", CONVENTIONS)
def test_to_penalty_never_raises_a_bare_arithmetic_error_in_range(likelihood, convention):
    """Every in-range combination maps to a number in [0, inf]: inf means all-zero MAP."""
    ends = [SCALE_RANGE[0], 1.0, SCALE_RANGE[1]]
    for make in (br.Normal, br.Laplace, lambda s: br.ElasticNet(s, 0.5)):
        for scale in ends:
            for sigma in ends if likelihood == "gaussian" else [None]:
                for y_sd in ends if (likelihood, convention) == ("gaussian", "glmnet") else [None]:
                    penalty = br.to_penalty(make(scale), n_samples=442, sigma=sigma,
                                            likelihood=likelihood, convention=convention, y_sd=y_sd)
                    for key, value in penalty.items():
                        if key in ("estimator", "family"):
                            continue
                        assert not math.isnan(value) and value >= 0, (scale, sigma, y_sd, penalty)


def test_map_and_exact_posterior_at_the_ends_of_the_range(small_data):
    """A huge penalty gives exact zeros; a vanishing prior precision gives least squares."""
    X, y = small_data
    ols = np.linalg.lstsq(X - X.mean(0), y - y.mean(), rcond=None)[0]
    assert np.all(br.MAPRegressor(br.Laplace(1e-150), sigma=1.0).fit(X, y).coef_ == 0)
    assert np.all(br.MAPRegressor(br.Laplace(1.0), sigma=1e150).fit(X, y).coef_ == 0)
    path = br.map_path(X, y, br.Laplace(1.0), [1e-150, 1.0], sigma=1.0)
    assert np.all(np.asarray(path.coefs)[0] == 0)
    kw = dict(sampler="exact", draws=250, chains=4, random_seed=0, progressbar=False)
    tiny = br.PosteriorRegressor(br.Normal(1e-150), sigma=1.0, **kw).fit(X, y)
    assert np.all(np.abs(tiny.coef_) < 1e-149) and np.all(tiny.coef_sd_ < 2e-150)
    wide = br.PosteriorRegressor(br.Normal(1.0), sigma=1e-150, **kw).fit(X, y)
    np.testing.assert_allclose(wide.coef_, ols, rtol=1e-9)


def test_from_penalty_beyond_the_range_names_it():
    """A penalty whose prior scale would leave the range is refused with the range."""
    with pytest.raises(ValueError, match=RANGE_MESSAGE):
        br.from_penalty("Lasso", n_samples=10, sigma=1e-150, alpha=1e10)
