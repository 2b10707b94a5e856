r"""Gibbs sampler of the spike-and-slab prior with the Gaussian likelihood.

The model (:class:`bayesreg.model.spike_and_slab.SpikeAndSlab`), on centred data
(the flat intercept integrated out):

.. math::

    y_c \mid \gamma, w, \sigma \sim N(X_{c,\gamma} w_\gamma, \sigma^2 I), \quad
    w_\gamma \sim N(0, s^2 I), \quad P(\gamma) = \frac{B(a + k, b + p - k)}{B(a, b)}

(:math:`\pi` integrated out; :math:`k = \sum_j \gamma_j`). One sweep:

1. each :math:`\gamma_j \mid \gamma_{-j}, \sigma, y` **with** :math:`w` **integrated
   out** (George & McCulloch 1997's collapsed update): the marginal likelihood
   of the active set :math:`\gamma` is, up to a constant free of :math:`\gamma`,

   .. math::

       \log m(\gamma) = -k \log s - \log\lvert A_\gamma\rvert^{1/2}
           + \tfrac12 b_\gamma^\top A_\gamma^{-1} b_\gamma, \quad
       A_\gamma = \frac{X_\gamma^\top X_\gamma}{\sigma^2} + \frac{I}{s^2}, \quad
       b_\gamma = \frac{X_\gamma^\top y_c}{\sigma^2},

   from a Cholesky factor of :math:`A_\gamma` (Woodbury and the matrix determinant
   lemma applied to :math:`\sigma^2 I + s^2 X_\gamma X_\gamma^\top`);
2. :math:`w_\gamma \mid \gamma, \sigma, y \sim N(A_\gamma^{-1} b_\gamma, A_\gamma^{-1})`,
   the other coefficients exactly 0;
3. :math:`\sigma^2 \mid w, y` when learned, under the package's ``HalfNormal(sd(y))``
   (the conditional of :mod:`._conditionals`, as in the other Gibbs samplers);
4. recorded beside them: :math:`\pi \mid \gamma \sim \text{Beta}(a + k, b + p - k)`
   and the intercept :math:`N(\bar y, \sigma^2/n) - \bar x^\top w`.

Steps 1-2 draw :math:`(\gamma, w)` jointly given :math:`\sigma`, so the chain
never gets stuck at :math:`w_j = 0 \Leftrightarrow \gamma_j = 0` as an
uncollapsed sampler would. Every chain runs at once: an inactive feature's row
and column of :math:`A` are replaced by those of the identity, which leaves its
determinant and quadratic form unchanged, so the chains' different active sets
share one batched Cholesky factorisation.
"""

from __future__ import annotations

import numpy as np
import xarray as xr
from scipy import special

from ..model.hyperpriors import HalfNormal
from ._conditionals import draw_variance
from .model import sigma_prior_scale

__all__ = ["log_marginal_likelihood", "sample_spike_and_slab"]


def _precision(gram, Xty, mask, sigma2, slab_scale):
    """Batched ``A_gamma`` (inactive rows/columns: identity) and ``b_gamma`` (inactive: 0)."""
    outer = mask[:, :, None] * mask[:, None, :]
    A = gram[None] * outer / sigma2[:, None, None]
    diagonal = mask / slab_scale**2 + (1.0 - mask)
    A[:, np.arange(mask.shape[1]), np.arange(mask.shape[1])] += diagonal
    return A, mask * Xty / sigma2[:, None]


def log_marginal_likelihood(gram, Xty, mask, sigma2, slab_scale):
    r"""``log m(gamma)`` of the module docstring for each row of ``mask`` (chains x p, 0/1).

    Returns the log marginal likelihood (up to a constant free of :math:`\gamma`),
    the Cholesky factors and the whitened ``u = L^{-1} b``.
    """
    A, b = _precision(gram, Xty, mask, sigma2, slab_scale)
    chol = np.linalg.cholesky(A)
    u = np.linalg.solve(chol, b[:, :, None])[:, :, 0]
    log_det_half = np.log(np.diagonal(chol, axis1=1, axis2=2)).sum(axis=1)
    k = mask.sum(axis=1)
    return -k * np.log(slab_scale) - log_det_half + 0.5 * np.sum(u**2, axis=1), chol, u


def _log_model_prior(k, p, a, b):
    """``log P(gamma)`` of a pattern with ``k`` ones (Beta-binomial, pi integrated out)."""
    return special.betaln(a + k, b + p - k)


def _update_indicators(state, data, prior, rng):
    """Every ``gamma_j`` in turn, with ``w`` integrated out (all chains at once)."""
    mask, sigma2 = state["mask"], state["sigma2"]
    chains, p = mask.shape
    a, b, s = prior.inclusion.a, prior.inclusion.b, prior.slab_scale
    current, _, _ = log_marginal_likelihood(data["gram"], data["Xty"], mask, sigma2, s)
    for j in range(p):
        flipped = mask.copy()
        flipped[:, j] = 1.0 - mask[:, j]
        other, _, _ = log_marginal_likelihood(data["gram"], data["Xty"], flipped, sigma2, s)
        on = mask[:, j] == 1.0
        log_in, log_out = np.where(on, current, other), np.where(on, other, current)
        k_rest = mask.sum(axis=1) - mask[:, j]
        log_odds = (log_in + _log_model_prior(k_rest + 1, p, a, b)
                    - log_out - _log_model_prior(k_rest, p, a, b))
        include = rng.random(chains) < special.expit(log_odds)
        current = np.where(include == on, current, other)
        mask[:, j] = include


def _draw_coef(state, data, prior, rng):
    """``w_gamma | gamma, sigma ~ N(A^{-1} b, A^{-1})``; 0 outside the active set."""
    mask = state["mask"]
    _, chol, u = log_marginal_likelihood(data["gram"], data["Xty"], mask, state["sigma2"],
                                         prior.slab_scale)
    z = rng.standard_normal(mask.shape)
    # w = L^{-T} (u + z): mean L^{-T} L^{-1} b = A^{-1} b, covariance (L L^T)^{-1}
    coef = np.linalg.solve(np.swapaxes(chol, 1, 2), (u + z)[:, :, None])[:, :, 0]
    return coef * mask


def _update_sigma2(state, data, coef, rng):
    if data["sigma_fixed"]:
        return
    rss = np.sum((data["yc"][None] - coef @ data["Xc"].T) ** 2, axis=1)
    scale = data["sigma_prior_scale"]
    state["sigma2"][:] = draw_variance(data["dof"] / 2, rss / 2, HalfNormal(scale), scale, None, rng,
                                       current=state["sigma2"])[0]


def sample_spike_and_slab(prior, sigma, X, y, *, fit_intercept, draws, tune, chains, random_seed,
                          feature_names, advance=lambda steps: None):
    """Sample the spike-and-slab posterior (Gaussian likelihood); an ``xarray.Dataset``.

    Variables: ``coef`` and ``inclusion`` (0/1; dims chain, draw, feature),
    ``inclusion_probability``, ``intercept`` (with ``fit_intercept``) and
    ``sigma`` (when learned). ``tune`` sweeps are discarded as burn-in.
    """
    rng = np.random.default_rng(random_seed)
    n, p = X.shape
    x_mean = X.mean(axis=0) if fit_intercept else np.zeros(p)
    y_mean = float(y.mean()) if fit_intercept else 0.0
    Xc, yc = X - x_mean, y - y_mean
    data = {"gram": Xc.T @ Xc, "Xty": Xc.T @ yc, "Xc": Xc, "yc": yc, "sigma_fixed": sigma is not None,
            "dof": n - int(fit_intercept), "sigma_prior_scale": sigma_prior_scale(y)}
    start_sigma2 = float(sigma) ** 2 if sigma is not None else max(float(np.var(yc)), 1e-12)
    # start with every feature in (a neutral start for the collapsed updates)
    state = {"mask": np.ones((chains, p)), "sigma2": np.full(chains, start_sigma2)}
    store = {"coef": np.empty((chains, draws, p)), "inclusion": np.empty((chains, draws, p), dtype=np.int8),
             "inclusion_probability": np.empty((chains, draws))}
    if fit_intercept:
        store["intercept"] = np.empty((chains, draws))
    if sigma is None:
        store["sigma"] = np.empty((chains, draws))
    a, b = prior.inclusion.a, prior.inclusion.b
    step = max(1, (tune + draws) // 100)
    for it in range(tune + draws):
        _update_indicators(state, data, prior, rng)
        coef = _draw_coef(state, data, prior, rng)
        _update_sigma2(state, data, coef, rng)
        if it >= tune:
            d = it - tune
            k = state["mask"].sum(axis=1)
            store["coef"][:, d] = coef
            store["inclusion"][:, d] = state["mask"]
            store["inclusion_probability"][:, d] = rng.beta(a + k, b + p - k)
            if fit_intercept:
                centred = y_mean + np.sqrt(state["sigma2"] / n) * rng.standard_normal(chains)
                store["intercept"][:, d] = centred - coef @ x_mean
            if sigma is None:
                store["sigma"][:, d] = np.sqrt(state["sigma2"])
        if (it + 1) % step == 0:
            advance(step * chains)
    dims = {"coef": ("chain", "draw", "feature"), "inclusion": ("chain", "draw", "feature")}
    coords = {"chain": np.arange(chains), "draw": np.arange(draws), "feature": list(feature_names)}
    return xr.Dataset({name: (dims.get(name, ("chain", "draw")), value) for name, value in store.items()},
                      coords=coords)
