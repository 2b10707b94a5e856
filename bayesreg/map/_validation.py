"""Training-data validation with a fast path for the common float DataFrame.

scikit-learn's ``validate_data`` on a pandas DataFrame spends about 1.3 ms on
dataframe-protocol detection (narwhals, ``inspect.getattr_static``) before it
reaches the array: more than a Gibbs fit's draws cost on the diabetes data, and
paid on every refit under a widget's slider. A DataFrame whose columns are all
float64 and whose column names are all strings becomes exactly its values and
its names under ``validate_data``; so such a frame is validated as its array
(finiteness, shape, ``n_features_in_``, y's checks: all scikit-learn's), and
``feature_names_in_`` is set to its names, as scikit-learn would set them. When
the regressors' own checks (``y_numeric=True, dtype=float64``) find nothing to
change or refuse (finite values, one y per row), the arrays are returned as they
are without calling scikit-learn at all; any other case goes through it, errors
included.
Anything else (other dtypes, non-string names, a y that is not a float64
Series or array) goes through ``validate_data`` unchanged.
"""

from __future__ import annotations

import numpy as np
from sklearn.utils.validation import validate_data

__all__ = ["validate_training_data"]


def _plain_float_frame(X):
    """``(values, names)`` of a DataFrame of float64 columns with string names, else None."""
    try:
        import pandas as pd
    except ImportError:  # pragma: no cover - pandas comes with arviz
        return None
    if type(X) is not pd.DataFrame or X.shape[1] == 0:
        return None
    names = X.columns
    if not all(type(name) is str for name in names):  # as scikit-learn: np.str_ gives no names
        return None
    if not all(dtype == np.float64 for dtype in X.dtypes):  # excludes extension and object dtypes
        return None
    return X.to_numpy(dtype=np.float64), np.asarray(names, dtype=object)


def _plain_float_target(y):
    """A float64 pandas Series or 1-D float64 array as its values, else None."""
    try:
        import pandas as pd
    except ImportError:  # pragma: no cover
        return None
    if type(y) is pd.Series and y.dtype == np.float64:
        return y.to_numpy()
    if type(y) is np.ndarray and y.ndim == 1 and y.dtype == np.float64:
        return y
    return None


def validate_training_data(estimator, X, y, **check_params):
    """``validate_data(estimator, X, y, **check_params)`` (reset=True), fast for float DataFrames.

    Returns the validated ``X, y`` and sets ``n_features_in_`` and, for a
    DataFrame with string column names, ``feature_names_in_``: the same
    arrays and attributes as scikit-learn's ``validate_data``.
    """
    frame = _plain_float_frame(X)
    target = None if frame is None else _plain_float_target(y)
    if frame is None or target is None:
        return validate_data(estimator, X, y, **check_params)
    values, names = frame
    if check_params == _PLAIN_CHECKS and _valid_as_is(values, target):
        # what validate_data returns and sets for such arrays, without its ~0.4 ms of checks
        estimator.n_features_in_ = values.shape[1]
        estimator.feature_names_in_ = names
        return values, target
    X, y = validate_data(estimator, values, target, **check_params)  # its checks and errors
    estimator.feature_names_in_ = names
    return X, y


#: The checks the regressors' fit asks for; other checks take scikit-learn's path.
_PLAIN_CHECKS = {"y_numeric": True, "dtype": np.float64}


def _valid_as_is(values, target):
    """True when ``validate_data(values, target, y_numeric=True, dtype=float64)`` would return
    both unchanged: a non-empty 2-D float64 X, a 1-D float64 y of its length, all finite.
    Anything else (NaN, inf, no rows...) goes to scikit-learn, which raises its own error."""
    return (values.ndim == 2 and values.shape[0] >= 1 and values.shape[1] >= 1
            and target.shape == (values.shape[0],) and target.flags.c_contiguous  # column_or_1d copies
            and bool(np.isfinite(values).all()) and bool(np.isfinite(target).all()))
