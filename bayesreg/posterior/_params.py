"""The parameters of the posterior estimators: one table of checks, run by fit and by load.

``fit`` runs it before any data is touched and ``load`` runs it on the
parameters read from a file, so a file can never hold a value that ``fit``
would refuse. Checks only read their value (constructors stay plain, as
scikit-learn requires); each error names the parameter and what to pass.
"""

from __future__ import annotations

import numbers

from ..model._checks import check_bool, check_positive_or_none, check_random_seed
from ..model.priors import Prior
from .samplers import SAMPLERS

__all__ = ["PARAM_CHECKS", "check_posterior_params"]


def _check_prior(value, name, owner):
    if not isinstance(value, Prior):
        raise TypeError(
            f"{owner}: {name} must be a bayesreg prior such as Laplace(scale=1.0) or "
            f"Horseshoe(global_scale=1.0); got {value!r}."
        )
    return value


def _check_sampler_name(value, name, owner):
    if not isinstance(value, str) or value not in SAMPLERS:
        raise ValueError(f"{owner}: {name} must be one of {SAMPLERS}, got {value!r}.")
    return value


def _count(minimum):
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


#: parameter name -> check(value, name, owner), returning the value to use.
PARAM_CHECKS = {
    "prior": _check_prior,
    "sigma": check_positive_or_none,
    "fit_intercept": check_bool,
    "sampler": _check_sampler_name,
    "draws": _count(1),
    "tune": _count(0),
    "chains": _count(1),
    "target_accept": _check_target_accept,
    "random_seed": check_random_seed,
    "progressbar": check_bool,
    "log_likelihood": check_bool,
}


def check_posterior_params(params, owner):
    """Check every parameter in ``params`` (a ``get_params()`` dict); return the checked values.

    Raises
    ------
    TypeError or ValueError
        Naming the first parameter that ``fit`` would refuse, and what to pass.
    """
    return {name: PARAM_CHECKS[name](value, name, owner) for name, value in params.items()}
