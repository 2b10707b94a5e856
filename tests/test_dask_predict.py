"""Predictions on Dask rows: lazy, one block per row block, computed where the rows live.

The rows are generated block by block ON THE WORKERS of the session's
LocalCluster (tests/conftest.py) by the seeded generators of tests/test_dask.py
and tests/test_dask_logistic.py, which refuse to run in the client's process;
the references are the in-memory predictions of the same rows, generated here,
by the same fitted model:

* MAP predictions equal the in-memory ones to 1e-12;
* posterior predictions (the same fitted draws) equal them to 1e-10;
* the result is a Dask collection (nothing computed) whose block i depends on
  X's block i only (no gathering or concatenation of X anywhere in the graph);
  a DataFrame's result keeps its partitions, divisions and index.
"""

import os
import pickle
import warnings

import numpy as np
import pytest

if os.environ.get("CI"):
    import dask  # noqa: F401  (CI must test Dask: fail, never skip)
da = pytest.importorskip("dask.array")
dd = pytest.importorskip("dask.dataframe")
pytest.importorskip("distributed")
import dask  # noqa: E402
from dask.core import flatten  # noqa: E402
from sklearn.exceptions import NotFittedError  # noqa: E402

import bayesreg as br  # noqa: E402
from bayesreg.model._dask_predict import _prediction_copy  # noqa: E402
from bayesreg.posterior.diagnostics import SamplingWarning  # noqa: E402

from . import test_dask as gaussian  # noqa: E402
from . import test_dask_logistic as logistic  # noqa: E402


def _only_own_block(result, X):
    """Whether block i of ``result`` reaches block i of ``X`` and no other row block of X."""
    dependencies = result.__dask_graph__().get_all_dependencies()

    def x_blocks(key):
        if isinstance(key, tuple) and key[0] == X.name:
            return {key}
        return set().union(*[x_blocks(dep) for dep in dependencies.get(key, ())])

    return all(x_blocks(key) == {(X.name, key[1], 0)} for key in flatten(result.__dask_keys__()))


def _assert_lazy(result, X):
    assert isinstance(result, da.Array)
    assert result.chunks[0] == X.chunks[0]
    assert _only_own_block(result, X)


@pytest.fixture(scope="module")
def gaussian_rows():
    """(X on the workers, the same X here, y here): 4000 x 4 in 5 uneven blocks."""
    X, _ = gaussian.on_workers(seed=21)
    Xm, ym = gaussian.in_memory(seed=21)
    return X, Xm, ym


@pytest.fixture(scope="module")
def labelled_rows():
    X, _ = logistic.on_workers(seed=22)
    Xm, ym = logistic.in_memory(seed=22)
    return X, Xm, ym


# ------------------------------------------------------------------ the MAP
def test_map_regressor_predicts_on_dask_lazily_as_in_memory(dask_client, gaussian_rows):
    X, Xm, ym = gaussian_rows
    model = br.MAPRegressor(br.Laplace(0.05), sigma=1.0).fit(Xm, ym)
    result = model.predict(X)
    _assert_lazy(result, X)
    computed = dask_client.compute(result).result()  # only the predictions reach the client
    assert computed.shape == (Xm.shape[0],) and computed.nbytes == 8 * Xm.shape[0]
    np.testing.assert_allclose(computed, model.predict(Xm), rtol=0, atol=1e-12)


def test_map_classifier_fitted_on_dask_predicts_on_dask(dask_client, labelled_rows):
    X, Xm, ym = labelled_rows
    model = br.MAPClassifier(br.Laplace(0.05)).fit(X, logistic.on_workers(seed=22)[1])
    proba, decision, labels = model.predict_proba(X), model.decision_function(X), model.predict(X)
    for result in (proba, decision, labels):
        _assert_lazy(result, X)
    assert proba.shape == (Xm.shape[0], 2) and proba.chunks[1] == (2,)
    proba, decision, labels = dask.compute(proba, decision, labels)
    np.testing.assert_allclose(proba, model.predict_proba(Xm), rtol=0, atol=1e-12)
    np.testing.assert_allclose(decision, model.decision_function(Xm), rtol=0, atol=1e-12)
    np.testing.assert_array_equal(labels, model.predict(Xm))


# ------------------------------------------------------------------ the posteriors
def test_posterior_regressor_predicts_mean_and_sd_on_dask(dask_client, gaussian_rows):
    X, Xm, ym = gaussian_rows
    model = br.PosteriorRegressor(br.Normal(1.0), sigma=1.0, sampler="exact", draws=1000, chains=2,
                                  random_seed=23, progressbar=False).fit(Xm, ym)
    mean_only = model.predict(X)
    mean, sd = model.predict(X, return_std=True)
    for result in (mean_only, mean, sd):
        _assert_lazy(result, X)
    mean_only, mean, sd = dask.compute(mean_only, mean, sd)
    ref_mean, ref_sd = model.predict(Xm, return_std=True)
    np.testing.assert_allclose(mean_only, ref_mean, rtol=0, atol=1e-10)
    np.testing.assert_allclose(mean, ref_mean, rtol=0, atol=1e-10)
    np.testing.assert_allclose(sd, ref_sd, rtol=0, atol=1e-10)


def test_posterior_classifier_predicts_on_dask_from_the_same_draws(dask_client, labelled_rows):
    X, Xm, ym = labelled_rows
    with warnings.catch_warnings():  # few draws: the ESS warning is expected and irrelevant here
        warnings.simplefilter("ignore", SamplingWarning)
        model = br.PosteriorClassifier(br.Laplace(0.5), sampler="gibbs", draws=200, tune=50, chains=2,
                                       random_seed=24, progressbar=False).fit(Xm, ym)
    proba, decision, labels = model.predict_proba(X), model.decision_function(X), model.predict(X)
    for result in (proba, decision, labels):
        _assert_lazy(result, X)
    proba, decision, labels = dask.compute(proba, decision, labels)
    np.testing.assert_allclose(proba, model.predict_proba(Xm), rtol=0, atol=1e-10)
    np.testing.assert_allclose(decision, model.decision_function(Xm), rtol=0, atol=1e-10)
    np.testing.assert_array_equal(labels, model.predict(Xm))


def test_the_blocks_get_the_draws_but_not_the_training_rows(gaussian_rows):
    """What is shipped to the workers: the posterior draws, no constant_data / observed y / MAP."""
    _, Xm, ym = gaussian_rows
    model = br.PosteriorRegressor(br.Normal(1.0), sigma=1.0, sampler="exact", draws=1000, chains=2,
                                  random_seed=25, progressbar=False, log_likelihood=True).fit(Xm, ym)
    shipped = _prediction_copy(model)
    assert list(shipped.idata_.groups()) == ["posterior"] and shipped.map_ is None
    assert len(pickle.dumps(shipped)) < Xm.nbytes  # 2000 draws x 5 numbers, not 4000 rows x 4 and y
    assert set(model.idata_.groups()) >= {"posterior", "constant_data", "log_likelihood"}  # untouched
    assert model.map_ is not None


# ------------------------------------------------------------------ DataFrames
def test_a_dataframe_gives_series_with_its_index_and_partitions(dask_client, labelled_rows):
    X, Xm, ym = labelled_rows
    columns = ["age", "income", "score"]
    frame = dd.from_dask_array(X, columns=columns)
    frame = frame[frame["age"] < 0.0]  # whole partitions may be empty; the index has gaps
    labels = np.where(ym == 1.0, "yes", "no")
    model = br.MAPClassifier(br.Laplace(0.05)).fit(frame_in_memory := _frame(Xm, columns), labels)
    proba, predicted = model.predict_proba(frame), model.predict(frame)
    assert isinstance(predicted, dd.Series) and isinstance(proba, dd.DataFrame)
    assert predicted.npartitions == frame.npartitions and predicted.divisions == frame.divisions
    assert list(proba.columns) == ["no", "yes"]
    expected_rows = frame_in_memory[frame_in_memory["age"] < 0.0]
    proba, predicted = dask.compute(proba, predicted)
    np.testing.assert_array_equal(predicted.index, expected_rows.index)
    np.testing.assert_array_equal(proba.index, expected_rows.index)
    np.testing.assert_array_equal(predicted.to_numpy(), model.predict(expected_rows))
    np.testing.assert_allclose(proba.to_numpy(), model.predict_proba(expected_rows), rtol=0, atol=1e-12)
    none_left = model.predict_proba(frame[frame["age"] < -1e3]).compute()  # every partition empty
    assert none_left.shape == (0, 2) and list(none_left.columns) == ["no", "yes"]


def test_a_dataframe_gives_a_series_pair_for_mean_and_sd(dask_client, gaussian_rows):
    X, Xm, ym = gaussian_rows
    columns = ["a", "b", "c", "d"]
    model = br.PosteriorRegressor(br.Normal(1.0), sigma=1.0, sampler="exact", draws=1000, chains=2,
                                  random_seed=26, progressbar=False).fit(_frame(Xm, columns), ym)
    mean, sd = model.predict(dd.from_dask_array(X, columns=columns), return_std=True)
    assert isinstance(mean, dd.Series) and isinstance(sd, dd.Series)
    mean, sd = dask.compute(mean, sd)
    ref_mean, ref_sd = model.predict(_frame(Xm, columns), return_std=True)
    np.testing.assert_array_equal(mean.index, np.arange(Xm.shape[0]))
    np.testing.assert_allclose(mean.to_numpy(), ref_mean, rtol=0, atol=1e-10)
    np.testing.assert_allclose(sd.to_numpy(), ref_sd, rtol=0, atol=1e-10)


def _frame(X, columns):
    import pandas as pd

    return pd.DataFrame(X, columns=columns)


# ------------------------------------------------------------------ refusals (before any pass)
@pytest.fixture(scope="module")
def fitted(gaussian_rows):
    _, Xm, ym = gaussian_rows
    return br.MAPRegressor(br.Normal(1.0), sigma=1.0).fit(Xm, ym)


@pytest.mark.parametrize("make, message", [
    (lambda X: X.rechunk((gaussian.BLOCKS, 2)), r"split into 2 chunks.*X\.rechunk\(\{1: -1\}\)"),
    (lambda X: X[:, :3], r"X has 3 features, but the model was fitted on 4"),
    (lambda X: X[:, 0], r"X must be 2-D"),
])
def test_bad_dask_x_gets_a_clear_error_naming_the_fix(gaussian_rows, fitted, make, message):
    with pytest.raises(ValueError, match=message):
        fitted.predict(make(gaussian_rows[0]))


def test_a_dataframe_with_other_columns_is_refused_with_the_fix(gaussian_rows):
    X, Xm, ym = gaussian_rows
    model = br.MAPRegressor(br.Normal(1.0), sigma=1.0).fit(_frame(Xm, ["a", "b", "c", "d"]), ym)
    with pytest.raises(ValueError, match=r"missing \['d'\], unexpected \['e'\].*feature_names_in_"):
        model.predict(dd.from_dask_array(X, columns=["a", "b", "c", "e"]))


def test_per_row_arguments_and_unfitted_models_are_refused(gaussian_rows, fitted):
    X = gaussian_rows[0]
    with pytest.raises(ValueError, match=r"exposure is given per row.*X\.compute\(\)"):
        fitted.predict(X, exposure=np.ones(X.shape[0]))
    with pytest.raises(NotFittedError):
        br.MAPRegressor(br.Normal(1.0)).predict(X)
