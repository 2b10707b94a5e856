"""MAPClassifier: the penalized point estimate of a Bayesian logistic regression."""

from __future__ import annotations

import numpy as np
from scipy.special import expit
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.validation import check_is_fitted, validate_data

from ..model._checks import (
    adopt_statistics, check_map_prior, restore_on_failure, statistics_of_dask_input,
)
from ..model._params import check_params
from ..model.column_scaling import ColumnScaling
from ..model.likelihoods import BernoulliLogit
from ..model.mapping import to_penalty
from ..model.sufficient_statistics import SufficientStatistics
from .solve import solve_map

__all__ = ["MAPClassifier"]

_BERNOULLI_LOGIT = BernoulliLogit()


class MAPClassifier(ClassifierMixin, BaseEstimator):
    r"""MAP estimate of a binary logistic regression.

    The estimate minimises the negative log posterior

    .. math::

        \sum_i \log\left(1 + e^{-s_i (b_0 + x_i^\top w)}\right) + \mathrm{penalty}(w),
        \qquad s_i = \pm 1,

    with a flat prior on the intercept :math:`b_0`.  This is scikit-learn's
    ``LogisticRegression`` at ``C`` and ``l1_ratio`` from
    :func:`bayesreg.to_penalty`: ``C = t**2`` for ``Normal(scale=t)``,
    ``C = s`` for ``Laplace(scale=s)``.  It is solved by proximal Newton on
    internally standardised columns, the penalty mapped onto them exactly
    (deterministic, exact zeros, unaffected by the scale of a column); when
    the L1 weight is at least ``max|X'(y - mean y)|`` (or a weight is
    infinite) the MAP is exactly zero and the intercept ``logit(mean y)``.

    Parameters
    ----------
    prior : Normal, Laplace or ElasticNet
        The prior on each coefficient, with a fixed scale.
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
        Solver tolerance: every optimality (KKT) condition holds to
        ``tol * n_samples`` on the standardised columns.
    max_iter : int, default=100_000
        Maximum solver (Newton) iterations.

    Attributes
    ----------
    classes_ : ndarray of shape (2,)
        The labels; ``classes_[1]`` is the "positive" class whose probability
        the model gives.
    coef_ : ndarray of shape (n_features,)
        One-dimensional, unlike ``LogisticRegression.coef_`` (shape (1, p)).
    intercept_ : float
    penalty_ : dict or None
        ``to_penalty(prior, likelihood="bernoulli")``; None for a prior that
        is not an L1/L2 penalty (``prior.is_convex`` False).
    n_iter_ : int
        Solver iterations.
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        Defined when X has string column names.
    """

    def __init__(self, prior, *, fit_intercept=True, standardize=False, tol=1e-10,
                 max_iter=100_000):
        self.prior = prior
        self.fit_intercept = fit_intercept
        self.standardize = standardize
        self.tol = tol
        self.max_iter = max_iter

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_class = False
        return tags

    def fit(self, X, y):
        """Fit the MAP estimate.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Converted to float64 (float32 input too: coefficients and
            predictions are always float64).
        y : array-like of shape (n_samples,) with exactly two classes

        Returns
        -------
        self
        """
        params = check_params(self.get_params(deep=False), type(self).__name__)
        prior = check_map_prior(self.prior, type(self).__name__)
        with restore_on_failure(self):
            statistics_of_dask_input(self, X, y, _BERNOULLI_LOGIT)  # Dask: refused
            if isinstance(X, SufficientStatistics):  # the likelihood's clear refusal
                adopt_statistics(self, X, y, _BERNOULLI_LOGIT, type(self).__name__)
            X, y = validate_data(self, X, y, dtype=np.float64)
            y01, classes = _BERNOULLI_LOGIT.check_target(y, type(self).__name__)
            scaling = ColumnScaling(X, params["standardize"], type(self).__name__,
                                    getattr(self, "feature_names_in_", None))
            X = scaling.transform(X)  # the data the prior sees; coef_ is brought back below
            # a non-convex prior has no library penalty (see Prior.is_convex)
            penalty = to_penalty(prior, likelihood=_BERNOULLI_LOGIT) if prior.is_convex else None
            solution = solve_map(
                X, y01, [prior], _BERNOULLI_LOGIT,
                fit_intercept=self.fit_intercept, tol=self.tol, max_iter=self.max_iter,
            )
            self.classes_ = classes
            self.coef_ = scaling.to_original(solution.coefs[0])
            self.intercept_ = float(solution.intercepts[0])
            self.penalty_ = penalty
            self.n_iter_ = int(solution.n_iter[0])
        return self

    def decision_function(self, X):
        """The log-odds ``intercept_ + X @ coef_`` of ``classes_[1]``."""
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, dtype=np.float64)
        return X @ self.coef_ + self.intercept_

    def predict_proba(self, X):
        """Class probabilities, shape (n_samples, 2), columns in ``classes_`` order."""
        p1 = expit(self.decision_function(X))
        return np.column_stack([1.0 - p1, p1])

    def predict(self, X):
        """The more probable class of each sample."""
        check_is_fitted(self)
        return self.classes_[(self.decision_function(X) > 0).astype(int)]
