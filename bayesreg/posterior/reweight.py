r"""The posterior at a new prior scale without sampling again: importance reweighting.

Only the prior changes between the posterior sampled at one prior and the one
wanted at another; the likelihood (and the prior on sigma and the intercept)
is the same.  So draws :math:`w^{(s)}` from :math:`p_{\text{old}}(w \mid y)`
become draws from :math:`p_{\text{new}}(w \mid y)` with the importance weights

.. math::

    \log r_s = \sum_j \log p_{\text{new}}(w^{(s)}_j) - \log p_{\text{old}}(w^{(s)}_j),

the prior density ratio at each draw (the evidence ratio is a constant that
normalisation removes).  Raw ratios can have infinite variance when the new
posterior is wider than, or far from, the old one; Pareto-smoothed importance
sampling (PSIS, Vehtari et al. 2024, :func:`arviz.psislw`) stabilises the
largest weights and its shape estimate :math:`\hat k` says how far to trust
the result: below 0.7 the reweighted estimates are reliable, above it they
are not (sample at the new scale instead).

:func:`weighted_summary` turns weighted draws into the table layout of
:func:`bayesreg.workflow.compare` (``map, mean, median, sd, hdi_low, hdi_high``).
"""

from __future__ import annotations

from dataclasses import dataclass

import arviz as az
import numpy as np
import pandas as pd

from ..model.priors import Prior

__all__ = [
    "KHAT_THRESHOLD",
    "Reweighted",
    "psis_reweight",
    "weighted_hdi",
    "weighted_quantile",
    "weighted_summary",
]

#: Above this Pareto k-hat, PSIS estimates are unreliable (Vehtari et al. 2024).
KHAT_THRESHOLD = 0.7


@dataclass(frozen=True)
class Reweighted:
    """Draws of one posterior reweighted to stand for another.

    Attributes
    ----------
    draws : ndarray of shape (n_draws, n_features)
        The coefficient draws (unchanged).
    weights : ndarray of shape (n_draws,)
        Pareto-smoothed, normalised importance weights (they sum to 1).
    khat : float
        Pareto shape estimate of the raw weights' tail.
    ess : float
        Importance-sampling effective sample size ``1 / sum(weights**2)``.
    reliable : bool
        ``khat <= KHAT_THRESHOLD``.
    """

    draws: np.ndarray
    weights: np.ndarray
    khat: float
    ess: float

    @property
    def reliable(self):
        return bool(self.khat <= KHAT_THRESHOLD)


def _coefficient_log_density(prior, draws):
    if not isinstance(prior, Prior) or prior.is_hierarchical:
        raise ValueError(
            f"reweighting needs coefficient priors of fixed scale (Normal, Laplace, "
            f"ElasticNet with a number as scale); got {prior!r}."
        )
    if not prior.independent_coefficients:
        # the sum of logpdf would treat coefficients that share a global scale as independent
        raise ValueError(
            f"reweighting needs a prior whose coefficients are independent (the joint "
            f"density a product of logpdf); {prior!r} couples them through its global scale. "
            "Sample the posterior at each scale instead."
        )
    return prior.logpdf(draws).sum(axis=1)


def psis_reweight(draws, old_prior, new_prior, *, reff=1.0):
    """Reweight posterior draws sampled under ``old_prior`` to ``new_prior``.

    Parameters
    ----------
    draws : array-like of shape (n_draws, n_features)
        Coefficient draws from the posterior under ``old_prior`` (chains
        flattened).
    old_prior, new_prior : Prior
        Fixed-scale coefficient priors (the same likelihood is assumed).
    reff : float, default=1.0
        Relative efficiency ``ess / n_draws`` of the draws (1 for independent
        draws; ArviZ's PSIS uses it only to set the tail length).

    Returns
    -------
    Reweighted
    """
    draws = np.asarray(draws, dtype=float)
    if draws.ndim != 2 or draws.shape[0] < 2:
        raise ValueError(
            f"draws must have shape (n_draws >= 2, n_features), got {draws.shape}."
        )
    log_ratio = _coefficient_log_density(new_prior, draws) - _coefficient_log_density(
        old_prior, draws
    )
    log_weights, khat = az.psislw(log_ratio, reff=reff)
    weights = np.exp(log_weights - np.max(log_weights))
    weights /= weights.sum()
    return Reweighted(
        draws=draws, weights=weights, khat=float(khat), ess=float(1.0 / np.sum(weights**2))
    )


def _check_weights(draws, weights):
    draws = np.asarray(draws, dtype=float)
    if weights is None:
        weights = np.full(draws.shape[0], 1.0 / draws.shape[0])
    weights = np.asarray(weights, dtype=float)
    if weights.shape != draws.shape[:1] or np.any(weights < 0) or not weights.sum() > 0:
        raise ValueError(
            "weights must be non-negative, not all zero, with one weight per draw; got "
            f"shape {weights.shape} for {draws.shape[0]} draws."
        )
    return draws, weights / weights.sum()


def weighted_quantile(draws, q, weights=None):
    """Quantile ``q`` of each column of ``draws`` under the (normalised) ``weights``.

    The inverse of the weighted empirical CDF, with each draw's weight centred
    on it (``cum - w/2``) and linear interpolation in between, so equal weights
    give the same result as ``numpy.quantile(..., method="hazen")``.
    """
    draws, weights = _check_weights(draws, weights)
    draws = draws.reshape(draws.shape[0], -1)
    out = np.empty(draws.shape[1])
    for j in range(draws.shape[1]):
        order = np.argsort(draws[:, j])
        x, w = draws[order, j], weights[order]
        cdf = np.cumsum(w) - 0.5 * w
        out[j] = np.interp(q, cdf, x)
    return out


def weighted_hdi(draws, prob=0.94, weights=None):
    """Narrowest interval holding ``prob`` of the weighted draws, per column.

    Returns
    -------
    ndarray of shape (n_features, 2)
        Lower and upper bounds, from draws themselves (as ArviZ's ``hdi``).
    """
    if not 0 < prob < 1:
        raise ValueError(f"prob must lie in (0, 1), got {prob!r}.")
    draws, weights = _check_weights(draws, weights)
    draws = draws.reshape(draws.shape[0], -1)
    out = np.empty((draws.shape[1], 2))
    for j in range(draws.shape[1]):
        order = np.argsort(draws[:, j])
        x, w = draws[order, j], weights[order]
        cum = np.concatenate([[0.0], np.cumsum(w)])  # mass of x[:i] is cum[i]
        # for each start i, the first end k with mass(x[i..k]) >= prob
        ends = np.searchsorted(cum, cum[:-1] + prob * (1 - 1e-12), side="left") - 1
        valid = ends < len(x)
        starts = np.nonzero(valid)[0]
        ends = ends[valid]
        best = np.argmin(x[ends] - x[starts])
        out[j] = x[starts[best]], x[ends[best]]
    return out


def weighted_summary(draws, weights=None, *, map_coef=None, feature_names=None, hdi_prob=0.94):
    """Summary table of weighted coefficient draws, in the layout of ``compare``.

    Parameters
    ----------
    draws : array-like of shape (n_draws, n_features)
    weights : array-like of shape (n_draws,), optional
        Importance weights (normalised here); equal weights when None.
    map_coef : array-like of shape (n_features,), optional
        The MAP estimate, put in the ``map`` column (NaN when None).
    feature_names : list of str, optional
    hdi_prob : float, default=0.94

    Returns
    -------
    pandas.DataFrame
        Index: feature names; columns ``map, mean, median, sd, hdi_low, hdi_high``.
        ``sd`` is the weighted standard deviation (1/n convention).
    """
    draws, weights = _check_weights(draws, weights)
    p = draws.shape[1]
    mean = weights @ draws
    sd = np.sqrt(weights @ (draws - mean) ** 2)
    hdi = weighted_hdi(draws, hdi_prob, weights)
    if feature_names is None:
        feature_names = [f"x{j}" for j in range(p)]
    map_coef = np.full(p, np.nan) if map_coef is None else np.asarray(map_coef, dtype=float)
    return pd.DataFrame(
        {
            "map": map_coef,
            "mean": mean,
            "median": weighted_quantile(draws, 0.5, weights),
            "sd": sd,
            "hdi_low": hdi[:, 0],
            "hdi_high": hdi[:, 1],
        },
        index=pd.Index(list(feature_names), name="feature"),
    )
