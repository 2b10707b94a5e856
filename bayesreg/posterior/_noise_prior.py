"""The prior of a learned noise variance in the Gibbs sweeps (``sigma_prior``).

``PosteriorRegressor(sigma_prior=None)`` keeps ``HalfNormal(sd(y))`` on sigma
(:func:`bayesreg.posterior.model.sigma_prior_scale`); otherwise the hyperprior
given: HalfCauchy or HalfNormal on sigma, InverseGamma on sigma^2 (Gamma on
1/sigma^2, the same law) or Jeffreys' 1/sigma. Each names its update of
``v = sigma^2`` from ``v^-k exp(-b/v) pi(v)`` (:mod:`._conditionals`); the
half-Cauchy's auxiliary variable lives here, one per chain.
"""

from __future__ import annotations

import numpy as np

from ..model.hyperpriors import HalfNormal
from . import model as _model
from ._conditionals import draw_variance

__all__ = ["NoiseVariance"]

#: The variance updates the compiled sweep runs for sigma (the half-Cauchy's needs its auxiliary state).
COMPILED_NOISE_UPDATES = ("rejection_inverse_gamma", "conjugate_inverse_gamma")


class NoiseVariance:
    """Draws ``sigma^2`` for every chain under the noise prior."""

    def __init__(self, sigma_prior, spread_of, chains):
        #: sd(y) (1 for a constant y): the default prior's scale and where the chains start
        self.spread = _model.sigma_prior_scale(spread_of)
        self.hyper = HalfNormal(self.spread) if sigma_prior is None else sigma_prior
        self.xi = np.ones(chains)

    @property
    def has_compiled_update(self):
        """Whether :mod:`._gibbs_kernel` draws this update (else the numpy sweep runs)."""
        return self.hyper.gibbs_variance_update in COMPILED_NOISE_UPDATES

    def draw(self, k, b, rng, current):
        """``v`` from ``v^-k exp(-b/v) pi(v)``, one per chain."""
        v, xi = draw_variance(k, b, self.hyper, self.hyper.gibbs_parameters, self.xi, rng, current=current)
        if xi is not None:
            self.xi = xi
        return v
