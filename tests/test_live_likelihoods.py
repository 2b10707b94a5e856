"""The widgets' likelihood choice and the live posterior of every likelihood with a Gibbs scheme.

Issue 17 ("the widgets' likelihood choice") and issue 21 ("for every prior and
likelihood that has an exact or Gibbs sampler"). References: the estimators
fitted directly (MAP, to 1e-10) and an independent Gibbs fit at the same prior
(another seed, more draws), compared within Monte Carlo standard errors as in
tests/test_live_posterior.py.
"""

import numpy as np
import pytest

import bayesreg as br
from bayesreg.widgets import CoefficientComparison, PriorScaleExplorer
from bayesreg.widgets._likelihood_choice import likelihood_options, live_sampler

from .conftest import SIGMA_DIABETES
from .test_live_posterior import _assert_within_mcse


@pytest.fixture(scope="module")
def binary_problem():
    """A logistic regression with known coefficients (n = 200, p = 4)."""
    rng = np.random.default_rng(17)
    X = rng.normal(size=(200, 4))
    eta = 0.3 + X @ np.array([1.2, -1.0, 0.0, 0.5])
    y = (rng.uniform(size=200) < 1 / (1 + np.exp(-eta))).astype(int)
    return X, y


@pytest.fixture(scope="module")
def count_problem():
    """Poisson counts (so every regression likelihood accepts y), n = 120, p = 3."""
    rng = np.random.default_rng(21)
    X = rng.normal(size=(120, 3))
    y = rng.poisson(np.exp(1.0 + X @ np.array([0.4, -0.3, 0.0])))
    return X, y


def test_the_dropdown_offers_every_likelihood_that_accepts_y(binary_problem, count_problem):
    """Counts: the regression likelihoods and Poisson; two classes: also Bernoulli-logit;
    real numbers: no Poisson, no Bernoulli (each likelihood's own target check decides)."""
    names = {name for _, name in likelihood_options(count_problem[1])}
    assert names == {"gaussian", "student_t", "laplace", "poisson"}
    names = {name for _, name in likelihood_options(binary_problem[1])}
    assert "bernoulli" in names and "gaussian" in names
    names = {name for _, name in likelihood_options(count_problem[1] + 0.5)}
    assert names == {"gaussian", "student_t", "laplace"}


@pytest.mark.slow
@pytest.mark.parametrize("name, source", [("student_t", "gibbs"), ("laplace", "gibbs"),
                                          ("poisson", None)])
def test_the_likelihood_dropdown_refits_map_and_posterior(count_problem, name, source):
    """Moving the likelihood refits the MAP (= MAPRegressor(likelihood=...) fitted directly,
    1e-10) and the posterior: live Gibbs for Student-t and Laplace noise, the Sample button
    for Poisson (NUTS only); state["likelihood"] reports it; back to Gaussian restores it."""
    X, y = count_problem
    view = PriorScaleExplorer(X, y, prior="laplace", scale=0.5, live_draws=300, live_tune=100)
    assert view.wait(120)
    assert view.state["likelihood"] == "gaussian"
    gaussian_coef = view.state["map_coef"].copy()
    view.controls["likelihood"].value = name
    assert view.wait(240)
    state = view.state
    assert state["likelihood"] == name and "error" not in state, view.message.value
    direct = br.MAPRegressor(br.Laplace(scale=state["scale"]), likelihood=name).fit(X, y)
    np.testing.assert_allclose(state["map_coef"], direct.coef_, rtol=0, atol=1e-10)
    np.testing.assert_allclose(state["map_intercept"], direct.intercept_, rtol=0, atol=1e-10)
    assert state["posterior_source"] == source
    sample_shown = view.controls["sample"].layout.display is None
    assert sample_shown == (source is None)
    if source == "gibbs":
        assert state["posterior"] is not None and "Gibbs posterior" in view.posterior_note.value
    else:
        assert state["posterior"] is None and "Sample" in view.posterior_note.value
    # the MAP path is the new likelihood's too
    path_direct = br.map_path(X, y, br.Laplace(1.0), view.explorer.path().scales[:3],
                              likelihood=name)
    np.testing.assert_allclose(view.explorer.path().coefs[:3], path_direct.coefs, atol=1e-8)
    view.controls["likelihood"].value = "gaussian"
    assert view.state["likelihood"] == "gaussian"
    np.testing.assert_array_equal(view.state["map_coef"], gaussian_coef)


@pytest.mark.slow
def test_poisson_samples_on_request(count_problem):
    """Poisson has no Gibbs scheme: the Sample button's NUTS posterior is shown as "sampled"."""
    X, y = count_problem
    view = PriorScaleExplorer(X, y, prior="normal", likelihood="poisson", scale=1.0,
                              draws=300, tune=300, chains=2)
    assert view.explorer.live_sampler is None
    assert view.state["posterior_source"] is None
    view._on_sample()
    assert view.wait(600)
    assert view.state["posterior_source"] == "sampled", view.message.value
    assert view.state["likelihood"] == "poisson"


@pytest.mark.slow
def test_live_logistic_posterior_equals_an_independent_gibbs_reference(binary_problem):
    """Classification: the slider moves, the Polya-Gamma Gibbs posterior is drawn live; it
    equals PosteriorClassifier(sampler="gibbs") at that scale (other seed) within MCSE, and
    the MAP equals MAPClassifier's (1e-10)."""
    X, y = binary_problem
    view = PriorScaleExplorer(X, y, prior="laplace", likelihood="bernoulli", scale=1.0)
    assert view.wait(120)
    view.controls["scale"].value = 0.5
    assert view.wait(120)
    state = view.state
    assert state["likelihood"] == "bernoulli" and state["posterior_source"] == "gibbs"
    assert view.controls["sample"].layout.display == "none"
    prior = state["prior"]
    direct = br.MAPClassifier(prior).fit(X, y)
    np.testing.assert_allclose(state["map_coef"], np.ravel(direct.coef_), rtol=0, atol=1e-10)
    reference = br.PosteriorClassifier(prior, sampler="gibbs", draws=2000, tune=500, chains=4,
                                       random_seed=20261203, progressbar=False).fit(X, y)
    _assert_within_mcse(state["posterior"], state["ess"], reference)


@pytest.mark.slow
def test_live_student_t_posterior_equals_an_independent_gibbs_reference(count_problem):
    """Robust noise: the Student-t likelihood's scale-mixture Gibbs posterior at the
    slider's scale equals PosteriorRegressor(likelihood="student_t", sampler="gibbs")."""
    X, y = count_problem
    view = PriorScaleExplorer(X, y, prior="normal", likelihood="student_t", sigma=1.5,
                              scale=0.5)
    assert view.wait(240)
    state = view.state
    assert state["posterior_source"] == "gibbs", view.message.value
    reference = br.PosteriorRegressor(
        state["prior"], likelihood="student_t", sigma=1.5, sampler="gibbs", draws=3000,
        tune=500, chains=4, random_seed=20261203, progressbar=False).fit(X, y)
    _assert_within_mcse(state["posterior"], state["ess"], reference)


def _elastic_net_has_gibbs():
    return live_sampler(br.ElasticNet(scale=1.0, l1_ratio=0.5), "gaussian", True, "auto") \
        is not None


@pytest.mark.slow
@pytest.mark.skipif(not _elastic_net_has_gibbs(),
                    reason="the ElasticNet prior has no Gibbs scheme yet (issue 18's branch)")
def test_elastic_net_becomes_live_once_it_has_a_gibbs_scheme(diabetes):
    """Nothing in the widgets names the elastic net: once the prior offers a Gibbs scheme its
    posterior follows the slider, equal to PosteriorRegressor(sampler="gibbs") within MCSE."""
    X, y = diabetes
    view = PriorScaleExplorer(X, y, prior="elasticnet", sigma=SIGMA_DIABETES, scale=2.0)
    assert view.wait(240)
    state = view.state
    assert state["posterior_source"] == "gibbs"
    assert view.controls["sample"].layout.display == "none"
    reference = br.PosteriorRegressor(state["prior"], sigma=SIGMA_DIABETES, sampler="gibbs",
                                      draws=4000, tune=500, chains=4, random_seed=20261203,
                                      progressbar=False).fit(X, y)
    _assert_within_mcse(state["posterior"], state["ess"], reference)


@pytest.mark.slow
def test_comparison_takes_a_likelihood(binary_problem):
    """CoefficientComparison(likelihood="bernoulli"): MAPClassifier's MAP (1e-10) beside the
    live Gibbs posterior."""
    X, y = binary_problem
    view = CoefficientComparison(X, y, prior="laplace", likelihood="bernoulli", scale=1.0)
    assert view.wait(240)
    state = view.state
    assert state["likelihood"] == "bernoulli" and state["posterior_source"] == "gibbs"
    direct = br.MAPClassifier(br.Laplace(scale=1.0)).fit(X, y)
    np.testing.assert_allclose(np.ravel(state["map_coef"]), np.ravel(direct.coef_), atol=1e-10)


def test_bad_likelihood_input_is_refused_clearly(count_problem, binary_problem):
    """An unknown likelihood, an exposure, a y the likelihood cannot take, a sigma where
    the likelihood has none: a message that names the problem and the fix."""
    X, y = count_problem
    view = PriorScaleExplorer(X, y, likelihood="gamma")
    assert "likelihood must be one of" in view.state["error"]
    view = PriorScaleExplorer(X, y, likelihood="poisson", exposure=np.ones(len(y)))
    assert "exposure" in view.state["error"] and "MAPRegressor" in view.state["error"]
    view = PriorScaleExplorer(X, y + 0.5, likelihood="poisson")
    assert "error" in view.state
    view = PriorScaleExplorer(X, y, likelihood="poisson", sigma=2.0)
    assert "leave it as None" in view.state["error"]
    with pytest.raises(ValueError, match="likelihood must be one of"):
        CoefficientComparison(X, y, likelihood="gamma")
    view = CoefficientComparison(X, y + 0.5, likelihood="bernoulli")
    assert "error" in view.state


@pytest.mark.slow
def test_a_gaussian_fit_finishing_after_a_likelihood_switch_is_never_shown(count_problem,
                                                                          hold_live_fit):
    """The Gaussian live fit at 0.3 is held while the likelihood moves to Laplace: when it
    finishes, the view still shows the Laplace likelihood's posterior, never the Gaussian's."""
    X, y = count_problem
    held = hold_live_fit(0.3, likelihood="gaussian")
    view = PriorScaleExplorer(X, y, prior="laplace", scale=1.0, live_draws=300, live_tune=100)
    assert view.wait(120)
    gaussian = view.explorer
    view.controls["scale"].value = 0.3
    assert held.started.wait(60)
    view.controls["likelihood"].value = "laplace"
    assert view.state["likelihood"] == "laplace" and view.state["posterior"] is None
    held.release.set()
    assert view.wait(240)
    assert gaussian._live.cached(gaussian.family, 0.3) is not None  # drawn, cached, not shown
    state = view.state
    assert state["likelihood"] == "laplace" and state["posterior_source"] == "gibbs"
    assert view.explorer is not gaussian
    shown = view.explorer._live.cached(view.explorer.family, 0.3)
    np.testing.assert_array_equal(
        state["posterior"]["mean"].to_numpy(),
        view.explorer._live.part(shown, "gibbs", state["map_coef"],
                                 view.explorer.feature_names)["posterior"]["mean"].to_numpy())
