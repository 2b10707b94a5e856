r"""Ranking the features by posterior evidence of an effect.

For every coefficient :math:`w_j`, from its posterior draws:

* ``p_sign`` -- the posterior probability of its more probable sign,
  :math:`\max\{P(w_j > 0), P(w_j < 0)\}` (0.5: no idea of the direction,
  1: every draw on one side);
* ``p_outside_zero_band`` -- :math:`P(|w_j| \ge \varepsilon_j)`, the
  probability of lying outside the practical-zero band of
  :func:`bayesreg.workflow.compare.default_practical_zero` (0.1 sd of y per sd
  of :math:`x_j`; Kruschke's region of practical equivalence); it is
  ``1 - p_practical_zero`` of :func:`bayesreg.compare`;
* ``p_inclusion`` -- only for a prior with inclusion indicators
  (``prior.has_inclusion_indicators``, e.g. a spike-and-slab): the posterior
  mean of its 0/1 indicator, the posterior variable :data:`INCLUSION_VAR`
  with dimension ``feature``;
* ``rank`` -- 1 = strongest evidence.  **Rule**: sort by ``p_inclusion``
  (where it exists), then ``p_outside_zero_band``, then ``p_sign``, then
  :math:`|\bar w_j| / \mathrm{sd}(w_j)`, each larger first; the remaining ties
  keep the order of the features.  The zero band comes first because a sign
  can be certain for an effect too small to matter; ``p_sign`` separates the
  features whose draws all lie outside the band (then both are 1, and the
  standardised mean decides).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..model.sufficient_statistics import SufficientStatistics
from ._training_data import training_data as _training_data

__all__ = [
    "INCLUSION_VAR",
    "RANKING_COLUMNS",
    "ROPE_STANDARDISED",
    "evidence_table",
    "model_evidence_table",
    "practical_zero_band",
]

#: Standardised half-width of the region of practical equivalence (Kruschke 2018).
ROPE_STANDARDISED = 0.1
#: The posterior variable (dims chain, draw, feature; values 0/1) of a prior with
#: inclusion indicators.
INCLUSION_VAR = "inclusion"
#: The ranking columns, in order (``p_inclusion`` only where the prior has indicators).
RANKING_COLUMNS = ("p_sign", "p_outside_zero_band", "rank")


def practical_zero_band(X, y, latent_sd=None):
    r"""Half-width :math:`\varepsilon_j = 0.1\,s_y/\mathrm{sd}(x_j)` of each coefficient's zero band.

    :math:`s_y` is ``latent_sd`` where the likelihood has one (the logistic
    latent variable's :math:`\pi/\sqrt3`), else :math:`\mathrm{sd}(y)`
    (1 for a constant y); a constant feature gets the band of a unit-sd one.
    """
    if isinstance(X, SufficientStatistics):  # (stats, None): the sds from the centred sums
        spread_x, spread_y = X.column_sd, X.y_sd
    else:
        spread_x, spread_y = np.asarray(X, dtype=float).std(axis=0), float(np.std(y))
    spread_y = float(latent_sd) if latent_sd is not None else spread_y
    if spread_y == 0:
        spread_y = 1.0
    spread_x = np.where(spread_x > 0, spread_x, 1.0)
    return ROPE_STANDARDISED * spread_y / spread_x


def evidence_table(coef_draws, practical_zero, feature_names, inclusion_draws=None):
    """The ranking columns of the module docstring, one row per feature.

    Parameters
    ----------
    coef_draws : ndarray of shape (S, p)
    practical_zero : ndarray of shape (p,)
        Half-width of each coefficient's zero band.
    feature_names : sequence of str
    inclusion_draws : ndarray of shape (S, p), optional
        0/1 inclusion indicators, for a prior that has them.

    Returns
    -------
    pandas.DataFrame
        Index ``feature``; columns ``p_sign``, ``p_outside_zero_band``, ``rank``
        (``p_inclusion`` before them with ``inclusion_draws``).
    """
    draws = np.asarray(coef_draws, dtype=float)
    p_sign = np.maximum(np.mean(draws > 0, axis=0), np.mean(draws < 0, axis=0))
    p_outside = np.mean(np.abs(draws) >= practical_zero, axis=0)
    sd = draws.std(axis=0, ddof=1) if draws.shape[0] > 1 else np.zeros(draws.shape[1])
    with np.errstate(divide="ignore", invalid="ignore"):
        standardised = np.where(sd > 0, np.abs(draws.mean(axis=0)) / sd, np.inf)
    columns = {}
    keys = [standardised, p_sign, p_outside]  # lexsort: the last key is the primary one
    if inclusion_draws is not None:
        columns["p_inclusion"] = np.mean(np.asarray(inclusion_draws, dtype=float), axis=0)
        keys.append(columns["p_inclusion"])
    columns["p_sign"] = p_sign
    columns["p_outside_zero_band"] = p_outside
    # np.lexsort is stable: equal keys keep the feature order
    order = np.lexsort([-np.nan_to_num(k, nan=-np.inf) for k in keys])
    rank = np.empty(draws.shape[1], dtype=int)
    rank[order] = np.arange(1, draws.shape[1] + 1)
    columns["rank"] = rank
    return pd.DataFrame(columns, index=pd.Index([str(f) for f in feature_names], name="feature"))


def model_evidence_table(model, practical_zero=None):
    """:func:`evidence_table` of a fitted posterior estimator (its draws and training data).

    ``practical_zero`` (number or array of n_features) defaults to
    :func:`practical_zero_band` of the stored training data; the inclusion
    indicators are used where ``model.prior.has_inclusion_indicators``.
    """
    idata = model.idata_
    posterior = idata.posterior
    p = posterior.sizes["feature"]
    if practical_zero is None:
        practical_zero = practical_zero_band(*_training_data(idata), model._likelihood.latent_sd)
    practical_zero = np.broadcast_to(np.asarray(practical_zero, dtype=float), (p,))
    inclusion = None
    if getattr(model.prior, "has_inclusion_indicators", False) and INCLUSION_VAR in posterior:
        inclusion = posterior[INCLUSION_VAR].values.reshape(-1, p)
    return evidence_table(
        posterior["coef"].values.reshape(-1, p), practical_zero,
        posterior["feature"].values, inclusion,
    )
