r"""Robust likelihoods: Student-t and Laplace noise (robust and median regression).

Both are location-scale families around the linear predictor ``eta`` with
the noise scale ``sigma`` (the Student-t scale, the Laplace ``b``); ``predict``
reports the location ``eta``, which is their mean (for the Student-t when
``df > 1``) and their median.  Both are scale mixtures of normals, which gives
the MAP its EM / iteratively reweighted least squares (:mod:`bayesreg.map`) and
the posterior its Gibbs sampler (:mod:`bayesreg.posterior`):

* Student-t: :math:`y_i \mid u_i \sim N(\eta_i, \sigma^2/u_i)`,
  :math:`u_i \sim \mathrm{Gamma}(\nu/2, \text{rate } \nu/2)`;
* Laplace: :math:`y_i \mid v_i \sim N(\eta_i, v_i)`,
  :math:`v_i \sim \mathrm{Exp}(\text{rate } 1/(2b^2))` (Andrews & Mallows 1974).

The same Laplace density placed on the coefficients is the lasso's prior
(sparsity); placed on the noise it is the L1 *loss* (robustness).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
from scipy import stats
from sklearn.utils.validation import check_array, column_or_1d

from ._student_t_df import df_and_scale_from_residuals, df_conditional_mode
from .gamma import Gamma
from .hyperpriors import Hyperprior
from .likelihoods import Likelihood

__all__ = ["Laplace", "StudentT"]


def _numeric_target(y):
    return column_or_1d(check_array(y, ensure_2d=False, dtype=np.float64), warn=False)


def _per_draw(sigma, eta):
    """``sigma`` per draw (S,) shaped to broadcast against ``eta`` (S, m); a number stays one."""
    sigma = np.asarray(sigma, float)
    return sigma.reshape(-1, *([1] * (np.ndim(eta) - 1))) if sigma.ndim else sigma


@dataclass(frozen=True)
class StudentT(Likelihood):
    r"""Student-t likelihood :math:`y_i \sim t_\nu(\eta_i, \sigma)`: robust regression.

    .. math::

        \log p(y_i \mid \eta_i, \sigma) = \log\Gamma\!\left(\tfrac{\nu+1}{2}\right)
            - \log\Gamma\!\left(\tfrac{\nu}{2}\right) - \tfrac12\log(\nu\pi) - \log\sigma
            - \tfrac{\nu+1}{2}\log\!\left(1 + \frac{(y_i-\eta_i)^2}{\nu\sigma^2}\right)

    Parameters
    ----------
    df : float or Gamma, default=4.0
        Degrees of freedom :math:`\nu > 0`: a number fixes it, a
        :class:`~bayesreg.Gamma` prior learns it (Juarez & Steel 2010 use
        ``Gamma(2, 0.1)``, mean 20).  Small ``df`` gives heavy tails
        (``df=1`` is the Cauchy); ``df -> inf`` is the Gaussian.  The noise
        variance :math:`\sigma^2\nu/(\nu-2)` is finite only for
        :math:`\nu > 2`, the mean only for :math:`\nu > 1`.

    Notes
    -----
    Its MAP is not convex: the EM of :func:`bayesreg.map.solve.solve_map` finds
    a mode, possibly one of several (see docs/maths.md).  With a learned
    ``df`` the MAP is the joint mode over the coefficients and :math:`\nu`
    (the Gamma's log density included) at the fixed or plug-in scale, found by
    the same EM with a 1-D maximisation over :math:`\nu` in each step; the
    posterior has a variable ``df`` (NUTS), drawn by a slice sampler from its
    full conditional given the gamma weights in the Gibbs sampler.
    """

    df: float = 4.0

    name: ClassVar[str] = "student_t"
    label: ClassVar[str] = "Student-t"
    has_sigma: ClassVar[bool] = True
    map_route: ClassVar[str] = "student_t_em"
    gibbs_augmentation: ClassVar[str | None] = "student_t_mixture"
    #: The priors' Gibbs schemes for this likelihood name also serve this one: given the
    #: mixing variables the likelihood is a weighted Gaussian.
    gibbs_prior_schemes: ClassVar[str] = "gaussian"
    penalty_name: ClassVar[str] = "alpha"
    map_sigma_rule: ClassVar[str] = "least_absolute"

    def __post_init__(self):
        df = self.df
        if isinstance(df, Hyperprior):
            if not isinstance(df, Gamma):
                raise TypeError(
                    f"StudentT: a learned df takes a Gamma prior, e.g. StudentT(df=br.Gamma(2, 0.1)) "
                    f"(Juarez & Steel 2010), got {df!r}. Other priors of df are not offered: "
                    "pass a number to fix df or a br.Gamma(a, b) (shape a, rate b) to learn it."
                )
            return
        if isinstance(df, bool) or not isinstance(df, (int, float, np.integer, np.floating)):
            raise TypeError(
                f"StudentT: df must be a number > 0 (the degrees of freedom) or a br.Gamma(a, b) "
                f"prior to learn it, got {df!r}; e.g. StudentT(df=4.0) or "
                "StudentT(df=br.Gamma(2, 0.1))."
            )
        if not (math.isfinite(df) and df > 0):
            raise ValueError(f"StudentT: df must be a finite number > 0, got {df!r}; "
                             "e.g. StudentT(df=4.0) (df=1 is the Cauchy), or "
                             "StudentT(df=br.Gamma(2, 0.1)) to learn it.")
        object.__setattr__(self, "df", float(df))

    # -- a learned df (see bayesreg.model._student_t_df) --
    @property
    def df_is_learned(self):
        """Whether ``df`` is a prior (learned) rather than a number."""
        return isinstance(self.df, Hyperprior)

    @property
    def learned_parameters(self):
        """``("df",)`` when ``df`` has a prior, else ``()``."""
        return ("df",) if self.df_is_learned else ()

    def at(self, **values):
        """This likelihood with ``df`` fixed at ``values["df"]`` (a number, per-draw array or tensor)."""
        if "df" not in values or values["df"] is None:
            return self
        out = object.__new__(StudentT)  # no checks: df may be an array of draws or a tensor
        df = values["df"]
        object.__setattr__(out, "df", df if hasattr(df, "owner") else np.asarray(df, float))
        return out

    def _df_for(self, eta):
        """``df`` shaped to broadcast against ``eta`` (S, m) when it holds one value per draw."""
        if self.df_is_learned:
            raise ValueError(
                f"{self!r}: df is learned; these numbers need a value of it. Use the fitted "
                "estimator (its df draws, or the MAP's df_), or StudentT(df=<number>)."
            )
        return _per_draw(self.df, eta)

    def conditional_mode(self, resid, sigma):
        """The likelihood at the mode of df given the residuals at scale ``sigma`` (MAP step)."""
        if not self.df_is_learned:
            return self
        return self.at(df=df_conditional_mode(np.asarray(resid) / sigma, self.df))

    def graph_key(self):
        """A learned df's prior numbers are ``pm.Data``: one compiled model for every Gamma(a, b)."""
        return (type(self), type(self.df)) if self.df_is_learned else self

    def pymc_data(self):
        if not self.df_is_learned:
            return {}
        return {"df_prior_shape": self.df.a, "df_prior_rate": self.df.b}

    def pymc_parameters(self, shared):
        """The variable ``df ~ Gamma(shape, rate)`` (numbers from ``pm.Data``) when learned."""
        if not self.df_is_learned:
            return self
        import pymc as pm

        return self.at(df=pm.Gamma("df", alpha=shared["df_prior_shape"], beta=shared["df_prior_rate"]))

    def dispersion(self, sigma):
        r""":math:`\sigma^2`: the Gaussian's, so ``to_penalty`` maps the prior as for least squares.

        No library fits the Student-t loss; the number only puts the penalty on
        the scale of the EM's weighted least-squares steps.
        """
        return sigma**2

    def check_target(self, y, owner):
        return _numeric_target(y), None

    def mean(self, eta):
        """The location ``eta`` (the mean for ``df > 1``, the median always)."""
        return eta

    def pointwise_loglik(self, y, eta, sigma):
        sigma = np.asarray(sigma, float)[..., None]
        return stats.t.logpdf(np.asarray(y, float), self._df_for(eta), loc=eta, scale=sigma)

    def cv_loss(self, y, eta, sigma=None):
        """The deviance: mean negative log likelihood of the held-out y at the scale ``sigma``."""
        return float(-np.mean(self.pointwise_loglik(y, eta, sigma)))

    def pymc_observed(self, name, eta, observed, sigma, shape):
        import pymc as pm

        if self.df_is_learned:
            raise ValueError(f"{self!r}: bind the learned df first (pymc_parameters).")
        return pm.StudentT(name, nu=self.df, mu=eta, sigma=sigma, observed=observed, shape=shape)

    def noise_variance(self, mean, sigma):
        r""":math:`\sigma^2 \nu/(\nu-2)`; infinite for :math:`\nu \le 2` (the variance does not exist)."""
        df = self._df_for(np.zeros(1))
        if np.ndim(df):  # one df per draw (and sigma per draw or fixed): the mean over draws
            df, sigma2 = df.reshape(-1), np.square(np.asarray(sigma, float)).reshape(-1)
            factor = np.where(df > 2, df / np.where(df > 2, df - 2.0, 1.0), np.inf)
            return float(np.mean(factor * sigma2)) * np.ones_like(mean, dtype=float)
        factor = df / (df - 2.0) if df > 2 else np.inf
        return factor * np.square(sigma) * np.ones_like(mean, dtype=float)

    def mean_noise_variance(self, mean, sigma):
        r""":math:`E_s[\sigma_s^2 \nu_s/(\nu_s-2)]` over the draws (infinite if a draw has :math:`\nu_s \le 2`)."""
        if np.ndim(self.df):
            return self.noise_variance(mean, sigma)
        return super().mean_noise_variance(mean, sigma)

    def simulate(self, eta, sigma, rng):
        eta = np.asarray(eta, float)
        return eta + sigma * rng.standard_t(self._df_for(eta), size=eta.shape)

    def predictive_draws(self, eta, sigma, rng):
        eta = np.asarray(eta, float)
        return eta + _per_draw(sigma, eta) * rng.standard_t(self._df_for(eta), size=eta.shape)

    def scale_from_absolute_residuals(self, abs_resid, dof):
        r"""The MAP's ``sigma=None`` rule: median absolute residual / :math:`t_\nu^{-1}(3/4)`.

        Consistent for the Student-t scale (the median of :math:`|\sigma T|`
        is :math:`\sigma\, t_\nu^{-1}(3/4)`) and robust to gross outliers.  With
        a learned df, :math:`\nu` along the same rule's curve that maximises the
        profile log posterior (:func:`~bayesreg.model._student_t_df.df_and_scale_from_residuals`).
        """
        if self.df_is_learned:
            return df_and_scale_from_residuals(abs_resid, self.df)[1]
        return float(np.median(abs_resid) / stats.t.ppf(0.75, self.df))

    def mixing_precision_em(self, resid, sigma):
        r"""EM weights :math:`E[u_i \mid r_i] = (\nu+1)/(\nu + r_i^2/\sigma^2)`."""
        df = self._df_for(np.zeros(1))
        return (df + 1.0) / (df + (np.asarray(resid) / sigma) ** 2)

    identity_link: ClassVar[bool] = True  # predict is the location itself
    sklearn_estimators: ClassVar[tuple] = ()

    def has_library_penalty(self, prior):
        """False: no library fits the Student-t loss (``MAPRegressor.penalty_`` is None)."""
        return False

    def sklearn_penalty(self, prior, strength, n_samples):
        r"""The penalty of each EM step: the Gaussian's dict for the weighted least-squares M-step.

        Each M-step is the Gaussian MAP on rows multiplied by :math:`\sqrt{u_i}`,
        i.e. this scikit-learn estimator and alpha on those rows; no library
        fits the Student-t MAP itself.
        """
        from .likelihoods import Gaussian

        return Gaussian().sklearn_penalty(prior, strength, n_samples)


@dataclass(frozen=True)
class Laplace(Likelihood):
    r"""Laplace likelihood :math:`y_i \sim \mathrm{Laplace}(\eta_i, b)`: median (L1) regression.

    .. math::

        \log p(y_i \mid \eta_i, b) = -\frac{\lvert y_i - \eta_i\rvert}{b} - \log(2b)

    ``sigma`` is :math:`b`; the noise variance is :math:`2b^2`.  With the
    Laplace prior its MAP is scikit-learn's ``QuantileRegressor(quantile=0.5)``
    at ``alpha = b / (2 n s)`` (docs/maths.md).
    """

    name: ClassVar[str] = "laplace"
    label: ClassVar[str] = "Laplace"
    has_sigma: ClassVar[bool] = True
    map_route: ClassVar[str] = "least_absolute"
    gibbs_augmentation: ClassVar[str | None] = "laplace_mixture"
    gibbs_prior_schemes: ClassVar[str] = "gaussian"
    penalty_name: ClassVar[str] = "alpha"
    map_sigma_rule: ClassVar[str] = "least_absolute"

    def pointwise_loglik(self, y, eta, sigma):
        sigma = np.asarray(sigma, float)[..., None]
        return -np.abs(np.asarray(y, float) - eta) / sigma - np.log(2.0 * sigma)

    def dispersion(self, sigma):
        r""":math:`b/2`: :math:`\frac{1}{b}\sum|r_i| \cdot \frac{b}{2n} = \frac1n\sum\tfrac12|r_i|`,
        the pinball loss at ``quantile=0.5`` of ``QuantileRegressor``."""
        return 0.5 * sigma

    def check_target(self, y, owner):
        return _numeric_target(y), None

    def mean(self, eta):
        """The location ``eta`` (mean and median)."""
        return eta

    def cv_loss(self, y, eta, sigma=None):
        """Mean absolute error: the deviance up to the constants ``1/b`` and ``log 2b``.

        It orders models as the held-out negative log likelihood at any fixed
        ``b`` does, and needs no ``b``.
        """
        return float(np.mean(np.abs(np.asarray(y, float) - eta)))

    def pymc_observed(self, name, eta, observed, sigma, shape):
        import pymc as pm

        return pm.Laplace(name, mu=eta, b=sigma, observed=observed, shape=shape)

    def noise_variance(self, mean, sigma):
        """:math:`2 b^2`."""
        return 2.0 * np.square(sigma) * np.ones_like(mean, dtype=float)

    def simulate(self, eta, sigma, rng):
        eta = np.asarray(eta, float)
        return eta + rng.laplace(0.0, sigma, size=eta.shape)

    def predictive_draws(self, eta, sigma, rng):
        eta = np.asarray(eta, float)
        return eta + _per_draw(sigma, eta) * rng.laplace(0.0, 1.0, size=eta.shape)

    def scale_from_absolute_residuals(self, abs_resid, dof):
        r"""The MAP's ``sigma=None`` rule: :math:`\hat b = \mathrm{median}|r_i| / \log 2`.

        The median of :math:`|b\,L|`, L standard Laplace, is :math:`b\log 2`;
        unlike the maximum-likelihood mean absolute residual, the median is not
        moved by gross outliers.
        """
        return float(np.median(abs_resid) / math.log(2.0))

    identity_link: ClassVar[bool] = True  # predict is the location itself
    sklearn_estimators: ClassVar[tuple] = ("QuantileRegressor",)

    def has_library_penalty(self, prior):
        """Only a pure L1 prior (the Laplace) has ``QuantileRegressor``'s penalty."""
        return prior.is_convex and float(prior.at_reference_scale().penalty_weights[1]) == 0.0

    def sklearn_penalty(self, prior, strength, n_samples):
        r"""``QuantileRegressor(quantile=0.5, alpha=...)`` for the Laplace prior.

        The MAP minimises :math:`\sum|r_i|/b + \lVert w\rVert_1/s`; multiplied by
        :math:`b/(2n)` it is :math:`\frac1n\sum\tfrac12|r_i| + \frac{b}{2ns}\lVert w\rVert_1`,
        scikit-learn's objective: ``alpha = b/(2 n s) = strength.total / n``
        (``strength.total = dispersion * l1 = (b/2)/s``).  Only a pure L1 prior
        has this counterpart; with an L2 part the dict has ``"estimator": None``
        and the alpha, l1_ratio of the same pinball-loss objective with an
        elastic-net penalty :math:`\alpha(\rho\lVert w\rVert_1 + (1-\rho)\lVert w\rVert^2/2)`.
        """
        if np.all(np.asarray(strength.l1_ratio) == 1.0):
            return {"estimator": "QuantileRegressor", "quantile": 0.5,
                    "alpha": strength.total / n_samples}
        # an L2 part: no library estimator; the same objective's alpha and l1_ratio,
        # (1/n) sum |r|/2 + alpha (l1_ratio |w|_1 + (1 - l1_ratio) |w|^2 / 2)
        return {"estimator": None, "alpha": strength.total / n_samples,
                "l1_ratio": strength.l1_ratio}
