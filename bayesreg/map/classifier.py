"""MAPClassifier: the penalized point estimate of a Bayesian logistic regression."""

from __future__ import annotations

import numpy as np
from scipy.special import expit
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.validation import check_is_fitted, validate_data

from ..model._checks import adopt_statistics, check_map_prior, restore_on_failure
from ..model._dask_predict import predicts_on_dask
from ..model._dask_statistics import is_dask_collection
from ..model._params import check_params
from ..model.column_scaling import ColumnScaling
from ..model.likelihoods import BernoulliLogit
from ..model.mapping import to_penalty
from ..model.sufficient_statistics import SufficientStatistics
from ._logistic_dask import logistic_map_on_dask
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
    progressbar : bool, default=False
        On Dask input, show a bar counting the passes over the rows.

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
    n_passes_ : int
        On Dask input only: the passes over the rows the fit made (one to read
        the moments and labels, then about one per Newton step).
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        Defined when X has string column names.
    """

    def __init__(self, prior, *, fit_intercept=True, standardize=False, tol=1e-10,
                 max_iter=100_000, progressbar=False):
        self.prior = prior
        self.fit_intercept = fit_intercept
        self.standardize = standardize
        self.tol = tol
        self.max_iter = max_iter
        self.progressbar = progressbar

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
            predictions are always float64).  A ``dask.array`` or
            ``dask.dataframe`` (with ``y`` a Dask array or Series of the same
            row blocks) is fitted where it lives, by proximal Newton with one
            distributed pass per step (:mod:`bayesreg.map._logistic_dask`):
            the same MAP as in memory, for the Normal, Laplace and ElasticNet
            priors.
        y : array-like of shape (n_samples,) with exactly two classes

        Returns
        -------
        self
        """
        params = check_params(self.get_params(deep=False), type(self).__name__)
        prior = check_map_prior(self.prior, type(self).__name__)
        with restore_on_failure(self):
            if is_dask_collection(X) or is_dask_collection(y):  # passes over the rows where they live
                return self._fit_dask(X, y, prior, params)
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
            if hasattr(self, "n_passes_"):  # left by an earlier fit on Dask data
                del self.n_passes_
        return self

    def _fit_dask(self, X, y, prior, params):
        found = logistic_map_on_dask(
            X, y, prior, _BERNOULLI_LOGIT, fit_intercept=self.fit_intercept,
            standardize=params["standardize"], tol=self.tol, max_iter=self.max_iter,
            progressbar=params["progressbar"], owner=type(self).__name__,
        )
        self.n_features_in_ = found.coef.size
        if found.feature_names is not None:
            self.feature_names_in_ = np.asarray(found.feature_names, dtype=object)
        elif hasattr(self, "feature_names_in_"):
            del self.feature_names_in_
        self.classes_ = found.summary.classes
        self.coef_, self.intercept_ = found.coef, found.intercept
        self.penalty_ = to_penalty(prior, likelihood=_BERNOULLI_LOGIT)
        self.n_iter_, self.n_passes_ = int(found.n_iter), int(found.n_passes)
        return self

    @predicts_on_dask
    def decision_function(self, X):
        """The log-odds ``intercept_ + X @ coef_`` of ``classes_[1]``."""
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, dtype=np.float64)
        return X @ self.coef_ + self.intercept_

    @predicts_on_dask
    def predict_proba(self, X):
        """Class probabilities, shape (n_samples, 2), columns in ``classes_`` order."""
        p1 = expit(self.decision_function(X))
        return np.column_stack([1.0 - p1, p1])

    @predicts_on_dask
    def predict(self, X):
        """The more probable class of each sample."""
        check_is_fitted(self)
        return self.classes_[(self.decision_function(X) > 0).astype(int)]
