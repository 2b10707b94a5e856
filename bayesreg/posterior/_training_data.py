"""What a posterior was fitted on, as stored in ``idata_``: the rows, or their sufficient statistics.

A fit on rows keeps ``constant_data.X`` and ``observed_data.y``; a fit on
:class:`~bayesreg.model.sufficient_statistics.SufficientStatistics` keeps the
statistics in ``constant_data`` (p x p numbers), so the summary's zero band,
``load`` and the MAP of the same model work from them.
"""

from __future__ import annotations

import xarray as xr

from ..model.sufficient_statistics import SufficientStatistics

__all__ = ["statistics_dataset", "training_data"]


def statistics_dataset(stats, posterior):
    """The ``constant_data`` of a fit on :class:`SufficientStatistics`: the statistics themselves."""
    feature = posterior["feature"].values
    return xr.Dataset(
        {"xtx": (("feature", "feature_j"), stats.xtx), "xty": (("feature",), stats.xty),
         "x_mean": (("feature",), stats.x_mean), "n_samples": ((), stats.n_samples),
         "y_mean": ((), stats.y_mean), "yty": ((), stats.yty)},
        coords={"feature": feature},
    )


def training_data(idata):
    """``(X, y)`` the posterior was fitted on, or ``(SufficientStatistics, None)`` for a fit on those."""
    data = idata.constant_data
    if "X" in data:
        return data["X"].values, idata.observed_data["y"].values
    return SufficientStatistics(int(data["n_samples"].values), data["x_mean"].values,
                                float(data["y_mean"].values), data["xtx"].values, data["xty"].values,
                                float(data["yty"].values)), None
