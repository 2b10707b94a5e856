"""Sampler diagnostics: computed after every fit, reported as warnings with advice."""

from __future__ import annotations

import warnings

import numpy as np

from ._convergence import rank_diagnostics

__all__ = ["ESS_MIN", "RHAT_MAX", "SamplingWarning", "compute_diagnostics", "warn_on_problems"]

RHAT_MAX = 1.01
ESS_MIN = 400


class SamplingWarning(UserWarning):
    """The sampler's output may not represent the posterior (divergences, R-hat, ESS)."""


def compute_diagnostics(posterior, sample_stats, var_names, return_medians=False):
    """Divergences, the worst R-hat and the smallest bulk and tail ESS over ``var_names``.

    ``return_medians=True`` also returns each variable's posterior medians (over
    chains and draws, as ``np.median``), which the rank pass's sort gives for free
    where it runs compiled (finite draws, even chain length); ``{}`` elsewhere.

    Returns
    -------
    dict
        ``divergences`` (int), ``max_r_hat``, ``min_ess_bulk``, ``min_ess_tail``
        (floats; R-hat is NaN with a single chain), ``draws`` and ``chains``.
    medians : dict, only with ``return_medians``
        Variable name -> array of its medians (the variable's shape without chain, draw).
    """
    divergences = 0
    if sample_stats is not None and "diverging" in sample_stats:
        divergences = int(sample_stats["diverging"].sum())
    # every scalar of every variable as one (chain, draw, k) array
    columns = [posterior.variables[name].values for name in var_names]
    draws = np.concatenate([c.reshape(*c.shape[:2], -1) for c in columns], axis=-1)
    chains, n_draws = draws.shape[:2]
    with np.errstate(divide="ignore", invalid="ignore"):
        r_hats, bulks, tails, medians = rank_diagnostics(draws, return_median=True)  # one pass
        r_hat = _worst(r_hats, np.nanmax) if chains > 1 else float("nan")
        bulk, tail = _worst(bulks, np.nanmin), _worst(tails, np.nanmin)
    diagnostics = {
        "divergences": divergences,
        "max_r_hat": r_hat,
        "min_ess_bulk": bulk,
        "min_ess_tail": tail,
        "chains": int(chains),
        "draws": int(n_draws),
    }
    if not return_medians:
        return diagnostics
    by_name, start = {}, 0
    for name, column in zip(var_names, columns):
        size = int(np.prod(column.shape[2:], dtype=int))
        if medians is not None:
            by_name[name] = medians[start:start + size].reshape(column.shape[2:])
        start += size
    return diagnostics, by_name


def _worst(values, reduce):
    """NaN (not a warning) when every value is NaN, e.g. constant draws."""
    return float(reduce(values)) if np.isfinite(values).any() else float("nan")


def warn_on_problems(diagnostics, owner, *, independent_draws=False):
    """Emit one :class:`SamplingWarning` per problem, each saying what to do.

    ``independent_draws=True`` (the closed-form ``exact`` sampler) changes the
    advice on R-hat: such chains have no tuning and no burn-in to lengthen, so
    chains that disagree mean the draws themselves are wrong.
    """
    n_div = diagnostics["divergences"]
    if n_div > 0:
        warnings.warn(
            f"{owner}: {n_div} divergent transition(s) after tuning: the sampler could "
            "not follow the posterior's curvature and the draws may be biased. Increase "
            "target_accept (e.g. 0.95 or 0.99); if they persist, the prior may be too "
            "heavy-tailed for the data (try a hyperprior with a smaller scale).",
            SamplingWarning,
            stacklevel=3,
        )
    r_hat = diagnostics["max_r_hat"]
    if r_hat > RHAT_MAX and independent_draws:
        warnings.warn(
            f"{owner}: max R-hat = {r_hat:.3f} > {RHAT_MAX} for independent closed-form "
            "draws, which have no tuning or burn-in: their chains disagree only by chance "
            f"(likely with few draws: {diagnostics.get('draws', '?')} per chain; increase "
            "draws) or because the draws are wrong (non-finite or huge values in X or y, "
            "a nearly singular X'X at a very wide prior): check the data.",
            SamplingWarning,
            stacklevel=3,
        )
    elif r_hat > RHAT_MAX:
        warnings.warn(
            f"{owner}: max R-hat = {r_hat:.3f} > {RHAT_MAX}: the chains disagree, so they "
            "have not converged. Increase tune and draws, and check for multimodality "
            "(az.plot_trace(model.idata_)).",
            SamplingWarning,
            stacklevel=3,
        )
    ess = min(diagnostics["min_ess_bulk"], diagnostics["min_ess_tail"])
    if ess < ESS_MIN:
        warnings.warn(
            f"{owner}: min effective sample size = {ess:.0f} < {ESS_MIN}: posterior "
            "means, and especially interval ends, are imprecise. Increase draws (or "
            "chains).",
            SamplingWarning,
            stacklevel=3,
        )
