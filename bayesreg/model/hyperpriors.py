r"""Hyperpriors: distributions of a positive scale (a prior scale, the noise sd).

Each family says on which function of the scale ``s`` it is a distribution
(:attr:`Hyperprior.acts_on`): HalfCauchy and HalfNormal on ``s`` itself,
:class:`~bayesreg.model.gamma.Gamma` on the precision ``1/s^2``,
:class:`~bayesreg.model.gamma.InverseGamma` on the variance ``s^2``, and
:class:`Jeffreys` (the noise sd only) is ``p(s) \propto 1/s``. The rule is the
same wherever a hyperprior stands (a coefficient prior's scale, ``sigma_prior``),
so ``Gamma(a, b)`` and ``InverseGamma(a, b)`` put the same law on ``s``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .scales import check_positive_scale

__all__ = ["HalfCauchy", "HalfNormal", "Hyperprior", "Jeffreys"]


class Hyperprior:
    """Base class of priors on a positive scale parameter."""

    __slots__ = ()

    def create_variable(self, name, scale_data):
        """This hyperprior as a PyMC variable ``name`` whose scale is ``scale_data`` (a ``pm.Data``).

        Only the family is used; the scale comes from ``scale_data``, so the
        same graph serves every hyperprior scale.
        """
        raise NotImplementedError

    #: How the Gibbs sampler draws a variance ``v`` (the squared scale) from
    #: ``v^-k exp(-b/v) pi(v)`` under this hyperprior (bayesreg.posterior._conditionals).
    gibbs_variance_update = None

    #: The function of the scale ``s`` this is the distribution of: "scale" (``s``),
    #: "precision" (``1/s^2``), "variance" (``s^2``), or None where it is no
    #: prior of a scale (the bare base class: then a coefficient prior refuses it as its scale).
    acts_on = None
    #: Whether it may be the prior of a coefficient prior's scale (a proper law).
    may_be_coefficient_scale = True

    @property
    def gibbs_parameters(self):
        """The numbers the Gibbs variance update needs: ``beta`` (the scale), or ``(a, b)``."""
        return float(self.scale)

    @property
    def typical_scale(self):
        """A typical value of the scale ``s`` (where the Gibbs chains start)."""
        return float(self.scale)

    def sample_scale(self, rng, size=None):
        """Draws of the scale ``s`` itself (``sample`` draws the quantity in :attr:`acts_on`)."""
        return self.sample(rng, size)

    def pymc_data(self, prefix):
        """The ``pm.Data`` values of this hyperprior, by name (``prefix`` + "_scale", ...).

        ``prefix`` is "hyperprior" for a coefficient prior's scale and
        "sigma_prior" for the noise sd, so both may stand in one model.
        """
        return {f"{prefix}_scale": float(self.scale)}

    def create_scale_variable(self, name, data, prefix):
        """The scale ``s`` as a PyMC variable ``name``, its numbers from ``data`` (:meth:`pymc_data`).

        A hyperprior on ``1/s^2`` or ``s^2`` samples that quantity under an
        internal name ("_" first, dropped from ``idata_``) and gives ``s`` as a
        Deterministic called ``name``, so the posterior has ``name`` whatever the family.
        """
        return self.create_variable(name, data[f"{prefix}_scale"])

    @staticmethod
    def class_named(name):
        """The hyperprior class called ``name`` (e.g. "HalfCauchy")."""
        classes = {cls.__name__: cls for cls in Hyperprior.__subclasses__()}
        if name not in classes:
            raise ValueError(f"unknown hyperprior {name!r}; expected one of {sorted(classes)}.")
        return classes[name]


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
    acts_on = "scale"
    #: Makalic & Schmidt's auxiliary variable makes both conditionals inverse gamma.
    gibbs_variance_update = "auxiliary_inverse_gamma"

    def __post_init__(self):
        object.__setattr__(self, "scale", check_positive_scale(self.scale, "scale", "HalfCauchy"))

    def logpdf(self, s):
        """Log density at ``s`` (``-inf`` for ``s < 0``)."""
        s = np.asarray(s, dtype=float)
        z = s / self.scale
        out = math.log(2 / math.pi) - math.log(self.scale) - np.log1p(z**2)
        return np.where(s >= 0, out, -np.inf)

    def create_variable(self, name, scale_data):
        import pymc as pm

        return pm.HalfCauchy(name, beta=scale_data)

    def sample(self, rng, size=None):
        """Independent draws (``numpy`` Generator ``rng``): ``scale * |Cauchy|``."""
        return self.scale * np.abs(rng.standard_cauchy(size))


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
    acts_on = "scale"
    #: The generalised inverse Gaussian conditional, by rejection from an inverse gamma.
    gibbs_variance_update = "rejection_inverse_gamma"

    def __post_init__(self):
        object.__setattr__(self, "scale", check_positive_scale(self.scale, "scale", "HalfNormal"))

    def logpdf(self, s):
        """Log density at ``s`` (``-inf`` for ``s < 0``)."""
        s = np.asarray(s, dtype=float)
        z = s / self.scale
        out = 0.5 * math.log(2 / math.pi) - math.log(self.scale) - 0.5 * z**2
        return np.where(s >= 0, out, -np.inf)

    def create_variable(self, name, scale_data):
        import pymc as pm

        return pm.HalfNormal(name, sigma=scale_data)

    def sample(self, rng, size=None):
        """Independent draws (``numpy`` Generator ``rng``): ``scale * |N(0, 1)|``."""
        return self.scale * np.abs(rng.standard_normal(size))


@dataclass(frozen=True)
class Jeffreys(Hyperprior):
    r"""Jeffreys' prior on the noise sd: :math:`p(\sigma) \propto 1/\sigma` (improper).

    Flat on :math:`\log\sigma`; equivalently :math:`p(\sigma^2) \propto 1/\sigma^2`.
    Only a noise prior (``PosteriorRegressor(sigma_prior=Jeffreys())``): on a
    coefficient prior's scale it would make the posterior improper (the scale
    could go to 0 with every coefficient), so it is refused there. In the Gibbs
    sampler it is the limit ``a, b -> 0`` of ``InverseGamma(a, b)`` on
    :math:`\sigma^2`: conjugate, :math:`\sigma^2 \mid \cdot \sim IG(\mathrm{dof}/2, RSS/2)`.
    """

    acts_on = "scale"
    may_be_coefficient_scale = False
    gibbs_variance_update = "conjugate_inverse_gamma"

    @property
    def gibbs_parameters(self):
        """``(a, b) = (0, 0)``: the inverse-gamma update with nothing added."""
        return (0.0, 0.0)

    @property
    def typical_scale(self):
        return 1.0

    def logpdf(self, s):
        """``-log s`` (unnormalised: the density is improper); ``-inf`` for ``s <= 0``."""
        s = np.asarray(s, dtype=float)
        return np.where(s > 0, -np.log(np.where(s > 0, s, 1.0)), -np.inf)

    def sample(self, rng, size=None):
        raise ValueError("Jeffreys() is improper (p(sigma) ~ 1/sigma has infinite mass): it has no "
                         "draws. Simulate from a proper prior, e.g. InverseGamma(a, b) on sigma^2.")

    def pymc_data(self, prefix):
        return {}

    def create_scale_variable(self, name, data, prefix):
        import pymc as pm

        log_scale = pm.Flat(f"_log_{name}")  # flat on log s: p(s) ~ 1/s
        return pm.Deterministic(name, pm.math.exp(log_scale))
