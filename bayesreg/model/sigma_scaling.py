r"""Priors scaled by sigma: ``w_j | sigma ~ prior(sigma * scale)`` (``scale_by_sigma=True``).

Park & Casella's (2008) Bayesian lasso and Makalic & Schmidt's bayesreg put the
prior on the coefficients in units of the noise. At a fixed sigma such a prior
is today's prior at scale ``sigma * scale`` (:func:`prior_at_sigma`), so its
penalty, mapping and conjugate draws are today's at that scale; docs/maths.md
("Priors scaled by sigma") derives the mapping: the L2 part is free of sigma,
the L1 part linear in it.
"""

from __future__ import annotations

import dataclasses

import numpy as np

__all__ = ["NOISE_SCALE", "mapping_at_sigma", "prior_at_sigma", "require_sigma", "sigma_scalable",
           "sigma_scaled_from_penalty"]

#: The name under which a PyMC model passes the noise scale to a prior scaled by sigma
#: (``data[NOISE_SCALE]`` in ``Prior.create_variable``).
NOISE_SCALE = "noise_scale"


def prior_at_sigma(prior, sigma):
    """The prior of the coefficients at the noise scale ``sigma``: itself unless scaled by sigma.

    For ``scale_by_sigma=True`` the same family at ``scale = sigma * scale`` in
    today's form, whose penalty, mapping and conjugate posterior are those at a
    fixed ``sigma``.

    Raises
    ------
    ValueError
        If ``sigma`` is None (a likelihood without a noise scale) for a prior scaled by sigma.
    """
    if not prior.scale_by_sigma:
        return prior
    require_sigma(prior, sigma)
    prior._require_fixed_scale("the prior at a given sigma")
    return dataclasses.replace(prior, scale=_times(prior.scale, sigma), scale_by_sigma=False)


def require_sigma(prior, sigma):
    """Raise a clear ValueError if a prior scaled by sigma meets a model without one (``sigma`` None)."""
    if sigma is None:
        raise ValueError(
            f"{prior!r} scales the coefficients by the noise scale sigma, which this model has "
            "none of (a likelihood without sigma, e.g. Bernoulli or Poisson, or no sigma "
            "given to the mapping). Use scale_by_sigma=False with it, or pass sigma."
        )


def check_scale_by_sigma_flag(prior, owner, scaled_form):
    """Store ``prior.scale_by_sigma`` as a bool, or raise a TypeError naming both forms."""
    flag = prior.scale_by_sigma
    if not isinstance(flag, (bool, np.bool_)):
        raise TypeError(
            f"{owner}: scale_by_sigma must be True ({scaled_form}) or False (today's form), "
            f"got {flag!r}."
        )
    object.__setattr__(prior, "scale_by_sigma", bool(flag))


def _times(scale, factor):
    """A scale (a number, or one per feature stored as a tuple) times ``factor``."""
    return np.asarray(scale) * factor if isinstance(scale, tuple) else scale * factor


def sigma_scalable(cls):
    """Class decorator of a prior with a ``scale_by_sigma`` field (``Prior.scale_by_sigma``).

    Checks the flag on construction, installs :func:`prior_at_sigma` as
    ``given_sigma`` and shows the flag in ``repr`` only when True, so every repr
    of today's form is unchanged and ``eval(repr(prior))`` round-trips.
    """
    plain_repr, plain_post_init = cls.__repr__, cls.__post_init__

    def __post_init__(self):
        plain_post_init(self)
        check_scale_by_sigma_flag(
            self, cls.__name__, "w | sigma ~ prior(sigma * scale), Park & Casella's form")

    def __repr__(self):
        text = plain_repr(self)
        return text[:-1] + ", scale_by_sigma=True)" if self.scale_by_sigma else text

    cls.__post_init__, cls.__repr__, cls.given_sigma = __post_init__, __repr__, prior_at_sigma
    return cls


def mapping_at_sigma(prior, sigma, likelihood):
    """``to_penalty``'s view of a prior scaled by sigma: today's prior at ``sigma``, and the sigma to map with.

    Its L2-only form (the Normal) maps to the same penalty at every sigma, so
    ``sigma=None`` is then allowed (1 is used; the answer does not depend on it).
    """
    if not getattr(prior, "scale_by_sigma", False):
        return prior, sigma
    if sigma is None and likelihood.has_sigma and prior.penalty_weights.l1 == 0.0:
        sigma = 1.0
    if sigma is None and likelihood.has_sigma:
        raise ValueError(
            f"sigma is required to map {prior!r}: its L1 part maps to alpha = sigma * (...) / n "
            "(only the L2 part of a prior scaled by sigma is free of sigma). Pass the noise "
            "standard deviation (e.g. a fitted MAPRegressor's sigma_)."
        )
    return prior.given_sigma(sigma), sigma


def sigma_scaled_from_penalty(from_penalty, kind, sigma, likelihood, params):
    """``from_penalty(..., scale_by_sigma=True)``: today's prior at sigma, its scale divided by sigma."""
    if likelihood is not None and not likelihood.has_sigma:
        raise ValueError(
            f"scale_by_sigma=True needs a likelihood with a noise scale sigma; {kind} with the "
            f"{likelihood.label} likelihood has none. Use scale_by_sigma=False."
        )
    noise = 1.0 if sigma is None else sigma  # L2-only: the same prior at every sigma
    prior = from_penalty(kind, sigma=noise, likelihood=None if likelihood is None else likelihood.name,
                         **params)
    if sigma is None and prior.penalty_weights.l1 > 0:
        raise ValueError(
            f"sigma is required: {kind} with an L1 part maps onto a prior scaled by sigma at "
            "scale = sigma / (n alpha ...), which depends on sigma. Pass the noise standard deviation."
        )
    return dataclasses.replace(prior, scale=_times(prior.scale, 1.0 / noise), scale_by_sigma=True)
