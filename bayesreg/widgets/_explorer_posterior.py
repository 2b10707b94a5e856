"""The explorer's posterior at one scale and along the path, from what is known.

Pure functions of the data and the draws (the caching and the family live in
:class:`bayesreg.widgets.scale_explorer.ScaleExplorer`):

* the exact conjugate posterior (a Normal prior with a fixed sigma),
* a sampled posterior at its own scale,
* a sampled posterior reweighted to another scale by Pareto-smoothed
  importance sampling, with its Pareto k-hat.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from ..posterior.exact import conjugate_posterior
from ..posterior.reweight import KHAT_THRESHOLD, psis_reweight, weighted_summary

__all__ = ["exact_part", "exact_summary", "no_posterior_part", "pending_part", "sampled_part",
           "sampled_summaries", "table_on_original_scale"]


def _g4(value):
    return f"{value:.4g}"


def exact_summary(X, y, scale, sigma, hdi_prob):
    """Mean, sd and HDI bounds of the conjugate posterior at ``scale``.

    The marginals are Normal, so the HDI is the central interval
    ``mean -/+ z sd`` with ``z`` the ``(1 + hdi_prob)/2`` quantile.
    """
    mean, chol, _, _ = conjugate_posterior(X, y, scale, sigma)
    inv_chol = np.linalg.inv(chol)
    sd = np.sqrt(np.sum(inv_chol**2, axis=0))  # diag of (L L^T)^-1 = L^-T L^-1
    half = stats.norm.ppf(0.5 + hdi_prob / 2) * sd
    return mean, sd, mean - half, mean + half


def no_posterior_part(refusal=None, can_sample=True):
    """The posterior part of the state before anything was sampled for the family.

    ``refusal``: why its posterior is not drawn live (the Gibbs sampler's reason),
    said in the note so the user knows why the Sample button is needed;
    ``can_sample`` False: no sampler covers the prior with this likelihood (the
    spike-and-slab with the logistic likelihood), so the note says that instead.
    """
    note = "No posterior sampled yet for this prior: press Sample."
    if not can_sample:
        note = "No sampler covers this prior with this likelihood, so there is no posterior here."
    if refusal:
        note = f"No live posterior for this prior. {refusal} {note}"
    return {
        "posterior": None, "posterior_source": None, "source_scale": None,
        "khat": None, "ess": None, "reliable": None, "posterior_note": note,
    }


def pending_part(sampler):
    """The posterior part of the state while the live posterior at this scale is being drawn.

    Nothing of another scale: the view shows this scale's posterior when it is ready.
    """
    return {
        "posterior": None, "posterior_source": None, "source_scale": None,
        "khat": None, "ess": None, "reliable": None, "pending": True,
        "posterior_note": f"Drawing the posterior at this scale ({sampler} sampler)...",
    }


def exact_part(X, y, scale, sigma, hdi_prob, map_coef, feature_names, shown_scale=None):
    """The posterior part of the state from the closed form (compare's table layout).

    ``scale``: the Normal prior's sd (one per feature for a per-feature prior, sigma
    times the scale for one scaled by sigma); ``shown_scale``: the slider's scale.
    """
    mean, sd, low, high = exact_summary(X, y, scale, sigma, hdi_prob)
    table = pd.DataFrame(
        {"map": map_coef, "mean": mean, "median": mean, "sd": sd,
         "hdi_low": low, "hdi_high": high},
        index=pd.Index(feature_names, name="feature"),
    )
    return {
        "posterior": table, "posterior_source": "exact",
        "source_scale": scale if shown_scale is None else shown_scale,
        "khat": None, "ess": None, "reliable": True,
        "posterior_note": "Exact posterior (Normal prior, fixed sigma): closed form.",
    }


def sampled_part(draws, reff, source_prior, target_prior, map_coef, feature_names, hdi_prob,
                 sigma=None):
    """The posterior part of the state from draws sampled under ``source_prior``.

    The same prior: the draws' own summary; another scale: the draws
    reweighted to ``target_prior`` by PSIS, flagged unreliable above the
    Pareto k threshold.  A prior scaled by sigma is reweighted at the fixed
    ``sigma`` (its density at another scale depends on sigma); with sigma
    learned there is no preview.
    """
    source = source_prior.control_scale
    if source_prior == target_prior:
        table = weighted_summary(
            draws, map_coef=map_coef, feature_names=feature_names, hdi_prob=hdi_prob
        )
        return {
            "posterior": table, "posterior_source": "sampled", "source_scale": source,
            "khat": None, "ess": None, "reliable": True,
            "posterior_note": f"Sampled posterior at this scale ({len(draws)} draws).",
        }
    if source_prior.scale_by_sigma and sigma is None:
        return {**no_posterior_part(), "posterior_note": (
            f"No preview at this scale: the prior is scaled by sigma, which is learned, so "
            f"the draws at scale {_g4(source)} cannot be reweighted without sigma's draws; "
            "press Sample for this scale.")}
    rw = psis_reweight(draws, source_prior.given_sigma(sigma), target_prior.given_sigma(sigma),
                       reff=reff)
    table = weighted_summary(
        draws, rw.weights, map_coef=map_coef, feature_names=feature_names, hdi_prob=hdi_prob,
    )
    if rw.reliable:
        note = (
            f"Preview: the posterior sampled at scale {_g4(source)} reweighted by PSIS; "
            f"Pareto k = {rw.khat:.2f} <= {KHAT_THRESHOLD} (reliable)."
        )
    else:
        note = (
            f"Unreliable preview: Pareto k = {rw.khat:.2f} > {KHAT_THRESHOLD} reweighting "
            f"the posterior sampled at scale {_g4(source)}; press Sample for this scale."
        )
    return {
        "posterior": table, "posterior_source": "reweighted", "source_scale": source,
        "khat": rw.khat, "ess": rw.ess, "reliable": rw.reliable, "posterior_note": note,
    }


def sampled_summaries(draws_per_scale, hdi_prob):
    """Mean, median, sd and HDI bounds (scales x features) of posteriors sampled at scales."""
    tables = [weighted_summary(d, hdi_prob=hdi_prob) for d in draws_per_scale]
    return tuple(
        np.array([t[c].to_numpy() for t in tables])
        for c in ("mean", "median", "sd", "hdi_low", "hdi_high")
    )


def table_on_original_scale(part, scaling):
    """The posterior part with its table of the prior's coefficients (of X / sd) on X's scale.

    ``scaling`` is the explorer's :class:`~bayesreg.model.column_scaling.ColumnScaling`;
    every column but ``map`` (already on X's scale) scales with the coefficient.
    """
    table = part["posterior"]
    if table is None or not scaling.active:
        return part
    table = table.copy()
    for column in ("mean", "median", "sd", "hdi_low", "hdi_high"):
        table[column] = scaling.to_original(table[column].to_numpy())
    return {**part, "posterior": table}
