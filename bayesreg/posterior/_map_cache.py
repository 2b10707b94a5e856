"""The MAP of a posterior's model, fitted once per (data, prior, likelihood, sigma, intercept).

Every posterior fit reports the MAP of the same model (``map_``). Refits of
the same model on the same data (a new seed, more draws, a widget redraw) need
not solve it again: the solvers are deterministic, so the cached fit is the
fit. The key holds a BLAKE2 digest of the training data, not the data.
"""

from __future__ import annotations

import copy
import hashlib
import threading
import warnings
from collections import OrderedDict

import numpy as np

from ..model.sufficient_statistics import SufficientStatistics

__all__ = ["SameModelMAP", "cached_map", "data_fingerprint"]

_CACHE_SIZE = 16
_lock = threading.Lock()
_cache = OrderedDict()


def data_fingerprint(*arrays):
    """A hex digest of the shapes, dtypes and bytes of ``arrays`` (e.g. the validated X and y)."""
    digest = hashlib.blake2b(digest_size=16)
    if arrays and isinstance(arrays[0], SufficientStatistics):  # (stats, None): their numbers
        stats = arrays[0]
        arrays = (stats.xtx, stats.xty, stats.x_mean, np.array([stats.n_samples, stats.y_mean, stats.yty]),
                  np.array(repr(stats.feature_names)))
    for array in arrays:
        array = np.ascontiguousarray(array)
        digest.update(f"{array.dtype.str}{array.shape}".encode())
        digest.update(memoryview(array).cast("B"))
    return digest.hexdigest()


def cached_map(key, fit):
    """The MAP model for ``key``, from the cache or from ``fit()`` (None results are not kept).

    A copy is returned, so one posterior's ``map_`` never aliases another's.
    """
    with _lock:
        model = _cache.get(key)
        if model is not None:
            _cache.move_to_end(key)
            return copy.deepcopy(model)
    model = fit()
    if model is not None:
        with _lock:
            _cache[key] = copy.deepcopy(model)
            while len(_cache) > _CACHE_SIZE:
                _cache.popitem(last=False)
    return model


class SameModelMAP:
    """The posterior estimators' ``map_``: the MAP estimator of the same model, cached.

    A mixin; the estimator provides ``_map_estimator()`` (an unfitted MAP estimator).
    """

    def _cached_map(self, X, y, sigma, offset=None):
        """:meth:`_fit_map`, solved once per data, prior, sigma and intercept (see ``_map_cache``)."""
        if not self.prior.has_map or self.prior.is_hierarchical:
            return None
        names = getattr(self, "feature_names_in_", None)
        key = (
            type(self).__name__, repr(self.prior), repr(self._likelihood), sigma,
            bool(self.fit_intercept),
            bool(self.standardize),
            None if names is None else tuple(str(f) for f in names),
            repr(np.asarray(getattr(self, "classes_", ())).tolist()),
            data_fingerprint(X, y, *(() if offset is None else (offset,))),
        )
        return cached_map(key, lambda: self._fit_map(X, self._map_target(y), offset))

    def _map_target(self, y):
        """The y the MAP estimator is fitted on (the classifier's own labels, not 0/1)."""
        return y

    def _fit_map(self, X, y, offset=None):
        """The MAP of the same model, or None where it is not defined or cannot be fitted."""
        if not self.prior.has_map or self.prior.is_hierarchical:
            return None
        try:
            map_model = self._map_estimator().fit(X, y, **({} if offset is None else {"offset": offset}))
        except ValueError as exc:  # e.g. sigma=None with too few samples to estimate it
            warnings.warn(
                f"{type(self).__name__}: the MAP of the same model could not be fitted "
                f"({exc}); map_ is None and summary() has no MAP column values.",
                UserWarning,
                stacklevel=4,
            )
            return None
        if hasattr(self, "feature_names_in_"):
            # fitted on the validated array; it predicts on the same DataFrames as self
            map_model.feature_names_in_ = self.feature_names_in_
        return map_model
