"""Closed-form posterior draws for the conjugate model: Normal prior, fixed sigma, Gaussian."""

from __future__ import annotations

import numpy as np
import xarray as xr
from scipy import linalg

from ..model.sufficient_statistics import SufficientStatistics
from ._blas_threads import one_blas_thread
from ._coordinates import draws_coordinates

__all__ = ["conjugate_posterior", "gaussian_statistics", "sample_conjugate", "sample_exact"]


def gaussian_statistics(X, y):
    """``X`` itself if it is a :class:`SufficientStatistics` (then ``y`` is None), else those of the rows."""
    if isinstance(X, SufficientStatistics):
        return X
    return SufficientStatistics.from_arrays(X, y)


def conjugate_posterior(X, y, scale, sigma, fit_intercept=True):
    r"""Mean and covariance of the conjugate posterior.

    With centred data :math:`X_c, y_c`, a flat prior on the intercept and
    :math:`w \sim N(0, T)`, :math:`T = \mathrm{diag}(t_j^2)` (``scale`` a number
    :math:`t`, or one :math:`t_j` per feature), the posterior factorises into

    .. math::

        w \mid y \sim N(m, \Sigma), \quad
        \Sigma = \left(\frac{X_c^\top X_c}{\sigma^2} + T^{-1}\right)^{-1}, \quad
        m = \Sigma \frac{X_c^\top y_c}{\sigma^2},

    and the centred intercept :math:`b_c \sim N(\bar y, \sigma^2/n)`, independent
    of :math:`w`; the reported intercept is :math:`b_c - \bar x^\top w`.

    It needs the data only through their sufficient statistics: ``X`` may be a
    :class:`~bayesreg.model.sufficient_statistics.SufficientStatistics` (``y`` None).

    Returns
    -------
    mean : ndarray (p,)
    precision_cholesky : ndarray (p, p)
        Lower Cholesky factor ``L`` of the precision :math:`\Sigma^{-1} = L L^\top`.
    x_mean : ndarray (p,)
    y_mean : float
    """
    gram, xty, _, x_mean, y_mean, _ = gaussian_statistics(X, y).cross_products(fit_intercept)
    p = xty.shape[0]
    precision = gram / sigma**2
    precision.flat[:: p + 1] += 1.0 / scale**2
    chol = linalg.cholesky(precision, lower=True)
    mean = linalg.cho_solve((chol, True), xty / sigma**2)
    return mean, chol, x_mean, y_mean


def sample_exact(X, y, scale, sigma, *, fit_intercept, draws, chains, random_seed, feature_names):
    """Independent draws from the conjugate posterior, as an ``xarray.Dataset``.

    ``w = m + L^{-T} z`` with ``z ~ N(0, I)`` has covariance ``(L L^T)^{-1}``.
    ``X`` may be a :class:`SufficientStatistics` (``y`` None).
    """
    rng = np.random.default_rng(random_seed)
    stats = gaussian_statistics(X, y)
    n, p = stats.n_samples, stats.n_features
    mean, chol, x_mean, y_mean = conjugate_posterior(stats, None, scale, sigma, fit_intercept)
    z = rng.standard_normal((p, chains * draws))
    coords = draws_coordinates(chains, draws, feature_names)
    with one_blas_thread():  # products of p-sized factors only: see _blas_threads
        # L^{-T} once (p x p), then one matrix product: solving against the thousands
        # of columns of z (LAPACK trtrs) costs ~20x more than this for p = 10
        root = linalg.solve_triangular(chol, np.eye(p), lower=True, trans="T")
        coef = (z.T @ root.T + mean).reshape(chains, draws, p)  # C-contiguous, as saved
        data_vars = {"coef": (("chain", "draw", "feature"), coef)}
        if fit_intercept:
            intercept_c = y_mean + sigma / np.sqrt(n) * rng.standard_normal((chains, draws))
            data_vars["intercept"] = (("chain", "draw"), intercept_c - coef @ x_mean)
    return xr.Dataset(data_vars, coords=coords)


def sample_conjugate(prior, X, y, sigma, *, fit_intercept, draws, chains, random_seed, feature_names,
                     sigma_prior=None):
    """Independent draws from the closed-form posterior of ``prior`` (its ``conjugate_scheme``).

    ``"normal"``: :func:`sample_exact` (Normal prior of fixed scale, fixed sigma);
    ``"g_prior"``: :func:`bayesreg.posterior.g_prior_draws.sample_g_prior`
    (Zellner's g-prior, sigma fixed or learned, under ``sigma_prior``).
    """
    kwargs = dict(fit_intercept=fit_intercept, draws=draws, chains=chains, random_seed=random_seed,
                  feature_names=feature_names)
    if prior.conjugate_scheme == "g_prior":
        from .g_prior_draws import sample_g_prior

        if isinstance(X, SufficientStatistics):
            raise ValueError(
                f"sampler='exact' for {prior!r} checks the design's rows (g_prior_draws.check_design) "
                "and is not yet written from SufficientStatistics; fit it on X, y."
            )

        return sample_g_prior(X, y, prior.g, sigma, sigma_prior=sigma_prior, **kwargs)
    # scale_values: a number, or one prior sd per feature (a diagonal prior covariance);
    # Normal(t, scale_by_sigma=True) at the fixed sigma is Normal(sigma * t): the same draws
    return sample_exact(X, y, prior.given_sigma(sigma).scale_values, sigma, **kwargs)


def exact_or_next(sampler, requested, prior, likelihood, sigma_prior, owner):
    """``sampler`` unless it is ``"exact"`` and the closed form does not take ``sigma_prior``.

    Then ``requested="auto"`` runs the prior's next sampler; a forced ``"exact"``, or
    a prior with no other sampler (the g-prior), is refused with the reason (:func:`~.g_prior_draws.exact_sigma_prior_refusal`).
    """
    from .g_prior_draws import exact_sigma_prior_refusal

    reason = exact_sigma_prior_refusal(sigma_prior) if sampler == "exact" else None
    if reason is None:
        return sampler
    offered = [name for name in prior.samplers(likelihood.name, False, likelihood.gibbs_prior_schemes)
               if name != "exact"]
    if requested == "exact" or not offered:
        advice = "Use sampler='nutpie'." if offered else "Choose another sigma_prior (or fix sigma)."
        which = "sampler='exact'" if requested == "exact" else f"sampler={requested!r} chose 'exact', which"
        raise ValueError(f"{owner}: {which} {reason} {advice}")
    return offered[0]
