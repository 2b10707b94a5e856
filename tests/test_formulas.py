"""from_formula: the same fit as the design matrix built by hand with pandas (an independent construction)."""

import numpy as np
import pandas as pd
import pytest

import bayesreg as br

FORMULA = "y ~ x1 + x2 + C(group)"


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(7)
    n = 80
    frame = pd.DataFrame({
        "x1": rng.normal(size=n),
        "x2": rng.normal(size=n),
        "group": rng.choice(["a", "b", "c"], size=n),
    })
    effect = frame["group"].map({"a": 0.0, "b": 1.5, "c": -1.0})
    frame["y"] = 0.5 + 2.0 * frame["x1"] - frame["x2"] + effect + rng.normal(size=n)
    frame["label"] = np.where(frame["y"] + rng.normal(size=n) > 0.5, "yes", "no")
    return frame


def _by_hand(frame, *, intercept=True):
    """The design by hand: numeric columns, then group's dummies (first level dropped with an intercept)."""
    dummies = pd.get_dummies(frame["group"], prefix="group", drop_first=intercept, dtype=float)
    return pd.concat([frame[["x1", "x2"]], dummies], axis=1)


def test_map_regressor_from_a_formula_equals_the_fit_on_the_hand_built_design(data):
    prior = br.Laplace(scale=0.5)
    model = br.from_formula(FORMULA, data, prior=prior, sigma=1.0)
    reference = br.MAPRegressor(prior, sigma=1.0).fit(_by_hand(data), data["y"])
    assert type(model) is br.MAPRegressor
    assert model.fit_intercept is True  # from the formula, fitted once, unpenalized
    np.testing.assert_allclose(model.coef_, reference.coef_, rtol=0, atol=1e-12)
    assert model.intercept_ == pytest.approx(reference.intercept_, abs=1e-12)
    assert list(model.feature_names_in_) == ["x1", "x2", "C(group)[T.b]", "C(group)[T.c]"]
    assert "Intercept" not in model.feature_names_in_


def test_a_formula_without_intercept_fits_without_one_and_keeps_every_level(data):
    for formula in ("y ~ x1 + x2 + C(group) - 1", "y ~ x1 + x2 + C(group) + 0"):
        model = br.from_formula(formula, data, prior=br.Normal(scale=2.0), sigma=1.0)
        reference = br.MAPRegressor(br.Normal(scale=2.0), sigma=1.0, fit_intercept=False).fit(
            _by_hand(data, intercept=False), data["y"]
        )
        assert model.fit_intercept is False and model.intercept_ == 0.0
        np.testing.assert_allclose(model.coef_, reference.coef_, rtol=0, atol=1e-12)
        assert len(model.feature_names_in_) == 5  # x1, x2 and the 3 level indicators


def test_map_classifier_from_a_formula_keeps_the_labels_and_equals_the_hand_built_fit(data):
    prior = br.Normal(scale=1.0)
    model = br.from_formula("label ~ x1 + x2 + C(group)", data, prior=prior, likelihood="bernoulli")
    reference = br.MAPClassifier(prior).fit(_by_hand(data), data["label"])
    assert type(model) is br.MAPClassifier
    assert list(model.classes_) == ["no", "yes"]
    np.testing.assert_allclose(model.coef_, reference.coef_, rtol=0, atol=1e-12)
    assert model.intercept_ == pytest.approx(reference.intercept_, abs=1e-12)


# short chains: the test is about identical draws, not about convergence
@pytest.mark.filterwarnings("ignore::bayesreg.SamplingWarning")
@pytest.mark.parametrize("sampler, prior, sigma", [
    ("exact", br.Normal(scale=1.0), 1.0),
    ("gibbs", br.Laplace(scale=0.5), None),
])
def test_posterior_from_a_formula_has_the_same_draws_as_the_hand_built_fit(data, sampler, prior, sigma):
    settings = dict(sigma=sigma, sampler=sampler, draws=200, tune=100, chains=2,
                    random_seed=11, progressbar=False)
    model = br.from_formula(FORMULA, data, prior=prior, estimator="posterior", **settings)
    reference = br.PosteriorRegressor(prior, **settings).fit(_by_hand(data), data["y"])
    assert type(model) is br.PosteriorRegressor and model.sampler_ == sampler
    np.testing.assert_array_equal(model.idata_.posterior["coef"].values,
                                  reference.idata_.posterior["coef"].values)
    np.testing.assert_array_equal(model.idata_.posterior["intercept"].values,
                                  reference.idata_.posterior["intercept"].values)
    # the formula's column names are the posterior's feature coordinates and summary rows
    features = ["x1", "x2", "C(group)[T.b]", "C(group)[T.c]"]
    assert list(model.idata_.posterior["feature"].values) == features
    assert [f"coef[{f}]" for f in features] == [i for i in model.summary().index if i.startswith("coef")]


@pytest.mark.filterwarnings("ignore::bayesreg.SamplingWarning")
def test_formula_names_reach_compare_and_the_forest_plot(data):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    prior = br.Normal(scale=1.0)
    map_model = br.from_formula(FORMULA, data, prior=prior, sigma=1.0)
    posterior = br.from_formula(FORMULA, data, prior=prior, estimator="posterior", sigma=1.0,
                                sampler="exact", draws=200, chains=2, random_seed=3, progressbar=False)
    comparison = br.compare(map_model, posterior)
    assert list(comparison.table.index) == list(map_model.feature_names_in_)
    ax = comparison.plot()
    labels = {tick.get_text() for tick in ax.get_yticklabels()}
    assert "C(group)[T.b]" in labels
    plt.close("all")


def test_formula_transform_predicts_new_rows_with_the_training_levels(data):
    model = br.from_formula(FORMULA, data, prior=br.Normal(scale=1.0), sigma=1.0)
    new = data.iloc[:5].drop(columns=["y", "label"])
    new = new.assign(group=["b", "b", "b", "b", "b"])  # one level only: its dummies stay as in training
    design = model.formula_.transform(new)
    assert list(design.columns) == list(model.feature_names_in_)
    expected = model.intercept_ + new["x1"] * model.coef_[0] + new["x2"] * model.coef_[1] + model.coef_[2]
    np.testing.assert_allclose(model.predict(design), expected, rtol=0, atol=1e-12)
    assert model.formula_.fit_intercept is True and model.formula_.response == "y"


@pytest.mark.parametrize("formula, kwargs, match", [
    ("~ x1 + x2", {}, "has no response"),
    ("y ~ x1 + x3", {}, r"uses column\(s\) \['x3'\] that the data lack"),
    ("group ~ x1", {"likelihood": "bernoulli"}, "binary response.*3 distinct value"),
    ("y ~ x1", {"likelihood": "bernoulli"}, "binary response"),
    ("y ~ x1", {"estimator": "mcmc"}, "estimator must be one of"),
    ("y ~ x1", {"fit_intercept": False}, "the formula sets the intercept"),
])
def test_bad_formulas_get_a_clear_error(data, formula, kwargs, match):
    with pytest.raises(ValueError, match=match):
        br.from_formula(formula, data, prior=br.Normal(scale=1.0), **kwargs)


def test_missing_values_are_refused_not_dropped(data):
    holed = data.copy()
    holed.loc[3, "x2"] = np.nan
    with pytest.raises(ValueError, match="missing values are not dropped silently"):
        br.from_formula(FORMULA, holed, prior=br.Normal(scale=1.0))


def test_transform_names_a_missing_column(data):
    model = br.from_formula(FORMULA, data, prior=br.Normal(scale=1.0), sigma=1.0)
    with pytest.raises(ValueError, match=r"\['x2'\]"):
        model.formula_.transform(data.drop(columns=["x2"]))


def test_the_regressors_likelihood_reaches_the_estimator_from_the_formula(data):
    # the regressors take likelihood= since issue 17: a robust fit through a formula is the
    # fit on the design built by hand with that likelihood (this test once checked a refusal)
    student = br.likelihoods.StudentT(df=4.0)
    model = br.from_formula("y ~ x1 + x2", data, prior=br.Normal(scale=1.0), likelihood=student,
                            sigma=1.0)
    by_hand = br.MAPRegressor(br.Normal(scale=1.0), likelihood=student, sigma=1.0).fit(
        data[["x1", "x2"]].to_numpy(), data["y"].to_numpy())
    assert model.likelihood_ == student
    np.testing.assert_allclose(model.coef_, by_hand.coef_, rtol=0, atol=1e-10)
