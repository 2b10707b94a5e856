"""The rule that estimates the noise scale when ``sigma=None``."""

from __future__ import annotations

import math
import warnings

import numpy as np
from sklearn.linear_model import LassoCV
from sklearn.model_selection import KFold

from ..model.sufficient_statistics import SufficientStatistics

__all__ = ["estimate_sigma"]


def estimate_sigma(X, y, *, fit_intercept=True, likelihood=None):
    r"""Estimate the noise standard deviation of a linear model, whatever the prior.

    The rule (it does not depend on the prior, so moving the prior scale moves
    the penalty only through the mapping, never through :math:`\hat\sigma`):

    * **n > rank(X) + 1** (with an intercept): the unbiased least-squares
      estimate :math:`\hat\sigma^2 = \mathrm{RSS}_{\mathrm{OLS}} / (n - \mathrm{rank}(X) - 1)`.
    * **otherwise** (p >= n): the cross-validated lasso estimate of Reid,
      Tibshirani & Friedman (2016),
      :math:`\hat\sigma^2 = \mathrm{RSS}_{\hat\lambda_{CV}} / (n - \hat s - 1)`
      with :math:`\hat s` the number of non-zero coefficients of the lasso at
      the 5-fold cross-validated lambda (folds in order, no shuffling, so the
      estimate is deterministic).

    Without an intercept, drop the ``- 1``.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features), or SufficientStatistics
        From statistics (``y`` None) only the least-squares rule applies (n > rank + 1).
    y : ndarray of shape (n_samples,) or None
    fit_intercept : bool, default=True
    likelihood : Likelihood, optional
        A likelihood whose ``map_sigma_rule`` is ``"least_absolute"`` (Student-t,
        Laplace) takes the rule of :func:`_from_median_regression` instead.

    Returns
    -------
    float
        The estimate :math:`\hat\sigma > 0`.

    Raises
    ------
    ValueError
        With fewer than 3 samples: then pass ``sigma`` explicitly.

    Warns
    -----
    UserWarning
        When the model fits y exactly (zero residuals): sigma is then set to
        ``1e-8`` times the root-mean-square of the centred y (1 if y is
        constant), and the MAP is the least-squares fit.
    """
    if isinstance(X, SufficientStatistics):
        return _estimate_sigma_from_statistics(X, fit_intercept)
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    if likelihood is not None and likelihood.map_sigma_rule == "least_absolute":
        return _from_median_regression(X, y, fit_intercept, likelihood)
    n = X.shape[0]
    if n < 3:
        raise ValueError(
            f"cannot estimate the noise scale sigma from n_samples = {n}; at least 3 "
            "are needed. Pass sigma=<noise sd> to fix it instead."
        )
    k = int(bool(fit_intercept))
    if fit_intercept:
        Xc, yc = X - X.mean(axis=0), y - y.mean()
    else:
        Xc, yc = X, y
    coef, _, rank, _ = np.linalg.lstsq(Xc, yc, rcond=None)
    dof = n - rank - k
    if dof >= 1:
        resid = yc - Xc @ coef
    else:
        folds = KFold(n_splits=min(5, n))
        lasso = LassoCV(cv=folds, fit_intercept=False, max_iter=100_000).fit(Xc, yc)
        resid = yc - Xc @ lasso.coef_
        dof = n - np.count_nonzero(lasso.coef_) - k
        if dof < 1:
            raise ValueError(
                "cannot estimate the noise scale sigma: the cross-validated lasso uses "
                f"all {n} degrees of freedom. Pass sigma=<noise sd> to fix it instead."
            )
    rss = float(resid @ resid)
    return _floored(math.sqrt(rss / dof), float(np.sqrt(np.mean(yc**2))))


def _estimate_sigma_from_statistics(stats, fit_intercept):
    r"""The least-squares rule of :func:`estimate_sigma` from :class:`SufficientStatistics`.

    :math:`\mathrm{RSS}_{\mathrm{OLS}} = y^\top y - c^\top G^{+} c` with ``G, c`` the
    (centred) X'X and X'y. The cross-validated rule for p >= n needs the rows.
    """
    gram, xty, yty, _, _, n = stats.cross_products(fit_intercept)
    k = int(bool(fit_intercept))
    coef, _, rank, _ = np.linalg.lstsq(gram, xty, rcond=None)
    dof = n - rank - k
    if dof < 1:
        raise ValueError(
            f"cannot estimate the noise scale sigma from sufficient statistics of n_samples = {n} "
            f"rows and rank {rank}: least squares leaves no residual degrees of freedom, and "
            "the cross-validated rule used then needs the rows themselves. Pass "
            "sigma=<noise sd> to fix it, or fit on X, y."
        )
    rss = max(float(yty - xty @ coef), 0.0)
    return _floored(math.sqrt(rss / dof), math.sqrt(max(yty, 0.0) / n))


def _floored(sigma, spread):
    """``sigma``, or 1e-8 times the spread of y (with a warning) when the model fits y exactly."""
    floor = 1e-8 * spread if spread > 0 else 1.0
    if sigma < floor:
        warnings.warn(
            f"the linear model fits y exactly, so the noise scale estimate is {sigma:.3g}; "
            f"using sigma = {floor:.3g} instead (1e-8 times the spread of y, or 1 for a "
            "constant y), which makes the MAP the least-squares fit. Pass sigma=<noise sd> "
            "to set the noise scale yourself.",
            UserWarning,
            stacklevel=3,
        )
        sigma = floor
    return sigma


def _from_median_regression(X, y, fit_intercept, likelihood):
    r"""The robust likelihoods' rule: the scale from the residuals of the median regression.

    The unpenalized least-absolute-deviation fit (a linear program) is robust to
    gross outliers, as the least-squares fit is not; the likelihood turns its
    absolute residuals into its scale
    (``likelihood.scale_from_absolute_residuals``: the median absolute
    residual over :math:`\log 2` for the Laplace, over :math:`t_\nu^{-1}(3/4)`
    for the Student-t; the median of the absolute noise is that multiple of
    the scale).  Like the
    Gaussian rule it does not depend on the prior.  Needs n > p + 1.
    """
    from ._robust import least_absolute_fit

    n, p = X.shape
    dof = n - p - int(bool(fit_intercept))
    if dof < 1:
        raise ValueError(
            f"cannot estimate the noise scale sigma of the {likelihood.label} likelihood from "
            f"n_samples = {n} with {p} features: its rule (the median regression's residuals) "
            "needs n_samples > n_features + 1. Pass sigma=<noise scale> to fix it instead."
        )
    coef, b0 = least_absolute_fit(X, y, 0.0, 1.0, fit_intercept)
    scale = likelihood.scale_from_absolute_residuals(np.abs(y - b0 - X @ coef), dof)
    spread = float(np.mean(np.abs(y - np.median(y))))
    floor = 1e-8 * spread if spread > 0 else 1.0
    if not scale > floor:
        warnings.warn(
            f"the median regression fits y exactly, so the noise scale estimate is {scale:.3g}; "
            f"using sigma = {floor:.3g} instead. Pass sigma=<noise scale> to set it yourself.",
            UserWarning, stacklevel=3,
        )
        scale = floor
    return scale
