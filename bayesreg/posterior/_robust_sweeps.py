r"""Gibbs sweeps of the robust likelihoods: the Gaussian sweep with one weight per observation.

Both likelihoods are normal scale mixtures (see :mod:`bayesreg.model.robust_likelihoods`):

* Student-t: :math:`y_i \mid u_i \sim N(\eta_i, \sigma^2/u_i)`, :math:`u_i \sim \mathrm{Gamma}(\nu/2, \nu/2)`,
  so :math:`u_i \mid r_i, \sigma \sim \mathrm{Gamma}\bigl((\nu+1)/2,\ (\nu + r_i^2/\sigma^2)/2\bigr)`;
* Laplace: :math:`y_i \mid v_i \sim N(\eta_i, v_i)`, :math:`v_i \sim \mathrm{Exp}(1/(2b^2))`, so
  :math:`1/v_i \mid r_i, b` is inverse Gaussian: the draw of the Laplace prior's
  variances (:func:`._conditionals.draw_laplace_variance`) with ``|r_i|`` for ``|w_j|``.

Given the observation precisions :math:`\omega_i` (:math:`u_i/\sigma^2`, or :math:`1/v_i`)
the model is a weighted Gaussian regression, so one sweep is

1. the mixing variables ``| w, b0, sigma`` (above);
2. ``(b0, w) | omega, v`` jointly Gaussian, precision :math:`\tilde X^\top\Omega\tilde X + V^{-1}`
   (the flat intercept's prior precision 0; the weighted Gram matrix is rebuilt
   every sweep): by Cholesky when ``p + 1 < n``, else intercept-then-coefficients
   with Bhattacharya's draw, as the Polya-Gamma sweep;
3. a learned scale ``| w, b0, mixing``: :math:`\sigma^2` from
   :math:`(\sigma^2)^{-n/2} e^{-\sum u_i r_i^2/(2\sigma^2)}` (Student-t),
   :math:`b^2` from :math:`(b^2)^{-n} e^{-\sum v_i/(2b^2)}` (Laplace), each times
   the noise prior (``sigma_prior``; by default ``HalfNormal(sd(y))``, :mod:`._noise_prior`);
4. a learned Student-t df ``| u`` by slice sampling (:class:`_StudentTSweep`).

No compiled kernel: the sweep runs every chain at once in numpy.
"""

from __future__ import annotations

import math

import numpy as np

from ..model._student_t_df import df_log_conditional, df_log_conditional_marginal
from ._conditionals import draw_laplace_variance
from ._gaussian_draws import (
    VARIANCE_FLOOR,
    add_to_diagonal,
    draw_gaussian_bhattacharya,
    draw_gaussian_rue,
)
from ._slice import slice_sample
from ._noise_prior import NoiseVariance

__all__ = ["DF_WEIGHTS_INTEGRATED_OUT", "ROBUST_SWEEPS"]

#: Draw a learned Student-t df with the gamma weights integrated out (True), or given
#: them (False: its full conditional given the weights). Both leave the posterior
#: invariant (the tests run both); integrating out mixes several times faster, since
#: the weights and df are strongly dependent.
DF_WEIGHTS_INTEGRATED_OUT = True


class _ScaleMixtureSweep:
    """The weighted Gaussian sweep; subclasses draw the observation precisions and the scale."""

    has_compiled_sweep = False
    collapses_global_scale = False

    def __init__(self, likelihood, X, y, sigma, fit_intercept, chains, rng, sigma_prior=None):
        n, p = X.shape
        self.likelihood = likelihood
        self.X, self.y = X, y
        self.fit_intercept, self.n, self.p = fit_intercept, n, p
        self.design = np.column_stack([np.ones(n), X]) if fit_intercept else X
        self.joint = self.design.shape[1] < n
        self.sigma_fixed = sigma is not None
        self.noise = NoiseVariance(sigma_prior, y, chains)  # sigma_prior None: HalfNormal(sd(y))
        self.sigma_prior_scale = self.noise.spread
        if self.sigma_fixed:
            self.sigma2 = np.full(chains, float(sigma) ** 2)
        else:
            self.sigma2 = self.sigma_prior_scale**2 * np.exp(rng.uniform(-2, 0, chains))
        self.intercept = np.full(chains, float(np.median(y)) if fit_intercept else 0.0)
        self.coef = np.zeros((chains, p))
        self.mixing = np.ones((chains, n))

    def residuals(self, coef):
        return self.y - self.intercept[:, None] - coef @ self.X.T

    def draw_coef(self, variances, rng):
        self.mixing = self.draw_mixing(self.residuals(self.coef), rng)
        omega = self.precision()
        variances = np.maximum(variances, VARIANCE_FLOOR)
        chains = variances.shape[0]
        if self.joint:
            prior_precision = 1.0 / variances
            if self.fit_intercept:
                prior_precision = np.column_stack([np.zeros(chains), prior_precision])
            weighted = np.swapaxes(self.design, 0, 1)[None] * omega[:, None, :]
            precision = add_to_diagonal(np.matmul(weighted, self.design), prior_precision)
            theta = draw_gaussian_rue(precision, (omega * self.y) @ self.design, rng)
            if self.fit_intercept:
                self.intercept, coef = theta[:, 0], theta[:, 1:]
            else:
                coef = theta
        else:
            if self.fit_intercept:  # intercept | w, omega, then w | intercept, omega
                total = omega.sum(axis=1)
                resid = self.y - self.coef @ self.X.T
                self.intercept = ((omega * resid).sum(axis=1) / total
                                  + rng.standard_normal(chains) / np.sqrt(total))
            root = np.sqrt(omega)
            phi = root[:, :, None] * self.X[None]
            coef = draw_gaussian_bhattacharya(phi, root * (self.y - self.intercept[:, None]),
                                              variances, rng)
        self.coef = coef
        return coef

    def record(self, coef, rng):
        out = {"intercept": self.intercept.copy()} if self.fit_intercept else {}
        if not self.sigma_fixed:
            out["sigma"] = np.sqrt(self.sigma2)
        return out


class _StudentTSweep(_ScaleMixtureSweep):
    """``mixing`` holds the gamma weights ``u_i``; precision ``u_i / sigma^2``.

    A learned df (``likelihood.learned_parameters``) is one value per chain,
    drawn after sigma from its full conditional given the weights
    (:func:`~bayesreg.model._student_t_df.df_log_conditional`) by a slice
    sampler on log df (:mod:`._slice`), which leaves it exactly invariant.
    """

    def __init__(self, likelihood, X, y, sigma, fit_intercept, chains, rng, sigma_prior=None):
        super().__init__(likelihood, X, y, sigma, fit_intercept, chains, rng, sigma_prior)
        self.df_prior = likelihood.df if likelihood.learned_parameters else None
        # a learned df starts at its prior mean in every chain; the weights start at 1
        start = self.df_prior.mean if self.df_prior is not None else likelihood.df
        self.df = np.full(chains, float(start))

    def draw_mixing(self, resid, rng):
        df = self.df[:, None]
        rate = 0.5 * (df + resid**2 / self.sigma2[:, None])
        return rng.standard_gamma(0.5 * (df + 1.0), size=resid.shape) / rate

    def update_noise(self, coef, rng):
        self._update_sigma(coef, rng)
        if self.df_prior is None:
            return
        if DF_WEIGHTS_INTEGRATED_OUT:
            # df | w, b0, sigma with the weights integrated out: the Student-t likelihood itself;
            # the weights are redrawn given this df before anything else (draw_mixing opens the
            # next sweep), so (df, u) are one block drawn from their joint conditional
            z = self.residuals(coef) / np.sqrt(self.sigma2)[:, None]
            conditionals = [lambda df, c=c: df_log_conditional_marginal(df, z[c], self.df_prior)
                            for c in range(self.df.size)]
        else:  # df | u: the weights enter through sum(log u - u) only
            statistic = np.sum(np.log(np.maximum(self.mixing, 1e-300)) - self.mixing, axis=1)
            conditionals = [lambda df, s=s: float(df_log_conditional(df, self.n, s, self.df_prior))
                            for s in statistic]
        for chain, log_conditional in enumerate(conditionals):
            def log_density(log_df, f=log_conditional):  # on log df: + log df, the Jacobian
                return f(math.exp(log_df)) + log_df

            self.df[chain] = math.exp(slice_sample(log_density, math.log(self.df[chain]), rng))

    def record(self, coef, rng):
        out = super().record(coef, rng)
        if self.df_prior is not None:
            out["df"] = self.df.copy()
        return out

    def precision(self):
        return self.mixing / self.sigma2[:, None]

    def _update_sigma(self, coef, rng):
        if self.sigma_fixed:
            return
        weighted_rss = np.sum(self.mixing * self.residuals(coef) ** 2, axis=1)
        self.sigma2[:] = self.noise.draw(self.n / 2, weighted_rss / 2, rng, current=self.sigma2)


class _LaplaceSweep(_ScaleMixtureSweep):
    """``mixing`` holds the variances ``v_i``; ``sigma2`` is ``b^2``."""

    def draw_mixing(self, resid, rng):
        return draw_laplace_variance(np.abs(resid), np.sqrt(self.sigma2)[:, None], rng)

    def precision(self):
        return 1.0 / np.maximum(self.mixing, VARIANCE_FLOOR)

    def update_noise(self, coef, rng):
        if self.sigma_fixed:
            return
        self.sigma2[:] = self.noise.draw(float(self.n), self.mixing.sum(axis=1) / 2, rng, current=self.sigma2)


#: The sweep of each robust ``Likelihood.gibbs_augmentation``; built with the likelihood
#: (``Sweep(likelihood, X, y, sigma, fit_intercept, chains, rng)``: the Student-t's df).
ROBUST_SWEEPS = {"student_t_mixture": _StudentTSweep, "laplace_mixture": _LaplaceSweep}
