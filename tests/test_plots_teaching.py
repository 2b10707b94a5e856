"""The teaching plots draw what was computed: line data, marker positions, labels (Agg)."""

import math

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from scipy import integrate, stats  # noqa: E402

import bayesreg as br  # noqa: E402
from bayesreg import plots  # noqa: E402
from bayesreg.plots._style import MAP_COLOR, POSTERIOR_COLOR  # noqa: E402
from bayesreg.teaching.shrinkage import one_coefficient_posterior, shrinkage_curves  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def line(ax, label_start):
    """The one line whose label starts with ``label_start``."""
    found = [ln for ln in ax.get_lines() if ln.get_label().startswith(label_start)]
    assert len(found) == 1, [ln.get_label() for ln in ax.get_lines()]
    return found[0]


def by_gid(ax, gid):
    found = [ln for ln in ax.get_lines() if ln.get_gid() == gid]
    assert len(found) == 1
    return found[0]


# ---------------------------------------------------------------- scale -> penalty


def test_scale_to_penalty_lines_are_the_mapping():
    n, sigma, y_sd = 442, 54.0, 77.0
    scales = np.logspace(-1, 3, 25)
    ax = plots.plot_scale_to_penalty(n, sigma, scales=scales, y_sd=y_sd)
    assert ax.get_xscale() == "log" and ax.get_yscale() == "log"
    assert "n = 442" in ax.get_title() and "σ = 54" in ax.get_title()
    # the DESIGN table written out, and bayesreg.to_penalty, at the drawn scales
    expected = {
        "Normal(t) → Ridge": sigma**2 / scales**2,
        "Normal(t) → ElasticNet": sigma**2 / (n * scales**2),
        "Laplace(s) → Lasso": sigma**2 / (n * scales),
        "ElasticNet(s, r=0.5)": sigma**2 / n * (0.5 / scales + 0.5 / scales**2),
    }
    for label, values in expected.items():
        drawn = line(ax, label)
        np.testing.assert_allclose(drawn.get_xdata(), scales)
        np.testing.assert_allclose(drawn.get_ydata(), values, rtol=1e-12)
    lasso = [br.to_penalty(br.Laplace(scale=s), n_samples=n, sigma=sigma)["alpha"] for s in scales]
    np.testing.assert_allclose(line(ax, "Laplace(s) → Lasso").get_ydata(), lasso, rtol=1e-15)
    # glmnet markers: the Laplace ones on the Lasso alpha line; glmnet standardises y,
    # so the L2 part of its lambda carries a factor sd(y) (DESIGN.md, recorded R fits)
    glmnet = {
        "glmnet:Laplace": lambda s: sigma**2 / (n * s),
        "glmnet:ElasticNet": lambda s: sigma**2 / n * (0.5 / s + y_sd * 0.5 / s**2),
        "glmnet:Normal": lambda s: sigma**2 * y_sd / (n * s**2),
    }
    for gid, formula in glmnet.items():
        markers = by_gid(ax, gid)
        x = np.asarray(markers.get_xdata())
        np.testing.assert_allclose(markers.get_ydata(), formula(x), rtol=1e-12)
    np.testing.assert_allclose(by_gid(ax, "glmnet:Laplace").get_ydata(),
                               np.interp(by_gid(ax, "glmnet:Laplace").get_xdata(), scales,
                                         line(ax, "Laplace(s) → Lasso").get_ydata()), rtol=1e-12)
    assert any("C = t²" in t.get_text() for t in ax.texts)


def test_scale_to_penalty_without_y_sd_draws_only_the_lasso_glmnet_markers():
    """glmnet's lambda of a prior with an L2 part needs sd(y): without it, no marker."""
    ax = plots.plot_scale_to_penalty(442, 54.0, scales=np.logspace(-1, 3, 25))
    gids = {artist.get_gid() for artist in ax.get_lines()}
    assert "glmnet:Laplace" in gids
    assert "glmnet:Normal" not in gids and "glmnet:ElasticNet" not in gids


def test_scale_to_penalty_rejects_bad_scales():
    with pytest.raises(ValueError, match="scales"):
        plots.plot_scale_to_penalty(100, 1.0, scales=[1.0, -2.0])


# ---------------------------------------------------------------- prior vs penalty


def test_prior_and_penalty_at_equal_variance():
    var = 2.0
    density_ax, penalty_ax = plots.plot_prior_and_penalty(var)
    assert "variance 2" in density_ax.get_title()
    normal = line(density_ax, "Normal")
    w = np.asarray(normal.get_xdata())
    np.testing.assert_allclose(normal.get_ydata(), stats.norm.pdf(w, 0, math.sqrt(var)), rtol=1e-12)
    np.testing.assert_allclose(line(density_ax, "Laplace").get_ydata(),
                               stats.laplace.pdf(w, scale=math.sqrt(var / 2)), rtol=1e-12)
    # elastic net: shaped exp(-r|w|/s - (1-r) w^2/(2 s^2)) and of variance `var`
    en = np.asarray(line(density_ax, "ElasticNet").get_ydata())
    s = br.shrinkage.with_variance(br.ElasticNet(scale=1.0, l1_ratio=0.5), var).scale
    shape = lambda u: np.exp(-0.5 * np.abs(u) / s - 0.5 * u**2 / (2 * s**2))  # noqa: E731
    ratio = en / shape(w)
    np.testing.assert_allclose(ratio, ratio[0], rtol=1e-10)
    wide = np.linspace(-40, 40, 400_001)
    assert integrate.trapezoid(wide**2 * shape(wide), wide) / integrate.trapezoid(
        shape(wide), wide) == pytest.approx(var, rel=1e-8)
    # the right panel is -log(left) + const, zero at w = 0
    for name in ("Normal", "Laplace", "ElasticNet"):
        density = np.asarray(line(density_ax, name).get_ydata())
        penalty = np.asarray(line(penalty_ax, name).get_ydata())
        np.testing.assert_allclose(penalty + np.log(density), (penalty + np.log(density))[0], atol=1e-10)
        assert penalty[np.argmin(np.abs(w))] == pytest.approx(0.0, abs=1e-12)
    np.testing.assert_allclose(line(penalty_ax, "Laplace").get_ydata(), np.abs(w) / math.sqrt(var / 2),
                               rtol=1e-12)


# ---------------------------------------------------------------- constraint picture


def test_constraint_l1_optimum_sits_on_an_axis():
    # orthogonal design with least squares (2, 0.3): the exact L1 optimum at budget 1 is (1, 0)
    X = np.array([[1.0, 0.0], [-1.0, 0.0], [0.0, 1.0], [0.0, -1.0]] * 3)
    y = X @ np.array([2.0, 0.3]) + 5.0
    l1_ax, l2_ax = plots.plot_constraint_regions(X, y, budget=1.0)
    opt = by_gid(l1_ax, "optimum")
    assert opt.get_ydata()[0] == 0.0  # exactly on the w1 axis: a corner of the diamond
    assert opt.get_xdata()[0] == pytest.approx(1.0, abs=1e-14)
    assert opt.get_color() == MAP_COLOR
    assert "Lasso α" in opt.get_label()
    # ridge keeps the direction in an orthogonal design: off the axes
    l2_opt = by_gid(l2_ax, "optimum")
    np.testing.assert_allclose([l2_opt.get_xdata()[0], l2_opt.get_ydata()[0]],
                               np.array([2.0, 0.3]) / np.hypot(2.0, 0.3), rtol=1e-12)
    for ax in (l1_ax, l2_ax):
        ls = by_gid(ax, "least_squares")
        np.testing.assert_allclose([ls.get_xdata()[0], ls.get_ydata()[0]], [2.0, 0.3], rtol=1e-12)
    assert l1_ax.patches[0].get_xy()[:, 0].max() == pytest.approx(1.0)  # the diamond of budget 1
    assert l2_ax.patches[0].get_radius() == pytest.approx(1.0)


def test_constraint_markers_are_the_penalized_fits():
    from sklearn.linear_model import Lasso, Ridge

    rng = np.random.default_rng(4)
    X = rng.multivariate_normal([0, 0], [[1.0, 0.7], [0.7, 1.0]], size=100)
    y = X @ np.array([2.0, 0.4]) + rng.normal(size=100)
    l1_ax, l2_ax = plots.plot_constraint_regions(X, y, budget=1.2)
    fit_l1 = br.constrained.constrained_least_squares(X, y, 1.2, norm="l1")
    fit_l2 = br.constrained.constrained_least_squares(X, y, 1.2, norm="l2")
    lasso = Lasso(alpha=fit_l1.penalty["alpha"], tol=1e-14, max_iter=1_000_000).fit(X, y).coef_
    ridge = Ridge(alpha=fit_l2.penalty["alpha"]).fit(X, y).coef_
    for ax, reference in ((l1_ax, lasso), (l2_ax, ridge)):
        opt = by_gid(ax, "optimum")
        np.testing.assert_allclose([opt.get_xdata()[0], opt.get_ydata()[0]], reference, atol=1e-8)


def test_constraint_default_budget_and_bad_input():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(30, 2))
    y = X @ np.array([1.0, -2.0]) + rng.normal(size=30)
    axes = plots.plot_constraint_regions(X, y)
    ols = np.linalg.lstsq(np.column_stack([np.ones(30), X]), y, rcond=None)[0][1:]
    assert axes[1].patches[0].get_radius() == pytest.approx(0.5 * np.linalg.norm(ols))
    with pytest.raises(ValueError, match="two-feature"):
        plots.plot_constraint_regions(rng.normal(size=(30, 3)), y)


# ---------------------------------------------------------------- shrinkage


def test_shrinkage_curves_plot():
    se, s, t = 0.8, 0.5, 1.2
    z = np.linspace(-4, 4, 81)
    priors = (br.Normal(scale=t), br.Laplace(scale=s))
    ax = plots.plot_shrinkage_curves(se, priors=priors, estimates=z)
    identity = line(ax, "least squares")
    np.testing.assert_allclose(identity.get_ydata(), identity.get_xdata())
    laplace_map = line(ax, "Laplace(scale=0.5): MAP")
    np.testing.assert_allclose(laplace_map.get_xdata(), z)
    np.testing.assert_allclose(laplace_map.get_ydata(), np.sign(z) * np.maximum(np.abs(z) - se**2 / s, 0),
                               atol=1e-14)
    assert laplace_map.get_color() == MAP_COLOR
    np.testing.assert_allclose(line(ax, "Normal(scale=1.2): MAP").get_ydata(), z * t**2 / (t**2 + se**2),
                               atol=1e-14)
    laplace_mean = line(ax, "Laplace(scale=0.5): posterior mean")
    assert laplace_mean.get_color() == POSTERIOR_COLOR
    np.testing.assert_allclose(laplace_mean.get_ydata(), shrinkage_curves(priors[1], se, z).mean,
                               rtol=1e-14)
    assert "se = 0.8" in ax.get_title()
    assert any("1.28" in t.get_text() for t in ax.get_legend().get_texts())  # threshold se^2/s


def test_one_coefficient_plot_marks_the_exact_estimates():
    result = one_coefficient_posterior(1.2, 0.9, br.Laplace(scale=0.6))
    fig, ax_in = plt.subplots()
    ax = plots.plot_one_coefficient(result, ax=ax_in)
    assert ax is ax_in
    for label, curve in [("likelihood", result.likelihood), ("prior", result.prior_density),
                         ("posterior", result.posterior_density)]:
        drawn = [ln for ln in ax.get_lines() if ln.get_label() == label]
        assert len(drawn) == 1
        np.testing.assert_array_equal(drawn[0].get_xdata(), result.grid)
        np.testing.assert_array_equal(drawn[0].get_ydata(), curve)
    for label, value, color in [("MAP", result.map, MAP_COLOR),
                                ("posterior mean", result.mean, POSTERIOR_COLOR),
                                ("posterior median", result.median, POSTERIOR_COLOR)]:
        marker = line(ax, label + " =")
        assert np.all(np.asarray(marker.get_xdata()) == value)
        assert marker.get_color() == color
        assert f"{value:.3g}" in marker.get_label()
    assert result.map == 0.0  # |z| < se^2/s: the MAP line is at exactly 0
    assert "z = 1.2" in ax.get_title()


def test_one_coefficient_plot_needs_a_result():
    with pytest.raises(TypeError, match="one_coefficient_posterior"):
        plots.plot_one_coefficient({"map": 0.0})


def test_plots_create_their_own_axes():
    assert plots.plot_shrinkage_curves().figure is not None
    assert len(plots.plot_prior_and_penalty()) == 2
    result = one_coefficient_posterior(-2.0, 1.0, br.Normal(scale=1.0))
    assert plots.plot_one_coefficient(result).get_xlabel() == "coefficient w"
