"""The explorer's posteriors sampled on request (the Sample button; a part of ScaleExplorer).

:class:`SampledExplorerMethods` is mixed into
:class:`~bayesreg.widgets.scale_explorer.ScaleExplorer`: a family without a live
(exact or Gibbs) posterior is sampled by :class:`bayesreg.PosteriorRegressor`
(nutpie: compiled once, then only fed new data) at the scales asked for, and
the draws are kept to be reweighted to other scales (PSIS previews).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._warnings import recording_warnings
from ._explorer_data import check_posterior, scale_key
from ._likelihood_choice import posterior_estimator
from ._prior_choice import family_key, family_of, prior_form

__all__ = ["SampledExplorerMethods"]


class SampledExplorerMethods:
    """ScaleExplorer's methods for posteriors sampled on request (need ``_sampled``,
    ``_posteriors``, ``_lock``, ``_scaling`` and the sampling settings)."""

    def sampled_scales(self):
        """Scales of the current family with a sampled posterior, sorted."""
        return self._sampled_scales(self.family)

    def _sampled_scales(self, family):
        with self._lock:
            return sorted(self._sampled.get(family, {}))

    def sample(self, scale):
        """Sample the posterior of the current family at ``scale`` and cache its draws.

        Returns
        -------
        list of str
            Warning messages from the sampler (empty when all is well).
        """
        return self.sample_prior(self.prior_at(scale))

    def sample_prior(self, prior):
        """Sample the posterior under the fixed-scale ``prior`` and cache its draws.

        Runs :class:`bayesreg.PosteriorRegressor` (or :class:`bayesreg.PosteriorClassifier`
        for class labels; its compiled model is cached
        per process and per family, so later scales only swap a shared value).
        Sampling problems (divergences, R-hat) are returned, not raised.

        Returns
        -------
        list of str
            Warning messages from the sampler (empty when all is well).
        """
        model = posterior_estimator(
            prior, self.likelihood, self.sigma if self.sigma_fixed else None,
            sampler=self.sampler, draws=self.draws, tune=self.tune, chains=self.chains,
            random_seed=self.random_seed, progressbar=False, standardize=self.standardize,
        )
        # named columns: the feature names are part of the compiled model's cache key
        X = pd.DataFrame(self.X, columns=self.feature_names)
        with recording_warnings() as caught:
            model.fit(X, self.y)
        self.add_posterior(model)
        return [str(w.message) for w in caught if issubclass(w.category, UserWarning)]

    def add_posterior(self, posterior):
        """Cache the draws of a fitted PosteriorRegressor (same data) as a sampled scale."""
        prior = check_posterior(posterior, self.X, self.y,
                                self.sigma if self.sigma_fixed else None, self.standardize,
                                self.likelihood)
        # another form would be cached under a family key the explorer never shows
        if not _same_form(prior_form(prior), self.form):
            raise ValueError(
                f"posterior's prior {prior!r} is not in the explorer's form (scale_by_sigma and "
                f"relative per-feature scales of {self.prior_at(prior.control_scale)!r}). Fit "
                "the posterior with the explorer's prior at some scale, or build the explorer "
                "with the posterior's prior.")
        family = family_key(family_of(prior)[:2] + (self.form,))
        self._store(family, scale_key(prior.control_scale), posterior)

    def _store(self, family, scale, model):
        import arviz as az

        draws = model.idata_.posterior["coef"].values
        if self._scaling.active:  # reweighting compares prior densities: the prior's coefficients
            draws = draws * self._scaling.scales
        n = draws.shape[0] * draws.shape[1]
        ess = az.ess(model.idata_, var_names=["coef"])["coef"].values
        reff = float(np.clip(np.median(ess) / n, 0.05, 1.0))
        with self._lock:
            self._sampled.setdefault(family, {})[scale] = (
                draws.reshape(n, -1), reff, getattr(model, "diagnostics_", {}),
            )
            # previews of this family may now have a nearer source
            self._posteriors = {k: v for k, v in self._posteriors.items() if k[0] != family}



def _same_form(a, b):
    """Whether two forms (``Prior.form`` or None) agree, relative scales up to rounding."""
    a, b = a or (False, None), b or (False, None)
    if a[0] != b[0] or (a[1] is None) != (b[1] is None):
        return False
    return a[1] is None or (len(a[1]) == len(b[1]) and np.allclose(a[1], b[1], rtol=1e-9))
