"""Saving and loading fitted posteriors as netCDF: data and JSON, never pickle or eval."""

from __future__ import annotations

import contextlib
import json
import os
import secrets

import arviz as az
import numpy as np
from sklearn.base import is_classifier

from ..model._params import check_params
from ..model.likelihoods import likelihood_from_dict, likelihood_to_dict
from ..model.registry import prior_from_dict, prior_to_dict
from ._training_data import training_data
from .samplers import SAMPLERS, resolve_sampler

__all__ = ["load", "save"]

FORMAT = "bayesreg-posterior/1"
_ATTR = "bayesreg"
#: The only classes a file may name (by string; nothing is imported by name).
ESTIMATORS = ("PosteriorRegressor", "PosteriorClassifier")


def save(estimator, path):
    """Write ``estimator.idata_`` with the estimator's parameters as a JSON attribute.

    Everything is checked and serialised before any file is opened, and the
    file is written under a temporary name in the same directory, then renamed
    over ``path`` (atomic): a save that fails leaves a file already at ``path``
    untouched and no partial file behind.
    """
    owner = type(estimator).__name__
    params = estimator.get_params()
    check_params(params, owner)  # what load would refuse is refused here
    params["prior"] = prior_to_dict(params["prior"])
    if params.get("sigma_prior") is not None:
        params["sigma_prior"] = prior_to_dict(params["sigma_prior"])
    if "likelihood" in params:
        params["likelihood"] = likelihood_to_dict(params["likelihood"])
    feature_names = (
        [str(f) for f in estimator.feature_names_in_] if hasattr(estimator, "feature_names_in_") else None
    )
    _check_storable_names(estimator.idata_.posterior["feature"].values, owner)
    meta = {
        "format": FORMAT,
        "estimator": owner,
        "params": params,
        "diagnostics": estimator.diagnostics_,
        "sampler": estimator.sampler_,
        "feature_names_in": feature_names,
        "classes": np.asarray(estimator.classes_).tolist() if hasattr(estimator, "classes_") else None,
    }
    idata = estimator.idata_.copy()
    idata.posterior.attrs[_ATTR] = json.dumps(meta, default=_plain)
    _write_atomically(idata, os.fspath(path))


def _check_storable_names(names, owner):
    """Feature names become netCDF strings: text without NUL characters, encodable as UTF-8."""
    for name in names:
        problem = None
        if isinstance(name, str):
            name = str(name)  # np.str_ prints as np.str_('...')
        if not isinstance(name, str):
            problem = f"is a {type(name).__name__}, not a string"
        elif "\x00" in name:
            problem = "contains a NUL character ('\\x00')"
        else:
            try:
                name.encode("utf-8")
            except UnicodeEncodeError:
                problem = "is not valid Unicode text (a lone surrogate)"
        if problem:
            raise ValueError(
                f"{owner}.save: the feature name {name!r} {problem}, which a netCDF file "
                "cannot store. Rename the column (e.g. X.columns = X.columns.str.replace("
                "'\\x00', '')), refit and save again."
            )


def _write_atomically(idata, path):
    """Write to a new file beside ``path`` and rename it over ``path`` only once complete."""
    directory, base = os.path.split(os.path.abspath(path))
    temp = os.path.join(directory, f".{base}.{secrets.token_hex(6)}.tmp")
    # O_EXCL: never reuse a file someone else made; mode 0o666 minus the umask, as a plain open
    os.close(os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
    try:
        idata.to_netcdf(temp)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.remove(temp)
        raise


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
        prior = params.get("prior")
        # a saved prior is a dict; anything else gets the same words from the checks as fit
        params["prior"] = prior_from_dict(prior) if isinstance(prior, dict) else prior
        if isinstance(params.get("sigma_prior"), dict):
            params["sigma_prior"] = prior_from_dict(params["sigma_prior"])
        if isinstance(params.get("likelihood"), dict):
            params["likelihood"] = likelihood_from_dict(params["likelihood"])
        estimator = cls(**params)
        try:
            estimator._check_params()  # the same checks as fit
        except ImportError:  # a file sampled with an optional sampler loads without it
            pass
        X, y = training_data(idata)  # the rows, or (SufficientStatistics, None)
        estimator.n_features_in_ = X.n_features if y is None else X.shape[1]
        if meta["feature_names_in"] is not None:
            estimator.feature_names_in_ = np.asarray(meta["feature_names_in"], dtype=object)
        if meta["classes"] is not None:
            estimator.classes_ = np.asarray(meta["classes"])
        _check_diagnostics(meta["diagnostics"])
        _check_consistent(estimator, idata, X, y)
        del idata.posterior.attrs[_ATTR]
        idata.attrs["sampler"] = _sampler_that_ran(meta, estimator)
        estimator._set_results(idata, meta["diagnostics"])
    except (AttributeError, KeyError, TypeError, ValueError) as exc:
        raise ValueError(
            f"{path!r} is a damaged or edited bayesreg posterior file ({type(exc).__name__}: "
            f"{exc}). Save the model again with {cls.__name__}.save(path)."
        ) from None
    estimator.map_ = estimator._fit_map(X, estimator._map_target(y))
    return estimator


def _sampler_that_ran(meta, estimator):
    """The saved ``sampler_``; files written before it existed name the sampler in their params."""
    sampler = meta.get("sampler")
    if sampler is None:  # "auto" did not exist then, so the parameter is the sampler that ran
        sigma = getattr(estimator, "sigma", None)
        sampler = resolve_sampler(estimator.sampler, estimator.prior, estimator._likelihood,
                                  sigma is not None)
    if sampler not in SAMPLERS or sampler == "auto":
        raise ValueError(f"sampler {sampler!r} is not one of {SAMPLERS[1:]}")
    return sampler


#: The diagnostics every fit records (warn_on_problems reads them).
_DIAGNOSTIC_KEYS = ("divergences", "max_r_hat", "min_ess_bulk", "min_ess_tail")


def _check_diagnostics(diagnostics):
    """A dict of numbers (NaN allowed) with at least the keys a fit records."""
    if not isinstance(diagnostics, dict):
        raise ValueError(f"diagnostics must be a dict of numbers, got {diagnostics!r}")
    missing = [key for key in _DIAGNOSTIC_KEYS if key not in diagnostics]
    if missing:
        raise ValueError(f"diagnostics lacks {missing}")
    for key, value in diagnostics.items():
        if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))):
            raise ValueError(f"diagnostics[{key!r}] must be a number, got {value!r}")


def _check_consistent(estimator, idata, X, y):
    """The groups and the metadata describe one model (a hand-edited file may not)."""
    n_features = idata.posterior.sizes.get("feature")
    columns = X.shape[1] if y is not None else X.n_features
    if n_features != columns:
        raise ValueError(f"coef has {n_features} features but X has {columns} columns")
    names = getattr(estimator, "feature_names_in_", None)
    if names is not None and len(names) != n_features:
        raise ValueError(f"{len(names)} feature names for {n_features} features")
    if y is not None and len(y) != X.shape[0]:
        raise ValueError(f"y has {len(y)} rows but X has {X.shape[0]}")
    if ("intercept" in idata.posterior) != bool(estimator.fit_intercept):
        raise ValueError(f"fit_intercept={estimator.fit_intercept} but the posterior "
                         f"{'has' if 'intercept' in idata.posterior else 'has no'} intercept")
    if is_classifier(estimator) and len(getattr(estimator, "classes_", ())) != 2:
        raise ValueError(f"a {type(estimator).__name__} file must name exactly 2 classes")
