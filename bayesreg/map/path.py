"""MAP coefficients along a grid of prior scales: the regularization path."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.utils.validation import check_array, check_consistent_length, column_or_1d

from ..model._checks import check_bool, check_map_prior, check_positive_or_none
from ..model.likelihoods import get_likelihood
from ..model.mapping import to_penalty
from ..model.priors import Prior
from ._solvers import (
    center,
    fit_logistic,
    l1_is_negligible,
    least_squares_weights,
    least_squares_zero_is_map,
    make_enet,
    small_l1_coef,
    ridge_path_coefs,
)
from .classifier import check_binary_target
from .noise import estimate_sigma

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
        parameters each row equals.
    alphas : ndarray of shape (n_scales,)
        The equivalent penalty strength: the ``alpha`` of that estimator, or
        ``C`` for logistic regression.
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
    tol=1e-10,
    max_iter=100_000,
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
        Positive prior scales.
    sigma : float or None, default=None
        Noise standard deviation (Gaussian); ``None`` estimates it.
    fit_intercept : bool, default=True
    likelihood : {"gaussian", "bernoulli"}, default="gaussian"
    tol, max_iter
        Solver settings, as in the estimators.

    Returns
    -------
    MAPPath
    """
    check_bool(fit_intercept, "fit_intercept", "map_path")
    if not isinstance(prior, Prior) or not prior.has_map:
        check_map_prior(prior, "map_path")  # raises the right explanation
    likelihood = get_likelihood(likelihood).name
    scales = _check_scales(scales)
    priors = [dataclasses.replace(prior, scale=float(s)) for s in scales]
    check_map_prior(priors[0], "map_path")
    sigma = check_positive_or_none(sigma, "sigma", "map_path")

    feature_names = _feature_names(X)
    X = check_array(X, dtype=np.float64, ensure_min_samples=2)
    y = np.asarray(y)
    if likelihood == "gaussian":
        y = column_or_1d(check_array(y, ensure_2d=False, dtype=np.float64), warn=False)
    check_consistent_length(X, y)
    n = X.shape[0]

    if likelihood == "bernoulli":
        if sigma is not None:
            raise ValueError("sigma has no role in the Bernoulli likelihood; leave it as None.")
        _, y01 = check_binary_target(y, "map_path")
        penalties = [to_penalty(p, likelihood="bernoulli") for p in priors]
        coefs, intercepts = _logistic_path(X, y01, priors, fit_intercept, tol, max_iter)
        alphas = np.array([pen["C"] for pen in penalties])
    else:
        if sigma is None:
            sigma = estimate_sigma(X, y, fit_intercept=fit_intercept)
        penalties = [to_penalty(p, n_samples=n, sigma=sigma) for p in priors]
        Xc, yc, x_mean, y_mean = center(X, y, fit_intercept)
        alphas = np.array([pen["alpha"] for pen in penalties])
        coefs = _least_squares_path(Xc, yc, priors, penalties, sigma, tol, max_iter)
        intercepts = y_mean - coefs @ x_mean

    if feature_names is None:
        feature_names = [f"x{j}" for j in range(X.shape[1])]
    return MAPPath(
        scales=scales,
        coefs=coefs,
        intercepts=np.asarray(intercepts, dtype=float),
        penalties=penalties,
        alphas=alphas,
        sigma=sigma,
        feature_names=feature_names,
        prior=priors[0],
    )


def _feature_names(X):
    columns = getattr(X, "columns", None)
    if columns is None:
        return None
    return [str(c) for c in columns]


def _least_squares_path(Xc, yc, priors, penalties, sigma, tol, max_iter):
    """Each row as MAPRegressor solves it: exact zeros where zero is the MAP
    (alpha >= alpha_max, or an infinite penalty), the SVD ridge path where the
    L1 part is negligible, the exact signed solve where the L1 part is small
    (:func:`small_l1_coef`), warm-started coordinate descent elsewhere."""
    weights = [p.penalty_weights for p in priors]
    scaled = [least_squares_weights(l1, l2, sigma) for l1, l2 in weights]
    zero = np.array([least_squares_zero_is_map(Xc, yc, a1, a2) for a1, a2 in scaled])
    ridge = ~zero & np.array([l1_is_negligible(l1, l2) for l1, l2 in weights])
    enet = ~zero & ~ridge
    coefs = np.zeros((len(priors), Xc.shape[1]))
    if ridge.any():
        coefs[ridge] = ridge_path_coefs(Xc, yc, [scaled[i][1] for i in np.flatnonzero(ridge)])
    for i in np.flatnonzero(enet):  # a nearly flat prior: exact, where it applies
        small = small_l1_coef(Xc, yc, *scaled[i])
        if small is not None:
            coefs[i], enet[i] = small, False
    if enet.any():
        coefs[enet] = _enet_path(Xc, yc, [penalties[i] for i in np.flatnonzero(enet)], tol, max_iter)
    return coefs


def _enet_path(Xc, yc, penalties, tol, max_iter):
    """Warm-started coordinate descent from the strongest penalty to the weakest."""
    order = np.argsort([-pen["alpha"] for pen in penalties], kind="stable")
    coefs = np.empty((len(penalties), Xc.shape[1]))
    solver = make_enet(1.0, 1.0, tol, max_iter, warm_start=True)
    for i in order:
        pen = penalties[i]
        solver.set_params(alpha=pen["alpha"], l1_ratio=pen.get("l1_ratio", 1.0))
        coefs[i] = solver.fit(Xc, yc).coef_ + 0.0  # no -0.0
    return coefs


def _logistic_path(X, y01, priors, fit_intercept, tol, max_iter):
    """Logistic fits from the strongest penalty up, each warm-started at the last."""
    order = np.argsort([-sum(p.penalty_weights) for p in priors], kind="stable")
    coefs = np.empty((len(priors), X.shape[1]))
    intercepts = np.zeros(len(priors))
    init = None
    for i in order:
        l1, l2 = priors[i].penalty_weights
        coefs[i], intercepts[i], _ = fit_logistic(
            X, y01, l1, l2, fit_intercept, tol, max_iter, init=init
        )
        init = (coefs[i], intercepts[i])
    return coefs, intercepts
