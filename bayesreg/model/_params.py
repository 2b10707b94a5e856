"""The estimators' parameters: one table of checks, with one wording, for every estimator.

``MAPRegressor``, ``MAPClassifier``, ``PosteriorRegressor`` and
``PosteriorClassifier`` check their parameters here and nowhere else: ``fit``
runs the table before any data is touched (so ``set_params`` followed by
``fit`` is checked at ``fit``, as in scikit-learn, whose constructors and
``set_params`` only store values), and the posteriors' ``save``/``load`` run
it on the parameters written to or read from a file, so a file can never hold
a value that ``fit`` would refuse.  Each check reads its value only and
returns the value to use; each error names the estimator, the parameter, the
value and what to pass instead.
"""

from __future__ import annotations

import math
import numbers

from ._checks import check_bool, check_positive_or_none, check_prior, check_random_seed
from .hyperpriors import Hyperprior
from .likelihoods import get_likelihood, regression_likelihood_names
from .prior_base import NUTS_SAMPLERS

__all__ = ["PARAM_CHECKS", "SAMPLERS", "check_params", "check_sigma_prior_applies"]

#: Every value of the posterior estimators' ``sampler`` parameter; ``"auto"``
#: lets the prior choose (:meth:`bayesreg.model.priors.Prior.samplers`).
SAMPLERS = ("auto",) + NUTS_SAMPLERS + ("gibbs", "exact")


def _check_sampler_name(value, name, owner):
    if not isinstance(value, str) or value not in SAMPLERS:
        raise ValueError(f"{owner}: {name} must be one of {SAMPLERS}, got {value!r}.")
    return value


def _check_regression_likelihood(value, name, owner):
    """A likelihood of a numeric y, as a name or an object; returns the object."""
    try:
        likelihood = get_likelihood(value)
    except ValueError:
        raise ValueError(
            f"{owner}: {name} must be one of {regression_likelihood_names()} or a bayesreg "
            f"Likelihood object, got {value!r}."
        ) from None
    if likelihood.is_classification:
        raise ValueError(
            f"{owner}: {name} must be a likelihood of a numeric y, one of "
            f"{regression_likelihood_names()}; got {value!r}, which models class labels "
            "(use MAPClassifier or PosteriorClassifier for those)."
        )
    return likelihood


def _count(minimum):
    """An integer ``>= minimum`` (a bool or a float such as 1000.0 is refused)."""

    def check(value, name, owner):
        if isinstance(value, (bool, str)) or not isinstance(value, numbers.Integral) or value < minimum:
            raise ValueError(f"{owner}: {name} must be an integer >= {minimum}, got {value!r}.")
        return int(value)

    return check


def _check_target_accept(value, name, owner):
    if value is None:
        return None
    if isinstance(value, bool) or not (isinstance(value, numbers.Real) and 0 < value < 1):
        raise ValueError(f"{owner}: {name} must be in (0, 1) or None, got {value!r}.")
    return float(value)


def _check_tolerance(value, name, owner):
    if isinstance(value, bool) or not (
        isinstance(value, numbers.Real) and math.isfinite(value) and value > 0
    ):
        raise ValueError(f"{owner}: {name} must be a finite number > 0 (e.g. 1e-10), got {value!r}.")
    return float(value)


_SIGMA_PRIORS = ("None (HalfNormal(sd(y)) on sigma), HalfCauchy(s) or HalfNormal(s) on sigma, "
                 "Jeffreys() (p(sigma) ~ 1/sigma), InverseGamma(a, b) on sigma^2 or Gamma(a, b) on 1/sigma^2")


def _check_sigma_prior(value, name, owner):
    """None (the default ``HalfNormal(sd(y))``) or a hyperprior of a positive scale."""
    if value is None:
        return None
    if isinstance(value, Hyperprior) and value.acts_on is not None:
        return value
    raise TypeError(f"{owner}: {name} must be one of {_SIGMA_PRIORS}; got {value!r}.")


def check_sigma_prior_applies(sigma_prior, sigma, likelihood, owner):
    """Refuse a ``sigma_prior`` where sigma is not learned: fixed, or absent from the likelihood."""
    if sigma_prior is None:
        return
    if not likelihood.has_sigma:
        raise ValueError(
            f"{owner}: sigma_prior={sigma_prior!r} has no role in the {likelihood.label} likelihood, "
            "which has no noise scale; leave sigma_prior=None."
        )
    if sigma is not None:
        raise ValueError(
            f"{owner}: sigma_prior={sigma_prior!r} is the prior of a learned sigma, but sigma={sigma!r} "
            "fixes it. Pass sigma=None to learn sigma under this prior, or sigma_prior=None."
        )


#: parameter name -> check(value, name, owner), returning the value to use.
PARAM_CHECKS = {
    "prior": check_prior,
    "likelihood": _check_regression_likelihood,
    "sigma": check_positive_or_none,
    "sigma_prior": _check_sigma_prior,
    "fit_intercept": check_bool,
    "standardize": check_bool,
    "sampler": _check_sampler_name,
    "draws": _count(1),
    "tune": _count(0),
    "chains": _count(1),
    "target_accept": _check_target_accept,
    "random_seed": check_random_seed,
    "progressbar": check_bool,
    "log_likelihood": check_bool,
    "tol": _check_tolerance,
    "max_iter": _count(1),
}


def check_params(params, owner):
    """Check every parameter in ``params`` (a ``get_params(deep=False)`` dict); return the checked values.

    Parameters
    ----------
    params : dict
        Parameter name -> value; every name must be in :data:`PARAM_CHECKS`.
    owner : str
        The estimator's class name, which every error starts with.

    Returns
    -------
    dict
        The values to use (``numpy`` integers as ``int``, and so on).

    Raises
    ------
    TypeError or ValueError
        Naming the first parameter that ``fit`` would refuse, and what to pass.
    """
    return {name: PARAM_CHECKS[name](value, name, owner) for name, value in params.items()}
