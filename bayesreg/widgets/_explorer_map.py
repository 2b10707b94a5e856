"""The explorer's MAP path over the scale grid (a part of ScaleExplorer).

:class:`MapExplorerMethods` is mixed into
:class:`~bayesreg.widgets.scale_explorer.ScaleExplorer` (it needs ``family``,
``scale_range``, ``n_path``, the data, ``likelihood``, ``sigma``, ``_lock``,
``_paths``).  A family without a MAP (the horseshoe family, the spike-and-slab)
has no path; its posterior band is drawn on the same grid of scales.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from ..map import map_path
from ._prior_choice import family_prior

__all__ = ["MapExplorerMethods"]


class MapExplorerMethods:
    """ScaleExplorer's methods for the MAP path (the MAP state at one scale is its own)."""

    @property
    def has_map(self):
        """Whether the current family has a MAP (the horseshoe has none: posterior only)."""
        return self._has_map(self.family)

    def _has_map(self, family):
        return family_prior(family, 1.0).has_map  # the family says so

    def _grid(self, family):
        """The scales of the path and of the posterior band (``n_path``, log-spaced)."""
        path = self._path(family)
        if path is not None:
            return np.asarray(path.scales, dtype=float)
        lo, hi = self.scale_range
        return np.geomspace(lo, hi, self.n_path)

    # ---------------------------------------------------------------- MAP
    def path(self):
        """The MAP path of the current family over ``n_path`` log-spaced scales (cached);
        None for a family without a MAP (the horseshoe)."""
        return self._path(self.family)

    def _path(self, family):
        if not self._has_map(family):
            return None
        with self._lock:
            cached = self._paths.get(family)
        if cached is None:
            lo, hi = self.scale_range
            scales = np.geomspace(lo, hi, self.n_path)
            cached = map_path(self.X, self.y, family_prior(family, 1.0), scales, sigma=self.sigma,
                              likelihood=self.likelihood, standardize=self.standardize)
            cached = _with_names(cached, self.feature_names)
            with self._lock:
                self._paths[family] = cached
        return cached


def _with_names(path, names):
    return dataclasses.replace(path, feature_names=list(names))
