r"""The prior variances of the Gibbs sampler: one class per scale mixture of normals (numpy).

Every prior the sampler covers is a scale mixture, ``w_j | v_j ~ N(0, v_j)``,
and names its mixture (:attr:`bayesreg.model.priors.Prior.gibbs_mixture`):

* ``"common_variance"``: ``v_j = t^2`` (the Normal prior);
* ``"exponential_variance"``: ``v_j ~ Exp(rate 1/(2 s^2))``, Laplace(s) marginally
  (Park & Casella 2008);
* ``"half_cauchy_local"``: ``v_j = lambda_j^2 tau^2``, ``lambda_j ~ C+(0, 1)`` (the horseshoe);
* ``"half_cauchy_plus_local"``: ``v_j = lambda_j^2 tau^2``, ``lambda_j ~ C+(0, eta_j)``,
  ``eta_j ~ C+(0, 1)`` (the horseshoe+), by Makalic & Schmidt's auxiliary variables.

A learned scale (``t^2``, ``s^2``, ``tau^2``) is drawn under the hyperprior the
prior names (:attr:`~bayesreg.model.priors.Prior.gibbs_scale_prior`). The
values live in a :class:`._gibbs_state.GibbsState`, which these classes update
in place; :mod:`._gibbs_kernel` runs the same updates compiled.
"""

from __future__ import annotations

import numpy as np

from ._conditionals import (
    draw_horseshoe_local_precision,
    draw_inverse_gamma,
    draw_laplace_variance,
    draw_variance,
)

__all__ = ["MIXTURES"]


class _PriorScale:
    """The squared prior scale ``state.scale2`` per chain: fixed, or learned under a hyperprior."""

    #: Whether :mod:`._gibbs_kernel` has this mixture compiled (else the numpy sweep runs it).
    has_compiled_sweep = True
    #: Whether the global scale may be drawn with the coefficients integrated out (p > n).
    collapsible_scale = False

    def __init__(self, prior, state, rng):
        self.state, self.p = state, state.coef.shape[1]
        self.name = prior.gibbs_mixture
        self.hyper = prior.gibbs_scale_prior
        chains = state.scale2.size
        if self.hyper is None:
            state.scale2[:] = float(prior.scale) ** 2
        else:
            state.scale2[:] = self.hyper.typical_scale**2 * np.exp(rng.uniform(-1, 1, chains))
        state.xi[:] = 1.0

    def update_scale(self, k, b, rng):
        """Draw ``scale2`` from ``v^-k exp(-b/v)`` times its hyperprior (when learned)."""
        if self.hyper is not None:
            scale2, xi = draw_variance(k, b, self.hyper, self.hyper.gibbs_parameters, self.state.xi, rng,
                                       current=self.state.scale2)
            self.state.scale2[:] = scale2
            if xi is not None:
                self.state.xi[:] = xi

    def named_draws(self, scale2, local):
        """The posterior variables of this mixture, from draws of ``scale2`` and ``local``."""
        return {"scale": np.sqrt(scale2)} if self.hyper is not None else {}

    def record(self):
        return self.named_draws(self.state.scale2, self.state.local)


class _CommonVariance(_PriorScale):
    """``w_j ~ N(0, t^2)``, ``t`` fixed or with a hyperprior."""

    @property
    def variances(self):
        return np.broadcast_to(self.state.scale2[:, None], self.state.coef.shape)

    def update(self, coef, rng):
        self.update_scale(self.p / 2, 0.5 * np.sum(coef**2, axis=1), rng)


class _ExponentialVariance(_PriorScale):
    """``w_j | v_j ~ N(0, v_j)``, ``v_j ~ Exp(rate 1/(2 s^2))``: Laplace(s) marginally."""

    def __init__(self, prior, state, rng):
        super().__init__(prior, state, rng)
        state.local[:] = 2.0 * state.scale2[:, None] * np.exp(rng.uniform(-1, 1, state.local.shape))

    @property
    def variances(self):
        return self.state.local

    def update(self, coef, rng):
        # 1/v_j | w_j ~ InverseGaussian(mean = 1 / (s |w_j|), shape = 1 / s^2)
        self.state.local[:] = draw_laplace_variance(np.abs(coef), np.sqrt(self.state.scale2)[:, None], rng)
        self.update_scale(self.p, 0.5 * np.sum(self.state.local, axis=1), rng)


class _HalfCauchyLocal(_PriorScale):
    """``w_j ~ N(0, lambda_j^2 tau^2)``, ``lambda_j ~ C+(0, 1)``, ``tau`` under the prior's hyperprior."""

    collapsible_scale = True

    def __init__(self, prior, state, rng):
        super().__init__(prior, state, rng)
        state.local[:] = np.exp(rng.uniform(-1, 1, state.local.shape))
        self.log_step = np.full(state.scale2.size, np.log(0.5))  # Metropolis step on log tau (p > n)
        self._adapted = 0

    def adapt(self, accepted):
        """Robbins-Monro towards acceptance 0.44 (one-dimensional random walk)."""
        self._adapted += 1
        self.log_step += (accepted - 0.44) * self._adapted**-0.6

    @property
    def variances(self):
        return self.state.local * self.state.scale2[:, None]

    def update(self, coef, rng):
        self.update_local(coef, rng)
        self.update_scale(self.p / 2, 0.5 * np.sum(coef**2 / self.state.local, axis=1), rng)

    def update_local(self, coef, rng):
        """lambda_j^2 | w_j, tau exactly (see draw_horseshoe_local_precision)."""
        m = coef**2 / (2.0 * self.state.scale2[:, None])
        self.state.local[:] = 1.0 / draw_horseshoe_local_precision(m, rng)

    def named_draws(self, scale2, local):
        return {"tau": np.sqrt(scale2), "lambda": np.sqrt(local)}


class _HalfCauchyPlusLocal(_HalfCauchyLocal):
    r"""The horseshoe+: ``w_j ~ N(0, lambda_j^2 tau^2)``, ``lambda_j ~ C+(0, eta_j)``, ``eta_j ~ C+(0, 1)``.

    Makalic & Schmidt's (2016) auxiliary variables make every conditional an
    inverse gamma: ``lambda_j^2 | nu_j ~ IG(1/2, 1/nu_j)``, ``nu_j | eta_j^2 ~
    IG(1/2, 1/eta_j^2)`` (so ``lambda_j | eta_j ~ C+(0, eta_j)``) and
    ``eta_j^2 | psi_j ~ IG(1/2, 1/psi_j)``, ``psi_j ~ IG(1/2, 1)`` (so
    ``eta_j ~ C+(0, 1)``). Given the rest,

    .. math::

        \lambda_j^2 \sim IG\!\left(1, \tfrac{1}{\nu_j} + \tfrac{w_j^2}{2\tau^2}\right),\;
        \nu_j \sim IG\!\left(1, \tfrac{1}{\lambda_j^2} + \tfrac{1}{\eta_j^2}\right),\;
        \eta_j^2 \sim IG\!\left(1, \tfrac{1}{\nu_j} + \tfrac{1}{\psi_j}\right),\;
        \psi_j \sim IG\!\left(1, 1 + \tfrac{1}{\eta_j^2}\right).

    ``state.local`` holds ``lambda_j^2``, so the global scale's updates (the
    collapsed ``tau`` step when p > n included) are the horseshoe's.
    """

    has_compiled_sweep = False

    def __init__(self, prior, state, rng):
        super().__init__(prior, state, rng)
        self.nu, self.eta2, self.psi = (np.ones_like(state.local) for _ in range(3))

    def update_local(self, coef, rng):
        m = coef**2 / (2.0 * self.state.scale2[:, None])
        local = draw_inverse_gamma(1.0, 1.0 / self.nu + m, rng)
        self.state.local[:] = local
        self.nu = draw_inverse_gamma(1.0, 1.0 / local + 1.0 / self.eta2, rng)
        self.eta2 = draw_inverse_gamma(1.0, 1.0 / self.nu + 1.0 / self.psi, rng)
        self.psi = draw_inverse_gamma(1.0, 1.0 + 1.0 / self.eta2, rng)


#: The mixtures by the name a prior gives (``Prior.gibbs_mixture``).
MIXTURES = {
    "common_variance": _CommonVariance,
    "exponential_variance": _ExponentialVariance,
    "half_cauchy_local": _HalfCauchyLocal,
    "half_cauchy_plus_local": _HalfCauchyPlusLocal,
}
