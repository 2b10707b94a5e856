"""Closed-form posterior draws for the conjugate model: Normal prior, fixed sigma, Gaussian."""

from __future__ import annotations

import numpy as np
import xarray as xr
from scipy import linalg

__all__ = ["conjugate_posterior", "sample_conjugate", "sample_exact"]


def conjugate_posterior(X, y, scale, sigma, fit_intercept=True):
    r"""Mean and covariance of the conjugate posterior.

    With centred data :math:`X_c, y_c`, a flat prior on the intercept and
    :math:`w \sim N(0, t^2 I)`, the posterior factorises into

    .. math::

        w \mid y \sim N(m, \Sigma), \quad
        \Sigma = \left(\frac{X_c^\top X_c}{\sigma^2} + \frac{I}{t^2}\right)^{-1}, \quad
        m = \Sigma \frac{X_c^\top y_c}{\sigma^2},

    and the centred intercept :math:`b_c \sim N(\bar y, \sigma^2/n)`, independent
    of :math:`w`; the reported intercept is :math:`b_c - \bar x^\top w`.

    Returns
    -------
    mean : ndarray (p,)
    precision_cholesky : ndarray (p, p)
        Lower Cholesky factor ``L`` of the precision :math:`\Sigma^{-1} = L L^\top`.
    x_mean : ndarray (p,)
    y_mean : float
    """
    p = X.shape[1]
    x_mean = X.mean(axis=0) if fit_intercept else np.zeros(p)
    y_mean = float(y.mean()) if fit_intercept else 0.0
    Xc, yc = X - x_mean, y - y_mean
    precision = Xc.T @ Xc / sigma**2
    precision.flat[:: p + 1] += 1.0 / scale**2
    chol = linalg.cholesky(precision, lower=True)
    mean = linalg.cho_solve((chol, True), Xc.T @ yc / sigma**2)
    return mean, chol, x_mean, y_mean


def sample_exact(X, y, scale, sigma, *, fit_intercept, draws, chains, random_seed, feature_names):
    """Independent draws from the conjugate posterior, as an ``xarray.Dataset``.

    ``w = m + L^{-T} z`` with ``z ~ N(0, I)`` has covariance ``(L L^T)^{-1}``.
    """
    rng = np.random.default_rng(random_seed)
    n, p = X.shape
    mean, chol, x_mean, y_mean = conjugate_posterior(X, y, scale, sigma, fit_intercept)
    z = rng.standard_normal((p, chains * draws))
    coef = (mean[:, None] + linalg.solve_triangular(chol, z, lower=True, trans="T")).T
    coef = coef.reshape(chains, draws, p)
    coords = {"chain": np.arange(chains), "draw": np.arange(draws), "feature": list(feature_names)}
    data_vars = {"coef": (("chain", "draw", "feature"), coef)}
    if fit_intercept:
        intercept_c = y_mean + sigma / np.sqrt(n) * rng.standard_normal((chains, draws))
        data_vars["intercept"] = (("chain", "draw"), intercept_c - coef @ x_mean)
    return xr.Dataset(data_vars, coords=coords)


def sample_conjugate(prior, X, y, sigma, *, fit_intercept, draws, chains, random_seed, feature_names):
    """Independent draws from the closed-form posterior of ``prior`` (its ``conjugate_scheme``).

    ``"normal"``: :func:`sample_exact` (Normal prior of fixed scale, fixed sigma);
    ``"g_prior"``: :func:`bayesreg.posterior.g_prior_draws.sample_g_prior`
    (Zellner's g-prior, sigma fixed or learned).
    """
    kwargs = dict(fit_intercept=fit_intercept, draws=draws, chains=chains, random_seed=random_seed,
                  feature_names=feature_names)
    if prior.conjugate_scheme == "g_prior":
        from .g_prior_draws import sample_g_prior

        return sample_g_prior(X, y, prior.g, sigma, **kwargs)
    return sample_exact(X, y, prior.scale, sigma, **kwargs)
