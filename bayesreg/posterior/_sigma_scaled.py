r"""The Gibbs sweep of a prior scaled by sigma (``Prior.scale_by_sigma``), Gaussian likelihood.

The prior's scale mixture is then one of the coefficients in units of the noise,
:math:`w_j \mid v_j, \sigma^2 \sim N(0, \sigma^2 v_j)`, with the mixture's
variances ``v_j`` exactly as in today's form (Park & Casella 2008, section 2).
Given the rest, with the intercept integrated out (flat prior, centred data):

1. :math:`w \mid v, \sigma^2 \sim N(A^{-1}X_c^\top y_c/\sigma^2, A^{-1})`,
   :math:`A = (X_c^\top X_c + V^{-1})/\sigma^2`: today's draw with variances :math:`\sigma^2 v`;
2. :math:`\sigma^2 \mid w, v` has density proportional to

   .. math::

       (\sigma^2)^{-(n-1)/2} e^{-\mathrm{RSS}/(2\sigma^2)}
       \prod_j (\sigma^2)^{-1/2} e^{-w_j^2/(2\sigma^2 v_j)} \, \pi(\sigma^2)
       = (\sigma^2)^{-k} e^{-b/\sigma^2}\,\pi(\sigma^2),\quad
       k = \frac{n - 1 + p}{2},\; b = \frac{\mathrm{RSS} + \sum_j w_j^2/v_j}{2}

   (``n - 1`` without the intercept becomes ``n``). Under an inverse-gamma or
   Jeffreys prior this is Park & Casella's inverse gamma; under our
   ``HalfNormal(sd(y))`` prior on sigma it is the same generalised inverse
   Gaussian the unscaled sampler draws (:func:`._conditionals.draw_variance`),
   with the prior's terms added to ``k`` and ``b``;
3. :math:`v \mid w, \sigma`: the mixture's own update given :math:`w/\sigma`
   (the coefficients in units of the noise), its learned scale included.

These run in numpy (all chains at once); the compiled sweep and the collapsed
horseshoe ``tau`` step (p > n) are today's form only.
"""

from __future__ import annotations

import numpy as np

from ._gaussian_draws import VARIANCE_FLOOR

__all__ = ["sigma_scaled_sweep"]


def sigma_scaled_sweep(sweep, mixture, rng):
    """One sweep of every chain for a prior scaled by sigma; returns the coefficients."""
    variances = np.maximum(mixture.variances, VARIANCE_FLOOR)
    coef = sweep.draw_coef(variances * sweep.sigma2[:, None], rng)
    if not sweep.sigma_fixed:
        rss = sweep.residual_sum_of_squares(coef)
        prior_ss = np.sum(coef**2 / variances, axis=1)
        k = (sweep.n - int(sweep.fit_intercept) + sweep.p) / 2
        # the sweep's noise prior (sigma_prior; default HalfNormal(sd(y)))
        sweep.sigma2[:] = sweep.noise.draw(k, (rss + prior_ss) / 2, rng, current=sweep.sigma2)
    mixture.update(coef / np.sqrt(sweep.sigma2)[:, None], rng)
    mixture.state.coef[:] = coef
    return coef
