r"""The spike-and-slab prior: a point mass at zero or a Normal slab, for each coefficient.

.. math::

    w_j = \gamma_j \beta_j, \quad \beta_j \sim N(0, s^2), \quad
    \gamma_j \mid \pi \sim \text{Bernoulli}(\pi), \quad \pi \sim \text{Beta}(a, b)

(Mitchell & Beauchamp 1988; George & McCulloch 1993, 1997). A coefficient is
exactly zero with positive probability, so the posterior answers "is feature j in
the model?" directly: the posterior inclusion probability :math:`P(\gamma_j = 1 \mid y)`.
Sampled by Gibbs only (:mod:`bayesreg.posterior.spike_and_slab_gibbs`); it has
no finite MAP.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

import numpy as np

from .beta import Beta
from .prior_base import Prior
from .scales import check_positive_scale

__all__ = ["SpikeAndSlab"]


@dataclass(frozen=True)
class SpikeAndSlab(Prior):
    r"""Spike-and-slab prior with a Beta prior on the inclusion probability: Gibbs only.

    .. math::

        w_j \mid \gamma_j \sim (1 - \gamma_j)\,\delta_0 + \gamma_j\,N(0, s^2), \quad
        \gamma_j \mid \pi \sim \text{Bernoulli}(\pi), \quad \pi \sim \text{Beta}(a, b)

    Integrating :math:`\pi` out, each indicator pattern :math:`\gamma` with
    :math:`k` ones among :math:`p` has prior probability
    :math:`B(a + k, b + p - k) / B(a, b)` (Beta-binomial).

    **Sampling.** Gibbs with the discrete indicators (Gaussian likelihood):
    each :math:`\gamma_j` is drawn with the coefficients *integrated out* (the
    marginal likelihood of y given the active set, from a Cholesky factor of the
    active Gram matrix), then the active coefficients jointly, then sigma (when
    learned, under the package's ``HalfNormal(sd(y))``). NUTS (nutpie, PyMC,
    numpyro) cannot sample discrete indicators, so ``sampler="nutpie"`` is refused.
    The posterior has ``inclusion`` (0/1 draws, dim ``feature``) and
    ``inclusion_probability`` (:math:`\pi`); ``summary()`` and ``compare`` report
    ``p_inclusion``, the posterior inclusion probability of each feature.

    **No MAP.** The point mass makes the density infinite at 0, so the penalized
    objective has no finite minimum; MAP estimators refuse this prior.

    Parameters
    ----------
    slab_scale : float, default=1.0
        The sd :math:`s` of the Normal slab.
    inclusion : Beta, default=Beta(1, 1)
        The prior of the inclusion probability :math:`\pi`.
    """

    slab_scale: float = 1.0
    inclusion: Beta = dataclasses.field(default_factory=Beta)
    has_map = False
    has_inclusion_indicators = True
    #: The widgets offer it posterior only (no MAP): the slider moves the slab scale.
    kind = "spikeandslab"
    label = "Spike-and-slab (posterior only)"
    family_name = "spike-and-slab"
    #: The indicators share the inclusion probability pi: the joint prior is no product of
    #: one-coefficient densities (and a point mass has none), so no PSIS reweighting.
    independent_coefficients = False
    _gibbs_likelihoods = ("gaussian",)
    gibbs_scheme = "inclusion_indicators"

    def __post_init__(self):
        object.__setattr__(self, "slab_scale",
                           check_positive_scale(self.slab_scale, "slab_scale", "SpikeAndSlab"))
        if not isinstance(self.inclusion, Beta):
            raise TypeError(
                f"SpikeAndSlab: inclusion must be a Beta prior on the inclusion probability, "
                f"e.g. inclusion=Beta(1, 1) (uniform); got {self.inclusion!r}."
            )

    def with_scale(self, scale):
        """The same prior with another slab scale."""
        return dataclasses.replace(self, slab_scale=scale)

    @classmethod
    def from_controls(cls, scale, l1_ratio=0.5):
        """The prior a widget's scale slider describes: the slab scale at ``scale`` (the
        inclusion prior stays ``Beta(1, 1)``; ``l1_ratio`` is ignored)."""
        return cls(slab_scale=scale)

    @property
    def reference_scale(self):
        """The number a widget's scale slider sets (:attr:`control_scale`): ``slab_scale``."""
        return self.slab_scale

    def at_reference_scale(self):
        return self

    # -------------------------------------------------------- samplers
    def samplers(self, likelihood, sigma_fixed, gibbs_scheme=None):
        """Gibbs only, and only with the Gaussian likelihood (see :meth:`gibbs_refusal`)."""
        return ("gibbs",) if likelihood in self._gibbs_likelihoods else ()

    def gibbs_refusal(self, likelihood):
        if likelihood in self._gibbs_likelihoods:
            return None
        return (
            f"covers the spike-and-slab only with the Gaussian likelihood, got {likelihood!r}: "
            "its indicator update integrates the coefficients out, which needs the Gaussian "
            "marginal likelihood."
        )

    def nuts_refusal(self):
        return (
            "cannot sample the spike-and-slab: its inclusion indicators are discrete, and NUTS "
            "(nutpie, pymc, numpyro) moves only continuous parameters along the gradient of "
            "the density. Use sampler='gibbs' (or 'auto')."
        )

    # -------------------------------------------------------- no MAP
    def _no_map(self, what):
        raise ValueError(
            f"The spike-and-slab prior has no {what}: its point mass at 0 makes the density "
            "infinite there, so the penalized objective has no finite minimum (no MAP "
            "estimate). Sample its posterior with bayesreg.PosteriorRegressor(SpikeAndSlab(...)) "
            "(Gibbs), or use a Laplace or Normal prior for a point estimate."
        )

    @property
    def penalty_weights(self):
        self._no_map("lambda/alpha equivalent")

    def penalty_weights_at(self, scale, data=None):
        self._no_map("lambda/alpha equivalent")

    def penalty(self, w):
        """``-sum(logpdf(w))``: ``-inf`` as soon as one coefficient is 0 (no finite MAP)."""
        return float(-np.sum(self.logpdf(w)))

    def prox(self, z, step=1.0):
        self._no_map("proximal map")

    def pymc_data(self):
        raise ValueError(f"sampler='nutpie' {self.nuts_refusal()}")

    def create_variable(self, name, data, dims):
        raise ValueError(f"sampler='nutpie' {self.nuts_refusal()}")

    # -------------------------------------------------------- density and draws
    @property
    def inclusion_mass(self):
        r""":math:`P(w_j \ne 0) = E[\pi] = a / (a + b)`, the slab's share of one coefficient's prior."""
        return self.inclusion.mean

    def logpdf(self, w):
        r"""Log density of one coefficient's marginal prior, :math:`\gamma_j` and :math:`\pi` integrated out.

        The prior of :math:`w_j` is a *mixture of a point mass and a density*,

        .. math::

            P(w_j \in A) = (1 - \bar\pi)\,\mathbf 1[0 \in A] + \bar\pi \int_A N(w; 0, s^2)\,dw,
            \qquad \bar\pi = \frac{a}{a + b},

        which has no density with respect to Lebesgue measure. This returns the
        log density of its continuous part, :math:`\log \bar\pi + \log N(w; 0, s^2)`
        for :math:`w \ne 0` (it integrates to :math:`\bar\pi`, not 1), and
        ``+inf`` at exactly 0, where the point mass :math:`1 - \bar\pi` sits
        (:attr:`inclusion_mass` gives :math:`\bar\pi`). NaN gives NaN.
        """
        w = np.asarray(w, dtype=float)
        s = self.slab_scale
        with np.errstate(over="ignore"):
            slab = math.log(self.inclusion_mass) - 0.5 * math.log(2 * math.pi) - math.log(s) - 0.5 * (w / s) ** 2
        return np.where(w == 0, np.inf, slab)

    def sample(self, rng, size=None):
        """Independent draws of one coefficient's marginal prior (0 with probability ``1 - a/(a+b)``)."""
        pi = self.inclusion.sample(rng, size)
        included = rng.random(size) < pi
        return np.where(included, self.slab_scale * rng.standard_normal(size), 0.0)

    def sample_prior(self, rng, n_features):
        """Coefficients from the joint prior (one shared :math:`\\pi`), with ``inclusion`` and ``inclusion_probability``."""
        pi = float(self.inclusion.sample(rng))
        included = (rng.random(n_features) < pi).astype(float)
        coef = included * self.slab_scale * rng.standard_normal(n_features)
        return coef, {"inclusion": included, "inclusion_probability": pi}
