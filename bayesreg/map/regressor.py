"""MAPRegressor: the penalized point estimate of a Bayesian linear regression."""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.utils.validation import check_is_fitted, validate_data

from ..model._checks import check_map_prior, restore_on_failure
from ..model._params import check_params
from ..model.mapping import to_penalty
from ._solvers import (
    center,
    l1_is_negligible,
    least_squares_weights,
    least_squares_zero_is_map,
    make_enet,
    small_l1_coef,
    ridge_coef,
)
from .noise import estimate_sigma

__all__ = ["MAPRegressor"]

class MAPRegressor(RegressorMixin, BaseEstimator):
    r"""MAP estimate of a linear regression with a Gaussian likelihood.

    The estimate minimises the negative log posterior

    .. math::

        \frac{1}{2\sigma^2}\lVert y - b_0 - Xw\rVert_2^2 + \mathrm{penalty}(w),
        \qquad \mathrm{penalty}(w) = -\log p(w) + \mathrm{const},

    with a flat prior on the intercept :math:`b_0`.  This is exactly
    scikit-learn's ``Ridge`` (Normal prior), ``Lasso`` (Laplace prior) or
    ``ElasticNet`` at the parameters :func:`bayesreg.to_penalty` gives, e.g.
    ``alpha = sigma**2 / (n * s)`` for ``Laplace(scale=s)``.

    Parameters
    ----------
    prior : Normal, Laplace or ElasticNet
        The prior on each coefficient, with a fixed scale.  The horseshoe has
        no finite MAP; hyperpriors on the scale need the posterior.
    sigma : float or None, default=None
        Noise standard deviation.  A float fixes it and makes the mapping
        exact; ``None`` estimates it with :func:`bayesreg.estimate_sigma`
        (least squares when n > p + 1, the cross-validated lasso rule
        otherwise), which does not depend on the prior.
    fit_intercept : bool, default=True
        Fit an unpenalized intercept.
    tol : float, default=1e-10
        Tolerance of the coordinate-descent solver (L1 penalties), as in
        scikit-learn's ``Lasso``.
    max_iter : int, default=100_000
        Maximum coordinate-descent iterations.

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,)
    intercept_ : float
    sigma_ : float
        The noise scale used: ``sigma`` or its estimate.
    penalty_ : dict
        ``to_penalty(prior, n_samples=n, sigma=sigma_)``: the scikit-learn
        estimator and alpha this fit equals.
    n_iter_ : int
        Coordinate-descent iterations (1 for the closed-form Normal prior).
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        Defined when X has string column names (a pandas DataFrame).

    Examples
    --------
    >>> import bayesreg as br
    >>> X, y = br.datasets.load_diabetes()
    >>> model = br.MAPRegressor(br.Laplace(scale=1.0), sigma=54.0).fit(X, y)
    >>> model.penalty_["estimator"], round(model.penalty_["alpha"], 4)
    ('Lasso', 6.5973)
    """

    def __init__(self, prior, *, sigma=None, fit_intercept=True, tol=1e-10, max_iter=100_000):
        self.prior = prior
        self.sigma = sigma
        self.fit_intercept = fit_intercept
        self.tol = tol
        self.max_iter = max_iter

    def fit(self, X, y):
        """Fit the MAP estimate.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Converted to float64 (float32 input too: coefficients and
            predictions are always float64).
        y : array-like of shape (n_samples,)

        Returns
        -------
        self
        """
        params = check_params(self.get_params(deep=False), type(self).__name__)
        prior = check_map_prior(self.prior, type(self).__name__)
        with restore_on_failure(self):
            sigma = params["sigma"]
            X, y = validate_data(self, X, y, y_numeric=True, dtype=np.float64)
            if sigma is None:
                sigma = estimate_sigma(X, y, fit_intercept=self.fit_intercept)
            penalty = to_penalty(prior, n_samples=X.shape[0], sigma=sigma)

            Xc, yc, x_mean, y_mean = center(X, y, self.fit_intercept)
            l1, l2 = prior.penalty_weights
            a1, a2 = least_squares_weights(l1, l2, sigma)
            if least_squares_zero_is_map(Xc, yc, a1, a2):  # alpha >= alpha_max, or infinite
                coef = np.zeros(X.shape[1])
                n_iter = 1  # one check of the optimality conditions at zero
            elif l1_is_negligible(l1, l2):  # Normal, or ElasticNet with l1_ratio ~ 0
                coef = ridge_coef(Xc, yc, a2)
                n_iter = 1  # one direct solve
            elif (coef := small_l1_coef(Xc, yc, a1, a2)) is not None:  # a nearly flat prior
                n_iter = 1  # one direct solve
            else:
                enet = make_enet(penalty["alpha"], penalty.get("l1_ratio", 1.0), self.tol, self.max_iter)
                coef = enet.fit(Xc, yc).coef_ + 0.0  # + 0.0 turns -0.0 into 0.0
                n_iter = enet.n_iter_

            self.coef_ = coef
            self.intercept_ = float(y_mean - x_mean @ coef)
            self.sigma_ = sigma
            self.penalty_ = penalty
            self.n_iter_ = n_iter
        return self

    def predict(self, X):
        """Predict ``intercept_ + X @ coef_``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        ndarray of shape (n_samples,)
        """
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, dtype=np.float64)
        return X @ self.coef_ + self.intercept_
