"""What the horseshoe family shares: a density with an infinite spike at 0, so no MAP.

The horseshoe, the horseshoe+ and the regularized horseshoe are global-local
scale mixtures of normals whose marginal density is infinite at ``w = 0``: the
penalty ``-log p(w)`` tends to ``-inf`` there, so the penalized objective has no
finite minimum. Each refuses the MAP's questions with the same explanation.
"""

from __future__ import annotations

import math

import numpy as np

from ._global_local_options import LocalScaleOptions
from .prior_base import Prior

__all__ = ["GlobalLocalPrior", "log_sech_convolution"]


class GlobalLocalPrior(LocalScaleOptions, Prior):
    """Base of the horseshoe-type priors: sampling only (no finite MAP).

    A family writes the coefficients of its *unit form* (``_unit_coefficients``,
    ``_sample_unit``, ``_log_marginal``); ``local_scale`` and ``scale_by_sigma``
    multiply them here (:mod:`._global_local_options`).
    """

    __slots__ = ()
    has_map = False
    #: The family's name in sentences ("horseshoe", "horseshoe+", ...).
    family_name = ""
    #: The coefficients share the global scale tau: the joint density is not a product.
    independent_coefficients = False

    @classmethod
    def from_controls(cls, scale, l1_ratio=0.5):
        """The prior a widget's scale slider describes: the global scale ``tau_0`` at ``scale``.

        The slider moves the scale of the half-Cauchy prior on the global shrinkage
        tau (tau itself is learned); ``l1_ratio`` is ignored.
        """
        return cls(global_scale=scale)

    @property
    def reference_scale(self):
        """The number a widget's scale slider sets (:attr:`control_scale`): ``global_scale``.

        The per-feature multipliers ``local_scale`` are not rescaled around it."""
        return self.global_scale

    def at_reference_scale(self):
        return self

    def _no_map(self, what):
        name = type(self).__name__
        raise ValueError(
            f"The {self.family_name} prior has no {what}: its density is infinite at 0, so the "
            "penalized objective has no finite minimum (no MAP estimate). Sample its "
            f"posterior with bayesreg.PosteriorRegressor({name}(...)), or use a "
            "Laplace or Normal prior for a point estimate."
        )

    @property
    def penalty_weights(self):
        self._no_map("lambda/alpha equivalent")

    def penalty_weights_at(self, scale, data=None):
        self._no_map("lambda/alpha equivalent")

    def penalty(self, w):
        """``-sum(logpdf(w))``; infinite spike at 0, so there is no finite MAP."""
        return float(-np.sum(self.logpdf(w)))

    def prox(self, z, step=1.0):
        self._no_map("proximal map")

    #: Their funnels (tiny local scales under a heavy-tailed global one) need the smallest steps.
    nuts_target_accept_fixed = 0.99

    def logpdf(self, w):
        """Marginal log density of each coefficient alone (elementwise; see the subclass).

        With multipliers ``c_j`` it is ``log p_1(w_j / c_j) - log c_j``, ``p_1``
        the unit form's; scaled by sigma it is the density at ``sigma = 1`` (that at
        another sigma is ``given_sigma(sigma).logpdf``), as for the other families.
        ``logpdf(0)`` is ``+inf``, ``logpdf(±inf)`` is ``-inf`` and NaN gives NaN,
        as in ``scipy.stats``.
        """
        w = np.asarray(w, dtype=float)
        c = self.local_scale_values
        with np.errstate(invalid="ignore"):
            u, c = np.broadcast_arrays(np.abs(w) / c, c)
        out = np.array([self._log_marginal_at(v) for v in u.ravel()]) - np.log(c.ravel())
        return out.reshape(u.shape)

    # -------------------------------------------------------- the prior in a PyMC model
    def pymc_data(self):
        return {**self._options_data(), **self._family_data()}

    def _family_data(self):
        """The family's own ``pm.Data`` (its global scale, slab, ...)."""
        return {"global_scale": self.global_scale}

    def create_variable(self, name, data, dims):
        """``coef = sigma * c * u``: the unit form's non-centred coefficients ``u`` times the options.

        ``sigma`` only when scaled by sigma (created first, ``data[NOISE_SCALE]``),
        ``c`` the ``pm.Data`` ``"local_scale"``. Returns ``(coef, None)``: the
        global scale is ``tau``, not a learned prior scale with a penalty.
        """
        import pymc as pm

        unit = self._unit_coefficients(data, dims)
        return pm.Deterministic(name, self._scaled_coefficients(unit, data), dims=dims), None

    def _unit_coefficients(self, data, dims):
        """The unit form's coefficients in the current PyMC model (an expression)."""
        raise NotImplementedError

    def sample_prior(self, rng, n_features):
        """Coefficients drawn from the prior (the unit form's times ``c_j``), with its hyperparameters.

        Scaled by sigma: the draw at ``sigma = 1`` (simulation-based calibration multiplies by sigma).
        """
        self.check_n_features(n_features, "sample_prior")
        unit, hyper = self._sample_unit(rng, n_features)
        return unit * self.local_scale_values, hyper

    def _sample_unit(self, rng, n_features):
        raise NotImplementedError

    def _log_marginal_at(self, w):
        if math.isnan(w):
            return math.nan  # as scipy.stats: NaN in, NaN out
        if math.isinf(w):
            return -math.inf  # the density tends to 0 in both tails
        if w == 0.0:
            return math.inf
        return self._log_marginal(w)

    def _log_marginal(self, w):
        raise NotImplementedError


def log_sech_convolution(count, x):
    r"""Log density of ``log`` of a product of ``count`` independent ``C+(0, 1)`` variables.

    ``log`` of one :math:`C^+(0, 1)` has density :math:`\operatorname{sech}(x)/\pi`
    (characteristic function :math:`\operatorname{sech}(\pi t/2)`); sums of two and
    three of them have the densities

    .. math::

        g_2(x) = \frac{2}{\pi^2}\,\frac{x}{\sinh x}, \qquad
        g_3(x) = \frac{\pi^2 + 4x^2}{2\pi^3 \cosh x}

    (the inverse transforms of :math:`\operatorname{sech}^2` and
    :math:`\operatorname{sech}^3`). Written in logs so the tails never overflow.
    """
    x = np.asarray(x, dtype=float)
    a = np.abs(x)
    log_cosh = a + np.log1p(np.exp(-2 * a)) - math.log(2.0)  # log cosh x, without overflow
    if count == 1:
        out = -math.log(math.pi) - log_cosh
    elif count == 2:
        tiny = a < 1e-8  # x / sinh x -> 1
        safe = np.where(tiny, 1.0, a)
        log_sinh = safe + np.log1p(-np.exp(-2 * safe)) - math.log(2.0)
        out = math.log(2.0 / math.pi**2) + np.where(tiny, 0.0, np.log(safe) - log_sinh)
    elif count == 3:
        out = np.log(math.pi**2 + 4 * x * x) - math.log(2 * math.pi**3) - log_cosh
    else:
        raise ValueError(f"count must be 1, 2 or 3, got {count!r}")
    return out if out.ndim else float(out)
