r"""The prior variances of the Gibbs sampler: one class per scale mixture of normals (numpy).

Every prior the sampler covers is a scale mixture, ``w_j | v_j ~ N(0, v_j)``,
and names its mixture (:attr:`bayesreg.model.priors.Prior.gibbs_mixture`):

* ``"common_variance"``: ``v_j = t^2`` (the Normal prior);
* ``"exponential_variance"``: ``v_j ~ Exp(rate 1/(2 s^2))``, Laplace(s) marginally
  (Park & Casella 2008);
* ``"exponential_variance_with_ridge"``: the elastic net, the Laplace mixture of
  the L1 part times the Gaussian factor of the L2 part (prior precision ``1/v_j + l2``);
* ``"half_cauchy_local"``: ``v_j = lambda_j^2 tau^2``, ``lambda_j ~ C+(0, 1)`` (the horseshoe);
* ``"half_cauchy_plus_local"``: ``v_j = lambda_j^2 tau^2``, ``lambda_j ~ C+(0, eta_j)``,
  ``eta_j ~ C+(0, 1)`` (the horseshoe+): ``lambda_j | w_j, tau`` with ``eta_j`` integrated out (one
  slice update), then two exact blocks (``eta_j | lambda_j``, ``lambda_j | eta_j, w_j``).

A learned scale (``t^2``, ``s^2``, ``tau^2``) is drawn under the hyperprior the
prior names (:attr:`~bayesreg.model.priors.Prior.gibbs_scale_prior`). The
values live in a :class:`._gibbs_state.GibbsState`, which these classes update
in place; :mod:`._gibbs_kernel` runs the same updates compiled.
"""

from __future__ import annotations

import numpy as np

from ._conditionals import (
    draw_half_cauchy_scale_of_scale,
    draw_horseshoe_local_precision,
    draw_laplace_variance,
    draw_variance,
)
from ._gaussian_draws import VARIANCE_FLOOR
from ._horseshoe_plus_local import slice_log_local

__all__ = ["MIXTURES"]


class _PriorScale:
    """The squared prior scale ``state.scale2`` per chain: fixed, or learned under a hyperprior."""

    #: Whether :mod:`._gibbs_kernel` has this mixture compiled (else the numpy sweep runs it).
    has_compiled_sweep = True
    #: Whether the global scale may be drawn with the coefficients integrated out (p > n).
    collapsible_scale = False
    #: The penalty weights at scale 1 the compiled sweep takes (the elastic net's; others ignore them).
    l1, l2 = 1.0, 0.0

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


class _ExponentialVarianceWithRidge(_PriorScale):
    r"""The elastic net, :math:`p(w) \propto e^{-l_1|w| - l_2 w^2/2}` with ``(l1, l2)`` the prior's
    :meth:`~bayesreg.model.priors.Prior.penalty_weights_at` the scale ``s``.

    :math:`e^{-l_1|w|} = \frac{2}{l_1}\int_0^\infty N(w \mid 0, v)\,\frac{l_1^2}{2}
    e^{-l_1^2 v/2}\,dv` (the Laplace mixture), so with ``v_j`` the joint density is
    :math:`N(w_j \mid 0, v_j)\,\mathrm{Exp}(v_j;\ l_1^2/2)\,e^{-l_2 w_j^2/2}` and

    * ``1/v_j | w_j`` is the Laplace's inverse Gaussian at the Laplace scale ``1/l1``
      (the ridge factor does not involve ``v_j``);
    * ``w | v`` is Gaussian with prior precision ``1/v_j + l2`` (:attr:`variances`);
    * a learned scale: ``l1 = l1(1)/s`` and ``l2 = l2(1)/s^2`` (a scale family, whose
      normaliser is proportional to ``s``), so each coefficient contributes
      :math:`\frac{l_1}{Z(s)} e^{-l_1^2 v_j/2 - l_2 w_j^2/2} \propto
      s^{-2} e^{-(l_1(1)^2 v_j + l_2(1) w_j^2)/(2 s^2)}` and ``s^2 | w, v`` is
      ``v^-k e^{-b/v}`` times the hyperprior with ``k = p`` and
      ``b = (l1(1)^2 sum v_j + l2(1) sum w_j^2) / 2`` (the Laplace's update when ``l2 = 0``).

    Without an L1 part (``l1_ratio = 0``) there is no ``v_j`` (kept at ``inf``): the
    prior is ``N(0, 1/l2)`` and a learned scale has ``k = p/2``, ``b = l2(1) sum w_j^2 / 2``.
    :mod:`._gibbs_kernel` runs the same updates compiled (``ChainPrior.l1``, ``l2``).
    """

    def __init__(self, prior, state, rng):
        super().__init__(prior, state, rng)
        # the weights at scale 1; at scale s they are l1 / s and l2 / s^2
        self.l1, self.l2 = (float(w) for w in prior.penalty_weights_at(1.0))
        if self.l1 > 0:
            laplace_scale2 = state.scale2[:, None] / self.l1**2
            state.local[:] = 2.0 * laplace_scale2 * np.exp(rng.uniform(-1, 1, state.local.shape))
        else:
            state.local[:] = np.inf

    @property
    def variances(self):
        ridge = self.l2 / self.state.scale2[:, None]
        with np.errstate(divide="ignore"):  # v = inf (no L1 part): precision l2 alone
            return 1.0 / (1.0 / self.state.local + ridge)

    def update(self, coef, rng):
        if self.l1 > 0:
            laplace_scale = np.sqrt(self.state.scale2)[:, None] / self.l1
            self.state.local[:] = draw_laplace_variance(np.abs(coef), laplace_scale, rng)
            k = self.p
            b = 0.5 * (self.l1**2 * np.sum(self.state.local, axis=1) + self.l2 * np.sum(coef**2, axis=1))
        else:
            k, b = self.p / 2, 0.5 * self.l2 * np.sum(coef**2, axis=1)
        self.update_scale(k, b, rng)


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

    Three updates per coefficient and sweep, no auxiliary variables:

    * ``log lambda_j | w_j, tau`` with ``eta_j`` integrated out: the product of two
      ``C+(0, 1)`` has a closed-form density, and one slice-sampling update draws from
      the conditional (:mod:`._horseshoe_plus_local`). This step carries no ``eta_j``
      lag: with the two blocks below alone the 1000 local scales of the n = 100,
      p = 1000 benchmark mixed to R-hat 1.016 at 4 x 2500 draws (docs/performance.md);
    * ``eta_j^2 | lambda_j^2``: density ``1/((1 + E)(E + lambda_j^2))``, drawn by its
      closed-form inverse CDF (:func:`._conditionals.draw_half_cauchy_scale_of_scale`);
    * ``lambda_j^2 | w_j, tau, eta_j``: ``lambda_j / eta_j ~ C+(0, 1)`` and
      ``w_j ~ N(0, (lambda_j/eta_j)^2 (eta_j tau)^2)``, so ``eta_j^2 / lambda_j^2`` is the
      horseshoe's local precision at ``m = w_j^2 / (2 eta_j^2 tau^2)``
      (:func:`._conditionals.draw_horseshoe_local_precision`, exact rejection).

    Each leaves the joint conditional of ``(lambda_j, eta_j)`` invariant (the first
    updates ``lambda_j`` from its marginal; ``eta_j`` is drawn afresh after it).
    Makalic & Schmidt's (2016) auxiliary scheme (``lambda_j^2, nu_j, eta_j^2, psi_j``,
    each inverse gamma given the next) samples the same posterior, but its chain of
    four lags mixed the same local scales to an R-hat of 1.05 only. ``state.local``
    holds ``lambda_j^2``, so the global scale's updates (the collapsed ``tau`` step
    when p > n included) are the horseshoe's.
    """

    has_compiled_sweep = False

    def __init__(self, prior, state, rng):
        super().__init__(prior, state, rng)
        self.eta2 = np.ones_like(state.local)

    def update_local(self, coef, rng):
        # lambda_j | w_j, tau with eta_j integrated out (slice), then the two exact blocks
        m = coef**2 / (2.0 * self.state.scale2[:, None])
        log_local = slice_log_local(0.5 * np.log(np.maximum(self.state.local, VARIANCE_FLOOR)), m, rng)
        self.eta2 = draw_half_cauchy_scale_of_scale(np.exp(2.0 * log_local), rng)
        self.state.local[:] = self.eta2 / draw_horseshoe_local_precision(m / self.eta2, rng)


#: The mixtures by the name a prior gives (``Prior.gibbs_mixture``).
MIXTURES = {
    "common_variance": _CommonVariance,
    "exponential_variance": _ExponentialVariance,
    "exponential_variance_with_ridge": _ExponentialVarianceWithRidge,
    "half_cauchy_local": _HalfCauchyLocal,
    "half_cauchy_plus_local": _HalfCauchyPlusLocal,
}
