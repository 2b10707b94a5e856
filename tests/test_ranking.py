"""Variable ranking by posterior evidence: summary(), compare(...).table and the plot."""

import types

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

import bayesreg as br
from bayesreg.model.registry import prior_classes
from bayesreg.plots import plot_variable_ranking
from bayesreg.posterior._ranking import evidence_table, model_evidence_table
from bayesreg.workflow.compare import default_practical_zero

TRUE_W = np.array([2.0, 0.0, -1.5, 0.0, 0.0, 1.0, 0.0, 0.0])
STRONG = {"x0", "x2", "x5"}


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def known_truth():
    """n = 80, three real effects among eight features; exact Normal-prior posterior."""
    rng = np.random.default_rng(19)
    X = pd.DataFrame(rng.normal(size=(80, 8)), columns=[f"x{j}" for j in range(8)])
    y = 1.0 + X.to_numpy() @ TRUE_W + rng.normal(size=80)
    prior = br.Normal(scale=1.0)
    posterior = br.PosteriorRegressor(prior, sigma=1.0, sampler="exact", draws=2000, chains=2,
                                      random_seed=5, progressbar=False).fit(X, y)
    map_model = br.MAPRegressor(prior, sigma=1.0).fit(X, y)
    return X, y, posterior, map_model


def test_summary_p_sign_is_the_fraction_of_draws_on_the_more_probable_side(known_truth):
    X, y, posterior, _ = known_truth
    table = posterior.summary()
    draws = posterior.idata_.posterior["coef"].values.reshape(-1, 8)  # independent: numpy on idata_
    want = np.maximum((draws > 0).mean(axis=0), (draws < 0).mean(axis=0))
    rows = [f"coef[{c}]" for c in X.columns]
    np.testing.assert_allclose(table.loc[rows, "p_sign"], want, rtol=0, atol=0)
    band = 0.1 * np.std(y) / X.to_numpy().std(axis=0)  # Kruschke's ROPE, written out
    np.testing.assert_allclose(table.loc[rows, "p_outside_zero_band"],
                               (np.abs(draws) >= band).mean(axis=0), rtol=0, atol=0)
    # the other rows (intercept) carry no ranking
    assert np.isnan(table.loc["intercept", ["p_sign", "p_outside_zero_band", "rank"]]).all()


def test_large_effects_are_ranked_above_the_nulls(known_truth):
    X, _, posterior, _ = known_truth
    table = posterior.summary()
    rank = {c: table.loc[f"coef[{c}]", "rank"] for c in X.columns}
    assert {c for c, r in rank.items() if r <= 3} == STRONG
    assert sorted(rank.values()) == list(range(1, 9))
    assert rank["x0"] == 1  # the largest effect first (ties on probability 1 go to |mean|/sd)


def test_compare_table_has_the_same_ranking(known_truth):
    _, _, posterior, map_model = known_truth
    comparison = br.compare(map_model, posterior)
    table = comparison.table
    summary = posterior.summary()
    for column in ("p_sign", "p_outside_zero_band", "rank"):
        np.testing.assert_array_equal(
            table[column].to_numpy(dtype=float),
            summary.loc[[f"coef[{f}]" for f in table.index], column].to_numpy(dtype=float),
        )
    np.testing.assert_allclose(table["p_outside_zero_band"], 1.0 - table["p_practical_zero"])
    np.testing.assert_allclose(
        table["p_sign"], np.maximum(table["p_positive"], 1.0 - table["p_positive"]), atol=0
    )
    # an explicit band is used for the ranking too
    wide = br.compare(map_model, posterior, practical_zero=100.0).table
    assert (wide["p_outside_zero_band"] == 0).all()


def test_the_rank_rule_orders_by_band_then_sign_then_standardised_mean():
    draws = np.column_stack([
        np.linspace(0.5, 1.5, 101),    # all outside the band, mean 1
        np.linspace(-0.2, 0.2, 101),   # straddles zero
        np.linspace(2.9, 3.1, 101),    # all outside, larger |mean|/sd than column 0
        np.linspace(-0.5, 0.9, 101),   # mostly outside, mixed sign
    ])
    table = evidence_table(draws, np.full(4, 0.3), ["a", "b", "c", "d"])
    assert list(table.sort_values("rank").index) == ["c", "a", "d", "b"]
    # inclusion indicators rank first where the prior has them
    inclusion = np.zeros_like(draws)
    inclusion[:, 1] = 1.0
    with_ind = evidence_table(draws, np.full(4, 0.3), ["a", "b", "c", "d"], inclusion)
    assert list(with_ind.columns) == ["p_inclusion", "p_sign", "p_outside_zero_band", "rank"]
    assert with_ind.loc["b", "rank"] == 1


def test_inclusion_hook_is_off_for_every_family_and_read_when_on(known_truth):
    # only the spike-and-slab has indicators (issue 18 added it; before, no family had them)
    with_indicators = {cls for cls in prior_classes().values()
                       if issubclass(cls, br.Prior) and cls.has_inclusion_indicators}  # hyperpriors listed too
    assert with_indicators == {br.SpikeAndSlab}
    _, _, posterior, _ = known_truth
    # a stand-in for a spike-and-slab posterior: the hook turned on, indicators in idata_
    idata = posterior.idata_.copy()
    coef = idata.posterior["coef"]
    idata.posterior["inclusion"] = (coef != 0) & (coef.feature == "x7")
    stand_in = types.SimpleNamespace(
        idata_=idata, _likelihood=posterior._likelihood,
        prior=types.SimpleNamespace(has_inclusion_indicators=True),
    )
    table = model_evidence_table(stand_in)
    assert table.loc["x7", "p_inclusion"] == 1.0 and table.loc["x7", "rank"] == 1


def test_default_band_is_unchanged_by_the_move():
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(30, 3)) * [1.0, 2.0, 0.0], rng.normal(size=30)
    np.testing.assert_allclose(default_practical_zero(X, y), 0.1 * np.std(y) / np.array([X[:, 0].std(), X[:, 1].std(), 1.0]))
    np.testing.assert_allclose(default_practical_zero(X, y, classifier=True)[2], 0.1 * np.pi / np.sqrt(3))


def test_plot_draws_the_ranking_in_rank_order(known_truth):
    _, _, posterior, map_model = known_truth
    comparison = br.compare(map_model, posterior)
    for source in (posterior, comparison, comparison.table):
        ax = plot_variable_ranking(source)
        labels = [t.get_text() for t in ax.get_yticklabels()]
        ordered = comparison.table.sort_values("rank")
        # top row (largest y) is rank 1
        top_to_bottom = [label for _, label in sorted(zip(ax.get_yticks(), labels), reverse=True)]
        assert top_to_bottom == [f"{r}. {f}" for f, r in ordered["rank"].items()]
        widths = sorted(((p.get_y(), p.get_width()) for p in ax.patches), reverse=True)
        np.testing.assert_allclose([w for _, w in widths], ordered["p_outside_zero_band"])
    _, ax = plt.subplots()
    assert plot_variable_ranking(comparison, ax=ax) is ax


def test_plot_refuses_what_has_no_ranking():
    with pytest.raises(TypeError, match="pass a fitted PosteriorRegressor"):
        plot_variable_ranking([1, 2, 3])
    with pytest.raises(ValueError, match=r"lacks the column\(s\) \['rank'\]"):
        plot_variable_ranking(pd.DataFrame({"p_sign": [1.0], "p_outside_zero_band": [1.0]}))
