"""The checks behind the explorer's and the comparison's input: data, l1_ratio, posteriors.

Each check returns the value in the form the views use or raises a ValueError
that names the problem and the fix; none changes any state.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from sklearn.utils.validation import check_array, check_consistent_length, column_or_1d

from ..model._checks import check_bool, check_unit_interval
from ..model.column_scaling import ColumnScaling
from ..model.likelihoods import get_likelihood
from ..model.priors import Prior

__all__ = [
    "MAGNITUDE_LIMIT", "check_data", "check_l1_ratio", "check_posterior", "default_scale_range",
    "scale_key",
]

#: Largest spread (and ratio of spreads) of X and y the views accept: they square X (the
#: gram matrix) and the prior scales (~ sd(y) / sd(x)), which must stay far inside float64.
MAGNITUDE_LIMIT = 1e50


def scale_key(scale):
    """A scale rounded to 6 significant digits: the key of the views' caches."""
    return float(f"{float(scale):.6g}")


def check_data(X, y):
    """X, y as float arrays plus feature names, or a ValueError that says what is wrong."""
    columns = getattr(X, "columns", None)
    if columns is not None:
        numeric = [c for c in columns if pd.api.types.is_numeric_dtype(X[c])]
        bad = [str(c) for c in columns if c not in numeric]
        if bad:
            raise ValueError(
                f"X has non-numeric column(s) {bad}: the explorer needs numbers. Encode "
                "them first (e.g. pandas.get_dummies) or drop them."
            )
    names = [str(c) for c in columns] if columns is not None else None
    try:
        X = check_array(X, dtype=np.float64, ensure_min_samples=3, ensure_min_features=1)
        y = column_or_1d(check_array(y, ensure_2d=False, dtype=np.float64), warn=False)
        check_consistent_length(X, y)
    except ValueError as exc:
        message = str(exc)
        if "could not convert" in message:
            message = f"X or y holds values that are not numbers ({message})."
        raise ValueError(message) from None
    if names is None:
        names = [f"x{j}" for j in range(X.shape[1])]
    _check_magnitudes(X, y, names)
    return X, y, names


def _spread(A):
    """Column standard deviations computed without squaring tiny or huge numbers."""
    centred = A - A.mean(axis=0)
    biggest = np.max(np.abs(centred), axis=0)
    unit = np.where(biggest > 0, biggest, 1.0)
    return biggest * np.sqrt(np.mean((centred / unit) ** 2, axis=0))


def _check_magnitudes(X, y, names):
    """A ValueError when X or y are on scales whose squares float64 cannot hold."""
    with np.errstate(over="ignore", under="ignore", invalid="ignore", divide="ignore"):
        sd_x = _spread(X)
        sd_y = float(_spread(y[:, None])[0])
        ratios = sd_y / np.where(sd_x > 0, sd_x, 1.0) if sd_y > 0 else np.ones_like(sd_x)
    lo, hi = 1.0 / MAGNITUDE_LIMIT, MAGNITUDE_LIMIT
    bad_x = [n for n, s in zip(names, sd_x) if s > 0 and not lo <= s <= hi]
    bad_ratio = [n for n, r in zip(names, ratios) if not lo <= r <= hi]
    fix = (
        " The prior-scale views square X and the prior scales (about sd(y)/sd(x)) in float64, "
        f"which over- or underflows for spreads beyond {lo:g} to {hi:g}. Rescale: "
        "standardise the columns of X (e.g. (X - X.mean()) / X.std()) and/or express y in "
        "other units."
    )
    if bad_x:
        spread = ", ".join(f"{s:.3g}" for s in sd_x[[names.index(n) for n in bad_x]][:5])
        raise ValueError(
            f"X's column(s) {bad_x[:5]} have standard deviation(s) {spread}, out of range."
            + fix
        )
    if sd_y > 0 and not lo <= sd_y <= hi:
        raise ValueError(f"y has standard deviation {sd_y:.3g}, out of range." + fix)
    if bad_ratio:
        raise ValueError(
            f"sd(y) / sd(x) is out of range for column(s) {bad_ratio[:5]} (sd(y) = "
            f"{sd_y:.3g})." + fix
        )


def check_l1_ratio(l1_ratio):
    """``l1_ratio`` as a float in [0, 1], or a ValueError naming the problem and the fix.

    The shared check's wording; a value that is not a number is a ValueError
    here too, the explorer's documented contract for a bad control value.
    """
    try:
        return check_unit_interval(l1_ratio, "l1_ratio", "the explorer",
                                   "0: Normal/ridge, 1: Laplace/lasso")
    except TypeError as exc:
        raise ValueError(str(exc)) from None


def default_scale_range(X, y, sigma):
    """Prior scales a path should cover, rounded outwards to half decades.

    From a tenth of the scale at which the lasso MAP is all zeros
    (``sigma**2 / max|x_j^T (y - mean y)|``) to 100 times the largest
    least-squares coefficient.
    """
    Xc = X - X.mean(axis=0)
    yc = y - y.mean()
    corr = np.max(np.abs(Xc.T @ yc))
    zero_scale = sigma**2 / corr if corr > 0 else 1.0
    ols = np.linalg.lstsq(Xc, yc, rcond=None)[0]
    big = np.max(np.abs(ols)) if np.any(ols) else 1.0
    lo = 10 ** (math.floor(2 * math.log10(zero_scale / 10)) / 2)
    hi = 10 ** (math.ceil(2 * math.log10(100 * big)) / 2)
    return lo, max(hi, 100 * lo)


def column_scaling(X, standardize, feature_names):
    """``(standardize, ColumnScaling)``: the explorer's checked ``standardize`` and its scaling."""
    standardize = check_bool(standardize, "standardize", "ScaleExplorer")
    return standardize, ColumnScaling(X, standardize, "ScaleExplorer", feature_names)


def check_posterior(posterior, X, y, sigma, standardize=False, likelihood=None):
    """The fixed-scale prior of a fitted PosteriorRegressor fit on (X, y) with ``sigma``.

    ``sigma`` is the explorer's fixed noise sd, or None when it is learned;
    ``standardize`` and ``likelihood`` the explorer's (the posterior must have the same;
    None: the Gaussian).
    Raises a ValueError naming what differs (and how to fit it instead).
    """
    prior = getattr(posterior, "prior", None)
    coef = getattr(posterior, "idata_", None)
    if coef is None or not isinstance(prior, Prior) or prior.is_hierarchical:
        raise ValueError(
            "posterior must be a fitted PosteriorRegressor with a fixed-scale prior."
        )
    if posterior.n_features_in_ != X.shape[1]:
        raise ValueError(
            f"posterior was fitted on {posterior.n_features_in_} features; the explorer "
            f"has {X.shape[1]}."
        )
    fitted_sigma = getattr(posterior, "sigma", None)  # a classifier has none
    if not posterior.fit_intercept or fitted_sigma != sigma:
        raise ValueError(
            f"posterior was fitted with fit_intercept={posterior.fit_intercept}, "
            f"sigma={fitted_sigma!r}; the explorer's model has fit_intercept=True, "
            f"sigma={sigma!r}. Fit it with those settings."
        )
    fitted = getattr(posterior, "_likelihood", None)
    expected = get_likelihood("gaussian" if likelihood is None else likelihood)
    if fitted is not None and fitted != expected:
        raise ValueError(
            f"posterior was fitted with the {fitted.label} likelihood; the explorer's is "
            f"{expected.label}. Fit it with likelihood={expected.name!r}."
        )
    if bool(getattr(posterior, "standardize", False)) != standardize:
        raise ValueError(
            f"posterior was fitted with standardize={posterior.standardize}; the explorer "
            f"has standardize={standardize}. Fit it with the explorer's setting."
        )
    same_data = (
        "X" in posterior.idata_.constant_data  # a fit on SufficientStatistics holds no rows
        and np.array_equal(posterior.idata_.constant_data["X"].values, X)
        and np.array_equal(posterior.idata_.observed_data["y"].values, y)
    )
    if not same_data:
        raise ValueError("posterior was fitted on other data than the explorer's X and y.")
    return prior
