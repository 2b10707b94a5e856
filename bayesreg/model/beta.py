"""The Beta hyperprior: a prior on a probability (a spike-and-slab's inclusion probability)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import special

from .hyperpriors import Hyperprior
from .scales import check_positive_scale

__all__ = ["Beta"]


@dataclass(frozen=True)
class Beta(Hyperprior):
    r"""Beta prior on a probability :math:`\pi \in (0, 1)`.

    .. math::

        p(\pi) = \frac{\pi^{a-1} (1-\pi)^{b-1}}{B(a, b)}, \qquad 0 < \pi < 1

    ``Beta(1, 1)`` is uniform. As the prior of a spike-and-slab's inclusion
    probability it makes the number of included features Beta-binomial; with
    ``a = b = 1`` every model size ``0..p`` is equally likely a priori (Scott &
    Berger 2010's multiplicity correction).

    Parameters
    ----------
    a, b : float, default=1.0
        The two positive shape parameters; the prior mean is ``a / (a + b)``.
    """

    a: float = 1.0
    b: float = 1.0

    def __post_init__(self):
        object.__setattr__(self, "a", check_positive_scale(self.a, "a", "Beta"))
        object.__setattr__(self, "b", check_positive_scale(self.b, "b", "Beta"))

    @property
    def mean(self):
        """The prior mean ``a / (a + b)``."""
        return self.a / (self.a + self.b)

    def logpdf(self, x):
        """Log density at ``x`` (``-inf`` outside [0, 1]; NaN gives NaN)."""
        x = np.asarray(x, dtype=float)
        inside = (x >= 0) & (x <= 1)
        xi = np.where(inside, x, 0.5)
        with np.errstate(divide="ignore", invalid="ignore"):
            # xlogy/xlog1py: 0 * log 0 = 0, so Beta(1, b) at 0 is finite as in scipy
            out = (special.xlogy(self.a - 1.0, xi) + special.xlog1py(self.b - 1.0, -xi)
                   - special.betaln(self.a, self.b))
        out = np.where(inside, out, -np.inf)
        return np.where(np.isnan(x), np.nan, out)

    def sample(self, rng, size=None):
        """Independent draws (``numpy`` Generator ``rng``)."""
        return rng.beta(self.a, self.b, size)

    def create_variable(self, name, scale_data):
        raise NotImplementedError(
            "Beta is the prior of a spike-and-slab's inclusion probability, which only the "
            "Gibbs sampler samples (its indicators are discrete); it has no PyMC variable here."
        )

    def log_beta_binomial(self, included, total):
        r""":math:`\log P(\gamma)` of one 0/1 pattern with ``included`` ones among ``total``.

        :math:`\pi` integrated out: :math:`B(a + k, b + p - k) / B(a, b)`.
        """
        return float(special.betaln(self.a + included, self.b + total - included)
                     - special.betaln(self.a, self.b))


