"""The explorer's MAP: the path over the scale grid and the MAP state at one scale.

:class:`MapExplorerMethods` is mixed into
:class:`~bayesreg.widgets.scale_explorer.ScaleExplorer` (it needs ``family``,
``scale_range``, ``n_path``, the data, ``likelihood``, ``sigma``, ``_lock``,
``_paths`` and ``_states``).  A family without a MAP (the horseshoe family, the
spike-and-slab) gets the posterior-only state of :mod:`._posterior_only`.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from ..map import map_path
from ._explorer_data import scale_key
from ._likelihood_choice import map_estimator
from ._posterior_only import posterior_only_map_state
from ._prior_choice import family_prior
from ._readout import penalty_readout

__all__ = ["MapExplorerMethods"]


class MapExplorerMethods:
    """ScaleExplorer's methods for the MAP and its penalty readout."""

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

    def map_state(self, scale):
        """Scale, prior, penalty readout and MAP at ``scale`` (cached): the fast part."""
        return self._map_state(self.family, scale)

    def _map_state(self, family, scale):
        scale = scale_key(scale)
        key = (family, scale)
        with self._lock:
            cached = self._states.get(key)
        if cached is not None:
            return dict(cached)
        prior = family_prior(family, scale)
        if not prior.has_map:  # the horseshoe: no MAP, no penalty, the posterior only
            return posterior_only_map_state(prior, family, scale, self.likelihood, self.sigma,
                                            self.sigma_fixed, self.n_samples)
        readout = penalty_readout(
            prior, n_samples=self.n_samples, sigma=self.sigma, y_sd=float(np.std(self.y)),
            likelihood=self.likelihood,
        )
        fit = map_estimator(prior, self.likelihood, self.sigma, self.standardize).fit(self.X, self.y)
        penalty = (readout["sklearn"] or {})
        state = {
            "scale": scale,
            "prior": prior,
            "prior_kind": family[0],
            "likelihood": self.likelihood.name,
            "likelihood_label": self.likelihood.label,
            "l1_ratio": family[1],
            "sigma": self.sigma,
            "sigma_fixed": self.sigma_fixed,
            "n_samples": self.n_samples,
            # None where no library penalty equals the prior (not an L1/L2 penalty)
            "estimator": penalty.get("estimator"),
            "alpha": penalty.get("alpha"),
            "glmnet_lambda": (readout["glmnet"] or {}).get("lambda"),
            "logistic_C": (readout["logistic"] or {}).get("C"),
            "penalties": {k: readout[k] for k in ("sklearn", "glmnet", "logistic")},
            "formulas": readout["formulas"],
            "has_map": True,
            "map_coef": np.ravel(fit.coef_),
            "map_intercept": float(np.ravel(fit.intercept_)[0]),
        }
        with self._lock:
            self._states[key] = state
        return dict(state)


def _with_names(path, names):
    return dataclasses.replace(path, feature_names=list(names))
