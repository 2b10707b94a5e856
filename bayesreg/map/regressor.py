"""MAPRegressor: the penalized point estimate of a Bayesian linear regression."""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.utils.validation import check_is_fitted, validate_data

from ..model._checks import (
    adopt_statistics, check_map_prior, restore_on_failure, statistics_of_dask_input,
)
from ..model._dask_predict import predicts_on_dask
from ..model._params import check_params
from ..model.column_scaling import ColumnScaling
from ..model.mapping import to_penalty
from ..model.sufficient_statistics import SufficientStatistics
from ..model.offset import check_offset
from ._validation import validate_training_data
from .noise import estimate_sigma
from .solve import solve_map

__all__ = ["MAPRegressor"]

class MAPRegressor(RegressorMixin, BaseEstimator):
    r"""MAP estimate of a (generalised) linear regression under a prior.

    With the default Gaussian likelihood the estimate minimises the negative log posterior

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
    likelihood : str or Likelihood, default="gaussian"
        The distribution of y given the linear predictor: a name from
        :func:`bayesreg.model.likelihoods.regression_likelihood_names` or a
        :class:`~bayesreg.model.likelihoods.Likelihood` object.  Binary labels
        belong to :class:`MAPClassifier`.
    sigma : float or None, default=None
        Noise standard deviation (the likelihood's noise scale; leave None for a
        likelihood without one).  A float fixes it and makes the mapping
        exact; ``None`` estimates it with :func:`bayesreg.estimate_sigma`
        (least squares when n > p + 1, the cross-validated lasso rule
        otherwise), which does not depend on the prior; for the Student-t and
        Laplace likelihoods, the robust rule of the median regression's
        absolute residuals (docs/maths.md).  A prior with ``scale_by_sigma=True``
        is then taken at that sigma (``prior.given_sigma(sigma_)``): the rule
        first, the mapping after, so ``penalty_`` is the library penalty at ``sigma_``.
    fit_intercept : bool, default=True
        Fit an unpenalized intercept.
    standardize : bool, default=False
        False: the prior applies to the coefficients of X as given.  True
        (glmnet's default): it applies to the coefficients of the columns
        divided by their standard deviation (divisor n); ``coef_`` and
        predictions are still on the original scale, ``penalty_`` is that of
        the standardised problem.  A constant column is then refused
        (see :mod:`bayesreg.model.column_scaling`).
    tol : float, default=1e-10
        Tolerance of the coordinate-descent solver (L1 penalties), as in
        scikit-learn's ``Lasso``.
    max_iter : int, default=100_000
        Maximum coordinate-descent iterations.
    progressbar : bool, default=True
        On Dask input, show a bar of the row blocks whose statistics are done
        (the one distributed pass, as ``PosteriorRegressor`` does); in-memory
        fits make no pass and show nothing.

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,)
    intercept_ : float
    sigma_ : float
        The noise scale used: ``sigma`` or its estimate (None for a
        likelihood without a noise scale).
    likelihood_ : Likelihood
        The likelihood object ``likelihood`` names.
    penalty_ : dict or None
        ``to_penalty(prior, n_samples=n, sigma=sigma_)``: the scikit-learn
        estimator and alpha this fit equals (on the standardised columns when
        ``standardize=True``); None for a prior that is not an
        L1/L2 penalty (``prior.is_convex`` False) or a likelihood without a
        scikit-learn counterpart for it (Poisson with an L1 part: see
        ``to_penalty(..., convention="glmnet")``), which no library penalty equals.
    n_iter_ : int
        Coordinate-descent iterations (1 for the closed-form Normal prior).
    df_ : float
        Only for a likelihood that learns its degrees of freedom
        (``StudentT(df=br.Gamma(a, b))``): :math:`\nu` at the joint mode of
        the coefficients and :math:`\nu` (Gamma log density included), at the
        fixed or plug-in ``sigma_``.
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

    def __init__(self, prior, *, likelihood="gaussian", sigma=None, fit_intercept=True,
                 standardize=False, tol=1e-10, max_iter=100_000, progressbar=True):
        self.prior = prior
        self.likelihood = likelihood
        self.sigma = sigma
        self.fit_intercept = fit_intercept
        self.standardize = standardize
        self.tol = tol
        self.max_iter = max_iter
        self.progressbar = progressbar

    def fit(self, X, y=None, exposure=None, offset=None):
        """Fit the MAP estimate.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features), or SufficientStatistics
            Converted to float64 (float32 input too: coefficients and
            predictions are always float64).  :class:`~bayesreg.SufficientStatistics`
            (with ``y`` omitted) fit the Gaussian likelihood's MAP from p x p
            numbers; it equals the fit on the rows.  ``sigma=None`` is then
            estimated by the least-squares rule, which needs n > p + 1.
            A ``dask.array`` or ``dask.dataframe`` (with ``y`` a Dask array or
            Series) goes the same way: its statistics are one Dask reduction
            on the running ``distributed.Client`` (else Dask's local
            scheduler, see :meth:`~bayesreg.SufficientStatistics.from_dask`);
            the rows never come to this process.  Gaussian likelihood only.
        y : array-like of shape (n_samples,); omitted with SufficientStatistics
        exposure : array-like of shape (n_samples,), optional
            For a likelihood with an offset (Poisson): the time, area or
            population each count was observed over (> 0); the model is then
            ``log E[y] = log(exposure) + intercept + X @ coef``.
        offset : array-like of shape (n_samples,), optional
            ``log(exposure)`` directly (pass one of the two).

        Returns
        -------
        self
        """
        owner = type(self).__name__
        params = check_params(self.get_params(deep=False), owner)
        prior = check_map_prior(self.prior, owner)
        likelihood = params["likelihood"]
        sigma = likelihood.sigma_for(params["sigma"], owner)
        with restore_on_failure(self):
            X, y = statistics_of_dask_input(self, X, y, likelihood)  # Dask: one distributed pass
            if isinstance(X, SufficientStatistics):  # the Gaussian's route, p x p whatever n
                X = adopt_statistics(self, X, y, likelihood, owner)
            else:
                X, y = validate_training_data(self, X, y, y_numeric=True, dtype=np.float64)
                y, _ = likelihood.check_target(y, owner)
            n_samples = X.n_samples if isinstance(X, SufficientStatistics) else X.shape[0]
            offset = check_offset(likelihood, exposure, offset, n_samples, f"{owner}.fit")
            scaling = ColumnScaling(X, params["standardize"], owner,
                                    getattr(self, "feature_names_in_", None))
            X = scaling.transform(X)  # the data the prior sees; coef_ is brought back below
            if sigma is None and likelihood.has_sigma:
                sigma = estimate_sigma(X, y, fit_intercept=self.fit_intercept, likelihood=likelihood)
            # a non-convex prior, or a likelihood no library fits, has no library penalty
            penalty = (to_penalty(prior, n_samples=n_samples, sigma=sigma, likelihood=likelihood)
                       if likelihood.has_library_penalty(prior) else None)

            solution = solve_map(
                X, y, [prior], likelihood, sigma=sigma,
                fit_intercept=self.fit_intercept, tol=self.tol, max_iter=self.max_iter,
                offset=offset,
            )
            # a likelihood's learned parameters (a Student-t's df) at the joint mode: their
            # mode given the final residuals, the fixed point the route converged to
            previous = getattr(self, "likelihood_", None)
            for name in previous.learned_parameters if previous is not None else ():
                self.__dict__.pop(name + "_", None)  # a refit never keeps the last fit's df_
            if likelihood.learned_parameters:
                eta = X @ solution.coefs[0] + solution.intercepts[0]
                fitted = likelihood.conditional_mode(y - eta, sigma)
                for name in likelihood.learned_parameters:
                    setattr(self, name + "_", float(getattr(fitted, name)))
            self.coef_ = scaling.to_original(solution.coefs[0])
            self.intercept_ = float(solution.intercepts[0])
            self.sigma_ = sigma
            self.likelihood_ = likelihood
            self.penalty_ = penalty
            self.n_iter_ = int(solution.n_iter[0])
        return self

    @predicts_on_dask
    def predict(self, X, exposure=None, offset=None):
        """Predict the expected value of y, the likelihood's mean of ``intercept_ + X @ coef_``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        exposure, offset : array-like of shape (n_samples,), optional
            As in :meth:`fit`: the expected count over that exposure (without
            one, the expected count per unit exposure).

        Returns
        -------
        ndarray of shape (n_samples,)
        """
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, dtype=np.float64)
        eta = X @ self.coef_ + self.intercept_
        offset = check_offset(self.likelihood_, exposure, offset, X.shape[0],
                              f"{type(self).__name__}.predict")
        return self.likelihood_.mean(eta if offset is None else eta + offset)
