"""What the compare plots draw, checked headless (Agg) against the computed values."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.colors as mcolors  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.collections import PolyCollection  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import bayesreg as br  # noqa: E402
from bayesreg.plots import (  # noqa: E402
    MAP_COLOR,
    POSTERIOR_COLOR,
    plot_forest,
    plot_regularization_path,
    plot_scale_posterior,
)

from .conftest import SIGMA_DIABETES  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def ridge_comparison(diabetes):
    X, y = diabetes
    prior = br.Normal(scale=2.0)
    map_model = br.MAPRegressor(prior, sigma=SIGMA_DIABETES).fit(X, y)
    posterior = br.PosteriorRegressor(
        prior, sigma=SIGMA_DIABETES, sampler="exact", draws=1000, chains=2, random_seed=3
    ).fit(X, y)
    return br.compare(map_model, posterior, practical_zero=2.0)


@pytest.fixture(scope="module")
def ridge_paths(diabetes):
    X, y = diabetes
    prior = br.Normal(scale=1.0)
    mp = br.map_path(X, y, prior, np.geomspace(0.1, 300, 25), sigma=SIGMA_DIABETES)
    pp = br.posterior_path(X, y, prior, [0.3, 3.0, 30.0], sigma=SIGMA_DIABETES, draws=500,
                           chains=2, random_seed=0)
    return mp, pp


@pytest.fixture(scope="module")
def hierarchical_model(small_gaussian):
    X, y = small_gaussian
    return br.PosteriorRegressor(
        br.Normal(scale=br.HalfCauchy(1.0)), sigma=1.0, draws=500, tune=500, chains=2,
        random_seed=4, progressbar=False,
    ).fit(X, y)


def _line(ax, label=None, gid=None):
    for line in ax.lines:
        if (label is not None and line.get_label() == label) or (gid is not None and line.get_gid() == gid):
            return line
    raise AssertionError(f"no line labelled {label!r} / gid {gid!r}")


def _legend_texts(ax):
    return [t.get_text() for t in ax.get_legend().get_texts()]


# ---------------------------------------------------------------------- forest
def test_forest_draws_intervals_medians_and_map(ridge_comparison):
    table = ridge_comparison.table
    ax = plot_forest(ridge_comparison)
    rows = np.arange(len(table))[::-1]
    map_line = _line(ax, label="MAP")
    np.testing.assert_allclose(map_line.get_xdata(), table["map"])
    np.testing.assert_allclose(map_line.get_ydata(), rows)
    assert mcolors.same_color(map_line.get_markeredgecolor(), MAP_COLOR)
    median_line = _line(ax, label="posterior median")
    np.testing.assert_allclose(median_line.get_xdata(), table["median"])
    assert mcolors.same_color(median_line.get_color(), POSTERIOR_COLOR)
    segments = np.array(ax.collections[0].get_segments())  # (p, 2, 2): (low, row), (high, row)
    np.testing.assert_allclose(segments[:, 0, 0], table["hdi_low"])
    np.testing.assert_allclose(segments[:, 1, 0], table["hdi_high"])
    np.testing.assert_allclose(segments[:, 0, 1], rows)
    assert [t.get_text() for t in ax.get_yticklabels()] == list(table.index)
    np.testing.assert_allclose(ax.get_yticks(), rows)
    assert "94% HDI" in _legend_texts(ax)


def test_forest_highlights_flagged_rows(ridge_comparison):
    table = ridge_comparison.table
    flagged = table["flag"] != ""
    assert flagged.any() and not flagged.all()  # the fixture has both kinds of rows
    ax = plot_forest(ridge_comparison)
    labels = ax.get_yticklabels()
    for label, is_flagged in zip(labels, flagged):
        assert (label.get_fontweight() == "bold") == is_flagged
    for flag in set(table["flag"][flagged]):
        assert f"flag: {flag}" in _legend_texts(ax)
    ax = plot_forest(ridge_comparison, highlight_flags=False)
    assert not any(t.startswith("flag:") for t in _legend_texts(ax))


def test_forest_accepts_a_plain_table_and_rejects_others():
    table = pd.DataFrame(
        {"map": [0.0, 1.0], "median": [0.2, 0.9], "hdi_low": [-0.5, 0.4], "hdi_high": [0.8, 1.4]},
        index=["a", "b"],
    )
    fig, ax = plt.subplots()
    assert plot_forest(table, ax=ax) is ax
    np.testing.assert_allclose(_line(ax, label="MAP").get_xdata(), [0.0, 1.0])
    assert "posterior interval" in _legend_texts(ax)
    with pytest.raises(ValueError, match="hdi_high"):
        plot_forest(table.drop(columns="hdi_high"))
    with pytest.raises(TypeError, match="Comparison"):
        plot_forest(np.zeros((2, 4)))


# ---------------------------------------------------------------------- path
def test_path_draws_map_lines_posterior_medians_and_bands(ridge_paths):
    mp, pp = ridge_paths
    ax = plot_regularization_path(mp, pp)
    assert ax.get_xscale() == "log"
    for j, name in enumerate(mp.feature_names):
        line = _line(ax, gid=f"map:{name}")
        np.testing.assert_allclose(line.get_xdata(), mp.scales)
        np.testing.assert_allclose(line.get_ydata(), mp.coefs[:, j])
        assert mcolors.same_color(line.get_color(), MAP_COLOR)
        post = _line(ax, gid=f"posterior:{name}")
        np.testing.assert_allclose(post.get_xdata(), pp.scales)
        np.testing.assert_allclose(post.get_ydata(), pp.median[:, j])
    # one HDI band per feature, its outline through (scale, hdi_low) and (scale, hdi_high)
    bands = [c for c in ax.collections if isinstance(c, PolyCollection)]
    assert len(bands) == len(mp.feature_names)
    vertices = bands[0].get_paths()[0].vertices
    for k, s in enumerate(pp.scales):
        ys = vertices[np.isclose(vertices[:, 0], s), 1]
        assert np.any(np.isclose(ys, pp.hdi_low[k, 0])) and np.any(np.isclose(ys, pp.hdi_high[k, 0]))
    texts = {t.get_text(): t for t in ax.texts}
    assert set(texts) == set(mp.feature_names)
    assert all(t.xy[0] == mp.scales[-1] for t in texts.values())
    assert {"MAP", "posterior median", "posterior 94% HDI"} <= set(_legend_texts(ax))


def test_path_marks_chosen_and_current_scales(ridge_paths):
    mp, pp = ridge_paths
    choice = br.ScaleChoice(scale=14.0, method="empirical_bayes", alpha=1.0,
                            prior=br.Normal(14.0), sigma=SIGMA_DIABETES)
    ax = plot_regularization_path(mp, chosen_scales={"cv": 3.5, "empirical_bayes": choice},
                                  current_scale=2.0)
    legend = _legend_texts(ax)
    assert "cv: scale 3.5" in legend and "empirical bayes: scale 14" in legend
    assert "current scale 2" in legend
    vertical = {line.get_label(): line.get_xdata()[0] for line in ax.lines
                if len(line.get_xdata()) == 2 and line.get_xdata()[0] == line.get_xdata()[1]}
    assert vertical["cv: scale 3.5"] == 3.5
    assert vertical["empirical bayes: scale 14"] == 14.0
    assert _line(ax, gid="current_scale").get_xdata()[0] == 2.0
    # a list of ScaleChoice is labelled by method
    ax = plot_regularization_path(mp, chosen_scales=[choice])
    assert "empirical bayes: scale 14" in _legend_texts(ax)


def test_path_draws_only_the_features_asked_for(ridge_paths):
    mp, pp = ridge_paths
    ax = plot_regularization_path(mp, pp, features=["bmi", 8])
    drawn = sorted(line.get_gid() for line in ax.lines if line.get_gid())
    assert drawn == ["map:bmi", "map:s5", "posterior:bmi", "posterior:s5"]
    with pytest.raises(ValueError, match="unknown feature"):
        plot_regularization_path(mp, features=["nope"])


# ---------------------------------------------------------------------- scale posterior
def test_scale_posterior_histogram_median_and_penalty_axis(hierarchical_model):
    draws = hierarchical_model.idata_.posterior["scale"].values.ravel()
    alpha_draws = hierarchical_model.idata_.posterior["alpha"].values.ravel()
    ax = plot_scale_posterior(hierarchical_model)
    assert ax.get_xscale() == "log"
    edges = np.geomspace(draws.min(), draws.max(), 41)
    expected, _ = np.histogram(draws, bins=edges, density=True)
    heights = [p.get_height() for p in ax.patches]
    np.testing.assert_allclose(heights, expected, rtol=1e-12)
    median = np.median(draws)
    assert _line(ax, label=f"posterior median {median:.3g}").get_xdata()[0] == median
    assert f"median alpha = {np.median(alpha_draws):.3g}" in ax.texts[0].get_text()
    # the top axis reads scale t as the Ridge alpha sigma^2 / t^2 (sigma = 1 here)
    top = ax.child_axes[0]
    assert top.get_xlabel() == "equivalent scikit-learn alpha"
    ax.figure.canvas.draw()
    for t in (0.3, 1.0, 3.0):
        at_scale = ax.transData.transform((t, 0))[0]
        at_alpha = top.transData.transform((1.0 / t**2, 0))[0]
        assert at_alpha == pytest.approx(at_scale, abs=0.5)  # within half a pixel


def test_scale_posterior_needs_a_learned_scale(ridge_comparison):
    with pytest.raises(ValueError, match="hyperprior on the scale"):
        plot_scale_posterior(ridge_comparison.posterior_model)


def test_style_keeps_interactive_mode_switched_on_inside():
    # A notebook's inline backend switches interactive mode on when its first figure is
    # made; if that happens inside bayesreg_style, leaving the style must not switch it
    # off again (rc_context restores every rcParam), or no later figure is shown.
    from bayesreg.plots import bayesreg_style

    before = matplotlib.is_interactive()
    try:
        matplotlib.interactive(False)
        with bayesreg_style():
            matplotlib.interactive(True)  # what the inline backend's activation does
            assert matplotlib.rcParams["axes.grid"]  # the style applies inside
        assert matplotlib.is_interactive()
        with bayesreg_style():
            pass
        assert matplotlib.is_interactive()  # and the style itself does not change it
    finally:
        matplotlib.interactive(before)


@pytest.mark.parametrize("figsize", [(7.5, 4.5), (5.0, 2.5)])
def test_path_labels_keep_apart_when_the_line_ends_crowd(ridge_paths, figsize):
    """Ten lines ending within a hair of each other: the names are spread, each joined
    to its line's end, and no two text boxes overlap (also after a constrained layout)."""
    import dataclasses

    from matplotlib.text import Text

    mp, _ = ridge_paths
    p = len(mp.feature_names)
    crowded = mp.coefs.copy()
    crowded[-1] = 10.0 + 0.01 * np.arange(p)  # the ends, 0.01 apart on a range of ~60
    mp = dataclasses.replace(mp, coefs=crowded)
    fig, ax = plt.subplots(figsize=figsize, layout="constrained")
    plot_regularization_path(mp, ax=ax)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    labels = list(ax.texts)
    assert [t.get_text() for t in labels] == list(mp.feature_names)
    boxes = [Text.get_window_extent(t, renderer) for t in labels]
    for i in range(p):
        for k in range(i + 1, p):
            assert not boxes[i].overlaps(boxes[k]), (labels[i].get_text(), labels[k].get_text())
    for i in range(p):
        assert labels[i].xy == (mp.scales[-1], crowded[-1, i])  # the leader line's end
    # the order of the ends is kept
    heights = [b.y0 for b in boxes]
    assert heights == sorted(heights)


def test_path_by_feature_colours_each_map_line_and_band_alike(ridge_paths):
    mp, pp = ridge_paths
    ax = plot_regularization_path(mp, pp, color_by_feature=True)
    colours = set()
    for name in mp.feature_names:
        line = _line(ax, gid=f"map:{name}")
        band = [c for c in ax.collections if c.get_gid() == f"posterior_band:{name}"][0]
        assert mcolors.same_color(band.get_facecolor()[0][:3], mcolors.to_rgb(line.get_color()))
        assert mcolors.same_color(_line(ax, gid=f"posterior:{name}").get_color(), line.get_color())
        colours.add(mcolors.to_hex(line.get_color()))
    assert len(colours) == len(mp.feature_names)
    # three sampled scales: bars at each, the HDI from the path
    bars = [c for c in ax.containers if c.__class__.__name__ == "ErrorbarContainer"]
    assert len(bars) == len(mp.feature_names)
    segments = bars[0].lines[2][0].get_segments()
    np.testing.assert_allclose([s[0][1] for s in segments], pp.hdi_low[:, 0])
    np.testing.assert_allclose([s[1][1] for s in segments], pp.hdi_high[:, 0])
    assert ax.get_title() == "Regularization path: MAP and posterior 94% HDI"
    assert plot_regularization_path(mp).get_title() == "Regularization path: MAP"
