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
  best first (what ``sampler="auto"`` picks from); this and the rest of what the
  samplers ask a prior (its Gibbs mixture, its PyMC variable, draws from it) are
  defaults of :class:`~._prior_in_samplers.PriorInSamplers`, which ``Prior`` inherits.

The horseshoe has a density but no finite MAP, so it has no penalty weights and
no proximal map; :class:`Horseshoe` says so when asked.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ._per_feature import PerFeatureScales
from ._prior_in_samplers import NUTS_SAMPLERS, PriorInSamplers
from .hyperpriors import Hyperprior
from .scales import check_positive_scale


__all__ = ["NUTS_SAMPLERS", "PenaltyWeights", "Prior"]

def _check_scale(value, owner, name="scale"):
    """A coefficient prior's scale: a positive number or a hyperprior.

    HalfCauchy and HalfNormal are on the scale ``s``, Gamma on ``1/s^2`` and
    InverseGamma on ``s^2`` (:attr:`Hyperprior.acts_on`); an improper one
    (Jeffreys) is refused: the posterior of the scale would be improper.
    """
    accepted = "HalfCauchy, HalfNormal on s; Gamma on 1/s^2; InverseGamma on s^2"
    if isinstance(value, Hyperprior) and value.acts_on is not None:  # a family, not the bare base
        if value.may_be_coefficient_scale:
            return value
        raise ValueError(
            f"{owner}: {name}={value!r} cannot be the prior of a coefficient prior's scale "
            "(an improper prior there makes the posterior improper: the scale may shrink to 0 "
            f"with every coefficient). Use a proper hyperprior ({accepted})."
        )
    if isinstance(value, Prior):
        raise TypeError(
            f"{owner}: {name} may be a number or a hyperprior on a positive scale "
            f"({accepted}), not the coefficient prior {value!r}."
        )
    return check_positive_scale(value, name, owner)


class PenaltyWeights(NamedTuple):
    """Weights of ``penalty(w) = l1 * sum|w| + l2 * sum(w**2) / 2``."""

    l1: float
    l2: float


class Prior(PriorInSamplers, PerFeatureScales):
    """Base class of priors on regression coefficients.

    Subclasses define ``penalty_weights`` and ``_log_normalizer``; the density,
    the penalty and the proximal map follow from them here, once (per coordinate
    for a per-feature scale: :mod:`bayesreg.model._per_feature`).
    """

    __slots__ = ()

    #: Whether the MAP estimate under this prior is finite (False for the horseshoe).
    has_map = True
    scale_by_sigma = False  # True: w_j | sigma ~ prior(sigma * scale) (model/sigma_scaling.py)
    def given_sigma(self, sigma):
        """The prior at the noise scale ``sigma``: itself (see ``sigma_scaling.prior_at_sigma``)."""
        return self

    #: The short name of the family in the widgets' controls and in ``prior="laplace"``
    #: (case, "-", "_" and spaces ignored); "" for a family the widgets do not offer.
    kind = ""
    #: The label of the family in the widgets' controls.
    label = ""
    #: The scikit-learn regressor whose penalty is this prior's (see :func:`bayesreg.to_penalty`).
    sklearn_regressor = "ElasticNet"
    #: Whether the penalty is the convex ``l1 |w| + l2 w^2 / 2`` of :attr:`penalty_weights`
    #: (then it has a lambda/alpha in the libraries). A smooth non-convex prior sets it
    #: False and gives :meth:`quadratic_bound_weights` instead: its MAP is found by
    #: majorize-minimize (:mod:`bayesreg.map.solve`).
    is_convex = True

    def quadratic_bound_weights(self, w):
        r"""Weights :math:`c_j` of a quadratic above the penalty that touches it at ``w``.

        :math:`\mathrm{pen}(v) \le \mathrm{pen}(w) + \sum_j \tfrac12 c_j (v_j^2 - w_j^2)`.
        Needed only by priors that are not convex L1/L2 penalties (``is_convex`` False).
        """
        raise NotImplementedError(f"{type(self).__name__} is an L1/L2 penalty: use penalty_weights.")

    #: Whether the family has an ``l1_ratio`` control in the widgets (the elastic net).
    has_l1_ratio = False

    #: Whether the prior has 0/1 inclusion indicators (a spike-and-slab). Such a prior
    #: stores their draws as the posterior variable ``inclusion`` (dims chain, draw,
    #: feature), and the variable ranking of ``summary()`` and ``compare`` then ranks by
    #: the posterior inclusion probability first (:mod:`bayesreg.posterior._ranking`).
    has_inclusion_indicators = False

    def penalty_formulas(self, *, n_samples, sigma, y_sd, sklearn, glmnet, logistic):
        """The widgets' penalty readout: one line per convention, its formula with the numbers.

        ``sklearn``, ``glmnet`` and ``logistic`` are :func:`bayesreg.to_penalty`'s
        answers for this prior (Gaussian with ``n_samples``, ``sigma``, ``y_sd``;
        Bernoulli).  None (this default): the readout shows the numbers only.
        """

    @classmethod
    def from_controls(cls, scale, l1_ratio=0.5):
        """The prior a widget's controls describe: this family at ``scale``.

        ``l1_ratio`` is used only by families that have one (the elastic net).
        """
        return cls(scale=scale)

    @property
    def control_scale(self):
        """The number a widget's scale slider sets (:meth:`from_controls`' ``scale``): the
        overall (reference) scale, around which per-feature scales keep their ratios."""
        return self.reference_scale

    #: Whether the coefficients are independent a priori, so the joint prior density is
    #: the product of :meth:`logpdf` over the coefficients (what reweighting a posterior
    #: from one prior to another needs). False for the global-local priors, whose
    #: coefficients share the global scale tau.
    independent_coefficients = True

    def with_scale(self, scale):
        """The same prior at another scale (the prior scale a slider or a grid moves).

        On a per-feature prior a number sets the reference scale and keeps the
        relative scales (every scale times one factor); see :mod:`._per_feature`.
        """
        return self._with_scale(scale)

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

    #: Whether the penalty is a quadratic built from the data (:meth:`quadratic_penalty_matrix`).
    penalty_uses_data = False

    def quadratic_penalty_matrix(self, X_centred, sigma):
        r"""The matrix :math:`Q` of a penalty :math:`w^\top Q w / 2` that depends on the data, or None.

        None (this default) for every prior whose penalty acts on each coefficient
        alone; Zellner's g-prior returns :math:`X_c^\top X_c / (g \sigma^2)`, and the
        MAP solver then solves that generalized ridge (:mod:`bayesreg.map.solve`).
        """
        return None

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
        l1, l2 = (np.asarray(v, dtype=float) for v in self.penalty_weights)  # arrays: per feature
        out = np.zeros(np.broadcast_shapes(w.shape, l1.shape, l2.shape))
        with np.errstate(over="ignore", invalid="ignore"):
            out = out + np.where(l1 > 0, l1 * np.abs(w), 0.0)
            out = out + np.where(l2 > 0, 0.5 * l2 * w**2, 0.0)
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
