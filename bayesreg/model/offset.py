r"""The known part of the linear predictor: ``offset = log(exposure)``.

A count observed over a time, an area or a population of size :math:`E_i` has
the rate model :math:`\mu_i = E_i\, e^{b_0 + x_i^\top w}`, i.e. the linear
predictor :math:`\eta_i = \log E_i + b_0 + x_i^\top w` with a coefficient fixed
at 1 on :math:`\log E_i`.  Estimators take either ``exposure=`` or
``offset=`` (not both) in ``fit`` and ``predict``; only a likelihood with
``accepts_offset`` (Poisson) takes one.
"""

from __future__ import annotations

import numpy as np

__all__ = ["check_offset"]


def check_offset(likelihood, exposure, offset, n_samples, owner):
    """The offset as a float array of shape (n_samples,), or None when neither is given.

    Parameters
    ----------
    likelihood : Likelihood
    exposure, offset : array-like of shape (n_samples,) or None
        At most one of them; ``offset = log(exposure)``.
    n_samples : int
        The number of rows of X.
    owner : str
        The caller, e.g. ``"MAPRegressor.fit"``, which every error starts with.

    Raises
    ------
    ValueError
        For both given, a likelihood without an offset, a wrong length, a
        non-finite value, or an exposure that is not > 0.
    """
    if exposure is None and offset is None:
        return None
    if exposure is not None and offset is not None:
        raise ValueError(
            f"{owner}: pass exposure= or offset= (offset = log(exposure)), not both."
        )
    if not likelihood.accepts_offset:
        raise ValueError(
            f"{owner}: the {likelihood.label} likelihood takes no exposure or offset; "
            "they are for count likelihoods such as likelihood='poisson'."
        )
    what = "exposure" if exposure is not None else "offset"
    try:
        values = np.asarray(exposure if exposure is not None else offset, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{owner}: {what} must be an array of numbers, one per row.") from None
    values = values.reshape(-1) if values.ndim == 2 and 1 in values.shape else values
    if values.shape != (n_samples,):
        raise ValueError(
            f"{owner}: {what} must have one value per row of X ({n_samples}), got shape "
            f"{values.shape}."
        )
    if not np.all(np.isfinite(values)):
        bad = np.flatnonzero(~np.isfinite(values))[:5]
        raise ValueError(
            f"{owner}: {what} has non-finite values (nan or inf) at rows {bad.tolist()}; "
            f"every {what} must be a finite number."
        )
    if exposure is None:
        return values
    if np.any(values <= 0):
        bad = np.flatnonzero(values <= 0)[:5]
        raise ValueError(
            f"{owner}: exposure must be > 0 (the time, area or population counted over), "
            f"got {values[bad].tolist()} at rows {bad.tolist()}; drop rows with no exposure."
        )
    return np.log(values)
