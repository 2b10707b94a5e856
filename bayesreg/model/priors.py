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
  :mod:`bayesreg.model.mapping` derives every lambda/alpha/C convention,
* ``samplers(likelihood, sigma_fixed)``: the posterior samplers that cover it,
  best first (what ``sampler="auto"`` picks from).

The horseshoe has a density but no finite MAP, so it has no penalty weights and
no proximal map; :class:`Horseshoe` says so when asked.
"""

from __future__ import annotations

import dataclasses
import math
import numbers
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from scipy import special

from .hyperpriors import HalfCauchy, HalfNormal, Hyperprior
from .scales import check_positive_scale

__all__ = [
    "ElasticNet",
    "Laplace",
    "NUTS_SAMPLERS",
    "Normal",
    "PenaltyWeights",
    "Prior",
]


def _check_scale(value, owner, name="scale"):
    """A coefficient prior's scale: a positive number or a hyperprior."""
    if isinstance(value, (HalfCauchy, HalfNormal)):
        return value
    if isinstance(value, Prior):
        raise TypeError(
            f"{owner}: {name} may be a number or a hyperprior on a positive scale "
            f"(HalfCauchy, HalfNormal), not the coefficient prior {value!r}."
        )
    return check_positive_scale(value, name, owner)


#: The NUTS samplers (on the PyMC model) cover every prior and likelihood; in
#: order of preference (nutpie compiles once and samples fastest).
NUTS_SAMPLERS = ("nutpie", "pymc", "numpyro")


class PenaltyWeights(NamedTuple):
    """Weights of ``penalty(w) = l1 * sum|w| + l2 * sum(w**2) / 2``."""

    l1: float
    l2: float


class Prior:
    """Base class of priors on regression coefficients.

    Subclasses define ``penalty_weights`` and ``_log_normalizer``; the density,
    the penalty and the proximal map follow from them here, once.
    """

    __slots__ = ()

    #: Whether the MAP estimate under this prior is finite (False for the horseshoe).
    has_map = True
    #: The short name of the family in the widgets' controls and in ``prior="laplace"``
    #: (case, "-", "_" and spaces ignored); "" for a family the widgets do not offer.
    kind = ""
    #: The label of the family in the widgets' controls.
    label = ""
    #: The scikit-learn regressor whose penalty is this prior's (see :func:`bayesreg.to_penalty`).
    sklearn_regressor = "ElasticNet"

    @classmethod
    def from_controls(cls, scale, l1_ratio=0.5):
        """The prior a widget's controls describe: this family at ``scale``.

        ``l1_ratio`` is used only by families that have one (the elastic net).
        """
        return cls(scale=scale)

    def with_scale(self, scale):
        """The same prior at another scale (the prior scale a slider or a grid moves)."""
        return dataclasses.replace(self, scale=scale)

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

    # -------------------------------------------------------- the prior in the Gibbs sampler
    #: The scale mixture of normals ``w_j | v_j ~ N(0, v_j)`` this prior is, named for
    #: the Gibbs sampler (bayesreg.posterior._mixtures): "common_variance" (every
    #: ``v_j`` is the squared scale), "exponential_variance" (``v_j ~ Exp``) or
    #: "half_cauchy_local" (``v_j = lambda_j^2 tau^2``); None if it is not one.
    gibbs_mixture = None

    @property
    def gibbs_scale_prior(self):
        """The hyperprior of the scale the Gibbs sampler learns, or None when the scale is fixed."""
        return self.scale if self.is_hierarchical else None

    def penalty_weights_at(self, scale):
        """The :class:`PenaltyWeights` ``(l1, l2)`` at ``scale`` (a number or an array of draws)."""
        raise NotImplementedError

    def sklearn_alpha(self, strength, n_samples):
        """scikit-learn's ``alpha`` of :attr:`sklearn_regressor` for a Gaussian penalty strength.

        ``Lasso``/``ElasticNet`` minimise ``loss/(2n) + alpha * ...``, so
        ``alpha = strength.total / n`` (see :func:`bayesreg.model.mapping.penalty_strength`).
        """
        return strength.total / n_samples

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
    kind = "normal"
    label = "Normal (ridge)"
    sklearn_regressor = "Ridge"
    gibbs_mixture = "common_variance"

    def penalty_weights_at(self, scale):
        return PenaltyWeights(0.0, 1.0 / scale**2)

    def sklearn_alpha(self, strength, n_samples):
        """``Ridge`` minimises ``||r||^2 + alpha ||w||^2`` (no 1/n): ``alpha = total (1 - l1_ratio)``."""
        return strength.total * (1.0 - strength.l1_ratio)

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
    kind = "laplace"
    label = "Laplace (lasso)"
    sklearn_regressor = "Lasso"
    gibbs_mixture = "exponential_variance"

    def penalty_weights_at(self, scale):
        return PenaltyWeights(1.0 / scale, 0.0)

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
    kind = "elasticnet"

    def penalty_weights_at(self, scale):
        r = self.l1_ratio
        return PenaltyWeights(r / scale, (1.0 - r) / scale**2)
    label = "ElasticNet"

    @classmethod
    def from_controls(cls, scale, l1_ratio=0.5):
        return cls(scale=scale, l1_ratio=l1_ratio)

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
