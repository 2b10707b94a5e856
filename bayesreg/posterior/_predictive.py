r"""Posterior predictive intervals for new rows, computed a block of rows at a time.

:class:`PredictiveIntervals` is a mixin of the posterior estimators; it asks
the estimator's likelihood (``_likelihood``) what to draw, so it never tests a
family:

* a likelihood whose ``interval_of`` is ``"y"`` (the Gaussian) gets the
  equal-tailed interval of the posterior predictive of a new observation,
  :math:`\tilde y = \eta + \sigma\varepsilon`, one :math:`\varepsilon` per
  posterior draw and row (the draw's own sigma when it is learned);
* one whose ``interval_of`` is ``"mean"`` (Bernoulli-logit: a new label is
  0 or 1, so its interval says nothing) gets the equal-tailed credible
  interval of the expected value, :math:`P(y = 1 \mid x)`.

Memory: at most one (draws x block) array is alive, as in ``_pointwise``.

:meth:`PredictiveIntervals.sample_posterior_predictive` draws replicates of the
training y (the ``posterior_predictive`` group ArviZ's ``plot_ppc`` reads): the
one method here whose result holds draws x rows numbers, so it runs only when
called.
"""

from __future__ import annotations

import numbers

import numpy as np
import xarray as xr
from sklearn.utils.validation import check_is_fitted, validate_data

from ..model.offset import check_offset
from ._pointwise import likelihood_at_draws

__all__ = ["PredictiveIntervals", "check_prob"]


def check_prob(prob, owner):
    """``prob`` as a float in (0, 1), or a clear error (bools and strings refused)."""
    real = isinstance(prob, numbers.Real) and not isinstance(prob, bool | np.bool_)
    if not (real and 0 < float(prob) < 1):
        raise ValueError(
            f"{owner}.predict_interval: prob must be a number in (0, 1), e.g. 0.9 for a 90% "
            f"interval, got {prob!r}."
        )
    return float(prob)


class PredictiveIntervals:
    """``predict_interval`` of a fitted posterior estimator (reads ``idata_``, never samples)."""

    def _sigma_draws(self):
        """Per-draw sigma when it was learned, the fixed sigma otherwise, None without one."""
        if "sigma" in self._posterior():
            return self._draws("sigma")
        return getattr(self, "sigma", None)

    def predict_interval(self, X, prob=0.9, *, random_state=None, exposure=None, offset=None):
        r"""Equal-tailed interval of the posterior predictive distribution at new rows.

        For the Gaussian likelihood, the interval that holds a new observation
        :math:`\tilde y = b_0 + x^\top w + \sigma\varepsilon` with probability
        ``prob`` under the posterior: the ``(1 - prob)/2`` and ``(1 + prob)/2``
        quantiles of one predictive draw per posterior draw (sigma of that draw
        when learned, the fixed sigma otherwise).

        For the classifier a new label is 0 or 1, so its predictive interval is
        uninformative; the interval returned is the equal-tailed credible
        interval of :math:`P(y = \mathrm{classes\_}[1] \mid x) =
        \operatorname{logit}^{-1}(b_0 + x^\top w)` (no randomness involved).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        prob : float in (0, 1), default=0.9
            Probability inside the interval.
        random_state : int, numpy.random.Generator or None, default=None
            Seeds the predictive noise draws. ``None`` uses the estimator's
            ``random_seed``, so the same fitted model gives the same
            intervals; with both None the intervals vary by Monte Carlo error.
        exposure, offset : array-like of shape (n_samples,), optional
            For a likelihood with an offset (Poisson), as in ``fit``.

        Returns
        -------
        lo, hi : ndarray of shape (n_samples,)

        Notes
        -----
        Computed a block of rows at a time: memory never holds more than one
        (draws x block) array, whatever the number of rows. The Monte Carlo
        error of the endpoints shrinks with the number of posterior draws.
        """
        check_is_fitted(self)
        owner = type(self).__name__
        prob = check_prob(prob, owner)
        X = validate_data(self, X, reset=False, dtype=np.float64)
        offset = check_offset(self._likelihood, exposure, offset, X.shape[0],
                              f"{owner}.predict_interval")
        seed = self.random_seed if random_state is None else random_state
        rng = np.random.default_rng(seed)
        sigma = self._sigma_draws()
        tails = [(1.0 - prob) / 2.0, (1.0 + prob) / 2.0]
        lo, hi = np.empty(X.shape[0]), np.empty(X.shape[0])
        likelihood = likelihood_at_draws(self._likelihood, self._posterior())
        for rows, eta in self._linear_predictor_blocks(X, offset):
            draws = likelihood.interval_draws(eta, sigma, rng)
            # counts: a quantile that is itself a count (no interpolation between counts)
            method = "inverted_cdf" if np.issubdtype(draws.dtype, np.integer) else "linear"
            lo[rows], hi[rows] = np.quantile(draws, tails, axis=0, method=method)
        return lo, hi

    def sample_posterior_predictive(self, *, random_seed=None):
        r"""Replicates of the training y, one per posterior draw, for posterior predictive checks.

        For every posterior draw :math:`(b_0, w, \sigma)` one
        :math:`\tilde y \sim p(y \mid b_0 + X w, \sigma)` at the training rows,
        from the likelihood of the model (a new observation for the regressor,
        0/1 labels for the classifier).  The draws are added to ``idata_`` as
        the group ``posterior_predictive`` (variable ``y``, dims ``chain, draw,
        obs``), beside ``observed_data``, so ``arviz.plot_ppc(model.idata_)``
        works; as PyMC's ``sample_posterior_predictive(idata,
        extend_inferencedata=True)``.

        Parameters
        ----------
        random_seed : int, numpy.random.Generator or None, default=None
            Seeds the draws; ``None`` uses the estimator's ``random_seed``.

        Returns
        -------
        arviz.InferenceData
            ``idata_``, now with a ``posterior_predictive`` group (replaced if
            it was there).

        Notes
        -----
        The group holds chains x draws x n_samples numbers (32 GB for 4000
        draws of a million rows), which is why it is never computed during
        ``fit``.
        """
        check_is_fitted(self)
        idata = self.idata_
        X = idata.constant_data["X"].values
        seed = self.random_seed if random_seed is None else random_seed
        rng = np.random.default_rng(seed)
        sigma = self._sigma_draws()
        posterior = idata.posterior
        chains, draws = posterior.sizes["chain"], posterior.sizes["draw"]
        replicates = np.empty((chains * draws, X.shape[0]))
        constants = idata.constant_data  # the training rows' known log exposure, if any
        offset = constants["offset"].values if "offset" in constants else None
        likelihood = likelihood_at_draws(self._likelihood, posterior)
        for rows, eta in self._linear_predictor_blocks(X, offset):
            replicates[:, rows] = likelihood.predictive_draws(eta, sigma, rng)
        group = xr.Dataset(
            {"y": (("chain", "draw", "obs"), replicates.reshape(chains, draws, -1))},
            coords={"chain": posterior["chain"].values, "draw": posterior["draw"].values,
                    "obs": idata.observed_data["obs"].values},
        )
        if "posterior_predictive" in idata.groups():
            del idata.posterior_predictive
        idata.add_groups(posterior_predictive=group)
        return idata
