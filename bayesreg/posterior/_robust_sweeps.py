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
   the noise prior (``sigma_prior``; by default ``HalfNormal(sd(y))``, :mod:`._noise_prior`).

No compiled kernel: the sweep runs every chain at once in numpy.
"""

from __future__ import annotations

import numpy as np

from ._conditionals import draw_laplace_variance
from ._gaussian_draws import (
    VARIANCE_FLOOR,
    add_to_diagonal,
    draw_gaussian_bhattacharya,
    draw_gaussian_rue,
)
from ._noise_prior import NoiseVariance

__all__ = ["ROBUST_SWEEPS"]


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
    """``mixing`` holds the gamma weights ``u_i``; precision ``u_i / sigma^2``."""

    def draw_mixing(self, resid, rng):
        df = self.likelihood.df
        rate = 0.5 * (df + resid**2 / self.sigma2[:, None])
        return rng.standard_gamma(0.5 * (df + 1.0), size=resid.shape) / rate

    def precision(self):
        return self.mixing / self.sigma2[:, None]

    def update_noise(self, coef, rng):
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
