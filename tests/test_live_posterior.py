"""The posterior live under the slider (issue 21): drawn in the background at each scale.

References: an independent Gibbs fit (PosteriorRegressor, other seed, 4 x 4000
draws) at the same scale, compared within Monte Carlo standard errors; the
ordering tests force the interleaving of slider moves and fits with events.
"""

import threading

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import bayesreg as br
from bayesreg.widgets import CoefficientComparison, PriorScaleExplorer
from bayesreg.widgets.scale_explorer import ScaleExplorer

from .conftest import SIGMA_DIABETES as SIGMA


def _reference(X, y, prior, sigma):
    """An independent Gibbs fit at the same prior: another seed, 4 chains x 4000 draws."""
    return br.PosteriorRegressor(prior, sigma=sigma, sampler="gibbs", draws=4000, tune=500,
                                 chains=4, random_seed=20261203, progressbar=False).fit(X, y)


def _assert_within_mcse(table, ess, reference):
    """Means within 4 MCSE (sd^2/ESS of both fits, at their smallest ESS); sds within
    4 MCSE of an sd, sd * sqrt((kurtosis - 1) / (4 ESS)) (kurtosis from the reference)."""
    draws = reference.idata_.posterior["coef"].values.reshape(-1, table.shape[0])
    ess_ref = min(reference.diagnostics_["min_ess_bulk"], reference.diagnostics_["min_ess_tail"])
    sd = draws.std(axis=0)
    mcse_mean = np.sqrt(sd**2 / ess + sd**2 / ess_ref)
    np.testing.assert_array_less(np.abs(table["mean"].to_numpy() - draws.mean(axis=0)),
                                 4 * mcse_mean)
    kurtosis = stats.kurtosis(draws, axis=0, fisher=False)
    mcse_sd = sd * np.sqrt((kurtosis - 1) / 4 * (1 / ess + 1 / ess_ref))
    np.testing.assert_array_less(np.abs(table["sd"].to_numpy() - sd), 4 * mcse_sd)


@pytest.mark.parametrize("prior, sigma", [("laplace", SIGMA), ("normal", None)])
def test_live_posterior_equals_an_independent_gibbs_reference(diabetes, prior, sigma):
    """(a) The slider moves to 2.0; the posterior the view shows, without Sample, is the
    Gibbs posterior at 2.0 within Monte Carlo error (4 MCSE, both fits' ESS)."""
    X, y = diabetes
    view = PriorScaleExplorer(X, y, prior=prior, sigma=sigma, scale=1.0)
    assert view.wait(120)
    view.controls["scale"].value = 2.0
    assert view.wait(120)
    state = view.state
    assert state["scale"] == 2.0 and state["posterior_source"] == "gibbs"
    assert not view.controls["sample"].layout.display is None  # no Sample button needed
    assert state["diagnostics"]["chains"] == 2 and state["diagnostics"]["draws"] == 1000
    reference = _reference(X, y, state["prior"], sigma)
    _assert_within_mcse(state["posterior"], state["ess"], reference)
    np.testing.assert_allclose(state["posterior"]["map"], state["map_coef"])
    assert view.posterior_image.value[:4] == b"\x89PNG"
    assert "Gibbs posterior" in view.posterior_note.value


def test_the_prior_says_which_posterior_is_live(diabetes):
    """exact (closed form) / gibbs / None, from prior.samplers; a named NUTS sampler: None."""
    X, y = diabetes
    cases = [("normal", SIGMA, "auto", "exact"), ("normal", None, "auto", "gibbs"),
             ("laplace", SIGMA, "auto", "gibbs"), ("laplace", None, "auto", "gibbs"),
             ("elasticnet", SIGMA, "auto", "gibbs"), ("elasticnet", None, "auto", "gibbs"),
             ("studentt", SIGMA, "auto", None), ("laplace", SIGMA, "nutpie", None),
             ("laplace", SIGMA, "gibbs", "gibbs")]
    for prior, sigma, sampler, expected in cases:
        explorer = ScaleExplorer(X, y, prior=prior, sigma=sigma, sampler=sampler)
        assert explorer.live_sampler == expected, (prior, sigma, sampler)
    explorer = ScaleExplorer(X, y, prior="studentt", sigma=SIGMA)
    with pytest.raises(ValueError, match="ScaleExplorer.sample"):
        explorer.live_posterior(1.0)
    # a family without a live posterior keeps the Sample button and says so
    view = PriorScaleExplorer(X, y, prior="studentt", sigma=SIGMA, scale=1.0)
    assert view.controls["sample"].layout.display is None
    assert view.state["posterior"] is None and "Sample" in view.posterior_note.value


def test_fast_slider_moves_end_on_the_last_scale_never_an_older_one(diabetes, hold_live_fit):
    """(b) The fit at 0.5 is held while the slider moves to 2.0 and then 3.0: 2.0 is
    never fitted (the newest request replaced it), the 0.5 result arrives after the
    slider left it and is cached but never shown, and the view ends on 3.0's posterior."""
    X, y = diabetes
    held = hold_live_fit(0.5)
    view = PriorScaleExplorer(X, y, prior="laplace", sigma=SIGMA, scale=1.0)
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
    assert state["scale"] == 3.0 and state["posterior_source"] == "gibbs"
    draws = view.explorer._live.cached(view.explorer.family, 3.0)[0]
    np.testing.assert_allclose(state["posterior"]["mean"], draws.mean(axis=0), rtol=1e-12)


def test_a_real_fast_sequence_ends_on_the_last_scale(diabetes):
    """(b) With the real Gibbs fits and band: six moves without waiting, the last wins."""
    X, y = diabetes
    view = PriorScaleExplorer(X, y, prior="laplace", sigma=SIGMA, scale=1.0)
    scales = [0.3, 0.8, 1.7, 4.0, 9.0, 2.5]
    for scale in scales:
        view.controls["scale"].value = scale
    assert view.wait(120)
    state = view.state
    assert state["scale"] == pytest.approx(view.controls["scale"].value)
    assert state["scale"] == pytest.approx(2.5, rel=0.02)  # the slider's step rounds it
    assert state["posterior_source"] == "gibbs" and state["prior"] == br.Laplace(state["scale"])
    draws = view.explorer._live.cached(view.explorer.family, state["scale"])[0]
    np.testing.assert_allclose(state["posterior"]["mean"], draws.mean(axis=0), rtol=1e-12)


def test_a_live_fit_that_does_not_mix_warns_in_the_view(diabetes):
    """(c) 2 chains x 30 draws without burn-in: the live fit's diagnostics fail and the
    view says so in the posterior note (a warning), the state keeps them."""
    X, y = diabetes
    view = PriorScaleExplorer(X, y, prior="laplace", sigma=SIGMA, scale=0.05, live_draws=30,
                              live_tune=0)
    assert view.wait(120)
    state = view.state
    assert state["posterior_source"] == "gibbs" and state["reliable"] is False
    warnings = " ".join(state["sampling_warnings"])
    assert "effective sample size" in warnings
    assert state["diagnostics"]["min_ess_bulk"] < 400 or state["diagnostics"]["min_ess_tail"] < 400
    assert "effective sample size" in view.posterior_note.value
    assert "Note:" in view.posterior_note.value  # the warning style, not "Info:"


def test_the_band_is_drawn_coarse_first_then_refined(diabetes):
    """(2) The Gibbs band over the whole grid: 2 x 100 draws per scale first, then
    2 x 1000; the refined band at a grid scale matches an independent Gibbs fit."""
    X, y = diabetes
    explorer = ScaleExplorer(X, y, prior="laplace", sigma=SIGMA, n_path=12)
    grid = explorer.path().scales
    assert explorer.posterior_band() is None
    for _ in range(len(grid)):
        assert explorer.band_step()
    coarse = explorer.posterior_band()
    assert coarse.sampler == "gibbs" and explorer.band_diagnostics()["draws"] == 100
    while explorer.band_step():
        pass
    refined = explorer.posterior_band()
    assert refined is not coarse and explorer.band_diagnostics()["draws"] == 1000
    k = 7
    reference = _reference(X, y, br.Laplace(float(grid[k])), SIGMA)
    band_k = pd.DataFrame({"mean": refined.mean[k], "sd": refined.sd[k]})  # row k
    _assert_within_mcse(band_k, explorer.band_diagnostics()["min_ess"], reference)


def test_comparison_shows_the_last_setting_never_an_older_one(diabetes, monkeypatch):
    """(3) CoefficientComparison: a fit held while the slider moves on is not shown."""
    X, y = diabetes
    view = CoefficientComparison(X, y, prior="laplace", sigma=SIGMA, scale=1.0)
    assert view.wait(120) and view.state["posterior_source"] == "gibbs"
    started, release = threading.Event(), threading.Event()
    original = view._fit

    def held_fit(prior):
        if prior.scale == 0.5:
            started.set()
            assert release.wait(60)
        return original(prior)

    view._fit = held_fit
    shown = []
    display = view._display
    view._display = lambda prior, cached: (shown.append(prior.scale), display(prior, cached))
    view.controls["scale"].value = 0.5
    assert started.wait(60)
    view.controls["scale"].value = 3.0
    release.set()
    assert view.wait(120)
    assert shown == [3.0]
    state = view.state
    assert state["prior"] == br.Laplace(3.0) and state["posterior_source"] == "gibbs"
    reference = _reference(X, y, br.Laplace(3.0), SIGMA)
    ess = min(state["comparison"].posterior_model.diagnostics_["min_ess_bulk"],
              state["comparison"].posterior_model.diagnostics_["min_ess_tail"])
    _assert_within_mcse(state["table"], ess, reference)
    np.testing.assert_allclose(
        state["table"]["map"], br.MAPRegressor(br.Laplace(3.0), sigma=SIGMA).fit(X, y).coef_)
