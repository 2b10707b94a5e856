"""Predictions on Dask rows: a lazy Dask result, one block per row block, computed where X lives.

:func:`predicts_on_dask` decorates an estimator's ``predict``,
``predict_proba`` and ``decision_function``. Given a NumPy or pandas ``X`` the
method runs as it always did. Given a Dask collection, it returns at once
(nothing computed), like dask-ml's ``ParallelPostFit``, Dask in and Dask out:

* a ``dask.array`` ``X`` (n x p, whole rows in each chunk) gives a
  ``dask.array`` with X's row chunks: (n,) for ``predict``, (n, k) for
  ``predict_proba``; a tuple of them for ``predict(X, return_std=True)``;
* a ``dask.dataframe`` ``X`` gives a ``dask.dataframe`` Series (a DataFrame for
  ``predict_proba``, its columns ``classes_``) with X's partitions, divisions
  and index.

Each block is predicted on the worker that holds it by the estimator's own
in-memory method (so the numbers are those of an in-memory predict of the same
rows), on a copy that carries only what prediction reads: a posterior
estimator's draws, never its training rows or its MAP. A posterior's block
keeps at most draws x (a sub-block of) rows numbers alive, as in memory
(``posterior._pointwise``). Rows never travel to the client; only the
predictions do, when the user computes them.

Dask is imported only inside functions (``import bayesreg`` never imports it).
"""

from __future__ import annotations

import copy
import functools

import numpy as np

from ._dask_statistics import is_dask_collection

__all__ = ["predicts_on_dask"]


def predicts_on_dask(method):
    """Make ``method(self, X, *args, **kwargs)`` lazy, block by block, for a Dask ``X``."""

    @functools.wraps(method)
    def on_rows(self, X, *args, **kwargs):
        if not is_dask_collection(X):
            return method(self, X, *args, **kwargs)
        return _lazy_prediction(self, method.__name__, X, args, kwargs)

    return on_rows


# ---------------------------------------------------------------- tasks (run on the workers)
def _predict_block(block, estimator, name, args, kwargs, empty):
    """The in-memory prediction of one block of rows, stacked into one array (``empty``: no rows)."""
    if block.shape[0] == 0:  # validate_data refuses zero rows; a filtered partition may have none
        return empty
    return _stacked(getattr(estimator, name)(block, *args, **kwargs))


def _predict_partition(part, estimator, name, args, kwargs, empty, columns):
    """``_predict_block`` of one pandas partition, indexed as the partition."""
    import pandas as pd

    values = _predict_block(part, estimator, name, args, kwargs, empty)
    if columns is None:
        return pd.Series(values, index=part.index)
    return pd.DataFrame(values, index=part.index, columns=columns)


def _column(frame, j):
    """Column ``j`` of a partition, as an unnamed Series (one output of a tuple)."""
    return frame.iloc[:, j].rename(None)


def _stacked(result):
    """A method's result as one array: a tuple of (m,) arrays becomes their (m, k) columns."""
    if isinstance(result, tuple):
        return np.column_stack(result)
    return np.asarray(result)


# ---------------------------------------------------------------- the graph (on the client)
def _prediction_copy(estimator):
    """A shallow copy with what prediction reads: a posterior's draws, no training rows, no MAP."""
    slim = copy.copy(estimator)
    if hasattr(estimator, "_posterior"):  # a posterior estimator: its draws only (idata_ not assembled)
        import arviz as az  # the posterior estimators' dependency; model/ imports it only here

        slim.idata_ = az.InferenceData(posterior=estimator._posterior())
    if getattr(estimator, "map_", None) is not None:
        slim.map_ = None
    return slim


def _check_arguments(owner, args, kwargs):
    """Per-row arguments (exposure, offset) are refused with a Dask X: they would need aligning."""
    for name, value in [(f"argument {i + 2}", v) for i, v in enumerate(args)] + list(kwargs.items()):
        if is_dask_collection(value) or np.ndim(value) > 0:
            raise ValueError(
                f"{owner}: {name} is given per row, which a Dask X does not take yet. Predict "
                "without it (the expected value per unit exposure), or on rows in memory "
                "(X.compute())."
            )


def _check_columns(estimator, X, owner):
    """The number of columns (and, for a DataFrame, their names) the estimator was fitted on."""
    expected = estimator.n_features_in_
    names = getattr(estimator, "feature_names_in_", None)
    if hasattr(X, "columns"):  # a dask DataFrame
        columns = list(X.columns)
        if names is not None and columns != list(names):
            missing = [c for c in names if c not in columns]
            extra = [c for c in columns if c not in list(names)]
            raise ValueError(
                f"{owner}: X's columns must be the fitted feature_names_in_ in the same order; "
                f"missing {missing}, unexpected {extra}. Pass X[list(model.feature_names_in_)]."
            )
        n_columns = len(columns)
    else:
        if X.ndim != 2:
            raise ValueError(f"{owner}: X must be 2-D (n_samples, n_features), got a {X.ndim}-D "
                             "Dask collection; pass X[:, None] (an array) or X.to_frame() (a "
                             "Series) for a single feature.")
        n_columns = X.shape[1]
        if len(X.chunks[1]) > 1:
            raise ValueError(
                f"{owner}: X's columns are split into {len(X.chunks[1])} chunks, but each block "
                "must hold whole rows. Pass X.rechunk({1: -1}) (one chunk of columns)."
            )
    if n_columns != expected:
        raise ValueError(f"{owner}: X has {n_columns} features, but the model was fitted on "
                         f"{expected}; pass X with the fitted model's {expected} columns.")


def _probe(estimator, name, X, args, kwargs):
    """The method's result on one row of zeros: the shape and dtype of the outputs."""
    p = estimator.n_features_in_
    if hasattr(X, "columns"):
        import pandas as pd

        row = pd.DataFrame(np.zeros((1, p)), columns=list(X.columns))
    else:
        row = np.zeros((1, p))
    result = getattr(estimator, name)(row, *args, **kwargs)
    return _stacked(result), isinstance(result, tuple)


def _lazy_prediction(estimator, name, X, args, kwargs):
    import dask

    from sklearn.utils.validation import check_is_fitted

    owner = f"{type(estimator).__name__}.{name}"
    check_is_fitted(estimator)
    _check_arguments(owner, args, kwargs)
    _check_columns(estimator, X, owner)
    slim = _prediction_copy(estimator)
    probe, is_tuple = _probe(slim, name, X, args, kwargs)
    empty = probe[:0]
    shipped = dask.delayed(slim, pure=False)  # one copy in the graph, shared by every block
    if hasattr(X, "columns"):
        return _on_frame(X, shipped, name, args, kwargs, empty, is_tuple, estimator)
    return _on_array(X, shipped, name, args, kwargs, empty, is_tuple)


def _on_array(X, shipped, name, args, kwargs, empty, is_tuple):
    import dask.array as da

    meta = np.empty((0,) * empty.ndim, dtype=empty.dtype)
    if empty.ndim == 1:
        out = da.map_blocks(_predict_block, X, shipped, name, args, kwargs, empty, drop_axis=1,
                            dtype=empty.dtype, meta=meta, token=f"bayesreg-{name}")
    else:
        out = da.map_blocks(_predict_block, X, shipped, name, args, kwargs, empty,
                            chunks=(X.chunks[0], (empty.shape[1],)), dtype=empty.dtype, meta=meta,
                            token=f"bayesreg-{name}")
    if is_tuple:
        return tuple(out[:, j] for j in range(empty.shape[1]))
    return out


def _on_frame(X, shipped, name, args, kwargs, empty, is_tuple, estimator):
    import pandas as pd

    if empty.ndim == 1:
        columns, meta = None, pd.Series(empty, dtype=empty.dtype)
    else:
        classes = getattr(estimator, "classes_", None)
        width = empty.shape[1]
        columns = list(classes) if not is_tuple and classes is not None and len(classes) == width \
            else list(range(width))
        meta = pd.DataFrame(empty, columns=columns)
    out = X.map_partitions(_predict_partition, shipped, name, args, kwargs, empty, columns,
                           meta=meta, enforce_metadata=False)
    if is_tuple:
        return tuple(out.map_partitions(_column, j, meta=pd.Series(empty[:, j], dtype=empty.dtype))
                     for j in range(empty.shape[1]))
    return out
