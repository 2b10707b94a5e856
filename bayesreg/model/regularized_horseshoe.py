r"""The regularized horseshoe (Piironen & Vehtari 2017): a horseshoe with a Student-t slab."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from scipy import special

from ._global_local import GlobalLocalPrior, log_sech_convolution
from ._global_local_options import global_local_options
from .hyperpriors import HalfCauchy
from .scales import check_positive_scale

__all__ = ["RegularizedHorseshoe"]


@global_local_options
@dataclass(frozen=True)
class RegularizedHorseshoe(GlobalLocalPrior):
    r"""Regularized horseshoe prior (Piironen & Vehtari 2017): for sampling only.

    .. math::

        w_j \mid \lambda_j, \tau, c \sim N(0, \tau^2 \tilde\lambda_j^2), \quad
        \tilde\lambda_j^2 = \frac{c^2 \lambda_j^2}{c^2 + \tau^2 \lambda_j^2}, \quad
        \lambda_j \sim C^+(0, 1), \quad \tau \sim C^+(0, \tau_0), \quad
        c^2 \sim \mathrm{InvGamma}\!\left(\tfrac{\nu}{2}, \tfrac{\nu s^2}{2}\right)

    Near zero it is the horseshoe (:math:`\tau^2\lambda_j^2 \ll c^2`); far from
    zero the prior variance tends to :math:`c^2`, so a large coefficient is
    shrunk like under a Student-t slab with :math:`\nu` degrees of freedom and
    scale :math:`s` instead of being left alone (which keeps the posterior
    proper for separable logistic data, and NUTS away from huge scales).  This
    is brms's and rstanarm's ``horseshoe()`` prior (``scale_global``,
    ``scale_slab``, ``df_slab``).  Piironen & Vehtari advise
    :math:`\tau_0 = \frac{p_0}{p - p_0}\frac{\sigma}{\sqrt n}` for an expected
    :math:`p_0` relevant features.

    The density is infinite at zero, so **there is no finite MAP estimate**;
    use :class:`bayesreg.PosteriorRegressor` (NUTS: bayesreg has no exact Gibbs
    scheme for the slab, see :meth:`gibbs_refusal`).

    Parameters
    ----------
    global_scale : float, default=1.0
        The scale :math:`\tau_0` of the half-Cauchy prior on :math:`\tau`.
    slab_scale : float, default=2.0
        The slab scale :math:`s`.
    slab_df : float, default=4.0
        The slab's degrees of freedom :math:`\nu`.
    local_scale : float or array-like, default=1.0 (keyword only)
        Fixed multipliers :math:`c_j` of each coefficient's whole prior,
        :math:`w_j = c_j u_j` with :math:`u_j` the regularized horseshoe above:
        the slab scale of feature j is then :math:`c_j s` too.
    scale_by_sigma : bool, default=False (keyword only)
        True: :math:`w_j = \sigma u_j`, the prior (slab included) in units of the
        noise scale (NUTS only, as every regularized horseshoe).
    """

    global_scale: float = 1.0
    slab_scale: float = 2.0
    slab_df: float = 4.0
    local_scale: float | tuple = field(default=1.0, repr=False, kw_only=True)
    scale_by_sigma: bool = field(default=False, repr=False, kw_only=True)
    family_name = "regularized horseshoe"
    kind = "regularizedhorseshoe"
    label = "Regularized horseshoe (posterior only)"

    def __post_init__(self):
        for name in ("global_scale", "slab_scale", "slab_df"):
            object.__setattr__(self, name, check_positive_scale(getattr(self, name), name,
                                                                "RegularizedHorseshoe"))

    def gibbs_refusal(self, likelihood):
        # p(w | lambda, tau, c) = N(w; 0, (1/(tau^2 lambda^2) + 1/c^2)^-1) has the factor
        # sqrt(1/(tau^2 lambda^2) + 1/c^2), which couples lambda_j, tau and c: none of
        # their full conditionals is a standard distribution (no exact Gibbs step)
        return (
            "does not cover the regularized horseshoe: its slab makes the prior variance "
            "(1/(tau^2 lambda_j^2) + 1/c^2)^-1, so the conditionals of lambda_j, tau and c "
            "are not standard distributions and no exact Gibbs scheme exists."
        )

    # -------------------------------------------------------- the prior in a PyMC model
    def _family_data(self):
        return {"global_scale": self.global_scale, "slab_scale": self.slab_scale,
                "slab_df": self.slab_df}

    def _unit_coefficients(self, data, dims):
        """``z * tau * lambda_tilde``, non-centred (Piironen & Vehtari 2017, Appendix C).

        ``c^2 = slab_scale^2 * c_aux`` with ``c_aux ~ InvGamma(slab_df/2, slab_df/2)``;
        ``z`` and ``c_aux`` are sampler internals (``"_z"``, ``"_c_aux"``); ``tau``,
        ``lambda`` and the slab scale ``c`` are reported.
        """
        import pymc as pm
        import pytensor.tensor as pt

        df = data["slab_df"]
        tau = pm.HalfCauchy("tau", beta=data["global_scale"])
        lam = pm.HalfCauchy("lambda", beta=1.0, dims=dims)
        c_aux = pm.InverseGamma("_c_aux", alpha=0.5 * df, beta=0.5 * df)
        c2 = data["slab_scale"] ** 2 * c_aux
        pm.Deterministic("c", pt.sqrt(c2))
        lam_tilde = pt.sqrt(c2 * lam**2 / (c2 + tau**2 * lam**2))
        z = pm.Normal("_z", 0.0, 1.0, dims=dims)
        return z * lam_tilde * tau

    def _sample_unit(self, rng, n_features):
        """Coefficients drawn from the unit form, with ``{"tau": tau, "c": c}``."""
        tau = float(HalfCauchy(self.global_scale).sample(rng))
        c2 = self.slab_df * self.slab_scale**2 / (2.0 * rng.standard_gamma(self.slab_df / 2))
        lam2 = HalfCauchy(1.0).sample(rng, n_features) ** 2
        variance = c2 * tau**2 * lam2 / (c2 + tau**2 * lam2)
        return rng.standard_normal(n_features) * variance**0.5, {"tau": tau, "c": math.sqrt(c2)}

    def _log_marginal(self, w):
        r"""Log of the marginal density, :math:`\lambda_j`, :math:`\tau` and :math:`c` integrated out.

        With :math:`z = \lambda_j\tau` and the slab precision :math:`q = 1/c^2`,
        :math:`q \sim \mathrm{Gamma}(\nu/2, \text{rate } \nu s^2/2)`, the prior
        precision of :math:`w` is :math:`1/z^2 + q`, so

        .. math::

            p(w) = \iint N\!\left(w; 0, \frac{1}{z^{-2} + q}\right)\,
                   g_2\!\left(\log\frac{z}{\tau_0}\right) p(\log q)\,
                   d\log z\, d\log q,

        with :math:`g_2` the closed-form density of the log of a product of two
        half-Cauchy variables. Both integrands are analytic in a strip around the
        real axis, so the trapezoid rule on a grid of step 0.1 in
        :math:`(\log z, \log q)` converges geometrically (its error is far
        below ``1e-12`` here).
        """
        k, rate = 0.5 * self.slab_df, 0.5 * self.slab_df * self.slab_scale**2
        centre = math.log(w / self.global_scale)
        # below centre - 10 the normal factor is exp(-e^20 / 2); g_2 < e^-38 beyond |v| = 40
        v = np.arange(min(-40.0, centre - 10.0), max(40.0, centre + 40.0), _STEP)
        # log q: density q^k exp(-rate q); a large |w| draws on q ~ 1/w^2, far below the mode
        mode = math.log(k / rate)
        u = np.arange(min(mode, -2.0 * math.log(w)) - 30.0 / k, mode + math.log(60.0 / k + 10.0), _STEP)
        log_prior_u = k * math.log(rate) - special.gammaln(k) + k * u - rate * np.exp(u)
        log_a = -2.0 * (math.log(self.global_scale) + v)
        log_precision = np.logaddexp(log_a[:, None], u[None, :])
        log_normal = (0.5 * log_precision - 0.5 * math.log(2 * math.pi)
                      - np.exp(2 * math.log(w) + log_precision - math.log(2.0)))
        terms = log_normal + log_sech_convolution(2, v)[:, None] + log_prior_u[None, :]
        return float(special.logsumexp(terms) + 2 * math.log(_STEP))


#: The grid step in (log z, log q) of the marginal density's trapezoid rule.
_STEP = 0.1
