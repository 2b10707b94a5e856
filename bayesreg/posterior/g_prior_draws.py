r"""Exact posterior draws under Zellner's g-prior (Gaussian likelihood).

With centred data (:math:`G = X_c^\top X_c`, :math:`\hat w = G^{-1} X_c^\top y_c`),
``dof`` :math:`= n - 1` with an intercept (integrated out under its flat prior), :math:`n` without:

.. math::

    w \mid \sigma, y \sim N\!\left(\tfrac{g}{1+g}\hat w,\; \tfrac{g}{1+g}\sigma^2 G^{-1}\right), \qquad
    p(\sigma \mid y) \propto \sigma^{-\mathrm{dof}} \exp\!\left(-\frac{S}{2\sigma^2}\right) \pi(\sigma),
    \quad S = y_c^\top y_c - \tfrac{g}{1+g}\,\hat w^\top G \hat w,

since :math:`y_c \mid \sigma \sim N(0, \sigma^2 (I + g P))` with :math:`P` the projection on
the columns of :math:`X_c`, :math:`(I + gP)^{-1} = I - \tfrac{g}{1+g}P` and
:math:`|I + gP| = (1+g)^p`. For :math:`v = \sigma^2`:

* Jeffreys :math:`\pi(\sigma) \propto 1/\sigma`: :math:`v \mid y \sim \text{InvGamma}(\mathrm{dof}/2, S/2)`;
* ``HalfNormal(beta)`` (the package's learned-sigma prior, ``beta = sd(y)``):
  :math:`p(v \mid y) \propto v^{-(\mathrm{dof}+1)/2} e^{-S/(2v) - v/(2\beta^2)}`, a generalized
  inverse Gaussian :math:`\mathrm{GIG}(\lambda = (1-\mathrm{dof})/2, \chi = S, \psi = 1/\beta^2)`.

Both are drawn exactly, then :math:`w \mid \sigma`, then the centred intercept
:math:`N(\bar y, \sigma^2/n)`: independent draws of the joint posterior.
"""

from __future__ import annotations

import numpy as np
import xarray as xr
from scipy import linalg, stats

from ..model.g_prior import check_design
from .model import sigma_prior_scale

__all__ = ["draw_sigma2", "g_prior_posterior", "sample_g_prior"]


def g_prior_posterior(X, y, g, fit_intercept=True):
    """The pieces of the closed form: ``mean`` (g/(1+g) OLS), ``chol`` of G, ``S``, ``dof``, means."""
    p = X.shape[1]
    x_mean = X.mean(axis=0) if fit_intercept else np.zeros(p)
    y_mean = float(y.mean()) if fit_intercept else 0.0
    Xc, yc = X - x_mean, y - y_mean
    chol = linalg.cholesky(check_design(Xc), lower=True)
    ols = linalg.cho_solve((chol, True), Xc.T @ yc)
    shrink = g / (1.0 + g)
    fitted = Xc @ ols
    S = max(float(yc @ yc - shrink * fitted @ fitted), 0.0)
    return {"mean": shrink * ols, "chol": chol, "shrinkage": shrink, "S": S,
            "dof": X.shape[0] - int(fit_intercept), "x_mean": x_mean, "y_mean": y_mean}


def draw_sigma2(S, dof, size, rng, sigma_prior="halfnormal", beta=1.0):
    """Exact draws of ``sigma^2 | y`` (module docstring): ``"halfnormal"`` (scale ``beta``) or ``"jeffreys"``."""
    if sigma_prior == "jeffreys":
        if dof <= 0 or S <= 0:
            raise ValueError("g-prior with Jeffreys' sigma prior: the posterior is improper "
                             "(no residual degrees of freedom); fix sigma.")
        return (S / 2.0) / rng.standard_gamma(dof / 2.0, size=size)
    if sigma_prior != "halfnormal":
        raise ValueError(f"sigma_prior must be 'halfnormal' or 'jeffreys', got {sigma_prior!r}.")
    lam, chi, psi = (1.0 - dof) / 2.0, S, 1.0 / beta**2
    if chi <= 0:  # a perfect fit: v^(lam-1) e^{-psi v/2}, a Gamma(lam, rate psi/2) (lam > 0 needed)
        if lam <= 0:
            raise ValueError("g-prior: y is fitted exactly and sigma's posterior is improper; fix sigma.")
        return rng.standard_gamma(lam, size=size) * 2.0 / psi
    x = stats.geninvgauss.rvs(lam, np.sqrt(chi * psi), size=size, random_state=rng)
    return np.sqrt(chi / psi) * x


def exact_sigma_prior_refusal(sigma_prior):
    """Why the exact g-prior draws cannot take ``sigma_prior``, or None if they can.

    The half-normal (GIG, drawn exactly) and the conjugate inverse gamma family
    (InverseGamma on sigma^2, Gamma on 1/sigma^2, Jeffreys) have closed forms;
    the half-Cauchy's marginal of sigma^2 has none.
    """
    if sigma_prior is None or sigma_prior.gibbs_variance_update in ("rejection_inverse_gamma",
                                                                    "conjugate_inverse_gamma"):
        return None
    return (f"has no closed form of sigma's posterior under sigma_prior={sigma_prior!r} (only "
            "HalfNormal, InverseGamma, Gamma and Jeffreys are conjugate or drawn exactly).")


def _draw_sigma2_under(sigma_prior, post, size, rng, y):
    """``sigma^2 | y`` under ``sigma_prior`` (None: ``HalfNormal(sd(y))``)."""
    if sigma_prior is None:
        return draw_sigma2(post["S"], post["dof"], size, rng, "halfnormal", sigma_prior_scale(y))
    reason = exact_sigma_prior_refusal(sigma_prior)
    if reason is not None:
        raise ValueError(f"sampler='exact' {reason} Use sampler='nutpie'.")
    if sigma_prior.gibbs_variance_update == "rejection_inverse_gamma":
        return draw_sigma2(post["S"], post["dof"], size, rng, "halfnormal", sigma_prior.gibbs_parameters)
    a, b = sigma_prior.gibbs_parameters  # v | y ~ InvGamma(dof/2 + a, S/2 + b); Jeffreys: a = b = 0
    if post["dof"] / 2.0 + a <= 0 or post["S"] / 2.0 + b <= 0:
        raise ValueError("g-prior with Jeffreys' sigma prior: the posterior is improper "
                         "(no residual degrees of freedom); fix sigma.")
    return (post["S"] / 2.0 + b) / rng.standard_gamma(post["dof"] / 2.0 + a, size=size)


def sample_g_prior(X, y, g, sigma, *, fit_intercept, draws, chains, random_seed, feature_names,
                   sigma_prior=None):
    """Independent draws of ``coef``, ``intercept`` and (when learned) ``sigma``; an ``xarray.Dataset``.

    A learned sigma has ``sigma_prior`` (None: ``HalfNormal(sd(y))``; see
    :func:`exact_sigma_prior_refusal` for those drawn exactly).
    """
    rng = np.random.default_rng(random_seed)
    n, p = X.shape
    post = g_prior_posterior(X, y, g, fit_intercept)
    total = chains * draws
    if sigma is None:
        sigma2 = _draw_sigma2_under(sigma_prior, post, total, rng, y)
    else:
        sigma2 = np.full(total, float(sigma) ** 2)
    z = rng.standard_normal((p, total))
    # G = L L^T: L^{-T} z has covariance G^{-1}
    noise = linalg.solve_triangular(post["chol"], z, lower=True, trans="T")
    coef = (post["mean"][:, None] + np.sqrt(post["shrinkage"] * sigma2) * noise).T
    coords = {"chain": np.arange(chains), "draw": np.arange(draws), "feature": list(feature_names)}
    data_vars = {"coef": (("chain", "draw", "feature"), coef.reshape(chains, draws, p))}
    if fit_intercept:
        centred = post["y_mean"] + np.sqrt(sigma2 / n) * rng.standard_normal(total)
        data_vars["intercept"] = (("chain", "draw"), (centred - coef @ post["x_mean"]).reshape(chains, draws))
    if sigma is None:
        data_vars["sigma"] = (("chain", "draw"), np.sqrt(sigma2).reshape(chains, draws))
    return xr.Dataset(data_vars, coords=coords)
