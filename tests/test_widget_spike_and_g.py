"""The spike-and-slab and Zellner's g-prior in the widgets (issue 18: every prior in the widgets).

References independent of the code under test:

* spike-and-slab: the posterior inclusion probabilities of all 2^p models enumerated
  from the closed-form marginal likelihood (scipy's multivariate normal density,
  tests/test_spike_and_slab.py's ``_enumerated_inclusion``), within 4 Monte Carlo
  standard errors sqrt(p (1 - p) / ESS) of each indicator (+ 1e-3);
* g-prior: the MAP and the conjugate posterior written here with numpy: with centred
  data, MAP = solve((1 + 1/g) Xc'Xc, Xc'yc) (to 1e-8), and with sigma fixed
  w | y ~ N(g/(1+g) OLS, g/(1+g) sigma^2 (Xc'Xc)^-1); the live posterior's means
  within 4 MCSE (sd / sqrt(ESS)) and its sds within 4 MCSE of an sd of a Normal
  (sd / sqrt(2 ESS)).
"""


import numpy as np
import pytest

import bayesreg as br
from bayesreg.widgets import CoefficientComparison, PriorScaleExplorer
from bayesreg.widgets._prior_choice import prior_options
from bayesreg.widgets.scale_explorer import ScaleExplorer

from .test_spike_and_slab import _data, _enumerated_inclusion

SIGMA = 1.0


def _g_closed_form(X, y, g, sigma):
    """MAP (= posterior mean) and posterior sd of the g-prior with sigma fixed, from numpy."""
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    gram = Xc.T @ Xc
    mean = np.linalg.solve((1 + 1 / g) * gram, Xc.T @ yc)
    sd = np.sqrt(np.diag(g / (1 + g) * sigma**2 * np.linalg.inv(gram)))
    return mean, sd


@pytest.fixture(scope="module")
def problem():
    """n = 40, p = 6 (64 models), a correlated pair and a weak effect: intermediate PIPs."""
    return _data(n=40, p=6, seed=1)


def test_both_families_are_offered_with_the_right_mode():
    """The explorer offers both; the MAP views offer the g-prior but not the spike-and-slab;
    the one-coefficient demo does not offer the g-prior (it needs the design X)."""
    explorer_kinds = [kind for _, kind in prior_options(posterior_only=True)]
    map_kinds = [kind for _, kind in prior_options()]
    assert {"spikeandslab", "gprior"} <= set(explorer_kinds)
    assert "gprior" in map_kinds and "spikeandslab" not in map_kinds
    assert "gprior" not in [kind for _, kind in prior_options(one_coefficient=True)]
    assert map_kinds[:3] == ["normal", "laplace", "elasticnet"]  # the base families stay first
    with pytest.raises(ValueError, match="built from the design X"):
        br.widgets.ShrinkageDemo1D(prior="gprior")


def test_live_spike_and_slab_inclusion_equals_exact_enumeration(problem):
    """At slab scale 1.3 (Beta(1, 1) on the inclusion probability, sigma fixed) the live
    posterior's inclusion probabilities equal the enumeration over all 64 models within
    4 MCSE (+ 1e-3); the readout says there is no MAP and why, and lists them."""
    X, y = problem
    slab = 1.3
    exact = _enumerated_inclusion(X, y, slab, SIGMA, 1.0, 1.0)
    assert np.any((exact > 0.2) & (exact < 0.8))  # intermediate PIPs to get right
    explorer = ScaleExplorer(X, y, prior="spikeandslab", sigma=SIGMA, live_draws=1500,
                             live_tune=100, random_seed=3)
    assert explorer.live_sampler == "gibbs" and explorer.has_map is False
    explorer.live_posterior(slab)
    state = explorer.state(slab)
    assert state["posterior_source"] == "gibbs"
    assert state["prior"] == br.SpikeAndSlab(slab_scale=slab)
    assert state["prior"].control_scale == slab
    pip = state["inclusion_probabilities"].to_numpy()
    ess = state["inclusion_ess"].to_numpy()
    mcse = np.sqrt(exact * (1 - exact) / ess)
    np.testing.assert_array_less(np.abs(pip - exact), 4 * mcse + 1e-3)
    np.testing.assert_array_equal(state["posterior"]["p_inclusion"].to_numpy(), pip)
    assert state["has_map"] is False and state["map_coef"] is None and state["alpha"] is None
    assert "the spike-and-slab has no MAP" in state["formulas"][0]
    assert "infinite at 0" in state["formulas"][0]
    assert "inclusion probabilit" in state["posterior_note"]


def test_the_view_shows_the_spike_and_slab_posterior_and_its_inclusion_probabilities(problem):
    X, y = problem
    view = PriorScaleExplorer(X, y, prior="spikeandslab", sigma=SIGMA, scale=1.0, n_path=6,
                              live_draws=300, live_tune=50)
    assert view.wait(120)
    state = view.state
    assert state["posterior_source"] == "gibbs" and state["scale"] == 1.0
    assert view.controls["sample"].layout.display == "none"  # live: no Sample button
    assert "no MAP" in view.readout.value and "inclusion probabilities" in view.readout.value
    assert "Gibbs posterior" in view.posterior_note.value


def test_logistic_spike_and_slab_says_why_there_is_no_posterior():
    """No sampler covers the logistic spike-and-slab: the view says so with the Gibbs
    sampler's reason, offers no Sample button, and never asks to press it."""
    rng = np.random.default_rng(5)
    X = rng.normal(size=(80, 3))
    y = (rng.uniform(size=80) < 1 / (1 + np.exp(-X[:, 0]))).astype(int)
    view = PriorScaleExplorer(X, y, prior="spikeandslab", likelihood="bernoulli", scale=1.0)
    assert view.explorer.live_sampler is None and not view.explorer.can_sample
    note = view.posterior_note.value
    assert "only with the Gaussian likelihood" in note and "No sampler covers" in note
    assert "press Sample" not in note
    assert view.controls["sample"].layout.display == "none"
    assert "no MAP" in view.readout.value


def test_fast_slider_moves_end_on_the_spike_and_slab_posterior_of_the_last_scale(problem,
                                                                               hold_live_fit):
    """The fit at 0.5 is held while the slider moves to 2.0 and 3.0: 2.0 is never fitted,
    0.5's result is cached but never shown, and the view ends on 3.0's posterior."""
    X, y = problem
    held = hold_live_fit(0.5)  # the slab scale
    view = PriorScaleExplorer(X, y, prior="spikeandslab", sigma=SIGMA, scale=1.0,
                              live_draws=200, live_tune=50)
    assert view.wait(120) and view.state["posterior_source"] == "gibbs"
    view.controls["scale"].value = 0.5
    assert held.started.wait(60)
    view.controls["scale"].value = 2.0
    view.controls["scale"].value = 3.0
    assert view.state["scale"] == 3.0 and view.state.get("pending")
    assert view.state["posterior"] is None  # nothing of another scale in the state
    held.release.set()
    assert view.wait(120)
    assert held.fitted == [1.0, 0.5, 3.0]
    state = view.state
    assert state["scale"] == 3.0 and state["prior"] == br.SpikeAndSlab(slab_scale=3.0)
    fit = view.explorer._live.cached(view.explorer.family, 3.0)
    np.testing.assert_allclose(state["posterior"]["mean"], fit[0].mean(axis=0), rtol=1e-12)
    np.testing.assert_allclose(state["inclusion_probabilities"], fit[3][0], rtol=1e-12)


@pytest.mark.parametrize("g", [0.5, 7.0, 40.0])
def test_explorer_g_prior_map_equals_the_closed_form(problem, g):
    """The MAP (state and path) is solve((1 + 1/g) Xc'Xc, Xc'yc), to 1e-8; the readout says
    no library lambda equals the non-diagonal penalty and gives the shrinkage g/(1+g)."""
    X, y = problem
    explorer = ScaleExplorer(X, y, prior="gprior", sigma=SIGMA, n_path=5)
    state = explorer.map_state(g)
    closed, _ = _g_closed_form(X, y, g, SIGMA)
    np.testing.assert_allclose(state["map_coef"], closed, atol=1e-8, rtol=0)
    assert state["prior"] == br.GPrior(g=g) and state["has_map"] is True
    assert state["alpha"] is None and state["glmnet_lambda"] is None
    assert state["logistic_C"] is None
    text = " ".join(state["formulas"])
    assert "not diagonal" in text and "no scikit-learn alpha, glmnet lambda" in text
    assert f"{g / (1 + g):.4g} x OLS" in text
    path = explorer.path()
    for scale, coef in zip(path.scales, path.coefs):
        np.testing.assert_allclose(coef, _g_closed_form(X, y, scale, SIGMA)[0], atol=1e-8, rtol=0)


@pytest.mark.parametrize("sigma", [SIGMA, None])
def test_explorer_g_prior_live_posterior_equals_the_conjugate_posterior(problem, sigma):
    """Sigma fixed: the live exact draws' means and sds equal the closed form within 4 MCSE
    (independent draws: ESS = their number). Sigma learned: drawn exactly too (source
    "exact"), the mean still g/(1+g) OLS (it does not depend on sigma)."""
    X, y = problem
    g = 7.0
    explorer = ScaleExplorer(X, y, prior="gprior", sigma=sigma, live_draws=2000)
    assert explorer.live_sampler == "exact" and explorer.draws_live
    explorer.live_posterior(g)
    state = explorer.state(g)
    assert state["posterior_source"] == "exact"
    table = state["posterior"]
    n_draws = 2 * 2000
    mean, sd = _g_closed_form(X, y, g, SIGMA)
    if sigma is None:  # the draws' own sd: the mean is g/(1+g) OLS whatever sigma is
        sd = table["sd"].to_numpy()
    np.testing.assert_array_less(np.abs(table["mean"].to_numpy() - mean), 4 * sd / np.sqrt(n_draws))
    if sigma is not None:
        np.testing.assert_array_less(np.abs(table["sd"].to_numpy() - sd),
                                     4 * sd / np.sqrt(2 * n_draws))
    np.testing.assert_allclose(table["map"].to_numpy(), mean, atol=1e-8, rtol=0)


def test_the_view_shows_the_g_prior_map_and_its_live_exact_posterior(problem):
    X, y = problem
    view = PriorScaleExplorer(X, y, prior="normal", sigma=SIGMA, scale=5.0, n_path=6,
                              live_draws=300, live_tune=50)
    assert view.wait(120)
    view.controls["prior"].value = "gprior"
    assert view.wait(120, band=True)
    state = view.state
    assert state["posterior_source"] == "exact" and state["prior"] == br.GPrior(g=5.0)
    np.testing.assert_allclose(state["map_coef"], _g_closed_form(X, y, 5.0, SIGMA)[0],
                               atol=1e-8, rtol=0)
    assert "not diagonal" in view.readout.value
    assert view.explorer.posterior_band().sampler == "exact"
    assert view.controls["sample"].layout.display == "none"


def test_comparison_refuses_the_spike_and_slab_with_the_reason(problem):
    X, y = problem
    with pytest.raises(ValueError, match="SpikeAndSlab prior is not offered because it has no "
                                         "MAP estimate"):
        CoefficientComparison(X, y, prior=br.SpikeAndSlab(1.0), sigma=SIGMA)
    with pytest.raises(ValueError, match="no MAP estimate"):
        CoefficientComparison(X, y, prior="spikeandslab", sigma=SIGMA)


def test_comparison_shows_the_g_prior_map_beside_its_exact_posterior(problem):
    X, y = problem
    view = CoefficientComparison(X, y, prior="gprior", sigma=SIGMA, scale=7.0, draws=2000)
    assert view.wait(120)
    state = view.state
    closed, sd = _g_closed_form(X, y, 7.0, SIGMA)
    assert state["prior"] == br.GPrior(g=7.0) and state["posterior_source"] == "exact"
    np.testing.assert_allclose(state["map_coef"], closed, atol=1e-8, rtol=0)
    np.testing.assert_allclose(state["table"]["map"].to_numpy(), closed, atol=1e-8, rtol=0)
    np.testing.assert_array_less(np.abs(state["table"]["mean"].to_numpy() - closed),
                                 4 * sd / np.sqrt(2 * 2000))
    assert "not diagonal" in view.status.value and "x OLS" in view.status.value
