"""The horseshoe+ and the regularized horseshoe as families: densities, no MAP, registry.

Every density is checked against something independent of its implementation:
three-dimensional trapezoid sums over the mixing scales written with
``scipy.stats`` densities in the model's own parameters (the implementation
integrates in closed form over some of them), Monte Carlo draws of the
hierarchical prior, and the total mass by ``scipy.integrate.quad``.
"""

import math

import numpy as np
import pytest
from scipy import integrate, stats

import bayesreg as br
from bayesreg.model._global_local import log_sech_convolution
from bayesreg.model.registry import prior_classes, prior_from_dict, prior_to_dict
from bayesreg.widgets._prior_choice import prior_kind

NEW_PRIORS = [br.HorseshoePlus(global_scale=0.5), br.RegularizedHorseshoe(global_scale=0.3)]

STEP = 0.15  # the trapezoid sums below converge geometrically in the step (analytic integrands)
GRID = np.arange(-24.0, 24.0, STEP)


@pytest.mark.parametrize("count", [2, 3])
@pytest.mark.parametrize("x", [0.0, -2.5, 9.0])
def test_log_of_a_product_of_half_cauchys_has_the_closed_form_density(count, x):
    """g_2 and g_3 against the convolution of sech/pi densities by quadrature."""
    g1 = lambda t: 1.0 / (math.pi * math.cosh(t))  # log of one C+(0, 1)
    if count == 2:
        ref = integrate.quad(lambda r: g1(x - r) * g1(r), -80, 80, limit=400, epsrel=1e-12)[0]
    else:
        g2 = lambda r: math.exp(log_sech_convolution(2, r))  # checked with count=2
        ref = integrate.quad(lambda r: g1(x - r) * g2(r), -60, 60, limit=200, epsrel=1e-10)[0]
    assert math.exp(log_sech_convolution(count, x)) == pytest.approx(ref, rel=1e-8)


@pytest.mark.parametrize("tau0, w", [(1.0, 0.05), (0.1, 4.0)])
def test_horseshoe_plus_marginal_matches_a_triple_integral(tau0, w):
    """p(w) = int N(w; 0, (eta nu tau)^2) C+(eta) C+(nu) C+(tau; tau0), on a (log eta, log nu, log tau) grid."""
    eta, nu = np.exp(GRID)[:, None], np.exp(GRID)[None, :]
    weight_eta_nu = stats.halfcauchy.pdf(eta) * eta * stats.halfcauchy.pdf(nu) * nu
    total = 0.0
    for log_tau in GRID:
        tau = math.exp(log_tau)
        tau_weight = stats.halfcauchy.pdf(tau, scale=tau0) * tau
        total += tau_weight * np.sum(stats.norm.pdf(w, scale=eta * nu * tau) * weight_eta_nu)
    ref = total * STEP**3
    assert br.HorseshoePlus(global_scale=tau0).logpdf(w) == pytest.approx(math.log(ref), rel=1e-6)


@pytest.mark.parametrize("prior, w", [
    (br.RegularizedHorseshoe(1.0), 0.05),
    (br.RegularizedHorseshoe(0.1, slab_scale=1.0, slab_df=2.0), 6.0),
])
def test_regularized_horseshoe_marginal_matches_a_triple_integral(prior, w):
    """p(w) = int N(w; 0, tau^2 lambda~^2) C+(lambda) C+(tau; tau0) InvGamma(c^2) over (log lambda, log tau, log c^2)."""
    lam, tau = np.exp(GRID)[:, None], np.exp(GRID)[None, :]
    weight = stats.halfcauchy.pdf(lam) * lam * stats.halfcauchy.pdf(tau, scale=prior.global_scale) * tau
    slab = stats.invgamma(prior.slab_df / 2, scale=prior.slab_df * prior.slab_scale**2 / 2)
    total = 0.0
    for log_c2 in GRID:
        c2 = math.exp(log_c2)
        variance = c2 * tau**2 * lam**2 / (c2 + tau**2 * lam**2)
        total += slab.pdf(c2) * c2 * np.sum(stats.norm.pdf(w, scale=np.sqrt(variance)) * weight)
    ref = total * STEP**3
    assert prior.logpdf(w) == pytest.approx(math.log(ref), rel=1e-6)


@pytest.mark.parametrize("prior", NEW_PRIORS, ids=repr)
def test_marginal_density_integrates_to_one(prior):
    """Normalised to 1 within 1e-8 (quad over w of the quadrature density)."""
    assert prior.logpdf(0.0) == np.inf  # the spike: no finite MAP
    mass, _ = integrate.quad(lambda w: 2 * math.exp(prior.logpdf(w)), 0, np.inf, limit=200,
                             epsabs=0, epsrel=1e-10)
    assert mass == pytest.approx(1.0, abs=1e-8)


@pytest.mark.parametrize("prior", NEW_PRIORS, ids=repr)
def test_prior_draws_follow_the_marginal_density(prior):
    """P(a < |w| < b) of 40000 draws of the hierarchy (sample_prior) against the density, 4 binomial SEs.

    One coefficient per call: the coefficients of one call share their tau, so only
    separate calls are independent draws of the marginal.
    """
    rng = np.random.default_rng(5)
    draws = np.abs(np.concatenate([prior.sample_prior(rng, 1)[0] for _ in range(40000)]))
    for a, b in [(0.0, 0.05), (0.05, 1.0), (3.0, np.inf)]:
        expected = integrate.quad(lambda w: 2 * math.exp(prior.logpdf(w)), a, b, limit=200)[0]
        observed = np.mean((draws > a) & (draws < b))
        se = math.sqrt(expected * (1 - expected) / draws.size)
        assert abs(observed - expected) < 4 * se, (a, b, observed, expected)


def test_density_edge_values_follow_scipy():
    for prior in NEW_PRIORS:
        out = prior.logpdf([np.inf, -np.inf, np.nan, 0.0])
        assert out[0] == out[1] == -np.inf and np.isnan(out[2]) and out[3] == np.inf
        assert prior.logpdf(-1.3) == prior.logpdf(1.3)  # symmetric


@pytest.mark.parametrize("prior", NEW_PRIORS, ids=repr)
def test_no_map_and_says_so(prior):
    """Like the horseshoe: has_map False, and every MAP question gets the same explanation."""
    assert prior.has_map is False
    X, y = np.random.default_rng(0).standard_normal((20, 3)), np.arange(20.0)
    for call in (lambda: prior.prox(1.0), lambda: prior.penalty_weights,
                 lambda: br.to_penalty(prior, n_samples=20, sigma=1.0),
                 lambda: br.MAPRegressor(prior).fit(X, y)):
        with pytest.raises(ValueError, match="has no .*: its density is infinite at 0, so the penalized "
                                             "objective has no finite minimum"):
            call()
    with pytest.raises(ValueError, match=type(prior).__name__):
        prior.prox(1.0)


@pytest.mark.parametrize("prior", NEW_PRIORS, ids=repr)
def test_the_registry_finds_them_and_save_as_data_round_trips(prior):
    assert prior_classes()[type(prior).__name__] is type(prior)
    assert prior_from_dict(prior_to_dict(prior)) == prior
    assert eval(repr(prior), {**vars(br)}) == prior


@pytest.mark.parametrize("prior", NEW_PRIORS, ids=repr)
def test_widgets_refuse_them_with_the_reason(prior):
    """The views compare the MAP with the posterior: families without a MAP are not offered."""
    with pytest.raises(ValueError, match=f"The {type(prior).__name__} prior is not offered because it has no MAP"):
        prior_kind(prior)
    with pytest.raises(ValueError, match="not offered because it has no MAP"):
        prior_kind(type(prior).__name__.lower())


@pytest.mark.parametrize("make, message", [
    (lambda: br.HorseshoePlus(global_scale=0.0), "global_scale"),
    (lambda: br.RegularizedHorseshoe(slab_scale=-1.0), "slab_scale"),
    (lambda: br.RegularizedHorseshoe(slab_df=np.nan), "slab_df"),
])
def test_bad_parameters_are_refused(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_samplers_offered():
    assert br.HorseshoePlus(1.0).samplers("gaussian", True)[:2] == ("gibbs", "nutpie")
    assert br.HorseshoePlus(1.0).samplers("bernoulli", True)[0] == "nutpie"
    assert br.RegularizedHorseshoe(1.0).samplers("gaussian", True)[0] == "nutpie"
    assert "no exact Gibbs scheme" in br.RegularizedHorseshoe(1.0).gibbs_refusal("gaussian")
