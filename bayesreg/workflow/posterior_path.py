"""The posterior along a grid of prior scales: the Bayesian regularization path."""

from __future__ import annotations

from dataclasses import dataclass

import arviz as az
import numpy as np

from ..model._checks import check_bool
from ..model.likelihoods import get_likelihood
from ..model.offset import check_offset
from ..map.path import _check_scales, _feature_names
from ._posterior_for import posterior_estimator
from ..model.priors import Prior

__all__ = ["PosteriorPath", "posterior_path"]


@dataclass(frozen=True)
class PosteriorPath:
    """Posterior summaries of the coefficients at each prior scale.

    Attributes
    ----------
    scales : ndarray of shape (n_scales,)
    mean, median, sd, hdi_low, hdi_high : ndarray of shape (n_scales, n_features)
        Posterior mean, median, standard deviation and HDI bounds of each
        coefficient at each scale.
    hdi_prob : float
    feature_names : list of str
    prior : Prior
        The prior at the first scale.
    sigma : float or None
        The fixed noise sd, or None when it was learned.
    sampler : str
        The sampler that ran (``"auto"`` resolved; see
        :meth:`bayesreg.model.priors.Prior.samplers`).
    map_coef : ndarray of shape (n_scales, n_features) or None
        The MAP of the same model at each scale (the estimators' ``map_``;
        NaN rows where a prior has no MAP).
    """

    scales: np.ndarray
    mean: np.ndarray
    median: np.ndarray
    sd: np.ndarray
    hdi_low: np.ndarray
    hdi_high: np.ndarray
    hdi_prob: float
    feature_names: list
    prior: Prior
    sigma: float | None
    sampler: str
    map_coef: np.ndarray | None = None


def posterior_path(
    X, y, prior, scales, *, sigma=None, likelihood="gaussian", fit_intercept=True,
    hdi_prob=0.94, sampler="auto", draws=1000, tune=1000, chains=4, random_seed=0,
    standardize=False, exposure=None, offset=None,
):
    """Sample the posterior of the same model at every prior scale in ``scales``.

    One estimator is refitted at each scale (``set_params(prior=...)``), so
    the PyMC model is built and compiled once: only the shared prior scale
    changes between fits (see :mod:`bayesreg.posterior.samplers`).

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    y : array-like of shape (n_samples,)
    prior : Normal, Laplace, ElasticNet
        The family; its scale is replaced by each of ``scales``.
    scales : array-like of shape (n_scales,)
        Positive prior scales (e.g. those of a :func:`bayesreg.map_path`).
    sigma : float or None, default=None
        Fixed noise sd (Gaussian), or None to learn it at every scale.
    likelihood : {"gaussian", "bernoulli"}, default="gaussian"
    fit_intercept : bool, default=True
    hdi_prob : float, default=0.94
    sampler : str, default="auto"
        ``"auto"`` (or None) runs the prior's first choice
        (:meth:`bayesreg.model.priors.Prior.samplers`): ``"exact"`` (closed-form
        independent draws) for a Normal prior with a Gaussian likelihood and
        fixed ``sigma``, ``"gibbs"`` where a Gibbs scheme exists, else
        ``"nutpie"``. Any other name of :class:`bayesreg.PosteriorRegressor`
        forces that sampler.
    draws, tune, chains : int, default=1000, 1000, 4
        Per scale (nutpie samples the diabetes lasso at this size in about 1 s).
    random_seed : int or None, default=0
    standardize : bool, default=False
        True: the prior applies to the coefficients of the columns divided by
        their sd (divisor n, glmnet's default); every summary is on the
        original scale (see :class:`bayesreg.PosteriorRegressor`).
    exposure, offset : array-like of shape (n_samples,), optional
        For a likelihood with an offset (Poisson), as in
        :meth:`bayesreg.PosteriorRegressor.fit`, at every scale.

    Returns
    -------
    PosteriorPath
    """
    check_bool(fit_intercept, "fit_intercept", "posterior_path")
    check_bool(standardize, "standardize", "posterior_path")
    likelihood = get_likelihood(likelihood)
    if not isinstance(prior, Prior) or prior.is_hierarchical or not hasattr(prior, "scale"):
        raise TypeError(
            f"posterior_path: prior must be Normal, Laplace or ElasticNet with a fixed scale "
            f"(the family whose scale is varied), got {prior!r}."
        )
    scales = _check_scales(scales)
    if sampler is None:  # the default before "auto" existed
        sampler = "auto"
    common = dict(fit_intercept=fit_intercept, standardize=standardize, sampler=sampler, draws=draws, tune=tune,
                  chains=chains, random_seed=random_seed, progressbar=False)
    # refuses a sigma where it has no role
    model = posterior_estimator(prior, likelihood, sigma, "posterior_path", **common)
    offset = check_offset(likelihood, exposure, offset, np.shape(X)[0], "posterior_path")
    fit_kwargs = {} if offset is None else {"offset": offset}

    stats = {k: [] for k in ("mean", "median", "sd", "hdi_low", "hdi_high", "map_coef")}
    for scale in scales:
        model.set_params(prior=prior.with_scale(float(scale))).fit(X, y, **fit_kwargs)
        coef = model.idata_.posterior["coef"]
        hdi = az.hdi(coef, hdi_prob=hdi_prob)["coef"].values
        stats["mean"].append(model.coef_)
        stats["median"].append(model.coef_median_)
        stats["sd"].append(model.coef_sd_)
        stats["hdi_low"].append(hdi[:, 0])
        stats["hdi_high"].append(hdi[:, 1])
        stats["map_coef"].append(np.full(len(model.coef_), np.nan) if model.map_ is None
                                 else model.map_.coef_)
    names = _feature_names(X)
    if names is None:
        names = [str(f) for f in model.idata_.posterior["feature"].values]
    return PosteriorPath(
        scales=scales, **{k: np.array(v) for k, v in stats.items()}, hdi_prob=float(hdi_prob),
        feature_names=names, prior=prior.with_scale(float(scales[0])),
        sigma=None if sigma is None else float(sigma), sampler=model.sampler_,
    )
