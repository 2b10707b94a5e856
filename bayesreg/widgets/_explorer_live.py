"""The explorer's live posterior and its band along the path (a part of ScaleExplorer).

:class:`LiveExplorerMethods` is mixed into
:class:`~bayesreg.widgets.scale_explorer.ScaleExplorer`; it asks each prior
whether its posterior can follow the slider (:func:`._likelihood_choice.live_sampler`)
and draws it with :class:`._live_posterior.LivePosteriors`.  Nothing here starts
a thread: the notebook view calls :meth:`~LiveExplorerMethods.live_posterior`
and :meth:`~LiveExplorerMethods.band_step` from its worker.
"""

from __future__ import annotations

from ..workflow.posterior_path import PosteriorPath
from ._explorer_data import scale_key
from ._likelihood_choice import live_refusal, live_sampler
from ._prior_choice import family_prior

__all__ = ["LiveExplorerMethods"]

class LiveExplorerMethods:
    """ScaleExplorer's methods for the live posterior (needs ``_live``, ``_path``,
    ``_has_exact``, ``_posterior_state``, ``_lock``, ``_bands``, ``_scaling``, ``likelihood``)."""

    def _live_sampler(self, family):
        """How the family's posterior is drawn live at each scale, else None: "gibbs", or
        "exact" for a conjugate prior the explorer does not write in closed form itself
        (Zellner's g-prior: its exact sampler's independent draws)."""
        if self._has_exact(family):
            return None  # the closed form itself, no draws
        return live_sampler(family_prior(family, 1.0), self.likelihood, self.sigma_fixed,
                            self.sampler)

    def _live_refusal(self, family):
        """Why the family is not drawn live (the Gibbs sampler's reason), or None.

        None too where the user named a NUTS sampler (then the Sample button is asked for).
        """
        if self.sampler != "auto" or self._has_exact(family):
            return None
        return live_refusal(family_prior(family, 1.0), self.likelihood)

    @property
    def live_sampler(self):
        """How the current family's posterior follows the slider: "exact" (closed form, or
        the exact sampler's draws), "gibbs" (drawn live at each scale) or None (sampled on
        request: :meth:`sample`)."""
        family = self.family
        return "exact" if self._has_exact(family) else self._live_sampler(family)

    @property
    def draws_live(self):
        """Whether the current family's posterior is *drawn* at each scale in the background
        (Gibbs, or the exact sampler of the g-prior), rather than written in closed form
        or sampled on request."""
        return self._live_sampler(self.family) is not None

    @property
    def can_sample(self):
        """Whether some sampler covers the current family with this likelihood (the
        spike-and-slab has none with the logistic likelihood: no Sample button then)."""
        prior = family_prior(self.family, 1.0)
        return bool(prior.samplers(self.likelihood.name, self.sigma_fixed,
                                   self.likelihood.gibbs_prior_schemes))

    def live_posterior(self, scale, family=None):
        """Draw the live posterior of ``family`` (default: the current one) at ``scale``.

        Cached per (family, scale); a family without a live sampler is a
        ValueError (it is sampled on request: :meth:`sample`).

        Returns
        -------
        dict
            The posterior part of the state (see :meth:`posterior_state`):
            ``posterior_source`` "gibbs", the fit's ``diagnostics`` and its
            ``sampling_warnings`` (also in ``posterior_note``).
        """
        family = self.family if family is None else family
        scale = scale_key(scale)
        live = self._live_sampler(family)
        if live is None:
            raise ValueError(f"{family_prior(family, scale)!r} has no live (Gibbs) posterior in "
                             "this explorer: sample it with ScaleExplorer.sample(scale).")
        if self._live.cached(family, scale) is None:
            self._live.fit(family, family_prior(family, scale), live)
        return self._posterior_state(family, scale)

    def band_step(self, family=None):
        """Draw one more scale of the live band of ``family``; False when there is nothing to do.

        The band is drawn in the stages of :data:`._live_posterior.BAND_STAGES`:
        the whole grid with few draws first, then again with more.
        """
        family = self.family if family is None else family
        live = self._live_sampler(family)
        if live is None:
            return False
        scales = [scale_key(s) for s in self._grid(family)]
        todo = self._live.band_todo(family, scales)
        if todo is None:
            return False
        stage, scale = todo
        self._live.band_step(family, family_prior(family, scale), stage, sampler=live)
        return True

    def band_diagnostics(self, family=None):
        """The worst R-hat and smallest ESS of the live band as drawn (None before it is)."""
        family = self.family if family is None else family
        scales = [scale_key(s) for s in self._grid(family)]
        summary = self._live.band_summaries(family, scales)
        return None if summary is None else summary[6]

    def _live_band(self, family):
        """The live band of the finest stage drawn on the whole grid, or None (cached)."""
        scales = self._grid(family)
        summary = self._live.band_summaries(family, [scale_key(s) for s in scales])
        if summary is None:
            return None
        key = (family, "live", summary[0])
        with self._lock:
            cached = self._bands.get(key)
        if cached is None:
            mean, median, sd, low, high = (self._scaling.to_original(c) for c in summary[1:6])
            cached = PosteriorPath(
                scales=scales, mean=mean, median=median, sd=sd, hdi_low=low, hdi_high=high,
                hdi_prob=float(self.hdi_prob), feature_names=list(self.feature_names),
                prior=family_prior(family, scales[0]),
                sigma=self.sigma if self.sigma_fixed else None, sampler=self._live_sampler(family),
            )
            with self._lock:
                self._bands[key] = cached
        return cached
