"""Priors: densities against scipy.stats, penalties, proximal maps, value semantics."""

import math

import numpy as np
import pytest
from scipy import integrate, optimize, stats

import bayesreg as br
from bayesreg import ElasticNet, HalfCauchy, HalfNormal, Horseshoe, Laplace, Normal

from .conftest import MAP_PRIORS

W = np.array([-3.0, -0.7, -1e-3, 0.0, 0.25, 1.0, 4.0])


# ---------------------------------------------------------------- densities
@pytest.mark.parametrize(
    "prior, reference",
    [
        (Normal(scale=0.5), stats.norm(scale=0.5)),
        (Normal(scale=3.0), stats.norm(scale=3.0)),
        (Laplace(scale=0.5), stats.laplace(scale=0.5)),
        (Laplace(scale=2.0), stats.laplace(scale=2.0)),
        (ElasticNet(scale=1.0, l1_ratio=0.0), stats.norm(scale=1.0)),
        (ElasticNet(scale=1.5, l1_ratio=1.0), stats.laplace(scale=1.5)),
    ],
    ids=repr,
)
def test_logpdf_matches_scipy(prior, reference):
    np.testing.assert_allclose(prior.logpdf(W), reference.logpdf(W), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize(
    "prior, reference",
    [
        (HalfCauchy(scale=0.3), stats.halfcauchy(scale=0.3)),
        (HalfCauchy(scale=2.0), stats.halfcauchy(scale=2.0)),
        (HalfNormal(scale=0.3), stats.halfnorm(scale=0.3)),
        (HalfNormal(scale=5.0), stats.halfnorm(scale=5.0)),
    ],
    ids=repr,
)
def test_hyperprior_logpdf_matches_scipy(prior, reference):
    s = np.array([0.0, 1e-3, 0.2, 1.0, 7.0])
    np.testing.assert_allclose(prior.logpdf(s), reference.logpdf(s), rtol=1e-12)
    assert prior.logpdf(-1.0) == -np.inf


@pytest.mark.parametrize("scale, r", [(0.3, 0.2), (1.0, 0.5), (4.0, 0.9), (0.05, 0.999), (50.0, 0.01)])
def test_elastic_net_density_integrates_to_one(scale, r):
    """Independent check of the erfcx normalizing constant: numerical quadrature."""
    prior = ElasticNet(scale=scale, l1_ratio=r)
    mass, _ = integrate.quad(lambda w: math.exp(prior.logpdf(w)), -np.inf, np.inf, epsrel=1e-12)
    assert mass == pytest.approx(1.0, rel=1e-9)
    # and the unnormalized part is exp(-penalty)
    np.testing.assert_allclose(
        prior.logpdf(W) - prior.logpdf(0.0), [-prior.penalty(w) for w in W], rtol=1e-12, atol=1e-14
    )


@pytest.mark.parametrize("tau0, w", [(0.1, 0.05), (1.0, 0.8), (1.0, 3.0), (0.1, 2.0)])
def test_horseshoe_marginal_matches_double_integral(tau0, w):
    """Marginal density against a 2-D integral over (lambda, tau) of scipy.stats densities.

    Trapezoid rule on a grid in (log lambda, log tau): for these smooth, fast-decaying
    integrands it converges geometrically, far below the tolerance used.
    """
    v = np.arange(-25.0, 25.0, 0.02)
    lam, tau = np.exp(v)[:, None], np.exp(v)[None, :]
    density = (
        stats.norm.pdf(w, scale=lam * tau)
        * (stats.halfcauchy.pdf(lam) * lam)
        * (stats.halfcauchy.pdf(tau, scale=tau0) * tau)
    )
    ref = density.sum() * 0.02**2
    assert Horseshoe(global_scale=tau0).logpdf(w) == pytest.approx(math.log(ref), rel=1e-6)


def test_horseshoe_density_is_infinite_at_zero_and_integrates_to_one():
    prior = Horseshoe(global_scale=1.0)
    assert prior.logpdf(0.0) == np.inf
    mass, _ = integrate.quad(lambda w: 2 * math.exp(prior.logpdf(w)), 0, np.inf, limit=200)
    assert mass == pytest.approx(1.0, rel=1e-5)


# ---------------------------------------------------------------- penalties and prox
@pytest.mark.parametrize("prior", MAP_PRIORS, ids=repr)
def test_penalty_is_negative_log_density_up_to_a_constant(prior):
    rng = np.random.default_rng(0)
    ws = rng.normal(scale=2.0, size=(5, 4))
    consts = [prior.penalty(w) + prior.logpdf(w).sum() for w in ws]
    np.testing.assert_allclose(consts, consts[0], rtol=1e-12)
    assert prior.penalty(np.zeros(4)) == 0.0


@pytest.mark.parametrize("prior", MAP_PRIORS, ids=repr)
@pytest.mark.parametrize("step", [0.1, 1.0, 7.0])
def test_prox_equals_brute_force_minimisation(prior, step):
    for z in [-5.0, -1.3, -0.2, 0.0, 0.05, 0.6, 2.5, 10.0]:
        objective = lambda w: (w - z) ** 2 / (2 * step) + prior.penalty(np.array([w]))  # noqa: E731
        brute = optimize.minimize_scalar(
            objective, bounds=(-abs(z) - 1, abs(z) + 1), method="bounded",
            options={"xatol": 1e-12},
        ).x
        assert prior.prox(z, step) == pytest.approx(brute, abs=1e-7)


def test_prox_is_soft_thresholding_and_linear_shrinkage():
    z = np.array([-3.0, -0.5, 0.2, 2.0])
    np.testing.assert_allclose(Laplace(scale=1.0).prox(z), [-2.0, 0.0, 0.0, 1.0])
    np.testing.assert_allclose(Normal(scale=1.0).prox(z), z / 2)


def test_prox_rejects_bad_step():
    with pytest.raises(ValueError, match="step"):
        Laplace().prox(1.0, step=0.0)


# ---------------------------------------------------------------- value semantics
ALL_PRIORS = [
    Normal(scale=2.0),
    Laplace(scale=0.5),
    ElasticNet(scale=1.5, l1_ratio=0.25),
    Horseshoe(global_scale=0.1),
    Laplace(scale=HalfCauchy(scale=1.0)),
    Normal(scale=HalfNormal(2.0)),
    HalfCauchy(3.0),
]


@pytest.mark.parametrize("prior", ALL_PRIORS, ids=repr)
def test_repr_round_trips_and_priors_are_values(prior):
    namespace = {name: getattr(br, name) for name in br.__all__}
    assert eval(repr(prior), namespace) == prior
    assert hash(eval(repr(prior), namespace)) == hash(prior)
    with pytest.raises(AttributeError):
        prior.scale = 10.0


def test_equality_distinguishes_parameters():
    assert Laplace(1.0) == Laplace(scale=1) and Laplace(1.0) != Laplace(2.0)
    assert Laplace(1.0) != Normal(1.0)
    assert ElasticNet(1.0, 0.5) != ElasticNet(1.0, 0.6)


@pytest.mark.parametrize(
    "make, error, match",
    [
        (lambda: Normal(scale=0.0), ValueError, "scale must be finite and > 0"),
        (lambda: Laplace(scale=-1.0), ValueError, "scale must be finite and > 0"),
        (lambda: Laplace(scale=np.inf), ValueError, "finite"),
        (lambda: Laplace(scale=np.nan), ValueError, "finite"),
        (lambda: Laplace(scale="1"), TypeError, "positive number"),
        (lambda: Laplace(scale=True), TypeError, "positive number"),
        (lambda: Laplace(scale=Normal(1.0)), TypeError, "hyperprior"),
        (lambda: Laplace(scale=br.model.hyperpriors.Hyperprior()), TypeError, "positive number"),
        (lambda: ElasticNet(scale=1.0, l1_ratio=1.5), ValueError, r"l1_ratio must lie in \[0, 1\]"),
        (lambda: ElasticNet(scale=1.0, l1_ratio=-0.1), ValueError, "l1_ratio"),
        (lambda: Horseshoe(global_scale=0), ValueError, "global_scale"),
        (lambda: HalfCauchy(scale=-2), ValueError, "scale"),
    ],
)
def test_bad_parameters_raise_clear_errors(make, error, match):
    with pytest.raises(error, match=match):
        make()


def test_numpy_scalars_are_accepted_and_stored_as_float():
    prior = Laplace(scale=np.float32(2.0))
    assert type(prior.scale) is float and prior == Laplace(2.0)


def test_horseshoe_has_no_map_and_says_so():
    prior = Horseshoe()
    assert not prior.has_map
    with pytest.raises(ValueError, match="no finite minimum"):
        prior.prox(1.0)
    with pytest.raises(ValueError, match="PosteriorRegressor"):
        prior.penalty_weights


def test_hierarchical_prior_has_no_fixed_penalty():
    prior = Laplace(scale=HalfCauchy(1.0))
    assert prior.is_hierarchical and not Laplace(1.0).is_hierarchical
    with pytest.raises(ValueError, match="hyperprior on its scale"):
        prior.logpdf(1.0)
    with pytest.raises(ValueError, match="Fix the scale"):
        prior.penalty([1.0])


def test_horseshoe_logpdf_at_infinity_and_nan_follows_scipy():
    """logpdf(+-inf) is -inf (the density tends to 0 like 1/w^2), NaN gives NaN.

    scipy.stats, for the Cauchy (also a 1/w^2 tail): logpdf(+-inf) = -inf, logpdf(nan) = nan.
    Before the fix logpdf(inf) raised "math domain error".
    """
    w = np.array([np.inf, -np.inf, np.nan, 3.0])
    reference = stats.cauchy.logpdf(w)
    got = Horseshoe(global_scale=0.5).logpdf(w)
    np.testing.assert_array_equal(got[:3], reference[:3])
    assert np.isfinite(got[3])
    # the tail decreases towards -inf
    tail = Horseshoe().logpdf([1e3, 1e6, 1e12])
    assert np.all(np.diff(tail) < 0) and np.all(np.isfinite(tail))


@pytest.mark.parametrize(
    "prior, reference",
    [
        (Normal(scale=2.0), stats.norm(scale=2.0)),
        (Laplace(scale=2.0), stats.laplace(scale=2.0)),
        (ElasticNet(scale=2.0, l1_ratio=1.0), stats.laplace(scale=2.0)),
        (ElasticNet(scale=2.0, l1_ratio=0.0), stats.norm(scale=2.0)),
    ],
    ids=repr,
)
def test_logpdf_at_infinity_and_nan_follows_scipy(prior, reference):
    """No 0 * inf = nan from an absent L1 or L2 term: logpdf(+-inf) = -inf as in scipy."""
    w = np.array([np.inf, -np.inf, np.nan, 1.0])
    np.testing.assert_allclose(prior.logpdf(w), reference.logpdf(w), rtol=1e-12)
    assert prior.penalty([np.inf]) == math.inf
    # far in the tail: -|w|/s - log(2s) for the Laplace, -inf (w^2 overflows) for the Normal
    l1, l2 = prior.penalty_weights
    expected = -np.inf if l2 > 0 else -1e200 / prior.scale - math.log(2 * prior.scale)
    assert prior.logpdf(1e200) == expected
