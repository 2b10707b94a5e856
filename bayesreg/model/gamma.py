"""The Gamma and inverse-gamma distributions of a positive parameter.

They are hyperpriors in the family sense (a prior on a positive quantity that a
model learns): ``StudentT(df=Gamma(2, 0.1))`` puts Juarez & Steel's prior on the
degrees of freedom.

As the prior of a *scale* ``s`` (a coefficient prior's scale, or ``sigma_prior``)
the rule is one for every family: **Gamma is on the precision 1/s^2,
InverseGamma on the variance s^2**. ``Laplace(scale=Gamma(a, b))`` is Park &
Casella's Gamma prior on ``lambda^2 = 1/s^2`` (the squared rate of the Laplace
``exp(-|w|/s) / (2s)``); ``Normal(scale=InverseGamma(a, b))`` is the inverse
gamma on the prior variance. Since ``1/x ~ Gamma(a, b)`` exactly when
``x ~ InverseGamma(a, b)``, the two put the *same* law on ``s``: the Gibbs
sampler's update is the same conjugate inverse gamma for both
(docs/maths.md, "Gamma and inverse-gamma hyperpriors").
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import special

from .hyperpriors import Hyperprior
from .scales import check_positive_scale

__all__ = ["Gamma", "InverseGamma"]


class _GammaScale:
    """What the Gamma and the inverse gamma share as priors of a scale (see the module docstring)."""

    __slots__ = ()
    #: v = s^2 given the rest is InverseGamma(k + a, rate + b): bayesreg.posterior._conditionals
    gibbs_variance_update = "conjugate_inverse_gamma"

    def __post_init__(self):
        owner = type(self).__name__
        object.__setattr__(self, "a", check_positive_scale(self.a, "a", owner))
        object.__setattr__(self, "b", check_positive_scale(self.b, "b", owner))

    @property
    def gibbs_parameters(self):
        """``(a, b)``: the conditional of ``s^2`` is ``InverseGamma(k + a, r + b)``."""
        return (float(self.a), float(self.b))

    @property
    def typical_scale(self):
        """``sqrt(b / a)``: the scale at the mean of the precision ``a / b``."""
        return float(np.sqrt(self.b / self.a))

    def pymc_data(self, prefix):
        return {f"{prefix}_a": float(self.a), f"{prefix}_b": float(self.b)}

    def create_scale_variable(self, name, data, prefix):
        import pymc as pm

        a, b = data[f"{prefix}_a"], data[f"{prefix}_b"]
        if self.acts_on == "precision":
            precision = pm.Gamma(f"_{name}_precision", alpha=a, beta=b)
            return pm.Deterministic(name, precision**-0.5)
        variance = pm.InverseGamma(f"_{name}_variance", alpha=a, beta=b)
        return pm.Deterministic(name, pm.math.sqrt(variance))


@dataclass(frozen=True)
class Gamma(_GammaScale, Hyperprior):
    r"""Gamma distribution with shape ``a`` and *rate* ``b``.

    .. math::

        p(x) = \frac{b^a}{\Gamma(a)} x^{a-1} e^{-b x}, \qquad x > 0

    The mean is ``a / b``. ``scipy.stats.gamma(a, scale=1/b)`` is the same law.
    As the prior of a scale ``s`` it is the law of the precision ``1/s^2``:
    ``Laplace(scale=Gamma(a, b))`` is Park & Casella's ``lambda^2 ~ Gamma(a, b)``.

    Parameters
    ----------
    a : float, default=1.0
        Shape, positive.
    b : float, default=1.0
        Rate, positive.
    """

    a: float = 1.0
    b: float = 1.0
    acts_on = "precision"

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

    def sample_scale(self, rng, size=None):
        """Draws of ``s = x^(-1/2)``, ``x`` the precision drawn from this law."""
        return self.sample(rng, size) ** -0.5

    def create_variable(self, name, scale_data):
        import pymc as pm

        return pm.Gamma(name, alpha=self.a, beta=self.b)


@dataclass(frozen=True)
class InverseGamma(_GammaScale, Hyperprior):
    r"""Inverse-gamma distribution with shape ``a`` and *scale* ``b``.

    .. math::

        p(x) = \frac{b^a}{\Gamma(a)} x^{-a-1} e^{-b / x}, \qquad x > 0

    ``x ~ InverseGamma(a, b)`` exactly when ``1/x ~ Gamma(a, b)`` (rate ``b``).
    ``scipy.stats.invgamma(a, scale=b)`` is the same law. As the prior of a
    scale ``s`` it is the law of the variance ``s^2``: ``Normal(scale=InverseGamma(a, b))``
    puts it on the prior variance, ``sigma_prior=InverseGamma(a, b)`` on ``sigma^2``.

    Parameters
    ----------
    a : float, default=1.0
        Shape, positive.
    b : float, default=1.0
        Scale, positive.
    """

    a: float = 1.0
    b: float = 1.0
    acts_on = "variance"

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

    def sample_scale(self, rng, size=None):
        """Draws of ``s = sqrt(x)``, ``x`` the variance drawn from this law."""
        return np.sqrt(self.sample(rng, size))

    def create_variable(self, name, scale_data):
        import pymc as pm

        return pm.InverseGamma(name, alpha=self.a, beta=self.b)
