"""Headless tests of the notebook views: drive every control by .value, check `state`.

The references are independent of the widgets: closed forms of the penalty
mapping and of the conjugate posterior (numpy here), scikit-learn's estimators
at the mapped alpha, MAPRegressor, compare(), and numerical integration.
"""

import re
import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import integrate, stats
from sklearn.linear_model import ElasticNet, Lasso, Ridge

import bayesreg as br
from bayesreg.model.registry import prior_families
from bayesreg.posterior import samplers
from bayesreg.widgets import CoefficientComparison, PriorScaleExplorer, ShrinkageDemo1D

from .conftest import SIGMA_DIABETES as SIGMA

N = 442  # diabetes rows


def _conjugate(X, y, t, sigma=SIGMA):
    """Posterior mean and sd of the coefficients, Normal(0, t^2) prior, flat intercept."""
    X, y = np.asarray(X, float), np.asarray(y, float)
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    precision = Xc.T @ Xc / sigma**2 + np.eye(X.shape[1]) / t**2
    cov = np.linalg.inv(precision)
    return cov @ Xc.T @ yc / sigma**2, np.sqrt(np.diag(cov))


@pytest.fixture(scope="module")
def explorer(diabetes):
    X, y = diabetes
    return PriorScaleExplorer(X, y, prior="laplace", sigma=SIGMA, scale=1.0)


# ---------------------------------------------------------------- PriorScaleExplorer
@pytest.mark.parametrize("scale", [0.05, 0.7, 3.0, 40.0])
def test_explorer_scale_slider_laplace(explorer, diabetes, scale):
    """Lasso alpha = sigma^2/(n s) and the MAP equals sklearn's Lasso at that alpha."""
    X, y = diabetes
    explorer.controls["prior"].value = "laplace"
    explorer.controls["scale"].value = scale
    state = explorer.state
    assert state["scale"] == pytest.approx(explorer.controls["scale"].value, rel=1e-6)
    alpha = SIGMA**2 / (N * state["scale"])
    assert state["estimator"] == "Lasso"
    assert state["alpha"] == pytest.approx(alpha, rel=1e-12)
    assert state["glmnet_lambda"] == pytest.approx(alpha, rel=1e-12)
    assert state["logistic_C"] == pytest.approx(state["scale"], rel=1e-12)
    lasso = Lasso(alpha=alpha, tol=1e-12, max_iter=100_000).fit(X, y)
    np.testing.assert_allclose(state["map_coef"], lasso.coef_, atol=1e-6)
    ref = br.MAPRegressor(br.Laplace(scale=state["scale"]), sigma=SIGMA).fit(X, y)
    np.testing.assert_allclose(state["map_coef"], ref.coef_, atol=1e-10)
    assert f"{alpha:.4g}" in explorer.readout.value
    assert explorer.path_image.value[:4] == b"\x89PNG"
    assert explorer.message.value == ""


def test_explorer_normal_prior_exact_posterior(explorer, diabetes):
    """Normal prior with fixed sigma: Ridge alpha = sigma^2/t^2 and the exact posterior."""
    X, y = diabetes
    explorer.controls["prior"].value = "normal"
    for t in (0.8, 6.0):
        explorer.controls["scale"].value = t
        state = explorer.state
        t = state["scale"]
        assert state["estimator"] == "Ridge"
        assert state["alpha"] == pytest.approx(SIGMA**2 / t**2, rel=1e-12)
        # glmnet standardises y: its ridge lambda is sigma^2 sd_n(y) / (n t^2)
        assert state["glmnet_lambda"] == pytest.approx(SIGMA**2 * np.std(y) / (N * t**2), rel=1e-12)
        assert state["logistic_C"] == pytest.approx(t**2, rel=1e-12)
        np.testing.assert_allclose(
            state["map_coef"], Ridge(alpha=SIGMA**2 / t**2).fit(X, y).coef_, rtol=1e-8, atol=1e-10
        )
        mean, sd = _conjugate(X, y, t)
        table = state["posterior"]
        assert state["posterior_source"] == "exact"
        assert list(table.columns) == ["map", "mean", "median", "sd", "hdi_low", "hdi_high"]
        np.testing.assert_allclose(table["mean"], mean, rtol=1e-8)
        np.testing.assert_allclose(table["median"], mean, rtol=1e-8)
        np.testing.assert_allclose(table["sd"], sd, rtol=1e-8)
        z = stats.norm.ppf(0.97)
        np.testing.assert_allclose(table["hdi_low"], mean - z * sd, rtol=1e-8)
        np.testing.assert_allclose(table["hdi_high"], mean + z * sd, rtol=1e-8)
        # Normal prior: the MAP is the posterior mean
        np.testing.assert_allclose(table["map"], mean, rtol=1e-6, atol=1e-8)
    assert explorer.posterior_image.value[:4] == b"\x89PNG"


def test_explorer_elasticnet_l1_ratio(explorer, diabetes):
    X, y = diabetes
    explorer.controls["prior"].value = "elasticnet"
    explorer.controls["scale"].value = 2.0
    explorer.controls["l1_ratio"].value = 0.3
    state = explorer.state
    s, r = state["scale"], 0.3
    a, b = r / s, (1 - r) / s**2
    assert state["prior"] == br.ElasticNet(scale=s, l1_ratio=r)
    assert state["alpha"] == pytest.approx(SIGMA**2 / N * (a + b), rel=1e-12)
    assert state["penalties"]["sklearn"]["l1_ratio"] == pytest.approx(a / (a + b), rel=1e-12)
    assert state["logistic_C"] == pytest.approx(1 / (a + b), rel=1e-12)
    enet = ElasticNet(alpha=state["alpha"], l1_ratio=a / (a + b), tol=1e-12, max_iter=100_000)
    np.testing.assert_allclose(state["map_coef"], enet.fit(X, y).coef_, atol=1e-6)
    # the elastic net has a Gibbs scheme (docs/gibbs.md): its posterior is drawn live, no Sample
    assert state["posterior_source"] == "gibbs" or "(gibbs sampler)" in explorer.posterior_note.value
    assert "Sample" not in explorer.posterior_note.value


@pytest.mark.slow
def test_explorer_psis_preview_and_sample_button(diabetes, laplace_posterior):
    """Seeded with a sampled posterior: exact source at its scale, a reliable PSIS
    preview nearby that agrees with a real sample there, an unreliable one far away."""
    X, y = diabetes
    view = PriorScaleExplorer(X, y, prior="laplace", sigma=SIGMA, scale=1.0,
                              posterior=laplace_posterior, sampler="nutpie", draws=1000, tune=500,
                              chains=2, random_seed=5)
    state = view.state
    assert state["posterior_source"] == "sampled"
    np.testing.assert_allclose(state["posterior"]["mean"], laplace_posterior.coef_, rtol=1e-10)

    view.controls["scale"].value = 1.25
    preview = view.state
    assert preview["posterior_source"] == "reweighted" and preview["source_scale"] == 1.0
    assert preview["reliable"] and preview["khat"] < 0.7
    assert "Pareto k" in view.posterior_note.value

    view.controls["scale"].value = 0.05
    far = view.state
    assert far["posterior_source"] == "reweighted"
    assert far["khat"] > 0.7 and far["reliable"] is False
    assert "Unreliable" in view.posterior_note.value

    # the Sample button: background thread, compiled model reused. The process keeps the
    # 16 most recent model structures (samplers._CACHE_SIZE), and the suite compiles more than
    # that after the session fixture's fit, so one tiny fit first puts this structure back
    view.controls["scale"].value = 1.25
    with warnings.catch_warnings():  # 20 draws: the diagnostics' warnings are not the point
        warnings.simplefilter("ignore", br.SamplingWarning)
        br.PosteriorRegressor(br.Laplace(scale=1.0), sigma=SIGMA, sampler="nutpie", draws=20,
                              tune=20, chains=1, random_seed=0, progressbar=False).fit(X, y)
    compiled = dict(samplers.compile_counts)
    view.controls["sample"].click()
    assert view.wait(timeout=300)
    assert samplers.compile_counts == compiled
    assert view.message.value == "" or "Note" in view.message.value
    sampled = view.state
    assert sampled["posterior_source"] == "sampled" and sampled["scale"] == pytest.approx(1.25)
    assert view.controls["sample"].disabled is False
    assert "sampled scale" in view.status.value
    # the PSIS preview agrees with the real posterior at 1.25 within Monte Carlo error
    sd = sampled["posterior"]["sd"].to_numpy()
    mcse = np.sqrt(sd**2 / preview["ess"] + sd**2 / 500)  # 2000 NUTS draws, ESS >= ~500
    diff = np.abs(preview["posterior"]["mean"].to_numpy() - sampled["posterior"]["mean"].to_numpy())
    np.testing.assert_array_less(diff, 4 * mcse)


def test_explorer_bad_input_shows_a_message(diabetes):
    X, y = diabetes
    empty = PriorScaleExplorer(X.iloc[:0], y.iloc[:0])
    assert "error" in empty.state and "0 sample" in empty.state["error"]
    assert "cannot use this data" in empty.message.value and "Traceback" not in empty.message.value
    assert empty.children == (empty.message,)

    text = X.assign(sex=np.where(X["sex"] > 0, "m", "f"))
    view = PriorScaleExplorer(text, y)
    assert "non-numeric" in view.state["error"] and "sex" in view.state["error"]

    nan_y = PriorScaleExplorer(X, y.where(y > 50))
    assert "NaN" in nan_y.state["error"]
    # and a good explorer still works afterwards (nothing global broke)
    ok = PriorScaleExplorer(X, y, sigma=SIGMA, scale=1.0)
    assert ok.state["alpha"] == pytest.approx(SIGMA**2 / N)


# ---------------------------------------------------------------- CoefficientComparison
def test_comparison_normal_prior_against_ridge_and_closed_form(diabetes, laplace_posterior):
    X, y = diabetes
    view = CoefficientComparison(X, y, prior="normal", sigma=SIGMA, scale=3.0,
                                 posterior=laplace_posterior, draws=2000, chains=2)
    assert view.wait(timeout=60)
    for t in (3.0, 10.0):
        view.controls["scale"].value = t
        assert view.wait(timeout=60)
        state = view.state
        t = state["scale"]
        table = state["table"]
        assert state["prior"] == br.Normal(scale=t) and state["sampler"] == "exact"
        np.testing.assert_allclose(table["map"], Ridge(alpha=SIGMA**2 / t**2).fit(X, y).coef_,
                                   rtol=1e-8, atol=1e-10)
        mean, sd = _conjugate(X, y, t)
        np.testing.assert_array_less(np.abs(table["mean"] - mean), 4 * sd / np.sqrt(4000))
        assert set(state["flagged"]) == set(table.index[table["flag"] != ""])
    assert view.image.value[:4] == b"\x89PNG"

    # Laplace at scale 1: the seeded posterior, exactly what compare() gives
    view.controls["scale"].value = 1.0
    view.controls["prior"].value = "laplace"
    assert view.wait(timeout=60)
    expected = br.compare(br.MAPRegressor(br.Laplace(scale=1.0), sigma=SIGMA).fit(X, y),
                          laplace_posterior).table
    pd.testing.assert_frame_equal(view.state["table"], expected)
    assert view.state["penalty"]["alpha"] == pytest.approx(SIGMA**2 / N)
    flagged = [f for f in expected.index if expected.loc[f, "flag"]]
    for feature in flagged:
        assert feature in view.flags.value


def test_comparison_bad_input(diabetes):
    X, y = diabetes
    view = CoefficientComparison(X.assign(bmi="high"), y)
    assert "non-numeric" in view.state["error"]
    assert view.message.value and not view.controls


# ---------------------------------------------------------------- ShrinkageDemo1D
def _posterior_mean_by_quadrature(z, se, prior):
    def unnormalised(w):
        return stats.norm.pdf(z, w, se) * np.exp(prior.logpdf(w))

    lo, hi = min(z, 0) - 12 * se, max(z, 0) + 12 * se
    mass = integrate.quad(unnormalised, lo, hi, points=[0.0, z], limit=200)[0]
    first = integrate.quad(lambda w: w * unnormalised(w), lo, hi, points=[0.0, z], limit=200)[0]
    return first / mass


def test_shrinkage_demo_controls():
    demo = ShrinkageDemo1D(z=1.5, se=1.0, prior="laplace", scale=1.0)
    c = demo.controls
    # Laplace: soft thresholding at se^2/s
    for z, se, s in [(1.5, 1.0, 1.0), (0.6, 1.0, 1.0), (-3.0, 0.5, 0.4)]:
        c["estimate"].value, c["se"].value, c["scale"].value = z, se, s
        st = demo.state
        z, se, s = st["z"], st["se"], st["prior"].scale
        assert st["prior"] == br.Laplace(scale=s)
        assert st["map"] == pytest.approx(np.sign(z) * max(abs(z) - se**2 / s, 0.0), abs=1e-12)
        assert st["mean"] == pytest.approx(_posterior_mean_by_quadrature(z, se, st["prior"]),
                                           rel=1e-6, abs=1e-9)
        assert st["mean"] != 0.0
    # Normal: linear shrinkage, posterior N(k z, k se^2), k = t^2 / (t^2 + se^2)
    c["prior"].value = "normal"
    c["estimate"].value, c["se"].value, c["scale"].value = 2.0, 0.8, 1.5
    st = demo.state
    t, se = st["prior"].scale, st["se"]
    k = t**2 / (t**2 + se**2)
    assert st["map"] == pytest.approx(k * 2.0, rel=1e-12)
    assert st["mean"] == pytest.approx(k * 2.0, rel=1e-10)
    assert st["median"] == pytest.approx(k * 2.0, rel=1e-8)
    assert st["sd"] == pytest.approx(np.sqrt(k) * se, rel=1e-10)
    # elastic net: the l1_ratio slider; MAP = sign(z)(|z| - se^2 a)_+ / (1 + se^2 b)
    c["prior"].value = "elasticnet"
    c["l1_ratio"].value = 0.4
    st = demo.state
    s, r = st["prior"].scale, 0.4
    a, b = r / s, (1 - r) / s**2
    assert st["prior"] == br.ElasticNet(scale=s, l1_ratio=r)
    assert st["map"] == pytest.approx((2.0 - se**2 * a) / (1 + se**2 * b), rel=1e-12)
    assert st["mean"] == pytest.approx(_posterior_mean_by_quadrature(2.0, se, st["prior"]),
                                       rel=1e-6)
    assert demo.posterior_image.value[:4] == b"\x89PNG"
    assert demo.curves_image.value[:4] == b"\x89PNG"
    assert demo.message.value == ""


def test_explorer_refuses_a_seed_posterior_of_another_model(diabetes, laplace_posterior):
    """A seed posterior must be the explorer's own model: same sigma setting, same data."""
    from bayesreg.widgets.scale_explorer import ScaleExplorer

    X, y = diabetes
    with pytest.raises(ValueError, match="sigma=None"):
        ScaleExplorer(X, y, prior="laplace", sigma=None, posterior=laplace_posterior)
    with pytest.raises(ValueError, match="other data"):
        ScaleExplorer(X, y + 1.0, prior="laplace", sigma=SIGMA, posterior=laplace_posterior)


# ---------------------------------------------------------------- issue 12: bad values
def test_explorer_rejects_a_nan_l1_ratio_set_from_code(diabetes):
    """The observer must not raise; controls go back to what the explorer shows."""
    X, y = diabetes
    view = PriorScaleExplorer(X, y, prior="elasticnet", sigma=SIGMA, scale=2.0, l1_ratio=0.3)
    before = view.state
    view.controls["l1_ratio"].value = float("nan")  # raised out of the observer before
    assert view.controls["l1_ratio"].value == pytest.approx(0.3)
    assert view.explorer.l1_ratio == pytest.approx(0.3)
    assert "l1_ratio must be a number in [0, 1]" in view.message.value
    assert view.state["l1_ratio"] == pytest.approx(0.3)
    assert view.state["prior"] == before["prior"] == br.ElasticNet(scale=2.0, l1_ratio=0.3)
    # the dropdown and the state agree after the next change (was: kind switched, state not)
    view.controls["prior"].value = "normal"
    assert view.state["prior_kind"] == "normal" and view.explorer.kind == "normal"
    assert view.state["prior"] == br.Normal(scale=2.0) and view.message.value == ""
    view.controls["prior"].value = "elasticnet"
    view.controls["l1_ratio"].value = 0.6
    assert view.state["prior"] == br.ElasticNet(scale=2.0, l1_ratio=0.6)


def test_scale_explorer_set_family_checks_both_before_changing_either(diabetes):
    from bayesreg.widgets.scale_explorer import ScaleExplorer

    X, y = diabetes
    explorer = ScaleExplorer(X, y, prior="laplace", sigma=SIGMA)
    for l1_ratio in (float("nan"), 1.5, -0.1, "half"):
        with pytest.raises(ValueError, match=r"l1_ratio must be a number in \[0, 1\]"):
            explorer.set_family("elasticnet", l1_ratio)
        assert explorer.family == ("laplace", None)
    with pytest.raises(ValueError, match=r"l1_ratio must be a number in \[0, 1\]"):
        ScaleExplorer(X, y, prior="elasticnet", sigma=SIGMA, l1_ratio=float("nan"))


@pytest.mark.parametrize("factor", [1e200, 1e-200])
@pytest.mark.parametrize("prior", ["normal", "laplace", "elasticnet"])
def test_explorer_extreme_x_gives_the_documented_error_state(diabetes, factor, prior):
    """X * 1e200 (or 1e-200): the squares of X and of the scales leave float64.

    Before: a raw ZeroDivisionError/OverflowError with ``state == {}`` (or, for
    the lasso, a silently all-zero MAP from an underflowed gram matrix)."""
    X, y = diabetes
    view = PriorScaleExplorer(X * factor, y, prior=prior, sigma=SIGMA)
    assert set(view.state) == {"error"}
    error = view.state["error"]
    assert "standard deviation" in error and f"{factor:.3g}" in error
    assert "standardise the columns of X" in error
    assert "cannot use this data" in view.message.value
    assert "Error:" not in view.message.value  # no raw exception type
    assert view.children == (view.message,)
    # and the comparison view says the same
    comparison = CoefficientComparison(X * factor, y, prior=prior, sigma=SIGMA)
    assert "standard deviation" in comparison.state["error"]


def test_explorer_extreme_y_is_refused_but_moderate_scaling_works(diabetes):
    X, y = diabetes
    assert "y has standard deviation" in PriorScaleExplorer(X, y * 1e-200).state["error"]
    assert "sd(y) / sd(x)" in PriorScaleExplorer(X * 1e40, y * 1e-40).state["error"]
    # a units change well inside float64 still works, and the lasso alpha maps exactly
    view = PriorScaleExplorer(X * 1e3, y, prior="laplace", sigma=SIGMA, scale=0.01)
    s = view.state["scale"]
    assert view.state["alpha"] == pytest.approx(SIGMA**2 / (N * s), rel=1e-12)
    lasso = Lasso(alpha=view.state["alpha"], tol=1e-12, max_iter=100_000).fit(X * 1e3, y)
    np.testing.assert_allclose(view.state["map_coef"], lasso.coef_, atol=1e-8)


@pytest.mark.parametrize("prior", ["horseshoe", "Horseshoe", br.Horseshoe(global_scale=1.0)])
def test_views_refuse_the_horseshoe_with_the_reason(diabetes, prior):
    X, y = diabetes
    for make in (lambda: ShrinkageDemo1D(prior=prior),
                 lambda: CoefficientComparison(X, y, prior=prior, sigma=SIGMA)):
        with pytest.raises(ValueError) as info:
            make()
        text = str(info.value)
        assert str(sorted(prior_families())) in text  # the choices, from the registry
        assert "no MAP" in text and "PosteriorRegressor" in text


def test_views_name_the_choices_for_an_unknown_prior(diabetes):
    X, y = diabetes
    assert {"elasticnet", "laplace", "normal"} <= set(prior_families())
    choices = re.escape(str(sorted(prior_families())))  # every family the registry offers
    with pytest.raises(ValueError, match=rf"one of {choices}.*'cauchy'"):
        ShrinkageDemo1D(prior="cauchy")
    with pytest.raises(ValueError, match=rf"one of {choices}"):
        CoefficientComparison(X, y, prior=3)
    # a prior instance picks its family
    demo = ShrinkageDemo1D(prior=br.Normal(scale=1.0), scale=1.5)
    assert demo.state["prior"] == br.Normal(scale=1.5)


# ---------------------------------------------------------------- issue 13: the posterior band
def _band(ax, name):
    from matplotlib.collections import PolyCollection

    found = [c for c in ax.collections
             if isinstance(c, PolyCollection) and c.get_gid() == f"posterior_band:{name}"]
    assert len(found) == 1, f"no single band for {name}"
    return found[0]


def _no_overlap(labels, renderer):
    """Text boxes of the labels (leader lines excluded), pairwise disjoint."""
    from matplotlib.text import Text

    boxes = []
    for label in labels:
        label.update_positions(renderer)
        boxes.append(Text.get_window_extent(label, renderer))
    for i in range(len(boxes)):
        for k in range(i + 1, len(boxes)):
            assert not boxes[i].overlaps(boxes[k]), (
                f"labels {labels[i].get_text()!r} and {labels[k].get_text()!r} overlap")


def test_explorer_path_draws_the_exact_posterior_band(diabetes):
    """Normal prior, fixed sigma: the band on the path axes is the conjugate posterior's
    central 94% interval (= its HDI) at every grid scale, in each feature's MAP colour."""
    import matplotlib.colors as mcolors

    X, y = diabetes
    view = PriorScaleExplorer(X, y, prior="normal", sigma=SIGMA, scale=1.0)
    ax = view.path_axes
    scales = view.explorer.path().scales
    Xc, yc = X.to_numpy() - X.to_numpy().mean(axis=0), y.to_numpy() - y.mean()
    lows, highs = [], []
    for t in scales:  # written out here: numpy linear algebra, scipy quantiles
        cov = np.linalg.inv(Xc.T @ Xc / SIGMA**2 + np.eye(X.shape[1]) / t**2)
        mean, sd = cov @ Xc.T @ yc / SIGMA**2, np.sqrt(np.diag(cov))
        lows.append(stats.norm.ppf(0.03, mean, sd))
        highs.append(stats.norm.ppf(0.97, mean, sd))
    lows, highs = np.array(lows), np.array(highs)
    for j, name in enumerate(X.columns):
        vertices = _band(ax, name).get_paths()[0].vertices
        for k, t in enumerate(scales):
            ys = vertices[np.isclose(vertices[:, 0], t, rtol=1e-12), 1]
            assert ys.min() == pytest.approx(lows[k, j], rel=1e-8, abs=1e-9)
            assert ys.max() == pytest.approx(highs[k, j], rel=1e-8, abs=1e-9)
        line = [ln for ln in ax.lines if ln.get_gid() == f"map:{name}"][0]
        face = _band(ax, name).get_facecolor()[0]
        assert mcolors.same_color(face[:3], mcolors.to_rgb(line.get_color()))
    assert "exact posterior 94% HDI" in ax.get_title()
    assert "posterior 94% HDI" in [t.get_text() for t in ax.get_legend().get_texts()]
    # the slider moves only the marker: the band stays what it was
    view.controls["scale"].value = 3.0
    assert view.path_axes is ax and _band(ax, "bmi") is not None
    assert [ln for ln in ax.lines if ln.get_gid() == "current_scale"][0].get_xdata()[0] == \
        pytest.approx(view.state["scale"])


def test_explorer_path_shows_the_sampled_posterior_as_bars(diabetes, laplace_posterior):
    """Laplace prior sampled by NUTS (named, so no live Gibbs posterior): the seeded
    posterior's HDI at its scale, as bars."""
    X, y = diabetes
    view = PriorScaleExplorer(X, y, prior="laplace", sigma=SIGMA, scale=1.0,
                              posterior=laplace_posterior, sampler="nutpie")
    ax = view.path_axes
    band = view.explorer.posterior_band()
    assert "at the sampled scales" in ax.get_title()
    bars = [c for c in ax.containers if c.__class__.__name__ == "ErrorbarContainer"]
    assert len(bars) == X.shape[1]
    draws = laplace_posterior.idata_.posterior["coef"].values.reshape(-1, X.shape[1])
    for j, container in enumerate(bars):
        (x0, lo), (x1, hi) = container.lines[2][0].get_segments()[0]
        assert x0 == x1 == 1.0
        assert (lo, hi) == pytest.approx((band.hdi_low[0, j], band.hdi_high[0, j]), rel=1e-12)
        assert np.mean((draws[:, j] >= lo) & (draws[:, j] <= hi)) == pytest.approx(0.94, abs=2e-3)
    # without a posterior for the family: no band, and the title says how to get one
    view.controls["prior"].value = "elasticnet"
    assert view.explorer.posterior_band() is None
    assert not [c for c in view.path_axes.collections if str(c.get_gid()).startswith("posterior")]
    assert "press Sample" in view.path_axes.get_title()


@pytest.mark.parametrize("prior", ["normal", "laplace"])
def test_explorer_path_labels_do_not_overlap(diabetes, prior):
    X, y = diabetes
    view = PriorScaleExplorer(X, y, prior=prior, sigma=SIGMA, scale=1.0)
    ax = view.path_axes
    labels = [t for t in ax.texts if t.get_text() in set(X.columns)]
    assert len(labels) == X.shape[1]
    figure = ax.figure
    figure.canvas.draw()
    _no_overlap(labels, figure.canvas.get_renderer())


def test_a_family_switch_waits_for_a_redraw_in_progress(diabetes):
    """Review finding: a redraw finishing a Sample job runs on the worker thread and
    reads the family several times while it fills caches keyed by the family; a
    switch of the prior control in between stored one family's results under the
    other's key. The switch now waits for the redraw; both end consistent."""
    import threading

    X, y = diabetes
    view = PriorScaleExplorer(X, y, prior="normal", sigma=SIGMA, scale=1.0)
    explorer = view.explorer
    entered, release = threading.Event(), threading.Event()
    original = explorer.map_state

    def blocking_map_state(scale):
        if not entered.is_set():
            entered.set()
            assert release.wait(10)
        return original(scale)

    view.controls["scale"].value = 2.5
    explorer.map_state = blocking_map_state  # the redraw below blocks inside it
    redraw = threading.Thread(target=view._update_all)  # as the Sample job's done() does
    redraw.start()
    assert entered.wait(10)
    switch = threading.Thread(target=lambda: setattr(view.controls["prior"], "value", "laplace"))
    switch.start()
    switch.join(0.5)
    assert switch.is_alive() and explorer.kind == "normal"  # waits for the redraw
    release.set()
    redraw.join(10)
    switch.join(10)
    assert not redraw.is_alive() and not switch.is_alive()
    assert explorer.kind == "laplace"
    assert view.state["prior"] == br.Laplace(scale=view.state["scale"])
    explorer.set_family("normal")
    assert isinstance(explorer.map_state(2.5)["prior"], br.Normal)
