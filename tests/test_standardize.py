"""``standardize=True`` (issue 19): the prior on the coefficients of unit-sd columns, as glmnet.

Two independent references:

* the identity with pre-scaled columns: a fit with ``standardize=True`` on X
  equals the ``standardize=False`` fit on ``X / numpy.std(X, axis=0)`` with the
  coefficients divided by the sd (to 1e-10; posterior draws of the same seed
  identical up to that division);
* R glmnet's own ``standardize=TRUE`` fits on the raw (unstandardised)
  diabetes columns, recorded in ``validation/glmnet/glmnet_reference.json`` by
  ``validation/glmnet/record_glmnet.R`` with R 4.2.2 and glmnet 4.1.6 (Debian
  12's ``r-cran-glmnet 4.1-6-1``, ``thresh=1e-24``) on
  ``validation/glmnet/diabetes_raw.csv``; glmnet's lambda/alpha are mapped to a
  prior by ``from_penalty("glmnet", ..., y_sd=numpy.std(y))`` exactly as in
  ``tests/test_glmnet_reference.py``.  The tests never call R.
"""

import json
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import bayesreg as br
from bayesreg.widgets.scale_explorer import ScaleExplorer

from .test_glmnet_reference import SIGMA as GLMNET_SIGMA
from .test_glmnet_reference import _mapped_prior

HERE = Path(__file__).resolve().parents[1] / "validation" / "glmnet"
REFERENCE = json.loads((HERE / "glmnet_reference.json").read_text())
STANDARDIZED = [f for f in REFERENCE["fits"] if f["standardize"] and f["penalty_factor"] is None]
SIGMA = GLMNET_SIGMA  # any fixed noise sd: the glmnet mapping is exact at a fixed sigma
PRIORS = [br.Normal(0.3), br.Laplace(0.05), br.ElasticNet(0.1, l1_ratio=0.4)]


@pytest.fixture(scope="module")
def data():
    """Columns on very different scales, so standardizing changes the fit."""
    rng = np.random.default_rng(19)
    X = rng.normal(size=(60, 4)) * [1.0, 20.0, 0.05, 3.0] + [0.0, 5.0, -1.0, 2.0]
    y = 1.0 + X @ [0.8, 0.02, 6.0, 0.0] + rng.normal(size=60)
    return X, y, (y > np.median(y)).astype(int)


def _prescaled(X):
    sd = np.std(X, axis=0)
    return X / sd, sd


# ------------------------------------------------------------------ identity with pre-scaled columns
@pytest.mark.parametrize("prior", PRIORS, ids=repr)
@pytest.mark.parametrize("sigma", [1.0, None], ids=["sigma_fixed", "sigma_estimated"])
def test_map_regressor_equals_the_prescaled_fit(data, prior, sigma):
    X, y, _ = data
    Xs, sd = _prescaled(X)
    got = br.MAPRegressor(prior, sigma=sigma, standardize=True).fit(X, y)
    want = br.MAPRegressor(prior, sigma=sigma).fit(Xs, y)
    np.testing.assert_allclose(got.coef_, want.coef_ / sd, rtol=1e-10, atol=1e-12)
    assert got.intercept_ == pytest.approx(want.intercept_, rel=1e-10, abs=1e-12)
    assert got.sigma_ == pytest.approx(want.sigma_, rel=1e-12)
    assert got.penalty_ == want.penalty_  # the penalty of the standardised problem
    np.testing.assert_allclose(got.predict(X), want.predict(Xs), rtol=1e-10, atol=1e-10)
    # and it is a different fit from standardize=False on these columns
    plain = br.MAPRegressor(prior, sigma=sigma).fit(X, y)
    assert not np.allclose(plain.coef_, got.coef_, rtol=1e-3)


@pytest.mark.parametrize("prior", PRIORS, ids=repr)
def test_map_classifier_equals_the_prescaled_fit(data, prior):
    X, _, y01 = data
    Xs, sd = _prescaled(X)
    got = br.MAPClassifier(prior, standardize=True).fit(X, y01)
    want = br.MAPClassifier(prior).fit(Xs, y01)
    np.testing.assert_allclose(got.coef_, want.coef_ / sd, rtol=1e-10, atol=1e-12)
    assert got.intercept_ == pytest.approx(want.intercept_, rel=1e-10, abs=1e-12)
    np.testing.assert_allclose(got.predict_proba(X), want.predict_proba(Xs), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("likelihood", ["gaussian", "bernoulli"])
@pytest.mark.parametrize("prior", PRIORS, ids=repr)
def test_map_path_equals_the_prescaled_path(data, prior, likelihood):
    X, y, y01 = data
    target = y01 if likelihood == "bernoulli" else y
    sigma = 1.0 if likelihood == "gaussian" else None
    Xs, sd = _prescaled(X)
    scales = np.geomspace(0.01, 10.0, 7)
    got = br.map_path(X, target, prior, scales, sigma=sigma, likelihood=likelihood,
                      standardize=True)
    want = br.map_path(Xs, target, prior, scales, sigma=sigma, likelihood=likelihood)
    np.testing.assert_allclose(got.coefs, want.coefs / sd, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(got.intercepts, want.intercepts, rtol=1e-10, atol=1e-12)
    np.testing.assert_array_equal(got.alphas, want.alphas)
    # every row is the estimator with standardize=True at that scale
    estimator = (br.MAPClassifier(prior.with_scale(scales[3]), standardize=True)
                 if likelihood == "bernoulli"
                 else br.MAPRegressor(prior.with_scale(scales[3]), sigma=1.0, standardize=True))
    np.testing.assert_allclose(got.coefs[3], estimator.fit(X, target).coef_, rtol=1e-8, atol=1e-12)


def _posterior(estimator, prior, sampler, **kwargs):
    return estimator(prior, sampler=sampler, draws=300, tune=100, chains=2, random_seed=5,
                     progressbar=False, **kwargs)


@pytest.mark.parametrize("case", ["exact", "gibbs_regressor", "gibbs_classifier"])
def test_posterior_draws_are_the_prescaled_draws_divided_by_the_sd(data, case):
    X, y, y01 = data
    Xs, sd = _prescaled(X)
    if case == "exact":
        make = lambda **kw: _posterior(br.PosteriorRegressor, br.Normal(0.3), "exact", sigma=1.0, **kw)
        target = y
    elif case == "gibbs_regressor":
        make = lambda **kw: _posterior(br.PosteriorRegressor, br.Laplace(0.3), "gibbs", **kw)
        target = y
    else:
        make = lambda **kw: _posterior(br.PosteriorClassifier, br.Normal(1.0), "gibbs", **kw)
        target = y01
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", br.SamplingWarning)  # short chains; not what is tested
        got = make(standardize=True).fit(X, target)
        want = make().fit(Xs, target)
    np.testing.assert_allclose(got.idata_.posterior["coef"].values,
                               want.idata_.posterior["coef"].values / sd, rtol=1e-10, atol=1e-14)
    np.testing.assert_allclose(got.idata_.posterior["intercept"].values,
                               want.idata_.posterior["intercept"].values, rtol=1e-10, atol=1e-14)
    np.testing.assert_allclose(got.coef_, want.coef_ / sd, rtol=1e-10)
    np.testing.assert_allclose(got.coef_sd_, want.coef_sd_ / sd, rtol=1e-10)
    # the stored data are the original X; the log-likelihood is that of the same model
    np.testing.assert_array_equal(got.idata_.constant_data["X"].values, X)
    np.testing.assert_allclose(got.compute_log_likelihood().log_likelihood["y"].values,
                               want.compute_log_likelihood().log_likelihood["y"].values,
                               rtol=1e-10, atol=1e-12)
    if case == "gibbs_classifier":
        np.testing.assert_allclose(got.predict_proba(X), want.predict_proba(Xs), rtol=1e-10)
    else:
        for a, b in zip(got.predict(X, return_std=True), want.predict(Xs, return_std=True)):
            np.testing.assert_allclose(a, b, rtol=1e-10)
    # the MAP beside it is the standardize=True MAP, on the original scale
    np.testing.assert_allclose(got.map_.coef_, want.map_.coef_ / sd, rtol=1e-9, atol=1e-12)
    assert got.map_.standardize is True
    table, expected = got.summary(), want.summary()
    rows = [f"coef[x{j}]" for j in range(X.shape[1])]
    np.testing.assert_allclose(table.loc[rows, "map"], expected.loc[rows, "map"] / sd, rtol=1e-9)
    # az.summary rounds to 3 decimals: its means are coef_ (= the pre-scaled means / sd) rounded
    np.testing.assert_allclose(table.loc[rows, "mean"], got.coef_, rtol=0, atol=5.01e-4)


def test_save_and_load_keep_standardize(data, tmp_path):
    X, y, _ = data
    model = _posterior(br.PosteriorRegressor, br.Normal(0.3), "exact", sigma=1.0,
                       standardize=True).fit(X, y)
    model.save(tmp_path / "standardized.nc")
    loaded = br.PosteriorRegressor.load(tmp_path / "standardized.nc")
    assert loaded.standardize is True
    np.testing.assert_array_equal(loaded.coef_, model.coef_)
    np.testing.assert_allclose(loaded.map_.coef_, model.map_.coef_, rtol=1e-12)
    np.testing.assert_allclose(loaded.predict(X), model.predict(X), rtol=1e-12)


def test_posterior_path_equals_the_prescaled_path(data):
    X, y, _ = data
    Xs, sd = _prescaled(X)
    kwargs = {"sigma": 1.0, "sampler": "exact", "draws": 200, "chains": 2, "random_seed": 3}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", br.SamplingWarning)
        got = br.posterior_path(X, y, br.Normal(1.0), [0.1, 1.0], standardize=True, **kwargs)
        want = br.posterior_path(Xs, y, br.Normal(1.0), [0.1, 1.0], **kwargs)
    for name in ("mean", "median", "sd", "hdi_low", "hdi_high"):
        np.testing.assert_allclose(getattr(got, name), getattr(want, name) / sd, rtol=1e-10)


@pytest.mark.parametrize("method", ["cv", "empirical_bayes"])
def test_choose_scale_chooses_the_scale_of_the_prescaled_problem(data, method):
    X, y, _ = data
    Xs, _ = _prescaled(X)
    got = br.choose_scale(X, y, br.Normal(1.0), method, sigma=1.0, standardize=True)
    want = br.choose_scale(Xs, y, br.Normal(1.0), method, sigma=1.0)
    assert got.scale == pytest.approx(want.scale, rel=1e-10)
    plain = br.choose_scale(X, y, br.Normal(1.0), method, sigma=1.0)
    assert plain.scale != pytest.approx(got.scale, rel=1e-3)


# ------------------------------------------------------------------ R glmnet, standardize=TRUE
@pytest.fixture(scope="module")
def raw_diabetes():
    table = pd.read_csv(HERE / "diabetes_raw.csv")
    return table[REFERENCE["features"]].to_numpy(float), table["y"].to_numpy(float), \
        table["y_binary"].to_numpy()


def test_the_standardize_true_fits_are_recorded():
    assert REFERENCE["glmnet_version"] == "4.1.6" and REFERENCE["r_version"].startswith("R version 4.2.2")
    assert {f["family"] for f in STANDARDIZED} == {"gaussian", "binomial"}
    assert all(f["data"] == "raw" for f in STANDARDIZED) and len(STANDARDIZED) == 5


@pytest.mark.parametrize("fit", STANDARDIZED, ids=lambda f: f["id"])
def test_standardize_true_is_glmnets_standardize_true(fit, raw_diabetes):
    X, y, y_binary = raw_diabetes
    prior = _mapped_prior(fit, y)  # glmnet's lambda, alpha -> the prior (same sigma)
    if fit["family"] == "binomial":
        model = br.MAPClassifier(prior, standardize=True).fit(X, y_binary)
        path = br.map_path(X, y_binary, prior, [prior.scale], likelihood="bernoulli",
                           standardize=True)
    else:
        model = br.MAPRegressor(prior, sigma=SIGMA, standardize=True).fit(X, y)
        path = br.map_path(X, y, prior, [prior.scale], sigma=SIGMA, standardize=True)
    np.testing.assert_allclose(model.coef_, fit["coef"], atol=1e-6)
    assert model.intercept_ == pytest.approx(fit["intercept"], abs=1e-6)
    np.testing.assert_array_equal(model.coef_ == 0, np.asarray(fit["coef"]) == 0)
    np.testing.assert_allclose(path.coefs[0], fit["coef"], atol=1e-6)
    # standardize=FALSE on the same raw columns is a different fit: the test can tell them apart
    plain = (br.MAPClassifier(prior).fit(X, y_binary) if fit["family"] == "binomial"
             else br.MAPRegressor(prior, sigma=SIGMA).fit(X, y))
    assert np.max(np.abs(plain.coef_ - np.asarray(fit["coef"]))) > 1e-3


# ------------------------------------------------------------------ constant columns
def test_a_constant_column_is_refused_naming_it_and_the_fix(data):
    X, y, y01 = data
    frame = pd.DataFrame(X, columns=["a", "b", "c", "d"]).assign(c=4.0)
    calls = {
        "MAPRegressor": lambda: br.MAPRegressor(br.Laplace(1.0), standardize=True).fit(frame, y),
        "MAPClassifier": lambda: br.MAPClassifier(br.Laplace(1.0), standardize=True).fit(frame, y01),
        "PosteriorRegressor": lambda: _posterior(br.PosteriorRegressor, br.Normal(1.0), "exact",
                                                 sigma=1.0, standardize=True).fit(frame, y),
        "map_path": lambda: br.map_path(frame, y, br.Laplace(1.0), [1.0], standardize=True),
        "choose_scale": lambda: br.choose_scale(frame, y, br.Normal(1.0), sigma=1.0,
                                                standardize=True),
        "ScaleExplorer": lambda: ScaleExplorer(frame, y, standardize=True),
    }
    for owner, call in calls.items():
        with pytest.raises(ValueError, match=rf"{owner}: standardize=True .*'c'.*constant.*"
                                             r"Drop the constant column.*standardize=False"):
            call()
    # without standardize a constant column is fitted as before (its coefficient 0 here)
    assert br.MAPRegressor(br.Laplace(1.0)).fit(frame, y).coef_[2] == 0.0


def test_refused_fit_leaves_a_fitted_estimator_as_it_was(data):
    X, y, _ = data
    model = br.MAPRegressor(br.Laplace(1.0), sigma=1.0, standardize=True).fit(X, y)
    coef = model.coef_.copy()
    with pytest.raises(ValueError, match="constant"):
        model.fit(np.column_stack([X, np.ones(len(y))]), y)
    np.testing.assert_array_equal(model.coef_, coef)


# ------------------------------------------------------------------ parameter checks
def _estimators():
    return {
        "MAPRegressor": (lambda v: br.MAPRegressor(br.Laplace(1.0), standardize=v), False),
        "MAPClassifier": (lambda v: br.MAPClassifier(br.Laplace(1.0), standardize=v), True),
        "PosteriorRegressor": (
            lambda v: _posterior(br.PosteriorRegressor, br.Normal(1.0), "exact", sigma=1.0,
                                 standardize=v), False),
        "PosteriorClassifier": (
            lambda v: _posterior(br.PosteriorClassifier, br.Normal(1.0), "gibbs",
                                 standardize=v), True),
    }


@pytest.mark.parametrize("value", ["yes", "False", 0, 1, None], ids=repr)
@pytest.mark.parametrize("name", list(_estimators()))
def test_standardize_must_be_a_real_bool(data, name, value):
    make, classifier = _estimators()[name]
    X, y, y01 = data
    message = rf"{name}: standardize must be True or False, got {value!r}"
    with pytest.raises(TypeError, match=message):
        make(value).fit(X, y01 if classifier else y)
    # set_params stores, fit checks (as scikit-learn)
    model = make(False).set_params(standardize=value)
    with pytest.raises(TypeError, match=message):
        model.fit(X, y01 if classifier else y)


def test_default_is_false_everywhere():
    for estimator in (br.MAPRegressor, br.MAPClassifier, br.PosteriorRegressor,
                      br.PosteriorClassifier):
        assert estimator(br.Normal(1.0)).get_params()["standardize"] is False


@pytest.mark.parametrize("owner, call", [
    ("map_path", lambda X, y: br.map_path(X, y, br.Laplace(1.0), [1.0], standardize="yes")),
    ("posterior_path", lambda X, y: br.posterior_path(X, y, br.Normal(1.0), [1.0],
                                                      standardize="yes")),
    ("choose_scale", lambda X, y: br.choose_scale(X, y, br.Normal(1.0), standardize="yes")),
    ("ScaleExplorer", lambda X, y: ScaleExplorer(X, y, standardize="yes")),
])
def test_functions_check_standardize_with_the_same_words(data, owner, call):
    X, y, _ = data
    with pytest.raises(TypeError, match=rf"{owner}: standardize must be True or False, got 'yes'"):
        call(X, y)


def test_a_file_with_a_non_bool_standardize_is_refused(data, tmp_path):
    X, y, _ = data
    model = _posterior(br.PosteriorRegressor, br.Normal(0.3), "exact", sigma=1.0).fit(X, y)
    model.standardize = "yes"  # set after fit: save checks its parameters like fit
    with pytest.raises(TypeError, match="standardize must be True or False"):
        model.save(tmp_path / "bad.nc")


# ------------------------------------------------------------------ widgets
def test_scale_explorer_standardize_is_the_prescaled_explorer_on_xs_scale(data):
    X, y, _ = data
    Xs, sd = _prescaled(X)
    got = ScaleExplorer(X, y, "normal", sigma=1.0, standardize=True)
    want = ScaleExplorer(Xs, y, "normal", sigma=1.0)
    assert got.scale_range == want.scale_range
    a, b = got.state(0.5), want.state(0.5)
    np.testing.assert_allclose(a["map_coef"], b["map_coef"] / sd, rtol=1e-10)
    assert a["alpha"] == b["alpha"]
    for column in ("map", "mean", "median", "sd", "hdi_low", "hdi_high"):
        np.testing.assert_allclose(a["posterior"][column].to_numpy(),
                                   b["posterior"][column].to_numpy() / sd, rtol=1e-10)
    np.testing.assert_allclose(got.path().coefs, want.path().coefs / sd, rtol=1e-10, atol=1e-14)
    np.testing.assert_allclose(got.posterior_band().hdi_high, want.posterior_band().hdi_high / sd,
                               rtol=1e-10)


def test_scale_explorer_refuses_a_posterior_of_the_other_setting(data):
    X, y, _ = data
    posterior = _posterior(br.PosteriorRegressor, br.Normal(0.3), "exact", sigma=1.0).fit(X, y)
    with pytest.raises(ValueError, match="standardize=False; the explorer has standardize=True"):
        ScaleExplorer(X, y, "normal", sigma=1.0, standardize=True, posterior=posterior)


def test_coefficient_comparison_passes_standardize_to_both_models(data):
    from bayesreg.widgets import CoefficientComparison

    X, y, _ = data
    view = CoefficientComparison(X, y, prior="normal", sigma=1.0, scale=0.5, standardize=True,
                                 draws=200, chains=2)
    assert view.wait(timeout=60)
    expected = br.MAPRegressor(br.Normal(0.5), sigma=1.0, standardize=True).fit(X, y)
    np.testing.assert_allclose(view.state["map_coef"], expected.coef_, rtol=1e-12)
    assert view.state["comparison"].posterior_model.standardize is True
