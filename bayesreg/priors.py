"""Priors on regression coefficients, each with its density and its penalty.

A prior here is an immutable value: it is built outside any model, compares
equal to another prior with the same parameters, and ``eval(repr(prior))``
gives it back.  Every coefficient prior carries

* ``logpdf(w)``: the log density of each coefficient,
* ``penalty(w)``: ``-sum(logpdf(w))`` up to an additive constant, the term the
  MAP estimate adds to the negative log likelihood,
* ``prox(z, step)``: the one-dimensional MAP (proximal map) of the penalty,
* ``penalty_weights``: the pair ``(l1, l2)`` with
  ``penalty(w) = l1 * sum|w| + l2 * sum(w**2) / 2``, from which
  :mod:`bayesreg.mapping` derives every lambda/alpha/C convention,
* ``samplers(likelihood, sigma_fixed)``: the posterior samplers that cover it,
  best first (what ``sampler="auto"`` picks from).

The horseshoe has a density but no finite MAP, so it has no penalty weights and
no proximal map; :class:`Horseshoe` says so when asked.
"""

from __future__ import annotations

import math
import numbers
import dataclasses
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from scipy import integrate, special

__all__ = [
    "ElasticNet",
    "HalfCauchy",
    "HalfNormal",
    "Horseshoe",
    "Hyperprior",
    "Laplace",
    "Normal",
    "PenaltyWeights",
    "Prior",
    "NUTS_SAMPLERS",
    "SCALE_RANGE",
    "prior_from_dict",
    "prior_to_dict",
]


#: The accepted range of every scale (prior scales, hyperprior scales, the
#: noise sd sigma).  Squares, reciprocals and products of two such numbers (up
#: to 1e300) stay finite and nonzero in double precision, so the penalty
#: weights, densities and mapped penalties never overflow to a bare
#: OverflowError or divide by zero.
SCALE_RANGE = (1e-150, 1e150)


def check_scale_range(value, name, owner):
    """Raise a ValueError if the positive float ``value`` lies outside :data:`SCALE_RANGE`."""
    lo, hi = SCALE_RANGE
    if not lo <= value <= hi:
        raise ValueError(
            f"{owner}: {name} must lie in [{lo:g}, {hi:g}], got {value!r}: beyond that "
            "range its square or reciprocal overflows double precision. Rescale the "
            "data (e.g. y in other units) so that the scale lies inside it."
        )
    return value


def _check_positive(value, name, owner):
    """Return ``value`` as a float, or raise if it is not a positive number in :data:`SCALE_RANGE`."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(
            f"{owner}: {name} must be a positive number, got {value!r} "
            f"of type {type(value).__name__}."
        )
    value = float(value)
    if not (math.isfinite(value) and value > 0):
        raise ValueError(f"{owner}: {name} must be finite and > 0, got {value!r}.")
    return check_scale_range(value, name, owner)


def _check_scale(value, owner, name="scale"):
    """A coefficient prior's scale: a positive number or a hyperprior."""
    if isinstance(value, (HalfCauchy, HalfNormal)):
        return value
    if isinstance(value, Prior):
        raise TypeError(
            f"{owner}: {name} may be a number or a hyperprior on a positive scale "
            f"(HalfCauchy, HalfNormal), not the coefficient prior {value!r}."
        )
    return _check_positive(value, name, owner)


#: The NUTS samplers (on the PyMC model) cover every prior and likelihood; in
#: order of preference (nutpie compiles once and samples fastest).
NUTS_SAMPLERS = ("nutpie", "pymc", "numpyro")


class PenaltyWeights(NamedTuple):
    """Weights of ``penalty(w) = l1 * sum|w| + l2 * sum(w**2) / 2``."""

    l1: float
    l2: float


# --------------------------------------------------------------------------
# Hyperpriors: distributions of a positive scale
# --------------------------------------------------------------------------


class Hyperprior:
    """Base class of priors on a positive scale parameter."""

    __slots__ = ()


@dataclass(frozen=True)
class HalfCauchy(Hyperprior):
    r"""Half-Cauchy prior on a positive scale.

    .. math:: p(s) = \frac{2}{\pi \beta (1 + (s/\beta)^2)}, \quad s > 0

    Parameters
    ----------
    scale : float, default=1.0
        The scale :math:`\beta` (the median of the distribution).
    """

    scale: float = 1.0

    def __post_init__(self):
        object.__setattr__(self, "scale", _check_positive(self.scale, "scale", "HalfCauchy"))

    def logpdf(self, s):
        """Log density at ``s`` (``-inf`` for ``s < 0``)."""
        s = np.asarray(s, dtype=float)
        z = s / self.scale
        out = math.log(2 / math.pi) - math.log(self.scale) - np.log1p(z**2)
        return np.where(s >= 0, out, -np.inf)


@dataclass(frozen=True)
class HalfNormal(Hyperprior):
    r"""Half-normal prior on a positive scale.

    .. math:: p(s) = \frac{\sqrt{2}}{\sigma\sqrt{\pi}} \exp(-s^2 / (2\sigma^2)), \quad s > 0

    Parameters
    ----------
    scale : float, default=1.0
        The scale :math:`\sigma` of the underlying normal distribution.
    """

    scale: float = 1.0

    def __post_init__(self):
        object.__setattr__(self, "scale", _check_positive(self.scale, "scale", "HalfNormal"))

    def logpdf(self, s):
        """Log density at ``s`` (``-inf`` for ``s < 0``)."""
        s = np.asarray(s, dtype=float)
        z = s / self.scale
        out = 0.5 * math.log(2 / math.pi) - math.log(self.scale) - 0.5 * z**2
        return np.where(s >= 0, out, -np.inf)


# --------------------------------------------------------------------------
# Coefficient priors
# --------------------------------------------------------------------------


class Prior:
    """Base class of priors on regression coefficients.

    Subclasses define ``penalty_weights`` and ``_log_normalizer``; the density,
    the penalty and the proximal map follow from them here, once.
    """

    __slots__ = ()

    #: Whether the MAP estimate under this prior is finite (False for the horseshoe).
    has_map = True

    @property
    def is_hierarchical(self):
        """True when the scale is a hyperprior (learned from the data)."""
        return isinstance(getattr(self, "scale", None), Hyperprior)

    def _require_fixed_scale(self, what):
        if self.is_hierarchical:
            raise ValueError(
                f"{self!r} has a hyperprior on its scale, so {what} is not a fixed "
                "function of the coefficients. Fix the scale (e.g. "
                f"{type(self).__name__}(scale=1.0)) to get it, or sample the "
                "hierarchical model with PosteriorRegressor."
            )

    #: Likelihoods for which bayesreg's Gibbs sampler has a validated scheme for
    #: this family (a scale mixture of normals); see :meth:`gibbs_refusal`.
    _gibbs_likelihoods = ()

    def samplers(self, likelihood, sigma_fixed):
        """The posterior samplers that cover this prior, best first.

        ``sampler="auto"`` runs the first of them (whose packages are
        installed):

        1. ``"exact"``: independent draws from the closed-form posterior, only
           where it is conjugate (:meth:`has_conjugate_posterior`);
        2. ``"gibbs"``: the exact full conditionals, where a validated scheme
           exists (:meth:`gibbs_refusal` is None): no compilation;
        3. the NUTS samplers :data:`NUTS_SAMPLERS` (``"nutpie"`` first), which
           cover every prior.

        Parameters
        ----------
        likelihood : {"gaussian", "bernoulli"}
            The likelihood's name.
        sigma_fixed : bool
            Whether the noise scale is fixed (Gaussian) rather than learned.

        Returns
        -------
        tuple of str
        """
        offered = ()
        if self.has_conjugate_posterior(likelihood, sigma_fixed):
            offered += ("exact",)
        if self.gibbs_refusal(likelihood) is None:
            offered += ("gibbs",)
        return offered + NUTS_SAMPLERS

    def has_conjugate_posterior(self, likelihood, sigma_fixed):
        """True where the posterior has a closed form (the ``"exact"`` sampler).

        Only the Normal prior with a fixed scale, the Gaussian likelihood and a
        fixed sigma: then the coefficients are jointly Gaussian a posteriori.
        """
        return False

    def gibbs_refusal(self, likelihood):
        """Why the Gibbs sampler does not cover this prior with ``likelihood``, or None if it does.

        The sentence completes ``"sampler='gibbs' ..."`` in an error message.
        """
        if likelihood in self._gibbs_likelihoods:
            return None
        if not self._gibbs_likelihoods:
            return (
                "covers the Normal, Laplace and Horseshoe priors (scale mixtures of normals); "
                f"got {self!r}."
            )
        return f"does not cover {self!r} with the {likelihood!r} likelihood."

    @property
    def penalty_weights(self):
        """:class:`PenaltyWeights` ``(l1, l2)`` of the penalty."""
        raise NotImplementedError

    def _log_normalizer(self):
        """``log Z`` with ``p(w) = exp(-penalty(w)) / Z`` for one coefficient."""
        raise NotImplementedError

    def logpdf(self, w):
        """Log density of each coefficient in ``w`` (elementwise)."""
        self._require_fixed_scale("logpdf")
        w = np.asarray(w, dtype=float)
        return -self._penalty_terms(w) - self._log_normalizer()

    def _penalty_terms(self, w):
        """``l1 * |w| + l2 * w**2 / 2`` elementwise, ``inf`` where it overflows.

        A zero weight contributes nothing even at ``|w| = inf`` (no ``0 * inf = nan``),
        and an overflow far in the tails is a density of 0, not a warning.
        """
        l1, l2 = self.penalty_weights
        out = np.zeros_like(w)
        with np.errstate(over="ignore"):
            if l1 > 0:
                out = out + l1 * np.abs(w)
            if l2 > 0:
                out = out + 0.5 * l2 * w**2
        return out

    def penalty(self, w):
        """The penalty ``-sum(logpdf(w))`` without its constant.

        ``penalty(w) = l1 * sum|w| + l2 * sum(w**2) / 2``, summed over all
        entries of ``w``.
        """
        self._require_fixed_scale("the penalty")
        w = np.asarray(w, dtype=float)
        with np.errstate(over="ignore"):  # an overflowing penalty is +inf
            return float(np.sum(self._penalty_terms(w)))

    def prox(self, z, step=1.0):
        r"""The proximal map of the penalty: the MAP of one coefficient.

        .. math::

            \operatorname{prox}(z) = \arg\min_w \frac{(w - z)^2}{2\,\mathrm{step}}
                + \ell_1 |w| + \ell_2 w^2 / 2
                = \frac{\operatorname{sign}(z)\max(|z| - \mathrm{step}\,\ell_1, 0)}
                       {1 + \mathrm{step}\,\ell_2}

        This is soft thresholding for the Laplace prior, linear shrinkage for
        the Normal prior and both for the elastic net.  For one coefficient
        with least-squares estimate ``z`` and variance ``v = sigma**2 / sum(x**2)``,
        ``prox(z, step=v)`` is exactly its MAP estimate.

        Parameters
        ----------
        z : array-like
            Points to map.
        step : float or array-like, default=1.0
            Weight of the quadratic term (positive).
        """
        self._require_fixed_scale("the proximal map")
        z = np.asarray(z, dtype=float)
        step = np.asarray(step, dtype=float)
        if np.any(~(step > 0)) or not np.all(np.isfinite(step)):
            raise ValueError(f"prox: step must be finite and > 0, got {step!r}.")
        l1, l2 = self.penalty_weights
        shrunk = np.sign(z) * np.maximum(np.abs(z) - step * l1, 0.0)
        return shrunk / (1.0 + step * l2)


@dataclass(frozen=True)
class Normal(Prior):
    r"""Gaussian prior :math:`w_j \sim N(0, t^2)`: the prior of ridge regression.

    .. math::

        \log p(w) = -\frac{w^2}{2t^2} - \tfrac12 \log(2\pi t^2), \qquad
        \mathrm{penalty}(w) = \sum_j \frac{w_j^2}{2t^2}

    Parameters
    ----------
    scale : float or Hyperprior, default=1.0
        The prior standard deviation :math:`t`.  A hyperprior (``HalfCauchy``,
        ``HalfNormal``) lets the posterior learn it.
    """

    scale: float | Hyperprior = 1.0
    _gibbs_likelihoods = ("gaussian", "bernoulli")

    def __post_init__(self):
        object.__setattr__(self, "scale", _check_scale(self.scale, "Normal"))

    def has_conjugate_posterior(self, likelihood, sigma_fixed):
        return likelihood == "gaussian" and bool(sigma_fixed) and not self.is_hierarchical

    @property
    def penalty_weights(self):
        self._require_fixed_scale("the penalty")
        return PenaltyWeights(0.0, 1.0 / self.scale**2)

    def _log_normalizer(self):
        return 0.5 * math.log(2 * math.pi * self.scale**2)


@dataclass(frozen=True)
class Laplace(Prior):
    r"""Laplace prior :math:`p(w) = \exp(-|w|/s) / (2s)`: the prior of the lasso.

    .. math::

        \log p(w) = -\frac{|w|}{s} - \log(2s), \qquad
        \mathrm{penalty}(w) = \sum_j \frac{|w_j|}{s}

    Parameters
    ----------
    scale : float or Hyperprior, default=1.0
        The Laplace scale :math:`s` (the standard deviation is
        :math:`\sqrt{2}\,s`).  A hyperprior lets the posterior learn it, and
        with it the lasso's lambda.
    """

    scale: float | Hyperprior = 1.0
    _gibbs_likelihoods = ("gaussian", "bernoulli")

    def __post_init__(self):
        object.__setattr__(self, "scale", _check_scale(self.scale, "Laplace"))

    @property
    def penalty_weights(self):
        self._require_fixed_scale("the penalty")
        return PenaltyWeights(1.0 / self.scale, 0.0)

    def _log_normalizer(self):
        return math.log(2 * self.scale)


@dataclass(frozen=True)
class ElasticNet(Prior):
    r"""Elastic-net prior, between the Laplace (``l1_ratio=1``) and Normal (``0``).

    .. math::

        \mathrm{penalty}(w) = \sum_j \frac{r |w_j|}{s} + \frac{(1-r) w_j^2}{2 s^2},
        \qquad p(w) = \exp(-\mathrm{penalty}(w)) / Z

    with :math:`a = r/s`, :math:`b = (1-r)/(2s^2)` and the normalizing constant

    .. math::

        Z = \int e^{-a|w| - b w^2} dw = \sqrt{\pi / b}\;
            \operatorname{erfcx}\!\left(\frac{a}{2\sqrt b}\right)
        \quad (Z = 2/a \text{ when } b = 0).

    Parameters
    ----------
    scale : float or Hyperprior, default=1.0
        The scale :math:`s`: the Laplace scale of the L1 part and the standard
        deviation of the L2 part.
    l1_ratio : float in [0, 1], default=0.5
        The mixing weight :math:`r` of the L1 part.
    """

    scale: float | Hyperprior = 1.0
    l1_ratio: float = 0.5

    def __post_init__(self):
        object.__setattr__(self, "scale", _check_scale(self.scale, "ElasticNet"))
        r = self.l1_ratio
        if isinstance(r, bool) or not isinstance(r, numbers.Real):
            raise TypeError(f"ElasticNet: l1_ratio must be a number in [0, 1], got {r!r}.")
        r = float(r)
        if not 0.0 <= r <= 1.0:
            raise ValueError(
                f"ElasticNet: l1_ratio must lie in [0, 1] (0 is the Normal prior, "
                f"1 the Laplace prior), got {r!r}."
            )
        object.__setattr__(self, "l1_ratio", r)

    @property
    def penalty_weights(self):
        self._require_fixed_scale("the penalty")
        r, s = self.l1_ratio, self.scale
        return PenaltyWeights(r / s, (1.0 - r) / s**2)

    def _log_normalizer(self):
        l1, l2 = self.penalty_weights
        if l2 == 0.0:
            return math.log(2.0 / l1)
        b = 0.5 * l2
        return 0.5 * math.log(math.pi / b) + math.log(special.erfcx(l1 / (2.0 * math.sqrt(b))))


@dataclass(frozen=True)
class Horseshoe(Prior):
    r"""Horseshoe prior (Carvalho, Polson & Scott 2010): for sampling only.

    .. math::

        w_j \mid \lambda_j, \tau \sim N(0, \lambda_j^2 \tau^2), \quad
        \lambda_j \sim C^+(0, 1), \quad \tau \sim C^+(0, \tau_0)

    Its marginal density has an infinite spike at zero, so the penalty
    :math:`-\log p(w)` tends to :math:`-\infty` there: **there is no finite MAP
    estimate**, and MAP estimators refuse this prior.  Use
    :class:`bayesreg.PosteriorRegressor` to sample its posterior.

    Parameters
    ----------
    global_scale : float, default=1.0
        The scale :math:`\tau_0` of the half-Cauchy prior on the global
        shrinkage :math:`\tau`.
    """

    global_scale: float = 1.0
    has_map = False
    _gibbs_likelihoods = ("gaussian",)

    def __post_init__(self):
        object.__setattr__(
            self, "global_scale", _check_positive(self.global_scale, "global_scale", "Horseshoe")
        )

    def gibbs_refusal(self, likelihood):
        if likelihood == "bernoulli":
            # docs/validation_results.md: its tau | w update mixes too slowly under the
            # Polya-Gamma augmentation; simulation-based calibration fails even at 5000 draws
            return (
                "is not available for the horseshoe with the Bernoulli likelihood: its global "
                "scale mixes too slowly and the posterior it returns fails simulation-based "
                "calibration."
            )
        return super().gibbs_refusal(likelihood)

    def _no_map(self, what):
        raise ValueError(
            f"The horseshoe prior has no {what}: its density is infinite at 0, so the "
            "penalized objective has no finite minimum (no MAP estimate). Sample its "
            "posterior with bayesreg.PosteriorRegressor(Horseshoe(...)), or use a "
            "Laplace or Normal prior for a point estimate."
        )

    @property
    def penalty_weights(self):
        self._no_map("lambda/alpha equivalent")

    def penalty(self, w):
        """``-sum(logpdf(w))``; infinite spike at 0, so there is no finite MAP."""
        return float(-np.sum(self.logpdf(w)))

    def prox(self, z, step=1.0):
        self._no_map("proximal map")

    def logpdf(self, w):
        r"""Marginal log density of one coefficient, :math:`\lambda_j, \tau` integrated out.

        The product :math:`z = \lambda_j \tau` of two half-Cauchy variables has
        density :math:`f(z) = \frac{4}{\pi^2 \tau_0}\,\frac{\log(z/\tau_0)}{(z/\tau_0)^2 - 1}`,
        so :math:`p(w) = \int_0^\infty N(w; 0, z^2) f(z)\,dz`, computed by
        quadrature over :math:`\log z`.  The coefficients are dependent through
        the shared :math:`\tau`; this is the density of each one alone.
        ``logpdf(0)`` is ``+inf``, ``logpdf(±inf)`` is ``-inf`` and NaN gives NaN,
        as in ``scipy.stats``.
        """
        w = np.asarray(w, dtype=float)
        flat = np.abs(w).ravel()
        out = np.array([self._log_marginal(v) for v in flat])
        return out.reshape(w.shape)

    def _log_marginal(self, w):
        if math.isnan(w):
            return math.nan  # as scipy.stats: NaN in, NaN out
        if math.isinf(w):
            return -math.inf  # the density tends to 0 (like 1/w^2) in both tails
        if w == 0.0:
            return math.inf
        tau0 = self.global_scale

        def integrand(v):  # v = log(z / tau0); the density of v is f(z) * z
            if abs(v) > 700.0:  # both tails vanish long before exp overflows
                return 0.0
            u = math.exp(v)
            z = tau0 * u
            # u log(u) / (u^2 - 1) = v / (u - 1/u), continuous at u = 1 (value 1/2)
            ratio = 0.5 if abs(v) < 1e-8 else v / (u - 1.0 / u)
            normal = math.exp(-0.5 * (w / z) ** 2) / (z * math.sqrt(2 * math.pi))
            return normal * (4.0 / math.pi**2) * ratio

        centre = math.log(w / tau0)
        value = 0.0
        for lo, hi in ((-np.inf, centre - 5), (centre - 5, centre + 5), (centre + 5, np.inf)):
            part, _ = integrate.quad(integrand, lo, hi, limit=200, epsabs=0, epsrel=1e-11)
            value += part
        return math.log(value)


# --------------------------------------------------------------------------
# Plain-data form, for saving a prior without pickle or eval
# --------------------------------------------------------------------------

_PRIOR_CLASSES = {
    cls.__name__: cls for cls in (Normal, Laplace, ElasticNet, Horseshoe, HalfCauchy, HalfNormal)
}


def prior_to_dict(prior):
    """A prior as nested plain data: ``{"type": "Laplace", "scale": 1.0}``."""
    if type(prior).__name__ not in _PRIOR_CLASSES:
        raise TypeError(f"not a bayesreg prior: {prior!r}")
    out = {"type": type(prior).__name__}
    for field in dataclasses.fields(prior):
        value = getattr(prior, field.name)
        out[field.name] = prior_to_dict(value) if isinstance(value, (Prior, Hyperprior)) else value
    return out


def prior_from_dict(data):
    """Rebuild a prior from :func:`prior_to_dict` output; only bayesreg's own classes."""
    if not isinstance(data, dict) or data.get("type") not in _PRIOR_CLASSES:
        raise ValueError(f"not a saved bayesreg prior: {data!r}")
    cls = _PRIOR_CLASSES[data["type"]]
    names = {field.name for field in dataclasses.fields(cls)}
    kwargs = {}
    for key, value in data.items():
        if key == "type":
            continue
        if key not in names:
            raise ValueError(f"unknown parameter {key!r} for {cls.__name__} in a saved prior")
        kwargs[key] = prior_from_dict(value) if isinstance(value, dict) else value
    return cls(**kwargs)
