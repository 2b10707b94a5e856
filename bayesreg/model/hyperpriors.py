"""Hyperpriors: distributions of a positive scale (a prior scale, the noise sd)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .scales import check_positive_scale

__all__ = ["HalfCauchy", "HalfNormal", "Hyperprior"]


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
