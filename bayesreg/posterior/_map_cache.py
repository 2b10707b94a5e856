"""The MAP of a posterior's model, fitted once per (data, prior, sigma, intercept).

Every posterior fit reports the MAP of the same model (``map_``). Refits of
the same model on the same data (a new seed, more draws, a widget redraw) need
not solve it again: the solvers are deterministic, so the cached fit is the
fit. The key holds a BLAKE2 digest of the training data, not the data.
"""

from __future__ import annotations

import copy
import hashlib
import threading
from collections import OrderedDict

import numpy as np

from ..model.sufficient_statistics import SufficientStatistics

__all__ = ["cached_map", "data_fingerprint"]

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
