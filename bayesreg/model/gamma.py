"""The Gamma and inverse-gamma distributions of a positive parameter.

They are hyperpriors in the family sense (a prior on a positive quantity that a
model learns): ``StudentT(df=Gamma(2, 0.1))`` puts Juarez & Steel's prior on the
degrees of freedom. Where each may stand as the prior of a *scale* (and on which
function of the scale) is said by the families that accept it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import special

from .hyperpriors import Hyperprior
from .scales import check_positive_scale

__all__ = ["Gamma", "InverseGamma"]


@dataclass(frozen=True)
class Gamma(Hyperprior):
    r"""Gamma distribution with shape ``a`` and *rate* ``b``.

    .. math::

        p(x) = \frac{b^a}{\Gamma(a)} x^{a-1} e^{-b x}, \qquad x > 0

    The mean is ``a / b``. ``scipy.stats.gamma(a, scale=1/b)`` is the same law.

    Parameters
    ----------
    a : float, default=1.0
        Shape, positive.
    b : float, default=1.0
        Rate, positive.
    """

    a: float = 1.0
    b: float = 1.0

    def __post_init__(self):
        object.__setattr__(self, "a", check_positive_scale(self.a, "a", "Gamma"))
        object.__setattr__(self, "b", check_positive_scale(self.b, "b", "Gamma"))

    @property
    def mean(self):
        """The mean ``a / b``."""
        return self.a / self.b

    def logpdf(self, x):
        """Log density at ``x`` (``-inf`` for ``x <= 0``)."""
        x = np.asarray(x, dtype=float)
        positive = x > 0
        xp = np.where(positive, x, 1.0)
        out = (self.a * np.log(self.b) - special.gammaln(self.a)
               + (self.a - 1.0) * np.log(xp) - self.b * xp)
        return np.where(positive, out, -np.inf)

    def sample(self, rng, size=None):
        """Independent draws (``numpy`` Generator ``rng``)."""
        return rng.gamma(self.a, 1.0 / self.b, size)

    def create_variable(self, name, scale_data):
        import pymc as pm

        return pm.Gamma(name, alpha=self.a, beta=self.b)


@dataclass(frozen=True)
class InverseGamma(Hyperprior):
    r"""Inverse-gamma distribution with shape ``a`` and *scale* ``b``.

    .. math::

        p(x) = \frac{b^a}{\Gamma(a)} x^{-a-1} e^{-b / x}, \qquad x > 0

    ``x ~ InverseGamma(a, b)`` exactly when ``1/x ~ Gamma(a, b)`` (rate ``b``).
    ``scipy.stats.invgamma(a, scale=b)`` is the same law.

    Parameters
    ----------
    a : float, default=1.0
        Shape, positive.
    b : float, default=1.0
        Scale, positive.
    """

    a: float = 1.0
    b: float = 1.0

    def __post_init__(self):
        object.__setattr__(self, "a", check_positive_scale(self.a, "a", "InverseGamma"))
        object.__setattr__(self, "b", check_positive_scale(self.b, "b", "InverseGamma"))

    def logpdf(self, x):
        """Log density at ``x`` (``-inf`` for ``x <= 0``)."""
        x = np.asarray(x, dtype=float)
        positive = x > 0
        xp = np.where(positive, x, 1.0)
        out = (self.a * np.log(self.b) - special.gammaln(self.a)
               - (self.a + 1.0) * np.log(xp) - self.b / xp)
        return np.where(positive, out, -np.inf)

    def sample(self, rng, size=None):
        """Independent draws (``numpy`` Generator ``rng``)."""
        return self.b / rng.gamma(self.a, 1.0, size)

    def create_variable(self, name, scale_data):
        import pymc as pm

        return pm.InverseGamma(name, alpha=self.a, beta=self.b)
