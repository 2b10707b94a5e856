"""Saving and loading fitted posteriors as netCDF: data and JSON, never pickle or eval."""

from __future__ import annotations

import json
import os

import arviz as az
import numpy as np

from ..priors import prior_from_dict, prior_to_dict

__all__ = ["load", "save"]

FORMAT = "bayesreg-posterior/1"
_ATTR = "bayesreg"
#: The only classes a file may name (by string; nothing is imported by name).
ESTIMATORS = ("PosteriorRegressor", "PosteriorClassifier")


def save(estimator, path):
    """Write ``estimator.idata_`` with the estimator's parameters as a JSON attribute."""
    params = estimator.get_params()
    params["prior"] = prior_to_dict(params["prior"])
    meta = {
        "format": FORMAT,
        "estimator": type(estimator).__name__,
        "params": params,
        "diagnostics": estimator.diagnostics_,
        "feature_names_in": (
            [str(f) for f in estimator.feature_names_in_]
            if hasattr(estimator, "feature_names_in_") else None
        ),
        "classes": np.asarray(estimator.classes_).tolist() if hasattr(estimator, "classes_") else None,
    }
    idata = estimator.idata_.copy()
    idata.posterior.attrs[_ATTR] = json.dumps(meta, default=_plain)
    idata.to_netcdf(os.fspath(path))


def _plain(value):
    """JSON for numpy scalars; a Generator seed cannot be saved, so it becomes None."""
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.random.Generator):
        return None
    raise TypeError(f"cannot save {value!r} of type {type(value).__name__}")


def load(cls, path):
    """Read a file written by :func:`save` back into a fitted ``cls``."""
    path = os.fspath(path)
    if not os.path.exists(path):
        raise FileNotFoundError(f"no such file: {path!r}")
    try:
        with az.rc_context({"data.load": "eager"}):  # read everything now, close the file
            idata = az.from_netcdf(path)
        meta = json.loads(idata.posterior.attrs[_ATTR])
    except Exception as exc:  # netCDF/HDF5 raise many types for a corrupt or foreign file
        raise ValueError(
            f"{path!r} is not a posterior saved by bayesreg ({type(exc).__name__}: {exc}). "
            f"Save one with {cls.__name__}.save(path)."
        ) from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise ValueError(f"{path!r} was not written by bayesreg's save (format {FORMAT}).")
    name = meta.get("estimator")
    if name not in ESTIMATORS:
        raise ValueError(
            f"{path!r} names the estimator {name!r}; a bayesreg posterior file holds one of "
            f"{ESTIMATORS}. Nothing named in a file is ever imported or called."
        )
    if name != cls.__name__:
        raise ValueError(f"{path!r} holds a {name}; load it with {name}.load(path).")
    try:
        # only bayesreg's own classes are built, from plain values; a damaged or
        # hand-edited file fails here with the reason
        params = dict(meta["params"])
        unknown = set(params) - set(cls._get_param_names())
        if unknown:
            raise ValueError(f"unknown parameters {sorted(unknown)} for {name}")
        params["prior"] = prior_from_dict(params["prior"])
        estimator = cls(**params)
        try:
            estimator._check_params()  # the same checks as fit
        except ImportError:  # a file sampled with an optional sampler loads without it
            pass
        X = idata.constant_data["X"].values
        y = idata.observed_data["y"].values
        estimator.n_features_in_ = X.shape[1]
        if meta["feature_names_in"] is not None:
            estimator.feature_names_in_ = np.asarray(meta["feature_names_in"], dtype=object)
        if meta["classes"] is not None:
            estimator.classes_ = np.asarray(meta["classes"])
        _check_consistent(estimator, idata, X, y)
        del idata.posterior.attrs[_ATTR]
        estimator._set_results(idata, meta["diagnostics"])
    except (AttributeError, KeyError, TypeError, ValueError) as exc:
        raise ValueError(
            f"{path!r} is a damaged or edited bayesreg posterior file ({type(exc).__name__}: "
            f"{exc}). Save the model again with {cls.__name__}.save(path)."
        ) from None
    estimator.map_ = estimator._fit_map(X, estimator._map_target(y))
    return estimator


def _check_consistent(estimator, idata, X, y):
    """The groups and the metadata describe one model (a hand-edited file may not)."""
    n_features = idata.posterior.sizes.get("feature")
    if n_features != X.shape[1]:
        raise ValueError(f"coef has {n_features} features but X has {X.shape[1]} columns")
    names = getattr(estimator, "feature_names_in_", None)
    if names is not None and len(names) != n_features:
        raise ValueError(f"{len(names)} feature names for {n_features} features")
    if len(y) != X.shape[0]:
        raise ValueError(f"y has {len(y)} rows but X has {X.shape[0]}")
    if ("intercept" in idata.posterior) != bool(estimator.fit_intercept):
        raise ValueError(f"fit_intercept={estimator.fit_intercept} but the posterior "
                         f"{'has' if 'intercept' in idata.posterior else 'has no'} intercept")
    if estimator._likelihood == "bernoulli" and len(getattr(estimator, "classes_", ())) != 2:
        raise ValueError("a PosteriorClassifier file must name exactly 2 classes")
