r"""The explorer's live posterior: drawn at each scale by a sampler that compiles nothing.

A prior whose posterior has a closed form or a Gibbs scheme (the prior says so:
:meth:`bayesreg.model.priors.Prior.samplers`) needs no compiled model, so a
posterior at a new scale costs its draws (tens of milliseconds on the diabetes
data) and can follow the slider.  This module computes, for one regression
problem held by :class:`~bayesreg.widgets.scale_explorer.ScaleExplorer`:

* :meth:`LivePosteriors.fit`: the posterior at one scale, by the Gibbs sampler
  (:func:`bayesreg.posterior.gibbs.sample_gibbs`, the one
  :class:`bayesreg.PosteriorRegressor` runs) or, for a conjugate prior whose
  posterior the explorer does not write in closed form itself (Zellner's
  g-prior), by the exact sampler (:func:`bayesreg.posterior.exact.sample_conjugate`),
  with the diagnostics and warnings of a PosteriorRegressor fit kept (shown,
  never hidden); a prior with inclusion indicators (the spike-and-slab) also
  keeps each feature's posterior inclusion probability;
* :meth:`LivePosteriors.band_step`: one scale of the posterior band along the
  path grid, by the same sampler; the band is
  drawn in stages, first with few draws, then refined.

No threads here: :mod:`bayesreg.widgets.explorer` calls these from its worker.

Why 2 chains x 1000 draws (after 200 burn-in sweeps) for the live fit: two
chains are the fewest for which R-hat can see chains that disagree; the Gibbs
draws of the diabetes lasso have an ESS of about 0.3-0.5 per draw, so 2000
draws give an ESS near the 400 below which a :class:`SamplingWarning` says the
intervals are imprecise (500 per chain fell below it at most scales), and a
Monte Carlo error of a mean of about sd / 20, narrower than a marker of the
forest plot; and they cost ~20-30 ms, well inside a slider move.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

import numpy as np
import pandas as pd

from .._warnings import recording_warnings
from ..posterior._convergence import ess_bulk
from ..posterior.diagnostics import compute_diagnostics, warn_on_problems
from ..posterior.exact import sample_conjugate
from ..posterior.gibbs import sample_gibbs
from ..posterior.reweight import weighted_summary
from ._likelihood_choice import LIVE_SAMPLERS, live_sampler  # noqa: F401 (re-exported)

__all__ = ["BAND_STAGES", "LIVE_SAMPLERS", "LivePosteriors", "draw_summary", "inclusion_summary",
           "live_sampler"]

#: Live fits kept per explorer (the oldest are dropped; a revisit draws again).
MAX_FITS = 256

#: ``(chains, draws, burn-in)`` of each stage of the band along the path grid: first
#: coarse (the whole grid in ~0.3 s), then refined (~1-2 s), each replacing the last.
BAND_STAGES = ((2, 100, 50), (2, 1000, 200))


class LivePosteriors:
    """Live fits and band stages of one regression problem, cached per (family, scale).

    Parameters
    ----------
    X : DataFrame
        The data as given (named columns: the draws' feature names).
    X_prior : ndarray
        The columns the prior sees (divided by their sd when ``standardize``).
    y : ndarray
        As the likelihood's ``check_target`` gives it (class labels as 0/1).
    likelihood : Likelihood
        The explorer's; the Gibbs sampler takes its augmentation (Polya-Gamma for
        the logistic model, scale mixtures for the Student-t and Laplace noise).
    sigma : float or None
        Fixed noise sd, or None (learned).
    scaling : ColumnScaling
        The explorer's: draws are kept on the prior's scale, tables on X's.
    chains, draws, tune : int
        Of the live fit at one scale.
    random_seed : int or None
        The same seed at every scale: common random numbers make the band smooth.
    """

    def __init__(self, X, X_prior, y, sigma, scaling, *, standardize, chains, draws, tune,
                 random_seed, hdi_prob, likelihood="gaussian"):
        self.X, self.X_prior, self.y, self.sigma = X, X_prior, y, sigma
        self.likelihood = likelihood
        self.scaling, self.standardize = scaling, standardize
        self.chains, self.draws, self.tune = int(chains), int(draws), int(tune)
        self.random_seed, self.hdi_prob = random_seed, hdi_prob
        # (family, scale) -> (draws on the prior's scale, diagnostics, messages), the newest
        # MAX_FITS (~160 kB each): a long session of slider moves must not grow without end
        self._fits = OrderedDict()
        self._fits_lock = threading.Lock()  # written by the view's worker, read by the kernel
        self._rows = {}  # (family, stage) -> {scale: (mean, median, sd, low, high, diagnostics)}

    # ---------------------------------------------------------------- one scale
    def cached(self, family, scale):
        """The live fit at ``scale`` if it was drawn, else None."""
        with self._fits_lock:
            return self._fits.get((family, scale))

    def fit(self, family, prior, sampler):
        """Draw the posterior under the fixed-scale ``prior`` with ``sampler``; cache it.

        Returns
        -------
        tuple
            ``(draws, diagnostics, messages, inclusion)``: the coefficient draws
            (chains x draws flattened, on the prior's scale), the fit's
            ``diagnostics_``, its warning messages (a fit that does not mix says
            so here) and the posterior inclusion probability of each feature (the
            mean of the ``inclusion`` draws of a spike-and-slab, with the effective
            number of draws of each indicator: :func:`inclusion_summary`; None for a
            prior without inclusion indicators).
        """
        posterior = self._draw(prior, sampler, self.chains, self.draws, self.tune)
        # the variables a PosteriorRegressor checks (coef, intercept, a learned sigma)
        diagnostics = compute_diagnostics(
            posterior, None, [v for v in ("coef", "intercept", "sigma") if v in posterior])
        with recording_warnings() as caught:
            warn_on_problems(diagnostics, "live posterior")
        draws = posterior["coef"].values  # on the prior's scale (X_prior's columns)
        messages = [str(w.message) for w in caught if issubclass(w.category, UserWarning)]
        inclusion = (inclusion_summary(posterior["inclusion"].values)
                     if "inclusion" in posterior else None)
        result = (draws.reshape(-1, draws.shape[-1]), diagnostics, messages, inclusion)
        with self._fits_lock:
            self._fits[(family, float(prior.control_scale))] = result
            while len(self._fits) > MAX_FITS:
                self._fits.popitem(last=False)
        return result

    def _draw(self, prior, sampler, chains, draws, tune):
        """The posterior under ``prior`` by ``sampler`` ("gibbs" or "exact"), an xarray Dataset.

        The samplers themselves: a PosteriorRegressor would also fit its own MAP (the
        explorer has it) and validate the data again; the diagnostics and warnings are the same.
        """
        names = [str(c) for c in self.X.columns]
        if sampler == "exact":  # a conjugate prior drawn exactly (independent draws: no burn-in)
            return sample_conjugate(prior, self.X_prior, self.y, self.sigma, fit_intercept=True,
                                    draws=draws, chains=chains, random_seed=self.random_seed,
                                    feature_names=names)
        if sampler != "gibbs":
            raise ValueError(f"the live posterior is drawn by Gibbs or exactly, not {sampler!r}.")
        return sample_gibbs(
            self.likelihood, prior, self.sigma, self.X_prior, self.y, fit_intercept=True,
            draws=draws, tune=tune, chains=chains, random_seed=self.random_seed,
            progressbar=False, feature_names=names,
        )

    def part(self, fit, sampler, map_coef, feature_names):
        """The posterior part of the explorer's state from a live fit (compare's layout).

        A spike-and-slab's fit adds ``inclusion_probabilities`` (a Series by feature),
        the table's ``p_inclusion`` column and a sentence of the note.
        """
        draws, diagnostics, messages, inclusion = fit
        table = weighted_summary(draws, map_coef=map_coef, feature_names=feature_names,
                                 hdi_prob=self.hdi_prob)
        chains, n = diagnostics.get("chains"), diagnostics.get("draws")
        ess = min(diagnostics["min_ess_bulk"], diagnostics["min_ess_tail"])
        note = (f"{'Gibbs' if sampler == 'gibbs' else 'Exact'} posterior at this scale "
                f"({chains} chains x {n} draws; max R-hat {diagnostics['max_r_hat']:.3f}, "
                f"min ESS {ess:.0f}).")
        extra = {}
        if inclusion is not None:
            pip = pd.Series(inclusion[0], index=table.index, name="p_inclusion")
            table = table.assign(p_inclusion=pip)
            note += (" Posterior inclusion probabilities P(w_j != 0 | y): "
                     + ", ".join(f"{f} {v:.3f}" for f, v in pip.items()) + ".")
            extra["inclusion_probabilities"] = pip
            extra["inclusion_ess"] = pd.Series(inclusion[1], index=table.index, name="ess")
        if messages:
            note += " " + " ".join(messages)
        return {
            "posterior": table, "posterior_source": sampler, "source_scale": None,
            "khat": None, "ess": ess, "reliable": not messages, "posterior_note": note,
            "diagnostics": diagnostics, "sampling_warnings": list(messages), **extra,
        }

    # ---------------------------------------------------------------- the band
    def band_todo(self, family, scales):
        """``(stage, scale)`` of the next band point to draw, or None when the band is done."""
        for stage in range(len(BAND_STAGES)):
            done = self._rows.get((family, stage), {})
            for scale in scales:
                if float(scale) not in done:
                    return stage, float(scale)
        return None

    def band_step(self, family, prior, stage, sampler="gibbs"):
        """Draw the band point of ``prior``'s scale at ``stage`` (by ``sampler``: no MAP, no
        InferenceData)."""
        chains, draws, tune = BAND_STAGES[stage]
        posterior = self._draw(prior, sampler, chains, draws, tune)
        coef = posterior["coef"].values
        columns = draw_summary(coef.reshape(-1, coef.shape[-1]), self.hdi_prob)
        # the refined band's diagnostics are reported; the coarse one is a preview it replaces
        diagnostics = (compute_diagnostics(posterior, None, ["coef"])
                       if stage == len(BAND_STAGES) - 1 else None)
        self._rows.setdefault((family, stage), {})[float(prior.control_scale)] = columns + (diagnostics,)

    def band_summaries(self, family, scales):
        """The finest complete stage's ``(stage, mean, median, sd, low, high, diagnostics)``.

        Columns are scales x features on the prior's scale; ``diagnostics`` is
        the worst R-hat and the smallest ESS over the grid. None before the
        first stage has covered every scale.
        """
        for stage in reversed(range(len(BAND_STAGES))):
            rows = self._rows.get((family, stage), {})
            if all(float(s) in rows for s in scales):
                table = [rows[float(s)] for s in scales]
                columns = tuple(np.array([r[k] for r in table]) for k in range(5))
                worst = {"chains": BAND_STAGES[stage][0], "draws": BAND_STAGES[stage][1],
                         "max_r_hat": None, "min_ess": None}
                if table[0][5] is not None:
                    worst["max_r_hat"] = max(r[5]["max_r_hat"] for r in table)
                    worst["min_ess"] = min(min(r[5]["min_ess_bulk"], r[5]["min_ess_tail"])
                                           for r in table)
                return (stage,) + columns + (worst,)
        return None


def inclusion_summary(indicators):
    """``(probabilities, ess)`` of 0/1 indicator draws of shape (chains, draws, features).

    The probability of each feature is the mean of its draws; ``ess`` is ArviZ's
    bulk effective sample size of each feature's indicators (all draws where they
    never change: a constant has no Monte Carlo error), so the Monte Carlo standard
    error of a probability p is ``sqrt(p (1 - p) / ess)``.
    """
    values = np.asarray(indicators, dtype=float)
    total = values.shape[0] * values.shape[1]
    with np.errstate(invalid="ignore", divide="ignore"):
        ess = ess_bulk(values)  # every feature in one pass (ArviZ's bulk ESS, to rounding)
    ess = np.where((np.ptp(values, axis=(0, 1)) > 0) & np.isfinite(ess), ess, total)
    return values.reshape(total, -1).mean(axis=0), ess


def draw_summary(draws, hdi_prob):
    """Mean, median, sd (1/n) and the narrowest ``hdi_prob`` interval of each column.

    What :func:`bayesreg.posterior.reweight.weighted_summary` gives for equal
    weights (median by Hazen's rule, the interval's ends are draws), for all
    columns at once: the band summarises a posterior at each of ~60 scales.
    """
    n = draws.shape[0]
    ordered = np.sort(draws, axis=0)
    m = int(np.ceil(hdi_prob * n * (1 - 1e-12)))  # draws inside the interval
    widths = ordered[m - 1:] - ordered[: n - m + 1]
    start = np.argmin(widths, axis=0)
    columns = np.arange(draws.shape[1])
    mean = draws.mean(axis=0)
    return (mean, np.quantile(draws, 0.5, axis=0, method="hazen"),
            np.sqrt(np.mean((draws - mean) ** 2, axis=0)),
            ordered[start, columns], ordered[start + m - 1, columns])


def frame(X, names):
    """X as a DataFrame with the explorer's feature names (the estimators keep them)."""
    return pd.DataFrame(X, columns=names)
