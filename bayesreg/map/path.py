"""MAP coefficients along a grid of prior scales: the regularization path."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.utils.validation import check_array, check_consistent_length

from ..model._checks import check_bool, check_map_prior, check_positive_or_none
from ..model.column_scaling import ColumnScaling
from ..model.likelihoods import get_likelihood
from ..model.mapping import penalty_strength, to_penalty
from ..model.offset import check_offset
from ..model.priors import Prior
from .noise import estimate_sigma
from .solve import solve_map

__all__ = ["MAPPath", "map_path"]


@dataclass(frozen=True)
class MAPPath:
    """MAP estimates along a grid of prior scales.

    Attributes
    ----------
    scales : ndarray of shape (n_scales,)
        The prior scales, in the order given.
    coefs : ndarray of shape (n_scales, n_features)
        MAP coefficients at each scale.
    intercepts : ndarray of shape (n_scales,)
    penalties : list of dict
        ``to_penalty(...)`` at each scale: the scikit-learn estimator and
        parameters each row equals (None for a prior that is not an L1/L2
        penalty, ``prior.is_convex`` False).
    alphas : ndarray of shape (n_scales,)
        The equivalent penalty strength: the ``alpha`` of that estimator, or
        ``C`` for logistic regression (NaN where there is none).
    sigma : float or None
        The noise scale used (Gaussian likelihood).
    feature_names : list of str
    prior : Prior
        The prior at the first scale (the family and fixed parameters).
    """

    scales: np.ndarray
    coefs: np.ndarray
    intercepts: np.ndarray
    penalties: list
    alphas: np.ndarray
    sigma: float | None
    feature_names: list
    prior: object

    def to_frame(self):
        """The coefficients as a DataFrame, one row per scale, one column per feature."""
        index = pd.Index(self.scales, name="scale")
        return pd.DataFrame(self.coefs, index=index, columns=self.feature_names)


def _check_scales(scales):
    scales = np.asarray(scales, dtype=float).ravel()
    if scales.size == 0:
        raise ValueError("scales is empty; pass at least one positive prior scale.")
    if not np.all(np.isfinite(scales)) or np.any(scales <= 0):
        raise ValueError(f"scales must be finite and > 0; got {scales[~(scales > 0)][:5]} among them.")
    return scales


def map_path(
    X,
    y,
    prior,
    scales,
    *,
    sigma=None,
    fit_intercept=True,
    likelihood="gaussian",
    standardize=False,
    tol=1e-10,
    max_iter=100_000,
    exposure=None,
    offset=None,
):
    r"""MAP coefficients for the prior at every scale in ``scales``.

    Each row equals ``MAPRegressor(prior_at_scale, sigma=sigma).fit(X, y)``
    (or ``MAPClassifier`` for ``likelihood="bernoulli"``).  The Normal prior's
    path comes from one SVD of the centred X,

    .. math:: w(t) = V \operatorname{diag}\!\left(\frac{d}{d^2 + \sigma^2/t^2}\right) U^\top y,

    all scales at once; L1 paths run from the smallest scale (all zeros) up,
    each fit warm-started at the previous one.  With ``sigma=None`` the noise
    scale is estimated once by :func:`bayesreg.estimate_sigma`, so every row
    uses the same sigma.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    y : array-like of shape (n_samples,)
    prior : Normal, Laplace or ElasticNet
        The prior family; its scale is replaced by each of ``scales`` (an
        ElasticNet keeps its ``l1_ratio``).
    scales : array-like of shape (n_scales,)
        Positive prior scales.  For a per-feature prior, its reference scale:
        each row multiplies the whole scale vector by one factor, keeping the
        relative scales (``prior.with_scale``; :mod:`bayesreg.model._per_feature`).
    sigma : float or None, default=None
        Noise standard deviation (Gaussian); ``None`` estimates it.
    fit_intercept : bool, default=True
    likelihood : {"gaussian", "bernoulli"}, default="gaussian"
    standardize : bool, default=False
        True: the prior applies to the coefficients of the columns divided by
        their sd (divisor n, glmnet's default); ``coefs`` are reported on the
        original scale, ``penalties`` are those of the standardised problem.
    tol, max_iter
        Solver settings, as in the estimators.
    exposure, offset : array-like of shape (n_samples,), optional
        For a likelihood with an offset (Poisson), as in
        :meth:`bayesreg.MAPRegressor.fit`: every row of the path is the MAP
        with ``log E[y] = log(exposure) + intercept + X @ coef``.

    Returns
    -------
    MAPPath
    """
    check_bool(fit_intercept, "fit_intercept", "map_path")
    check_bool(standardize, "standardize", "map_path")
    if not isinstance(prior, Prior) or not prior.has_map:
        check_map_prior(prior, "map_path")  # raises the right explanation
    scales = _check_scales(scales)
    priors = [prior.with_scale(float(s)) for s in scales]
    check_map_prior(priors[0], "map_path")
    sigma = check_positive_or_none(sigma, "sigma", "map_path")

    likelihood = get_likelihood(likelihood)
    sigma = likelihood.sigma_for(sigma, "map_path")

    feature_names = _feature_names(X)
    X = check_array(X, dtype=np.float64, ensure_min_samples=2)
    y, _ = likelihood.check_target(y, "map_path")
    check_consistent_length(X, y)
    offset = check_offset(likelihood, exposure, offset, X.shape[0], "map_path")
    scaling = ColumnScaling(X, standardize, "map_path", feature_names)
    X = scaling.transform(X)  # the data the prior sees; coefs are brought back below
    if likelihood.has_sigma and sigma is None:
        sigma = estimate_sigma(X, y, fit_intercept=fit_intercept, likelihood=likelihood)
    # a non-convex prior has no library penalty (see Prior.is_convex): None, alpha NaN
    # (and a likelihood may have none for some priors: a Poisson lasso; its alpha is then
    # the likelihood's penalty_parameter, glmnet's lambda)
    penalties = [
        to_penalty(p, n_samples=X.shape[0], sigma=sigma, likelihood=likelihood)
        if likelihood.has_library_penalty(p) else None
        for p in priors
    ]
    alphas = np.array([
        pen[likelihood.penalty_name] if pen is not None
        else _penalty_parameter(p, X.shape[0], sigma, likelihood) if p.is_convex else np.nan
        for p, pen in zip(priors, penalties)
    ])
    coefs, intercepts, _ = solve_map(
        X, y, priors, likelihood, sigma=sigma,
        fit_intercept=fit_intercept, tol=tol, max_iter=max_iter, offset=offset,
    )

    if feature_names is None:
        feature_names = [f"x{j}" for j in range(X.shape[1])]
    return MAPPath(
        scales=scales,
        coefs=scaling.to_original(coefs),
        intercepts=np.asarray(intercepts, dtype=float),
        penalties=penalties,
        alphas=alphas,
        sigma=sigma,
        feature_names=feature_names,
        prior=priors[0],
    )


def _penalty_parameter(prior, n, sigma, likelihood):
    prior = prior.at_reference_scale()  # a per-feature prior: the penalty at its reference scale
    prior = prior.given_sigma(sigma)  # a prior scaled by sigma: today's at sigma * scale
    strength = penalty_strength(prior.penalty_weights, likelihood.dispersion(sigma))
    return float(likelihood.penalty_parameter(strength, n, prior))


def _feature_names(X):
    columns = getattr(X, "columns", None)
    if columns is None:
        return None
    return [str(c) for c in columns]
