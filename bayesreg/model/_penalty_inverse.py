r"""The inverse mapping: the prior whose MAP estimate is a library's penalized fit.

:func:`from_penalty` inverts :func:`~bayesreg.model.mapping.to_penalty` (the
derivation is in :mod:`bayesreg.model.mapping`'s docstring): from the library's
penalty it recovers the penalty weights :math:`(a, b)`, then the prior, Laplace
when :math:`b = 0`, Normal when :math:`a = 0`, else the elastic net with
:math:`s = 2/(a + \sqrt{a^2 + 4b})` and :math:`r = a s`. Import it from
:mod:`bayesreg.model.mapping` (or ``bayesreg``).
"""

from __future__ import annotations

import math
import numbers

from ._glmnet import check_y_sd
from ._mapping_checks import check_n_samples, check_sigma
from ._penalty_factor import prior_from_penalty_factor
from .likelihoods import _registry, get_likelihood
from .priors import ElasticNet, Laplace, Normal
from .scales import check_scale_range
from .sigma_scaling import sigma_scaled_from_penalty

__all__ = ["from_penalty"]


def _positive(params, key, kind):
    if key not in params:
        raise TypeError(f"from_penalty({kind!r}) needs the parameter {key}=.")
    value = params[key]
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{kind} {key} must be a positive number, got {value!r}.")
    value = float(value)
    if not math.isfinite(value) or value <= 0:
        raise ValueError(
            f"{kind} {key} must be finite and > 0, got {value!r}; a zero penalty is a "
            "flat (improper) prior, which has no finite scale."
        )
    return value


def _ratio(params, key, kind, default=None):
    value = params.get(key, default)
    if value is None:
        raise TypeError(f"from_penalty({kind!r}) needs the parameter {key}=.")
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{kind} {key} must be a number in [0, 1], got {value!r}.")
    value = float(value)
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"{kind} {key} must lie in [0, 1], got {value!r}.")
    return value


def _prior_from_weights(a, b, family=None):
    """The prior whose penalty weights are ``(a, b)``.

    ``family="elasticnet"`` keeps an ElasticNet prior even at the endpoints.
    """
    # the endpoints exactly: no l1_ratio of 0.9999999999998 from rounding a * scale
    if b == 0.0:
        scale = _in_range(1.0 / a)
        return Laplace(scale=scale) if family != "elasticnet" else ElasticNet(scale, 1.0)
    if a == 0.0:
        scale = _in_range(1.0 / math.sqrt(b))
        return Normal(scale=scale) if family != "elasticnet" else ElasticNet(scale, 0.0)
    scale = _in_range(2.0 / (a + math.hypot(a, 2.0 * math.sqrt(b))))  # sqrt(a^2 + 4b), no overflow
    return ElasticNet(scale=scale, l1_ratio=min(1.0, a * scale))


def _in_range(scale):
    return check_scale_range(scale, "the prior scale of this penalty", "from_penalty")


_PARAMS = {
    "Ridge": {"alpha"},
    "Lasso": {"alpha"},
    "ElasticNet": {"alpha", "l1_ratio"},
    "LogisticRegression": {"C", "l1_ratio"},
    "PoissonRegressor": {"alpha"},
    "glmnet": {"lambda", "alpha", "family"},
    "QuantileRegressor": {"alpha", "quantile"},  # quantile=0.5: the Laplace likelihood
}


def from_penalty(kind, *, n_samples=None, sigma=None, likelihood=None, y_sd=None, penalty_factor=None,
                 scale_by_sigma=False,
                 **params):
    """The prior whose MAP estimate is a library's penalized fit.

    The inverse of :func:`to_penalty`; see the module docstring for the maths.

    Parameters
    ----------
    kind : {"Ridge", "Lasso", "ElasticNet", "LogisticRegression", "QuantileRegressor", "glmnet"}
        The estimator (or package) whose penalty is given.
    n_samples : int
        Number of observations (Gaussian likelihood, glmnet).
    sigma : float
        Noise standard deviation (Gaussian likelihood only).
    likelihood : {"gaussian", "bernoulli"}, optional
        Defaults to "bernoulli" for ``LogisticRegression`` and to "gaussian"
        otherwise; for glmnet a ``family="binomial"`` parameter also selects it.
    y_sd : float, optional
        ``numpy.std(y)`` (divisor n) of the y given to glmnet: required for a
        Gaussian glmnet penalty with ``alpha < 1`` (glmnet standardises y),
        not allowed elsewhere.
    penalty_factor : array of shape (n_features,), optional
        glmnet's ``penalty.factor`` (``kind="glmnet"``, alpha 0 or 1), rescaled to sum
        to p as glmnet does: one scale per feature (:mod:`bayesreg.model._penalty_factor`).
    scale_by_sigma : bool, default=False
        True: return the prior scaled by sigma (``w | sigma ~ prior(sigma * scale)``)
        with this MAP at ``sigma``; its scale is today's divided by ``sigma``. A
        penalty without an L1 part (Ridge) then needs no ``sigma``.
    **params
        The penalty: ``alpha`` (Ridge, Lasso), ``alpha`` and ``l1_ratio``
        (ElasticNet), ``C`` and ``l1_ratio`` (LogisticRegression, default
        ``l1_ratio=0``, the L2 penalty), ``lambda`` and ``alpha`` (glmnet).

    Returns
    -------
    Prior
        ``Normal`` for ridge (and ``l1_ratio=0`` logistic/glmnet), ``Laplace``
        for the lasso (and ``l1_ratio=1``), ``ElasticNet`` otherwise; the
        scikit-learn ``ElasticNet`` always maps to an ``ElasticNet`` prior.

    Examples
    --------
    >>> import bayesreg as br
    >>> br.from_penalty("Lasso", n_samples=100, sigma=2.0, alpha=0.08)
    Laplace(scale=0.5)
    """
    if kind not in _PARAMS:
        raise ValueError(f"kind must be one of {sorted(_PARAMS)}, got {kind!r}.")
    if penalty_factor is not None:  # the scalar prior of lambda, then one scale per feature
        prior = from_penalty(kind, n_samples=n_samples, sigma=sigma, likelihood=likelihood, y_sd=y_sd,
                             scale_by_sigma=scale_by_sigma, **params)
        return prior_from_penalty_factor(prior, penalty_factor, kind)
    if scale_by_sigma is not False:
        if scale_by_sigma is not True:
            raise TypeError(f"scale_by_sigma must be True or False, got {scale_by_sigma!r}.")
        return sigma_scaled_from_penalty(from_penalty, kind, sigma, likelihood and get_likelihood(likelihood),
                                         dict(params, n_samples=n_samples, y_sd=y_sd))
    unknown = set(params) - _PARAMS[kind]
    if unknown:
        raise TypeError(
            f"from_penalty({kind!r}) got unexpected parameters {sorted(unknown)}; "
            f"it takes {sorted(_PARAMS[kind])}."
        )
    implied = _implied_likelihood(kind, params)
    likelihood = get_likelihood(likelihood if likelihood is not None else implied or "gaussian")
    if implied is not None and implied != likelihood.name:
        raise ValueError(
            f"{kind} is a {get_likelihood(implied).label}-likelihood penalty: it implies "
            f"likelihood={implied!r}, got likelihood={likelihood.name!r}."
        )
    sigma = check_sigma(sigma, likelihood)
    convention = "glmnet" if kind == "glmnet" else "sklearn"
    if not (likelihood.glmnet_standardizes_y and convention == "glmnet"):
        check_y_sd(y_sd, likelihood, convention, needed=False)  # raises if y_sd is given

    if kind == "Ridge":
        return Normal(scale=_in_range(sigma / math.sqrt(_positive(params, "alpha", kind))))
    if kind == "LogisticRegression":
        C = _positive(params, "C", kind)
        rho = _ratio(params, "l1_ratio", kind, default=0.0)
        return _prior_from_weights(rho / C, (1.0 - rho) / C)

    n = check_n_samples(n_samples, required=True)
    if kind == "glmnet":
        lam = _positive(params, "lambda", kind)
        rho = _ratio(params, "alpha", kind)
        if not likelihood.glmnet_standardizes_y:
            return _prior_from_weights(n * lam * rho, n * lam * (1.0 - rho))
        # lambda * alpha = sigma^2 a / n and lambda * (1 - alpha) / y_sd = sigma^2 b / n
        if rho == 1.0:
            check_y_sd(y_sd, likelihood, convention, needed=False)  # the lasso: no y_sd needed
            y_sd = 1.0
        else:
            y_sd = check_y_sd(y_sd, likelihood, convention, needed=True)
        total = n * lam / likelihood.dispersion(sigma)
        return _prior_from_weights(total * rho, total * (1.0 - rho) / y_sd)
    if kind == "QuantileRegressor" and params.get("quantile", 0.5) != 0.5:
        raise ValueError(
            f"QuantileRegressor maps onto a prior only at quantile=0.5 (the median: the Laplace "
            f"likelihood), got quantile={params['quantile']!r}."
        )
    alpha = _positive(params, "alpha", kind)
    total = n * alpha / likelihood.dispersion(sigma)
    if kind in ("Lasso", "QuantileRegressor"):  # both an L1 penalty at alpha = dispersion / (n s)
        return Laplace(scale=_in_range(1.0 / total))
    if kind == "PoissonRegressor":  # an L2 penalty only: (1/n) NLL + (alpha/2)|w|^2
        return Normal(scale=_in_range(1.0 / math.sqrt(total)))
    rho = _ratio(params, "l1_ratio", kind)
    return _prior_from_weights(total * rho, total * (1.0 - rho), family="elasticnet")


def _implied_likelihood(kind, params):
    """The likelihood name a scikit-learn estimator or a glmnet ``family=`` implies, or None."""
    if kind == "glmnet":
        family = params.get("family")
        families = {lik.glmnet_family: name for name, lik in _registry().items() if lik.glmnet_family}
        if family is not None and family not in families:
            raise ValueError(
                f"glmnet family must be one of {sorted(families)}, got {family!r}."
            )
        return families.get(family)
    return next(name for name, lik in _registry().items() if kind in lik.sklearn_estimators)
