r"""The horseshoe+ prior (Bhadra, Datta, Polson & Willard 2017): a density and a posterior, no MAP."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from scipy import integrate

from ._global_local import GlobalLocalPrior, log_sech_convolution
from ._global_local_options import global_local_options
from .hyperpriors import HalfCauchy
from .scales import check_positive_scale

__all__ = ["HorseshoePlus"]


@global_local_options
@dataclass(frozen=True)
class HorseshoePlus(GlobalLocalPrior):
    r"""Horseshoe+ prior (Bhadra et al. 2017): for sampling only.

    .. math::

        w_j \mid \lambda_j, \tau \sim N(0, \lambda_j^2 \tau^2), \quad
        \lambda_j \mid \eta_j \sim C^+(0, \eta_j), \quad \eta_j \sim C^+(0, 1), \quad
        \tau \sim C^+(0, \tau_0)

    The local scale :math:`\lambda_j = \eta_j \nu_j` is a product of two
    independent :math:`C^+(0, 1)` variables: a heavier spike at zero and heavier
    tails than the horseshoe's, so small signals are shrunk harder and large
    ones less.  Its marginal density is infinite at zero, so the penalty
    :math:`-\log p(w)` tends to :math:`-\infty` there: **there is no finite MAP
    estimate**, and MAP estimators refuse this prior.  Use
    :class:`bayesreg.PosteriorRegressor` to sample its posterior (nutpie, or the
    Gibbs sampler for the Gaussian likelihood: exact draws of lambda_j | eta_j and eta_j | lambda_j).

    Parameters
    ----------
    global_scale : float, default=1.0
        The scale :math:`\tau_0` of the half-Cauchy prior on the global
        shrinkage :math:`\tau`.
    local_scale : float or array-like, default=1.0 (keyword only)
        Fixed multipliers :math:`c_j` of the local scales:
        :math:`w_j \sim N(0, \lambda_j^2 \tau^2 c_j^2)` (as for :class:`Horseshoe`).
    scale_by_sigma : bool, default=False (keyword only)
        True: :math:`w_j \mid \lambda_j, \tau, \sigma \sim N(0, \sigma^2 \lambda_j^2 \tau^2 c_j^2)`
        (as for :class:`Horseshoe`; docs/maths.md).
    """

    global_scale: float = 1.0
    local_scale: float | tuple = field(default=1.0, repr=False, kw_only=True)
    scale_by_sigma: bool = field(default=False, repr=False, kw_only=True)
    family_name = "horseshoe+"
    kind = "horseshoeplus"
    label = "Horseshoe+ (posterior only)"
    _gibbs_likelihoods = ("gaussian",)
    gibbs_mixture = "half_cauchy_plus_local"

    def __post_init__(self):
        object.__setattr__(
            self, "global_scale", check_positive_scale(self.global_scale, "global_scale", "HorseshoePlus")
        )

    @property
    def gibbs_scale_prior(self):
        """The global scale tau is always learned: ``tau ~ C+(0, global_scale)``."""
        return HalfCauchy(self.global_scale)

    def gibbs_refusal(self, likelihood):
        if likelihood == "bernoulli":
            # the horseshoe's tau | w update fails SBC under the Polya-Gamma augmentation
            # (docs/validation_results.md); the horseshoe+ has the same global update
            return (
                "is not available for the horseshoe+ with the Bernoulli likelihood: as for "
                "the horseshoe, when heavy-tailed coefficients (nearly) separate the classes "
                "the Polya-Gamma chain climbs the long upper tail of the global scale tau in "
                "small steps, so its draws fail simulation-based calibration."
            )
        return super().gibbs_refusal(likelihood)

    # -------------------------------------------------------- the prior in a PyMC model
    def _unit_coefficients(self, data, dims):
        """``z * eta * nu * tau``, non-centred, with ``lambda = eta * nu`` reported.

        ``z``, ``eta`` and ``nu`` are named ``"_z"``, ``"_eta"``, ``"_nu"`` (sampler
        internals, dropped from ``idata_``); ``tau`` and ``lambda`` are reported.
        """
        import pymc as pm

        tau = pm.HalfCauchy("tau", beta=data["global_scale"])
        eta = pm.HalfCauchy("_eta", beta=1.0, dims=dims)
        nu = pm.HalfCauchy("_nu", beta=1.0, dims=dims)
        lam = pm.Deterministic("lambda", eta * nu, dims=dims)
        z = pm.Normal("_z", 0.0, 1.0, dims=dims)
        return z * lam * tau

    def _sample_unit(self, rng, n_features):
        """``z * eta * nu * tau`` drawn from the prior, with ``{"tau": tau}``."""
        tau = float(HalfCauchy(self.global_scale).sample(rng))
        lam = HalfCauchy(1.0).sample(rng, n_features) * HalfCauchy(1.0).sample(rng, n_features)
        return rng.standard_normal(n_features) * lam * tau, {"tau": tau}

    def _log_marginal(self, w):
        r"""Log of :math:`p(w) = \int N(w; 0, z^2) f(z)\,dz`, :math:`z = \lambda\tau`.

        :math:`\log(z/\tau_0)` is the log of a product of three :math:`C^+(0, 1)`
        variables, whose density :math:`g_3` has a closed form
        (:func:`~bayesreg.model._global_local.log_sech_convolution`), so the
        marginal is one quadrature over :math:`v = \log(z/\tau_0)`.
        """
        tau0 = self.global_scale

        def integrand(v):
            z = tau0 * math.exp(v)
            log_normal = -0.5 * (w / z) ** 2 - math.log(z) - 0.5 * math.log(2 * math.pi)
            return math.exp(log_normal + log_sech_convolution(3, v))

        centre = math.log(w / tau0)
        lo, hi = min(-200.0, centre - 200.0), max(200.0, centre + 200.0)  # g_3 < e^-190 beyond
        value = 0.0
        for a, b in ((lo, centre - 5), (centre - 5, centre + 5), (centre + 5, hi)):
            part, _ = integrate.quad(integrand, a, b, limit=200, epsabs=0, epsrel=1e-11)
            value += part
        return math.log(value)
