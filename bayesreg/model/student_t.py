r"""The Student-t prior: heavy tails that shrink small coefficients and spare large ones.

The worked example of the docs page "Adding a prior": this module and its tests
are all it took; the registry finds the class, and the MAP, the posterior, the
widgets' choices and save/load ask it what they need.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import special

from .prior_base import Prior
from .scales import check_positive_scale

__all__ = ["StudentT"]


@dataclass(frozen=True)
class StudentT(Prior):
    r"""Student-t prior :math:`w_j \sim t_\nu(0, s)`; ``df=1`` is the Cauchy prior.

    .. math::

        \log p(w) = \log\Gamma\!\left(\tfrac{\nu+1}{2}\right)
            - \log\Gamma\!\left(\tfrac{\nu}{2}\right) - \tfrac12\log(\nu\pi s^2)
            - \frac{\nu+1}{2}\log\!\left(1 + \frac{w^2}{\nu s^2}\right),
        \qquad
        \mathrm{penalty}(w) = \frac{\nu+1}{2}\sum_j \log\!\left(1 + \frac{w_j^2}{\nu s^2}\right)

    Near zero the penalty is a ridge penalty of weight :math:`(\nu+1)/(\nu s^2)`;
    far out it grows only like :math:`\log|w|`, so a large coefficient is barely
    shrunk (Gelman et al. 2008 recommend the Cauchy with scale 2.5 on
    standardised inputs for logistic regression).

    The penalty is not convex, so it has no lambda/alpha in any library and its
    MAP may be one of several local modes.  bayesreg finds a mode by
    majorize-minimize: the penalty lies below its tangent quadratic
    :math:`\frac12 c_j(\tilde w) w_j^2 + \mathrm{const}` with
    :math:`c_j(\tilde w) = (\nu+1)/(\nu s^2 + \tilde w_j^2)` (concavity of
    :math:`\log(1 + u)` in :math:`u = w^2`), so each weighted-ridge step lowers
    the objective (:meth:`quadratic_bound_weights`).  The posterior is sampled
    with NUTS.

    Parameters
    ----------
    scale : float, default=1.0
        The scale :math:`s`.
    df : float, default=3.0
        Degrees of freedom :math:`\nu > 0` (1: Cauchy; large: close to ``Normal(s)``).
    """

    scale: float = 1.0
    df: float = 3.0
    kind = "studentt"
    label = "Student-t"
    sklearn_regressor = None
    is_convex = False

    def __post_init__(self):
        object.__setattr__(self, "scale", check_positive_scale(self.scale, "scale", "StudentT"))
        object.__setattr__(self, "df", check_positive_scale(self.df, "df", "StudentT"))

    @property
    def penalty_weights(self):
        raise ValueError(
            f"{self!r} has no lambda/alpha equivalent: its penalty "
            "(df + 1)/2 * log(1 + w^2 / (df scale^2)) is not an L1/L2 penalty (not even "
            "convex), so no scikit-learn or glmnet penalty equals it. MAPRegressor finds "
            "its MAP directly; use Normal, Laplace or ElasticNet for a library penalty."
        )

    def _log_normalizer(self):
        nu, s = self.df, self.scale
        return (special.gammaln(nu / 2) - special.gammaln((nu + 1) / 2)
                + 0.5 * math.log(nu * math.pi) + math.log(s))

    def _penalty_terms(self, w):
        nu, s = self.df, self.scale
        return 0.5 * (nu + 1) * np.log1p((w / s) ** 2 / nu)

    def quadratic_bound_weights(self, w):
        r"""Weights :math:`c_j` of the quadratic that touches the penalty at ``w`` from above.

        :math:`\mathrm{pen}(v) \le \mathrm{pen}(w) + \sum_j \tfrac12 c_j (v_j^2 - w_j^2)`
        with :math:`c_j = (\nu+1)/(\nu s^2 + w_j^2)`.
        """
        w = np.asarray(w, dtype=float)
        return (self.df + 1) / (self.df * self.scale**2 + w**2)

    def prox(self, z, step=1.0):
        r"""The MAP of one coefficient: :math:`\arg\min_w (w-z)^2/(2\,\mathrm{step}) + \mathrm{pen}(w)`.

        The stationary points solve the cubic
        :math:`w^3 - z w^2 + (\nu s^2 + (\nu+1)\,\mathrm{step})\, w - \nu s^2 z = 0`;
        of its real roots the one with the lowest objective is returned (the
        global minimum: the objective is continuous and grows without bound).
        """
        z = np.asarray(z, dtype=float)
        step = np.broadcast_to(np.asarray(step, dtype=float), z.shape)
        if np.any(~(step > 0)) or not np.all(np.isfinite(step)):
            raise ValueError(f"prox: step must be finite and > 0, got {step!r}.")
        nu_s2 = self.df * self.scale**2
        out = np.empty(z.shape)
        for index in np.ndindex(z.shape):
            zi, vi = z[index], step[index]
            roots = np.roots([1.0, -zi, nu_s2 + (self.df + 1) * vi, -nu_s2 * zi])
            real = roots.real[np.abs(roots.imag) <= 1e-9 * (1 + np.abs(roots.real))]
            objective = (real - zi) ** 2 / (2 * vi) + self._penalty_terms(real)
            out[index] = real[np.argmin(objective)]
        return out

    # ----------------------------------------------------------------- PyMC
    def pymc_data(self):
        """The numbers the PyMC model holds in ``pm.Data`` (a refit at a new scale swaps them)."""
        return {"prior_scale": self.scale, "prior_df": self.df}

    def _coefficient_variable(self, name, scale, data, dims):
        import pymc as pm

        return pm.StudentT(name, nu=data["prior_df"], mu=0.0, sigma=scale, dims=dims)

    def sample(self, rng, size=None):
        """Independent draws from the prior (simulation-based calibration draws its truths here)."""
        return self.scale * rng.standard_t(self.df, size)
