"""One Gibbs sweep of the likelihood, all chains at once (numpy).

A sweep draws the coefficients given the prior variances and the likelihood's
augmentation (:attr:`bayesreg.model.likelihoods.Likelihood.gibbs_augmentation`:
none for the Gaussian, Polya-Gamma for the Bernoulli-logit), then the noise
variance where it is learned. :data:`SWEEPS` finds the sweep of a likelihood.
"""

from __future__ import annotations

import numpy as np

from ..model.sufficient_statistics import SufficientStatistics
from . import _gaussian_draws as draws
from ._gaussian_draws import (
    VARIANCE_FLOOR,
    add_to_diagonal,
    batched_cholesky,
    draw_gaussian_bhattacharya,
    draw_gaussian_rue,
)
from ._noise_prior import NoiseVariance
from .exact import gaussian_statistics

__all__ = ["SWEEPS"]

#: Metropolis steps on the horseshoe's global scale per sweep (p > n; each is one n x n Cholesky).
_TAU_STEPS = 3


class _GaussianSweep:
    """One Gibbs sweep of the Gaussian-likelihood model, all chains at once."""

    #: Whether :mod:`._gibbs_kernel` runs this sweep compiled (when ``n >= p``).
    has_compiled_sweep = True

    @classmethod
    def build(cls, X, y, sigma, fit_intercept, chains, rng, sigma_prior=None):
        return cls(X, y, sigma, fit_intercept, chains, rng, sigma_prior)

    @property
    def collapses_global_scale(self):
        """p > n: a collapsible global scale is drawn with ``w`` integrated out."""
        return not self.use_rue

    def __init__(self, X, y, sigma, fit_intercept, chains, rng, sigma_prior=None):
        """``X, y`` the rows, or ``X`` a :class:`SufficientStatistics` and ``y`` None.

        ``sigma_prior``: the hyperprior of a learned sigma (None: ``HalfNormal(sd(y))``).

        With ``n >= p`` (or from statistics) the sweep needs the data only
        through the Gram matrix, X'y and y'y; with ``p > n`` it keeps the centred
        rows for Bhattacharya's n x n draw (and never forms the p x p Gram matrix).
        """
        if isinstance(X, SufficientStatistics) or X.shape[0] >= X.shape[1]:
            stats = gaussian_statistics(X, y)
            n, p = stats.n_samples, stats.n_features
            self.gram, self.Xty, self.yty, self.x_mean, self.y_mean, _ = stats.cross_products(fit_intercept)
            self.Xc = self.yc = None
            spread_of = stats
        else:  # p > n: the rows themselves
            n, p = X.shape
            self.x_mean = X.mean(axis=0) if fit_intercept else np.zeros(p)
            self.y_mean = float(y.mean()) if fit_intercept else 0.0
            self.Xc, self.yc = X - self.x_mean, y - self.y_mean
            spread_of = y
        self.fit_intercept, self.n, self.p = fit_intercept, n, p
        # a p x p Cholesky (Rue) wherever the Gram matrix is at hand; statistics have no rows
        self.use_rue = self.Xc is None
        self.sigma_fixed = sigma is not None
        self.noise = NoiseVariance(sigma_prior, spread_of, chains)  # used when sigma is learned
        self.sigma_prior_scale = self.noise.spread
        # the compiled sweep keeps no auxiliary variable of sigma (the half-Cauchy's)
        self.has_compiled_sweep = self.sigma_fixed or self.noise.has_compiled_update
        if self.sigma_fixed:
            self.sigma2 = np.full(chains, float(sigma) ** 2)
        else:
            self.sigma2 = self.sigma_prior_scale**2 * np.exp(rng.uniform(-2, 0, chains))

    def draw_coef(self, variances, rng):
        variances = np.maximum(variances, VARIANCE_FLOOR)
        s2 = self.sigma2
        if self.use_rue:
            precision = add_to_diagonal(self.gram / s2[:, None, None], 1.0 / variances)
            return draw_gaussian_rue(precision, self.Xty / s2[:, None], rng)
        sigma = np.sqrt(s2)
        phi = self.Xc[None, :, :] / sigma[:, None, None]
        return draw_gaussian_bhattacharya(phi, self.yc / sigma[:, None], variances, rng)

    def draw_tau_and_coef(self, mixture, rng, tuning):
        r"""``(tau, w) | lambda, sigma`` for the horseshoe when ``p > n``.

        ``tau`` by random-walk Metropolis on ``log tau`` with ``w`` integrated out,
        :math:`y_c \sim N(0, \sigma^2 I + \tau^2 X_c \Lambda^2 X_c^\top)` (Johndrow,
        Orenstein & Bhattacharya 2020: the one-at-a-time ``tau | w`` update mixes
        very slowly when p is large), then ``w | tau`` exactly (Bhattacharya).
        The step size adapts during ``tune`` only.
        """
        state, global_scale = mixture.state, mixture.hyper.scale
        lam2 = np.maximum(state.local, VARIANCE_FLOOR)
        gram = np.matmul(self.Xc[None] * lam2[:, None, :], self.Xc.T)  # X_c Lambda^2 X_c^T
        current = self._log_tau_posterior(gram, lam2, state.scale2, global_scale)
        for _ in range(_TAU_STEPS):
            step = np.exp(mixture.log_step)
            tau2 = state.scale2 * np.exp(2.0 * step * rng.standard_normal(step.shape))
            proposed = self._log_tau_posterior(gram, lam2, tau2, global_scale)
            with np.errstate(invalid="ignore"):  # -inf - -inf: a singular start, left below
                accept = np.log(rng.random(step.shape)) < proposed - current
            accept |= np.isneginf(current) & np.isfinite(proposed)
            state.scale2[:] = np.where(accept, tau2, state.scale2)
            current = np.where(accept, proposed, current)
            if tuning:
                mixture.adapt(accept)
        sigma = np.sqrt(self.sigma2)
        system = gram * (state.scale2 / self.sigma2)[:, None, None]
        add_to_diagonal(system, 1.0)
        phi = self.Xc[None, :, :] / sigma[:, None, None]
        variances = np.maximum(lam2 * state.scale2[:, None], VARIANCE_FLOOR)
        return draw_gaussian_bhattacharya(phi, self.yc / sigma[:, None], variances, rng, system=system)

    def _log_tau_posterior(self, gram, lam2, tau2, global_scale):
        """log p(log tau | lambda, sigma, y) up to a constant, per chain."""
        log_det, quad = np.empty(tau2.shape), np.empty(tau2.shape)
        singular = np.zeros(tau2.shape, dtype=bool)
        # sigma^2 (I + M M^T), M = tau X_c Lambda / sigma: condition <= 1 + tr(M M^T) (see
        # draw_gaussian_bhattacharya); beyond the bound the p x p form by Woodbury
        ratio = tau2 / self.sigma2
        dense = 1.0 + ratio * np.trace(gram, axis1=1, axis2=2) > draws.MAX_BHATTACHARYA_CONDITION
        fast = ~dense
        if fast.any():
            cov = gram[fast] * tau2[fast, None, None]
            add_to_diagonal(cov, self.sigma2[fast, None])
            chol, singular[fast] = batched_cholesky(cov)
            yc = np.broadcast_to(self.yc, (int(fast.sum()),) + self.yc.shape)
            white = np.linalg.solve(chol, yc[..., None])[..., 0]
            log_det[fast] = 2.0 * np.sum(np.log(np.diagonal(chol, axis1=1, axis2=2)), axis=1)
            quad[fast] = np.sum(white**2, axis=1)
        if dense.any():
            # log det = n log sigma^2 + log det(I + M^T M);
            # y^T cov^-1 y = (y^T y - b^T (I + M^T M)^-1 b) / sigma^2, b = M^T y
            m = self.Xc[None] * np.sqrt(lam2[dense] * ratio[dense, None])[:, None, :]
            inner = add_to_diagonal(np.matmul(np.swapaxes(m, 1, 2), m), 1.0)
            chol, singular[dense] = batched_cholesky(inner)
            white = np.linalg.solve(chol, (self.yc @ m)[..., None])[..., 0]
            log_det[dense] = (self.n * np.log(self.sigma2[dense])
                              + 2.0 * np.sum(np.log(np.diagonal(chol, axis1=1, axis2=2)), axis=1))
            quad[dense] = (self.yc @ self.yc - np.sum(white**2, axis=1)) / self.sigma2[dense]
        log_prior = -np.log1p(tau2 / global_scale**2) + 0.5 * np.log(tau2)  # C+(g), Jacobian of log tau
        # a far-out proposal (tau^2 ~ 1e14 beside a x 1e8 column) can make the covariance
        # singular to working precision: its density is then taken as 0 (rejected)
        return np.where(singular, -np.inf, -0.5 * log_det - 0.5 * quad + log_prior)

    def update_noise(self, coef, rng):
        if self.sigma_fixed:
            return
        rss = self.residual_sum_of_squares(coef)
        dof = self.n - int(self.fit_intercept)  # the intercept is integrated out
        self.sigma2[:] = self.noise.draw(dof / 2, rss / 2, rng, current=self.sigma2)

    def residual_sum_of_squares(self, coef):
        r"""``||y_c - X_c w||^2`` per chain: :math:`y^\top y - 2 w^\top X^\top y + w^\top X^\top X w`
        from the statistics (O(p^2), whatever n), from the rows when ``p > n``."""
        if self.Xc is None:
            quad = np.einsum("ci,ij,cj->c", coef, self.gram, coef)
            return np.maximum(self.yty - 2.0 * coef @ self.Xty + quad, 0.0)
        return np.sum((self.yc - coef @ self.Xc.T) ** 2, axis=1)

    def record(self, coef, rng, sigma2=None):
        """Intercept and sigma to store beside ``coef`` (one sweep, or a whole run's draws).

        The intercept integrated out of the sweep is drawn here: the centred one
        ``| w, sigma ~ N(mean(y), sigma^2 / n)``, reported as ``b_c - mean(x) @ w``.
        """
        sigma2 = self.sigma2 if sigma2 is None else sigma2
        out = {}
        if self.fit_intercept:
            centred = self.y_mean + np.sqrt(sigma2 / self.n) * rng.standard_normal(sigma2.shape)
            out["intercept"] = centred - coef @ self.x_mean
        if not self.sigma_fixed:
            out["sigma"] = np.sqrt(sigma2)
        return out


class _LogisticSweep:
    """One Polya-Gamma Gibbs sweep of the Bernoulli-logit model, all chains at once."""

    has_compiled_sweep = False
    collapses_global_scale = False

    @classmethod
    def build(cls, X, y, sigma, fit_intercept, chains, rng, sigma_prior=None):
        if hasattr(X, "build_sweep"):  # rows on a Dask cluster: one pass per sweep (._dask_gibbs)
            return X.build_sweep(fit_intercept, chains, rng)
        return cls(X, y, fit_intercept, chains, rng)

    def __init__(self, X, y, fit_intercept, chains, rng):
        try:
            from polyagamma import random_polyagamma
        except ImportError as exc:  # pragma: no cover - a declared dependency
            raise ImportError(
                "sampler='gibbs' for the Bernoulli likelihood needs the polyagamma package: "
                "pip install polyagamma"
            ) from exc
        self._random_pg = random_polyagamma
        n, p = X.shape
        self.X, self.kappa = X, y - 0.5
        self.fit_intercept, self.n, self.p = fit_intercept, n, p
        self.design = np.column_stack([np.ones(n), X]) if fit_intercept else X
        self.joint = self.design.shape[1] < n
        self.intercept = np.zeros(chains)
        self.sigma2 = np.ones(chains)  # no noise variance: a placeholder in the chains' state
        self.coef = np.zeros((chains, p))

    def draw_coef(self, variances, rng):
        variances = np.maximum(variances, VARIANCE_FLOOR)
        chains = variances.shape[0]
        eta = self.coef @ self.X.T + self.intercept[:, None]
        omega = self._random_pg(1.0, eta, random_state=rng)
        if self.joint:
            prior_precision = 1.0 / variances
            if self.fit_intercept:
                prior_precision = np.column_stack([np.zeros(chains), prior_precision])
            weighted = np.swapaxes(self.design, 0, 1)[None] * omega[:, None, :]
            precision = add_to_diagonal(np.matmul(weighted, self.design), prior_precision)
            linear = np.broadcast_to(self.design.T @ self.kappa, prior_precision.shape)
            theta = draw_gaussian_rue(precision, linear, rng)
            if self.fit_intercept:
                self.intercept, coef = theta[:, 0], theta[:, 1:]
            else:
                coef = theta
        else:
            if self.fit_intercept:  # intercept | w, omega, then w | intercept, omega
                total = omega.sum(axis=1)
                resid = self.kappa - omega * (self.coef @ self.X.T)
                self.intercept = resid.sum(axis=1) / total + rng.standard_normal(chains) / np.sqrt(total)
            root = np.sqrt(omega)
            phi = root[:, :, None] * self.X[None]
            alpha = (self.kappa - omega * self.intercept[:, None]) / root
            coef = draw_gaussian_bhattacharya(phi, alpha, variances, rng)
        self.coef = coef
        return coef

    def update_noise(self, coef, rng):
        pass

    def record(self, coef, rng):
        return {"intercept": self.intercept.copy()} if self.fit_intercept else {}


#: The sweep of each Gibbs augmentation (``Likelihood.gibbs_augmentation``; None: already Gaussian).
SWEEPS = {None: _GaussianSweep, "polya_gamma": _LogisticSweep}
