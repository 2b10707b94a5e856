"""PosteriorClassifier: the full posterior of the MAP's logistic model."""

from __future__ import annotations

import numpy as np
from scipy.special import logit
from sklearn.base import ClassifierMixin
from sklearn.utils.validation import check_is_fitted, validate_data

from ..map import MAPClassifier
from ..model._checks import adopt_statistics, restore_on_failure
from ..model._dask_predict import predicts_on_dask
from ..model._dask_statistics import is_dask_collection
from ..model.likelihoods import get_likelihood
from ..model.sufficient_statistics import SufficientStatistics
from ._dask_fit import fit_classifier_on_dask
from .diagnostics import warn_on_problems
from .estimators import _PosteriorEstimator

__all__ = ["PosteriorClassifier"]


class PosteriorClassifier(ClassifierMixin, _PosteriorEstimator):
    r"""Full posterior of the Bayesian logistic regression whose MAP is :class:`MAPClassifier`.

    .. math::

        y_i \sim \text{Bernoulli}(\operatorname{logit}^{-1}(b_0 + x_i^\top w)),
        \qquad w_j \sim \text{prior}, \qquad p(b_0) \propto 1.

    Parameters are those of :class:`PosteriorRegressor` without ``sigma``
    (``standardize`` included; and without the ``"exact"`` sampler: this posterior has no closed form),
    ``log_likelihood`` included.
    A learned scale gives ``scale`` and ``C`` (scikit-learn's ``C`` of each draw).

    Attributes
    ----------
    classes_ : ndarray of shape (2,)
    idata_, coef_, coef_median_, coef_sd_, intercept_, diagnostics_, sampler_, map_
        As for :class:`PosteriorRegressor`; ``observed_data`` holds y as 0/1
        (1 = ``classes_[1]``).
    """

    _likelihood = get_likelihood("bernoulli")

    def __init__(
        self, prior, *, fit_intercept=True, standardize=False, sampler="auto", draws=1000,
        tune=1000, chains=4, target_accept=None, random_seed=None, progressbar=True,
        log_likelihood=False,
    ):
        self.prior = prior
        self.fit_intercept = fit_intercept
        self.standardize = standardize
        self.sampler = sampler
        self.draws = draws
        self.tune = tune
        self.chains = chains
        self.target_accept = target_accept
        self.random_seed = random_seed
        self.progressbar = progressbar
        self.log_likelihood = log_likelihood

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_class = False
        return tags

    def fit(self, X, y):
        """Sample the posterior given data ``X`` and binary labels ``y``.

        Dask ``X``, ``y``: the Polya-Gamma Gibbs sampler, one distributed pass per
        sweep, the rows staying on the workers (docs page "Large data").
        """
        self._check_params()
        with restore_on_failure(self):
            if is_dask_collection(X) or is_dask_collection(y):  # one distributed pass per sweep
                return fit_classifier_on_dask(self, X, y)
            if isinstance(X, SufficientStatistics):  # the likelihood's clear refusal
                adopt_statistics(self, X, y, self._likelihood, type(self).__name__)
            X, y = validate_data(self, X, y, dtype=np.float64)
            y01, self.classes_ = self._likelihood.check_target(y, type(self).__name__)
            diagnostics = self._fit(X, y01, None)
        warn_on_problems(diagnostics, type(self).__name__, independent_draws=self.sampler_ == "exact")
        return self

    def _map_estimator(self):
        return MAPClassifier(self.prior, fit_intercept=self.fit_intercept,
                             standardize=self.standardize)

    def _map_target(self, y):
        return self.classes_[np.asarray(y).astype(int)]

    @predicts_on_dask
    def decision_function(self, X):
        """Log-odds of the posterior predictive probability of ``classes_[1]``.

        ``logit(predict_proba(X)[:, 1])``, so its sign agrees with :meth:`predict`
        (it is not the log-odds at the posterior mean coefficients).
        """
        return logit(self.predict_proba(X)[:, 1])

    @predicts_on_dask
    def predict_proba(self, X):
        """Posterior predictive class probabilities, shape (n_samples, 2).

        ``P(y = classes_[1] | x, data)`` is the posterior mean of
        ``expit(intercept + x @ coef)`` (not ``expit`` of the posterior mean).
        """
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, dtype=np.float64)
        p1 = np.empty(X.shape[0])
        for rows, eta in self._linear_predictor_blocks(X):
            p1[rows] = self._likelihood.mean(eta).mean(axis=0)
        return np.column_stack([1.0 - p1, p1])

    @predicts_on_dask
    def predict(self, X):
        """The class with the larger posterior predictive probability."""
        return self.classes_[(self.predict_proba(X)[:, 1] > 0.5).astype(int)]
