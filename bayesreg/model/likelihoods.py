r"""Likelihoods: the data term of the objective, one object per family.

Both are written for a linear predictor ``eta = b0 + X @ w``.  The intercept
``b0`` is never penalized (a flat prior), in the MAP and the posterior alike.

A likelihood object is everything the rest of bayesreg asks of a family, so
no code outside :mod:`bayesreg.model` tests a likelihood's name:

* ``pointwise_loglik(y, eta, sigma)``: the log likelihood of each observation;
* ``has_sigma``: whether it has a noise scale ``sigma`` (fixed or learned);
* ``dispersion(sigma)``: the factor ``phi`` with which the MAP objective,
  divided by n, reads ``mean loss / phi`` in the libraries' form, so that one
  formula gives every penalty strength (:func:`bayesreg.model.mapping.penalty_strength`);
* ``check_target(y, owner)``: the validated target, as floats the model uses;
* ``map_route``: which solver of :mod:`bayesreg.map` finds its MAP;
* ``gibbs_augmentation``: how the Gibbs sampler makes it conditionally Gaussian;
* ``pymc_observed(...)``: its observed variable in a PyMC model;
* ``cv_loss(y, eta, sigma)`` and ``stratified_folds``: its cross-validation
  score and how to split folds;
* ``mean(eta)``: the expected value of y, which ``predict`` reports;
* ``has_sufficient_statistics``, ``sufficient_statistics(X, y)`` and the
  log-likelihood from them (the Gaussian: fits on
  :class:`~bayesreg.model.sufficient_statistics.SufficientStatistics`).

:data:`LIKELIHOODS` is built from the subclasses of :class:`Likelihood`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
from scipy import special
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_array, column_or_1d

from . import _logistic_passes
from .likelihood_base import Likelihood, _registry

__all__ = [
    "LIKELIHOODS", "BernoulliLogit", "Gaussian", "Likelihood", "get_likelihood",
    "likelihood_families", "likelihood_from_dict", "likelihood_to_dict",
    "regression_likelihood_names",
]


@dataclass(frozen=True)
class Gaussian(Likelihood):
    r"""Gaussian likelihood :math:`y_i \sim N(\eta_i, \sigma^2)`.

    .. math::

        \log p(y_i \mid \eta_i, \sigma) = -\frac{(y_i - \eta_i)^2}{2\sigma^2}
            - \log \sigma - \tfrac12 \log 2\pi
    """

    name: ClassVar[str] = "gaussian"
    label: ClassVar[str] = "Gaussian"
    has_sigma: ClassVar[bool] = True
    map_route: ClassVar[str] = "least_squares"
    penalty_name: ClassVar[str] = "alpha"
    identity_link: ClassVar[bool] = True

    def pointwise_loglik(self, y, eta, sigma):
        """Log likelihood of each observation; ``eta`` (..., n) and ``sigma`` (...) broadcast."""
        sigma = np.asarray(sigma, float)[..., None]
        z = (np.asarray(y, float) - eta) / sigma
        return -0.5 * z**2 - np.log(sigma) - 0.5 * math.log(2 * math.pi)

    has_sufficient_statistics: ClassVar[bool] = True

    def sufficient_statistics(self, X, y):
        """:meth:`SufficientStatistics.from_arrays <bayesreg.model.sufficient_statistics.SufficientStatistics.from_arrays>`."""
        from .sufficient_statistics import SufficientStatistics

        return SufficientStatistics.from_arrays(X, y)

    def total_loglik(self, stats, coef, intercept, sigma, fit_intercept=True):
        r"""The log likelihood of all rows from their statistics, for each draw.

        .. math::

            -\tfrac n2 \log 2\pi - n \log\sigma
            - \frac{\sum_i (y_i - b_0 - x_i^\top w)^2}{2\sigma^2},

        the sum of :meth:`pointwise_loglik` over the rows, with the residual sum
        of squares from the cross-products (:meth:`SufficientStatistics.residual_sum_of_squares`).
        ``coef`` (..., p), ``intercept`` (the raw :math:`b_0`; ignored without an
        intercept) and ``sigma`` (...) broadcast.
        """
        if fit_intercept:
            rss = stats.residual_sum_of_squares(coef, intercept)
        else:
            gram, xty, yty, _, _, _ = stats.cross_products(False)
            coef = np.asarray(coef, float)
            rss = yty - 2.0 * coef @ xty + np.einsum("...i,ij,...j->...", coef, gram, coef)
        n, sigma = stats.n_samples, np.asarray(sigma, float)
        return -0.5 * n * math.log(2 * math.pi) - n * np.log(sigma) - rss / (2.0 * sigma**2)

    def pymc_loglik_from_statistics(self, name, data, coef, intercept_centered, sigma):
        r"""The log likelihood of the rows as a ``pm.Potential`` written from their statistics.

        ``data`` holds the model's shared ``gram``, ``xty``, ``yty``, ``n_samples``
        and ``y_mean`` (centred, or raw without an intercept); ``intercept_centered``
        is None without an intercept. Its value equals the sum of the rows' log
        densities (the constant included), and one gradient costs O(p^2), not O(np).
        """
        import pymc as pm
        import pytensor.tensor as pt

        n = data["n_samples"]
        rss = data["yty"] - 2.0 * pt.dot(coef, data["xty"]) + pt.dot(coef, pt.dot(data["gram"], coef))
        if intercept_centered is not None:
            rss = rss + n * (data["y_mean"] - intercept_centered) ** 2
        loglik = -0.5 * n * math.log(2 * math.pi) - n * pt.log(sigma) - rss / (2.0 * sigma**2)
        return pm.Potential(name, loglik)

    def dispersion(self, sigma):
        r""":math:`\sigma^2`: :math:`\frac{1}{2\sigma^2}\lVert r\rVert^2 \cdot \frac{\sigma^2}{n} = \frac{1}{2n}\lVert r\rVert^2`."""
        return sigma**2

    def check_target(self, y, owner):
        y = column_or_1d(check_array(y, ensure_2d=False, dtype=np.float64), warn=False)
        return y, None

    def mean(self, eta):
        return eta

    def cv_loss(self, y, eta, sigma=None):
        """Mean squared error (scikit-learn's ``neg_mean_squared_error``, negated)."""
        return float(np.mean((np.asarray(y, float) - eta) ** 2))

    def pymc_observed(self, name, eta, observed, sigma, shape):
        import pymc as pm

        return pm.Normal(name, mu=eta, sigma=sigma, observed=observed, shape=shape)

    def noise_variance(self, mean, sigma):
        return np.square(sigma) * np.ones_like(mean, dtype=float)

    def simulate(self, eta, sigma, rng):
        return eta + sigma * rng.standard_normal(len(eta))

    def predictive_draws(self, eta, sigma, rng):
        """``eta + sigma * eps``, eps standard normal; ``sigma`` per draw (S,) or one number."""
        eta = np.asarray(eta, float)
        sigma = np.asarray(sigma, float)
        sigma = sigma.reshape(-1, *([1] * (eta.ndim - 1))) if sigma.ndim else sigma
        return eta + sigma * rng.standard_normal(eta.shape)

    sklearn_estimators: ClassVar[tuple] = ("Ridge", "Lasso", "ElasticNet")
    glmnet_family: ClassVar[str] = "gaussian"
    glmnet_standardizes_y: ClassVar[bool] = True

    def sklearn_penalty(self, prior, strength, n_samples):
        """The prior's regressor: ``Ridge`` alpha = total (1 - rho), else alpha = total / n."""
        estimator = prior.sklearn_regressor
        if estimator == "Ridge":  # Ridge's objective has no 1/n
            return {"estimator": estimator, "alpha": strength.total * (1.0 - strength.l1_ratio)}
        penalty = {"estimator": estimator, "alpha": strength.total / n_samples}
        if estimator != "Lasso":  # a Lasso's l1_ratio is 1 (also for arrays of draws)
            penalty["l1_ratio"] = strength.l1_ratio
        return penalty


@dataclass(frozen=True)
class BernoulliLogit(Likelihood):
    r"""Bernoulli likelihood with the logit link, labels ``y`` in {0, 1}.

    .. math::

        \log p(y_i \mid \eta_i) = -\log(1 + e^{-s_i \eta_i}), \qquad s_i = 2y_i - 1
    """

    name: ClassVar[str] = "bernoulli"
    label: ClassVar[str] = "Bernoulli-logit"
    map_route: ClassVar[str] = "logistic"
    gibbs_augmentation: ClassVar[str | None] = "polya_gamma"
    stratified_folds: ClassVar[bool] = True
    is_classification: ClassVar[bool] = True
    penalty_name: ClassVar[str] = "C"
    #: the sd of the standard logistic distribution of the latent utility
    latent_sd: ClassVar[float | None] = math.pi / math.sqrt(3.0)

    def pointwise_loglik(self, y, eta, sigma=None):
        """Log likelihood of each observation; ``eta`` has shape (..., n)."""
        return -np.logaddexp(0.0, -(2 * np.asarray(y, float) - 1) * eta)

    def dispersion(self, sigma):
        """1: the log loss is the negative log likelihood itself."""
        return 1.0

    def check_target(self, y, owner):
        """``(y01, classes)`` for a binary target, or a clear error."""
        check_classification_targets(y)
        classes, y01 = np.unique(y, return_inverse=True)
        if classes.size != 2:
            what = "only 1 class" if classes.size == 1 else f"{classes.size} classes"
            raise ValueError(
                f"Only binary classification is supported. {owner} is a Bernoulli-logit "
                f"classifier, but y has {what}: "
                f"{classes.tolist()[:10]}. It needs exactly 2 classes; for more, wrap it "
                f"in sklearn.multiclass.OneVsRestClassifier({owner}(...))."
            )
        return y01.astype(np.float64), classes

    def mean(self, eta):
        return special.expit(eta)

    def cv_loss(self, y, eta, sigma=None):
        """Mean log loss (scikit-learn's ``log_loss``)."""
        return float(-np.mean(self.pointwise_loglik(y, eta)))

    def pymc_observed(self, name, eta, observed, sigma, shape):
        import pymc as pm

        return pm.Bernoulli(name, logit_p=eta, observed=observed, shape=shape)

    def simulate(self, eta, sigma, rng):
        """Labels 0/1 with ``P(y = 1) = expit(eta)``."""
        return (rng.uniform(size=len(eta)) < special.expit(eta)).astype(int)

    #: A new label is 0 or 1, so its equal-tailed interval is uninformative
    #: ([0, 1] or a point); ``predict_interval`` reports the credible interval
    #: of ``P(y = 1 | x)`` instead.
    interval_of: ClassVar[str] = "mean"

    def predictive_draws(self, eta, sigma, rng):
        """Labels 0/1 for every draw and row, ``P(y = 1) = expit(eta)``."""
        eta = np.asarray(eta, float)
        return (rng.uniform(size=eta.shape) < special.expit(eta)).astype(int)

    # -- Dask rows: one distributed pass per Newton step or Gibbs sweep (see _logistic_passes) --
    has_distributed_passes: ClassVar[bool] = True

    def rows_summary(self, rows, owner):
        """The first pass over :class:`~bayesreg.model._dask_passes.DaskRows`: n, column moments, labels."""
        return _logistic_passes.rows_summary(self, rows, owner)

    def newton_pass(self, rows, summary, centre, scale, fit_intercept, theta):
        """One pass: the loss, its gradient and ``A' W A`` at ``theta`` (design ``[1, (X - centre)/scale]``)."""
        return _logistic_passes.newton_pass(rows, summary, centre, scale, fit_intercept, theta)

    def polya_gamma_pass(self, rows, summary, centre, scale, fit_intercept, theta, seed, sweep):
        """One Gibbs sweep's pass, all chains (theta is (chains, size)): Polya-Gamma draws on the workers."""
        return _logistic_passes.polya_gamma_pass(rows, summary, centre, scale, fit_intercept,
                                                 theta, seed, sweep)

    sklearn_estimators: ClassVar[tuple] = ("LogisticRegression",)
    glmnet_family: ClassVar[str] = "binomial"

    def sklearn_penalty(self, prior, strength, n_samples):
        """``LogisticRegression``: C = 1 / total, l1_ratio = rho."""
        return {"estimator": "LogisticRegression", "C": 1.0 / strength.total,
                "l1_ratio": strength.l1_ratio}


#: The likelihoods of this module by name (:func:`get_likelihood` also finds those
#: defined in other modules of :mod:`bayesreg.model`).
LIKELIHOODS = _registry(discover=False)


def get_likelihood(likelihood):
    """The likelihood object for a name ("gaussian", "bernoulli") or a :class:`Likelihood`."""
    if isinstance(likelihood, Likelihood):
        return likelihood
    registry = _registry()  # read afresh: a family defined later is found too
    try:
        return registry[likelihood]
    except (KeyError, TypeError):
        raise ValueError(
            f"likelihood must be one of {sorted(registry)} or a Likelihood object, "
            f"got {likelihood!r}."
        ) from None


def likelihood_families():
    """Every likelihood by name, each a :class:`Likelihood` object (the widgets' choices).

    Read afresh, in the order the subclasses were found: a family defined in any
    module of :mod:`bayesreg.model` is offered without being listed anywhere.
    Each answers the views' questions itself (``label``, ``check_target``).
    """
    return _registry()


def regression_likelihood_names():
    """The names a regressor's ``likelihood=`` accepts (every likelihood of a numeric y)."""
    return sorted(name for name, lik in _registry().items() if not lik.is_classification)


# the save/load helpers live in their own module; importable from here as before
from .likelihood_io import likelihood_from_dict, likelihood_to_dict
