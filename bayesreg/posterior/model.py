"""The one module that writes PyMC code: (likelihood, prior, sigma) -> ``pm.Model``.

Everything that may change between fits without changing the graph (the data,
a fixed prior scale, a hyperprior's scale, a fixed sigma) enters as
``pm.Data``, so a compiled model is reused: refitting at a new prior scale
only swaps a shared value.  What changes the graph (the likelihood, the prior
family, whether the scale or sigma is learned, the features) is the
:class:`ModelSpec`, the key of the compiled-model cache.

The model, for data ``X`` (n x p) and coefficients ``coef`` (dim ``feature``)::

    intercept_c ~ Flat()                       # never penalized, as in the MAP
    coef        ~ prior                        # prior.create_variable
    eta         = intercept_c + (X - mean(X)) @ coef
    y           ~ likelihood                   # likelihood.pymc_observed
    intercept   = intercept_c - mean(X) @ coef # reported, on the scale of the raw X

Each family writes its own variables (the prior's ``create_variable``, the
likelihood's ``pymc_observed``); this module never asks which family it holds.

Centring X inside the model is a linear change of variables with unit
Jacobian, so under the flat prior the posterior of ``(intercept, coef)`` is
exactly that of the uncentred model; it only decorrelates the intercept for NUTS.

A likelihood with sufficient statistics (the Gaussian,
``Likelihood.has_sufficient_statistics``) is written from them instead of the
rows (``likelihood.pymc_loglik_from_statistics``): the data are the p x p
``gram``, ``xty``, ``yty``, ``n_samples`` and ``y_mean`` of
:class:`~bayesreg.model.sufficient_statistics.SufficientStatistics`, so one
gradient costs O(p^2) whatever n, and the log density is the same number
(the Gaussian constant included). Such a model has no observed variable.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pymc as pm
import pytensor.tensor as pt

from ..model.likelihoods import Likelihood, get_likelihood
from ..model.mapping import penalty_strength
from ..model.priors import Prior, elastic_net_logp
from ..model.sigma_scaling import NOISE_SCALE
from ..model.sufficient_statistics import SufficientStatistics
from ._pytensor_blas import configure_pytensor_blas

# before any model is compiled: link PyTensor's BLAS ops to scipy's OpenBLAS
# unless the user set blas__ldflags (see _pytensor_blas)
configure_pytensor_blas()

__all__ = ["ModelSpec", "build_model", "elastic_net_logp", "model_data", "sigma_prior_scale"]

#: Variables whose names start with this are sampler internals, dropped from ``idata_``.
INTERNAL = "_"


@dataclass(frozen=True)
class ModelSpec:
    """What fixes the graph of the model (and so the key of the compiled-model cache).

    The prior enters the key by its structure only (its class and its
    hyperprior's class): its numbers are ``pm.Data``, so a refit at another
    scale finds the compiled model. ``prior`` itself rides along, out of the
    key, to build the graph from.
    """

    likelihood: Likelihood = field(compare=False)
    #: What of the likelihood fixes the graph (``Likelihood.graph_key``): a learned
    #: parameter's prior numbers are ``pm.Data``, out of the key.
    likelihood_key: object
    prior_family: type
    hyperprior_family: type | None  # None for a fixed scale
    sigma_fixed: bool
    fit_intercept: bool
    feature_names: tuple
    prior: Prior = field(compare=False, repr=False)
    #: The likelihood written from sufficient statistics (``likelihood.has_sufficient_statistics``).
    from_statistics: bool = False
    has_offset: bool = False  # a known offset (log exposure) enters eta as pm.Data
    #: One fixed scale per feature: ``prior_scale`` is a vector ``pm.Data`` (one graph for
    #: every vector of the same length), not a scalar one.
    per_feature_scale: bool = False
    #: The prior's scale is multiplied by sigma (``Prior.scale_by_sigma``): sigma comes first.
    prior_scaled_by_sigma: bool = False
    #: The family of a learned sigma's prior (None: the default ``HalfNormal(sd(y))``).
    sigma_prior_family: type | None = None
    sigma_prior: object = field(default=None, compare=False, repr=False)

    @classmethod
    def create(cls, likelihood, prior, sigma, fit_intercept, feature_names, has_offset=False,
               sigma_prior=None):
        """The spec of ``prior`` with ``likelihood`` (a name or a :class:`Likelihood`).

        ``sigma_prior``: the hyperprior of a learned sigma (``PosteriorRegressor(sigma_prior=...)``),
        or None for ``HalfNormal(sd(y))``; ignored where sigma is fixed or absent.
        """
        likelihood = get_likelihood(likelihood)
        prior.check_n_features(len(feature_names), "the posterior")
        if prior.scale_by_sigma and not likelihood.has_sigma:
            prior.given_sigma(None)  # its clear refusal: no sigma to scale by
        if not likelihood.has_sigma or sigma is not None:
            sigma_prior = None
        return cls(
            likelihood=likelihood,
            likelihood_key=likelihood.graph_key(),
            prior_family=type(prior),
            hyperprior_family=type(prior.scale) if prior.is_hierarchical else None,
            sigma_fixed=likelihood.has_sigma and sigma is not None,
            fit_intercept=bool(fit_intercept),
            feature_names=tuple(str(f) for f in feature_names),
            prior=prior,
            from_statistics=likelihood.has_sufficient_statistics,
            has_offset=bool(has_offset),
            per_feature_scale=prior.has_per_feature_scale,
            prior_scaled_by_sigma=prior.scale_by_sigma,
            sigma_prior_family=None if sigma_prior is None else type(sigma_prior),
            sigma_prior=sigma_prior,
        )

    @property
    def penalty_name(self):
        """Name of the derived penalty variable of a hierarchical model ("alpha" or "C")."""
        return self.likelihood.penalty_name


def model_data(spec, prior, sigma, X, y, offset=None):
    """The values of every ``pm.Data`` of the model, by name (``offset`` when ``spec.has_offset``).

    A learned sigma gets the prior ``HalfNormal(sd(y))``: weakly informative,
    since the noise sd cannot much exceed the sd of y itself. For a model
    written from statistics, ``X`` may be a
    :class:`~bayesreg.model.sufficient_statistics.SufficientStatistics` (``y`` None).
    """
    if spec.from_statistics:
        return _statistics_data(spec, prior, sigma, X, y)
    if spec.fit_intercept:
        x_mean = X.mean(axis=0)
        data = {"X_centered": X - x_mean, "x_mean": x_mean, "y_observed": y}
    else:  # no intercept, no x_mean in the graph: nutpie's with_data rejects unknown data
        data = {"X_centered": X, "y_observed": y}
    if spec.has_offset:
        data["offset"] = offset
    data.update(prior.pymc_data())
    data.update(spec.likelihood.pymc_data())  # a learned parameter's prior (a Student-t's df)
    if spec.likelihood.has_sigma:
        if spec.sigma_fixed:
            data["sigma_fixed"] = sigma
        else:
            data.update(_sigma_prior_data(spec, y))
    return {name: np.asarray(value, dtype=float) for name, value in data.items()}


def _statistics_data(spec, prior, sigma, X, y):
    """:func:`model_data` of a model written from sufficient statistics."""
    stats = X if isinstance(X, SufficientStatistics) else spec.likelihood.sufficient_statistics(X, y)
    gram, xty, yty, x_mean, y_mean, n = stats.cross_products(spec.fit_intercept)
    data = {"gram": gram, "xty": xty, "yty": yty, "n_samples": n}
    if spec.fit_intercept:  # nutpie's with_data rejects data the graph does not use
        data.update(x_mean=x_mean, y_mean=y_mean)
    data.update(prior.pymc_data())
    if spec.sigma_fixed:
        data["sigma_fixed"] = sigma
    else:
        data.update(_sigma_prior_data(spec, stats))
    return {name: np.asarray(value, dtype=float) for name, value in data.items()}


def _sigma_prior_data(spec, y):
    """The ``pm.Data`` of a learned sigma's prior: ``sigma_prior_scale`` = sd(y) by default."""
    if spec.sigma_prior is None:
        return {"sigma_prior_scale": sigma_prior_scale(y)}
    return spec.sigma_prior.pymc_data("sigma_prior")


def sigma_prior_scale(y):
    """Scale of the ``HalfNormal`` prior of a learned sigma: ``sd(y)`` (1 if y is constant).

    Weakly informative, since the noise sd cannot much exceed the sd of y
    itself. Every sampler (NUTS and Gibbs) takes it from here; ``y`` may be a
    :class:`SufficientStatistics` (its ``y_sd``, the same number).
    """
    spread = y.y_sd if isinstance(y, SufficientStatistics) else float(np.std(y))
    return spread if spread > 0 else 1.0


def _sigma(spec, shared):
    """The noise scale: fixed, learned (``HalfNormal(sd(y))`` or ``sigma_prior``), or None if the family has none."""
    if not spec.likelihood.has_sigma:
        return None
    if spec.sigma_fixed:
        return shared["sigma_fixed"]
    if spec.sigma_prior is not None:  # a variable "sigma" whatever the hyperprior acts on
        return spec.sigma_prior.create_scale_variable("sigma", shared, "sigma_prior")
    return pm.HalfNormal("sigma", sigma=shared["sigma_prior_scale"])


def _penalty_of_learned_scale(spec, shared, scale, sigma, n):
    """The scikit-learn penalty each draw of a learned scale corresponds to (as ``to_penalty``)."""
    prior, likelihood = spec.prior, spec.likelihood
    if spec.prior_scaled_by_sigma:  # the penalty at this draw of sigma (Prior.given_sigma)
        scale = scale * sigma
    strength = penalty_strength(prior.penalty_weights_at(scale, shared), likelihood.dispersion(sigma))
    # as to_penalty, per draw
    pm.Deterministic(spec.penalty_name, likelihood.penalty_parameter(strength, n, prior))
    if prior.has_l1_ratio:
        # the mixing ratio of the equivalent penalty moves with the scale too
        pm.Deterministic("penalty_l1_ratio", strength.l1_ratio)


def _coefficients(spec, shared):
    """``(coef, scale, sigma)``: the prior's variables and the noise scale.

    A prior scaled by sigma needs sigma first (``data[NOISE_SCALE]``); otherwise
    sigma is created after the coefficients, in the order of every model before it.
    """
    if spec.prior_scaled_by_sigma:
        sigma = _sigma(spec, shared)
        coef, scale = spec.prior.create_variable("coef", {**shared, NOISE_SCALE: sigma}, "feature")
        return coef, scale, sigma
    coef, scale = spec.prior.create_variable("coef", shared, "feature")
    return coef, scale, _sigma(spec, shared)


def build_model(spec, data):
    """Build the ``pm.Model`` of ``spec`` with initial ``data`` (see :func:`model_data`)."""
    with pm.Model(coords={"feature": list(spec.feature_names)}) as model:
        shared = {name: pm.Data(name, value) for name, value in data.items()}
        if spec.from_statistics:
            _build_from_statistics(spec, shared)
            return model
        X = shared["X_centered"]
        coef, scale, sigma = _coefficients(spec, shared)
        eta = pt.dot(X, coef)
        if spec.fit_intercept:
            intercept_c = pm.Flat(INTERNAL + "intercept_centered")
            eta = eta + intercept_c
            pm.Deterministic("intercept", intercept_c - pt.dot(shared["x_mean"], coef))
        if spec.has_offset:
            eta = eta + shared["offset"]
        n = X.shape[0]
        likelihood = spec.likelihood.pymc_parameters(shared)  # e.g. df ~ Gamma, when learned
        likelihood.pymc_observed("y", eta, shared["y_observed"], sigma, n)
        if scale is not None:
            _penalty_of_learned_scale(spec, shared, scale, sigma, n)
    return model


def _build_from_statistics(spec, shared):
    """The variables of a model whose likelihood is written from sufficient statistics."""
    coef, scale, sigma = _coefficients(spec, shared)
    intercept_c = None
    if spec.fit_intercept:
        intercept_c = pm.Flat(INTERNAL + "intercept_centered")
        pm.Deterministic("intercept", intercept_c - pt.dot(shared["x_mean"], coef))
    spec.likelihood.pymc_loglik_from_statistics(INTERNAL + "loglik", shared, coef, intercept_c, sigma)
    if scale is not None:
        _penalty_of_learned_scale(spec, shared, scale, sigma, shared["n_samples"])
