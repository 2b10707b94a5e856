"""The explorer's posterior-only mode: priors without a MAP (issue 21, the horseshoe family).

The horseshoe has no MAP (its density is infinite at 0), so the explorer shows
no MAP readout and no MAP line and says why; its Gibbs posterior (Gaussian
likelihood) follows the slider, which moves the global scale tau_0.  References:
an independent Gibbs fit (PosteriorRegressor(br.Horseshoe(...), sampler="gibbs"),
another seed, 4 x 4000 draws) at the same global scale, compared within Monte
Carlo standard errors (tests/test_live_posterior.py's helper); the ordering test
forces the interleaving of slider moves and fits with events.
"""


import numpy as np
import pytest

import bayesreg as br
from bayesreg.posterior.reweight import psis_reweight
from bayesreg.widgets import PriorScaleExplorer
from bayesreg.widgets._prior_choice import prior_options
from bayesreg.widgets.scale_explorer import ScaleExplorer

from .conftest import SIGMA_DIABETES as SIGMA
from .test_live_posterior import _assert_within_mcse, _reference

NO_MAP = "the horseshoe has no MAP: posterior only"


def _gids(ax):
    return {line.get_gid() for line in ax.get_lines()} | {c.get_gid() for c in ax.collections}


@pytest.mark.parametrize("prior, sigma", [
    (br.Horseshoe, SIGMA),
    pytest.param(br.HorseshoePlus, None, marks=pytest.mark.slow),  # ~25 s on a loaded machine
])
def test_live_horseshoe_posterior_equals_an_independent_gibbs_reference(diabetes, prior, sigma):
    """The slider moves the global scale to 2.0; the posterior shown without Sample is the
    Gibbs posterior of Horseshoe(global_scale=2.0) within Monte Carlo error (4 MCSE of the
    means and sds, both fits' ESS); sigma fixed (horseshoe) and learned (horseshoe+)."""
    X, y = diabetes
    view = PriorScaleExplorer(X, y, prior=prior(global_scale=1.0), sigma=sigma, n_path=12)
    assert view.state["scale"] == 1.0  # an instance starts at its own global scale
    assert view.wait(120)
    view.controls["scale"].value = 2.0
    assert view.wait(120)
    state = view.state
    assert state["scale"] == 2.0 and state["posterior_source"] == "gibbs"
    assert state["prior"] == prior(global_scale=2.0)
    assert view.controls["sample"].layout.display == "none"  # live: no Sample button
    reference = _reference(X, y, prior(global_scale=2.0), sigma)
    _assert_within_mcse(state["posterior"], state["ess"], reference)
    assert state["posterior"]["map"].isna().all()  # no MAP column to compare with
    assert view.posterior_image.value[:4] == b"\x89PNG"
    assert "Gibbs posterior" in view.posterior_note.value


def test_fast_slider_moves_end_on_the_horseshoe_posterior_of_the_last_scale(diabetes, hold_live_fit):
    """The fit at 0.5 is held while the slider moves to 2.0 and 3.0: 2.0 is never fitted,
    the 0.5 result is cached but never shown, and the view ends on 3.0's posterior."""
    X, y = diabetes
    held = hold_live_fit(0.5)  # the horseshoe's control scale is its global scale
    view = PriorScaleExplorer(X, y, prior="horseshoe", sigma=SIGMA, scale=1.0,
                              live_draws=300, live_tune=100)
    assert view.wait(120) and view.state["posterior_source"] == "gibbs"
    shown = []
    posterior_state = view.explorer.posterior_state

    def recording(scale, map_coef=None):
        part = posterior_state(scale, map_coef)
        if part["posterior"] is not None:
            shown.append((scale, part["posterior_source"]))
        return part

    view.explorer.posterior_state = recording
    view.controls["scale"].value = 0.5
    assert held.started.wait(60)
    view.controls["scale"].value = 2.0
    view.controls["scale"].value = 3.0
    assert view.state["scale"] == 3.0 and view.state.get("pending")
    assert view.state["posterior"] is None  # nothing of another scale in the state
    held.release.set()
    assert view.wait(120)
    assert held.fitted == [1.0, 0.5, 3.0]
    assert view.explorer._live.cached(view.explorer.family, 0.5) is not None
    assert shown == [(3.0, "gibbs")]
    state = view.state
    assert state["scale"] == 3.0 and state["prior"] == br.Horseshoe(global_scale=3.0)
    draws = view.explorer._live.cached(view.explorer.family, 3.0)[0]
    np.testing.assert_allclose(state["posterior"]["mean"], draws.mean(axis=0), rtol=1e-12)


def test_no_map_readout_or_line_and_the_message_says_why(diabetes):
    """The dropdown offers the horseshoe; its readout has no penalty and says why; the
    path figure has no MAP line, only the Gibbs band along the whole scale grid; the
    forest plot has no MAP marker; switching back to the lasso brings the MAP back."""
    X, y = diabetes
    options = {kind: label for label, kind in prior_options(posterior_only=True)}
    assert {"horseshoe", "horseshoeplus", "regularizedhorseshoe"} <= set(options)
    assert {"horseshoe", "horseshoeplus"}.isdisjoint(kind for _, kind in prior_options())
    view = PriorScaleExplorer(X, y, prior="laplace", sigma=SIGMA, scale=1.0, n_path=12,
                              live_draws=300, live_tune=100)
    assert dict(view.controls["prior"].options)[options["horseshoe"]] == "horseshoe"
    assert view.wait(120)
    view.controls["prior"].value = "horseshoe"
    assert view.wait(120, band=True)
    state = view.state
    assert state["has_map"] is False and state["map_coef"] is None
    assert state["alpha"] is None and state["penalties"]["sklearn"] is None
    assert NO_MAP in view.readout.value and "no MAP readout" in view.readout.value
    assert "Lasso(" not in view.readout.value and "alpha=" not in view.readout.value
    assert state["posterior_source"] == "gibbs"
    gids = _gids(view.path_axes)
    assert not any(str(g).startswith("map:") for g in gids)  # no MAP path line
    assert {f"posterior_band:{name}" for name in X.columns} <= gids
    assert "No MAP" in view.path_axes.get_title()
    band = view.explorer.posterior_band()
    assert band.sampler == "gibbs" and len(band.scales) == view.explorer.n_path
    assert "map" not in _gids(view._posterior_view.ax)  # no MAP diamond in the forest
    view.controls["prior"].value = "laplace"
    assert view.wait(120)
    assert view.state["has_map"] is True and view.state["alpha"] > 0
    assert any(str(g).startswith("map:") for g in _gids(view.path_axes))
    assert "map" in _gids(view._posterior_view.ax)


@pytest.fixture(scope="module")
def binary_problem():
    """A logistic regression with known coefficients (n = 120, p = 3)."""
    rng = np.random.default_rng(5)
    X = rng.normal(size=(120, 3))
    y = (rng.uniform(size=120) < 1 / (1 + np.exp(-(X @ np.array([1.0, -0.8, 0.0]))))).astype(int)
    return X, y


def test_the_logistic_horseshoe_is_not_live_and_the_view_says_why(binary_problem):
    """Gibbs refuses the Bernoulli horseshoe (it fails SBC): the view keeps the Sample
    button (nutpie) and shows the sampler's reason; still no MAP readout."""
    X, y = binary_problem
    view = PriorScaleExplorer(X, y, prior="horseshoe", likelihood="bernoulli", scale=1.0)
    assert view.explorer.live_sampler is None
    assert view.controls["sample"].layout.display is None
    note = view.posterior_note.value
    assert "Bernoulli likelihood" in note and "simulation-based calibration" in note
    assert "press Sample" in note
    assert NO_MAP in view.readout.value and view.state["map_coef"] is None
    assert "press Sample" in view.path_axes.get_title()


def test_a_prior_with_coupled_coefficients_gets_no_psis_preview(diabetes):
    """A sampled horseshoe posterior is shown at its own scale only: its coefficients share
    tau, so the product of marginal densities is not its joint density and PSIS is refused."""
    X, y = diabetes
    fit = br.PosteriorRegressor(br.Horseshoe(global_scale=1.0), sigma=SIGMA, sampler="gibbs",
                                draws=4000, tune=500, chains=2, random_seed=1,
                                progressbar=False).fit(X, y)
    # the regularized horseshoe has no Gibbs scheme: the Sample button, and the reason
    explorer = ScaleExplorer(X, y, prior="regularizedhorseshoe", sigma=SIGMA)
    assert explorer.live_sampler is None
    assert "no exact Gibbs scheme" in explorer.state(1.0)["posterior_note"]
    explorer = ScaleExplorer(X, y, prior="horseshoe", sigma=SIGMA, sampler="nutpie",
                             posterior=fit)
    assert explorer.state(1.0)["posterior_source"] == "sampled"
    elsewhere = explorer.state(2.0)
    assert elsewhere["posterior"] is None and "Press Sample" in elsewhere["posterior_note"]
    draws = fit.idata_.posterior["coef"].values.reshape(-1, X.shape[1])
    with pytest.raises(ValueError, match="independent"):
        psis_reweight(draws, br.Horseshoe(global_scale=1.0), br.Horseshoe(global_scale=2.0))


def test_the_path_plot_needs_a_map_path_or_a_posterior_path():
    """plot_regularization_path(None, None): a clear error naming what to give."""
    from bayesreg.plots import plot_regularization_path

    with pytest.raises(ValueError, match="map_path, a posterior_path or both"):
        plot_regularization_path(None, None)
