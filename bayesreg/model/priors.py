"""The L1/L2 families: Normal (ridge), Laplace (lasso) and the elastic net between them.

Each is a :class:`~bayesreg.model.prior_base.Prior` whose penalty is
``l1 * sum|w| + l2 * sum(w**2) / 2``: the base class derives the density, the
penalty and the proximal map from :attr:`penalty_weights`; each family adds its
normaliser, its PyMC variable, its draws and its widget readout.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass, field

import numpy as np
from scipy import special

from .hyperpriors import Hyperprior
from ._per_feature import check_scale_or_vector
from .prior_base import PenaltyWeights, Prior, _check_scale
from .sigma_scaling import sigma_scalable

__all__ = ["ElasticNet", "Laplace", "Normal", "elastic_net_logp"]


def _g4(value):
    """A number in the widgets' penalty readout (4 significant digits)."""
    return f"{value:.4g}"


@sigma_scalable
@dataclass(frozen=True)
class Normal(Prior):
    r"""Gaussian prior :math:`w_j \sim N(0, t^2)`: the prior of ridge regression.

    .. math::

        \log p(w) = -\frac{w^2}{2t^2} - \tfrac12 \log(2\pi t^2), \qquad
        \mathrm{penalty}(w) = \sum_j \frac{w_j^2}{2t^2}

    Parameters
    ----------
    scale : float, array of shape (n_features,) or Hyperprior, default=1.0
        The prior standard deviation :math:`t`.  An array gives one per
        feature, :math:`w_j \sim N(0, t_j^2)` (stored as a tuple; see
        :mod:`bayesreg.model._per_feature`).  A hyperprior lets the
        posterior learn it: ``HalfCauchy``/``HalfNormal`` on :math:`t`,
        ``InverseGamma(a, b)`` on the variance :math:`t^2` (conjugate in Gibbs),
        ``Gamma(a, b)`` on :math:`1/t^2` (the same law).
    scale_by_sigma : bool, default=False (keyword only)
        True: the prior is on the coefficients in units of the noise scale,
        :math:`w_j \mid \sigma \sim` N(0, \sigma^2 t^2), as in Park & Casella's Bayesian lasso
        and Makalic & Schmidt's bayesreg (see :meth:`given_sigma`; docs/maths.md derives
        the mapping, whose L2 part is then free of sigma).
    """

    scale: float | tuple | Hyperprior = 1.0
    scale_by_sigma: bool = field(default=False, repr=False, kw_only=True)
    _gibbs_likelihoods = ("gaussian", "bernoulli")
    reference_power = 2  # the penalty weight is 1/t^2: 1/t_ref^2 is the mean of 1/t_j^2
    kind = "normal"
    label = "Normal (ridge)"
    gibbs_mixture = "common_variance"
    sklearn_regressor = "Ridge"

    def __post_init__(self):
        object.__setattr__(self, "scale", check_scale_or_vector(self.scale, "Normal", _check_scale))

    def has_conjugate_posterior(self, likelihood, sigma_fixed):
        # scale_by_sigma with a learned sigma would be Normal-inverse-gamma conjugate only
        # under an inverse-gamma (or Jeffreys) prior on sigma^2; the model's HalfNormal(sd(y))
        # is not, so only the fixed sigma is exact (then it is Normal(sigma * t)).
        return likelihood == "gaussian" and bool(sigma_fixed) and not self.is_hierarchical

    def penalty_formulas(self, *, n_samples, sigma, y_sd, sklearn, glmnet, logistic):
        t, n = _g4(self.scale), n_samples
        return [
            f"Ridge alpha = sigma^2 / t^2 = {_g4(sigma)}^2 / {t}^2 = {_g4(sklearn['alpha'])}",
            f"glmnet lambda = sigma^2 sd(y) / (n t^2) = {_g4(sigma)}^2 * {_g4(y_sd)} / "
            f"({n} * {t}^2) = {_g4(glmnet['lambda'])}, alpha = 0",
            f"LogisticRegression C = t^2 = {_g4(logistic['C'])}, l1_ratio = 0",
        ]

    @property
    def penalty_weights(self):
        self._require_fixed_scale("the penalty")
        return PenaltyWeights(0.0, 1.0 / self.scale_values**2)

    def _log_normalizer(self):
        return 0.5 * np.log(2 * math.pi * self.scale_values**2)

    def penalty_weights_at(self, scale, data=None):
        return PenaltyWeights(0.0, 1.0 / scale**2)

    def _coefficient_variable(self, name, scale, data, dims):
        import pymc as pm

        return pm.Normal(name, mu=0.0, sigma=scale, dims=dims)

    def sample(self, rng, size=None):
        self._require_fixed_scale("sampling")
        return rng.normal(0.0, self.scale_values, size)



@sigma_scalable
@dataclass(frozen=True)
class Laplace(Prior):
    r"""Laplace prior :math:`p(w) = \exp(-|w|/s) / (2s)`: the prior of the lasso.

    .. math::

        \log p(w) = -\frac{|w|}{s} - \log(2s), \qquad
        \mathrm{penalty}(w) = \sum_j \frac{|w_j|}{s}

    Parameters
    ----------
    scale : float or Hyperprior, default=1.0
        The Laplace scale :math:`s` (the standard deviation is
        :math:`\sqrt{2}\,s`).  An array gives one per feature (glmnet's
        ``penalty.factor``: :mod:`bayesreg.model._per_feature`).  A hyperprior
        lets the posterior learn it, and with it the lasso's lambda:
        ``HalfCauchy``/``HalfNormal`` on :math:`s`, ``Gamma(a, b)`` on
        :math:`\lambda^2 = 1/s^2` (Park & Casella's prior, conjugate in Gibbs),
        ``InverseGamma(a, b)`` on :math:`s^2` (the same law).
    scale_by_sigma : bool, default=False (keyword only)
        True: the prior is on the coefficients in units of the noise scale,
        :math:`w_j \mid \sigma \sim` \mathrm{Laplace}(\sigma s), as in Park & Casella's Bayesian lasso
        and Makalic & Schmidt's bayesreg (see :meth:`given_sigma`; docs/maths.md derives
        the mapping, whose L2 part is then free of sigma).
    """

    scale: float | tuple | Hyperprior = 1.0
    scale_by_sigma: bool = field(default=False, repr=False, kw_only=True)
    _gibbs_likelihoods = ("gaussian", "bernoulli")
    kind = "laplace"
    label = "Laplace (lasso)"
    gibbs_mixture = "exponential_variance"
    sklearn_regressor = "Lasso"

    def __post_init__(self):
        object.__setattr__(self, "scale", check_scale_or_vector(self.scale, "Laplace", _check_scale))

    def penalty_formulas(self, *, n_samples, sigma, y_sd, sklearn, glmnet, logistic):
        return [
            f"Lasso alpha = sigma^2 / (n s) = {_g4(sigma)}^2 / ({n_samples} * "
            f"{_g4(self.scale)}) = {_g4(sklearn['alpha'])}",
            f"glmnet lambda = sigma^2 / (n s) = {_g4(glmnet['lambda'])}, alpha = 1",
            f"LogisticRegression C = s = {_g4(logistic['C'])}, l1_ratio = 1",
        ]

    @property
    def penalty_weights(self):
        self._require_fixed_scale("the penalty")
        return PenaltyWeights(1.0 / self.scale_values, 0.0)

    def _log_normalizer(self):
        return np.log(2 * self.scale_values)

    def penalty_weights_at(self, scale, data=None):
        return PenaltyWeights(1.0 / scale, 0.0)

    def _coefficient_variable(self, name, scale, data, dims):
        import pymc as pm

        return pm.Laplace(name, mu=0.0, b=scale, dims=dims)

    def sample(self, rng, size=None):
        self._require_fixed_scale("sampling")
        return rng.laplace(0.0, self.scale_values, size)


@sigma_scalable
@dataclass(frozen=True)
class ElasticNet(Prior):
    r"""Elastic-net prior, between the Laplace (``l1_ratio=1``) and Normal (``0``).

    .. math::

        \mathrm{penalty}(w) = \sum_j \frac{r |w_j|}{s} + \frac{(1-r) w_j^2}{2 s^2},
        \qquad p(w) = \exp(-\mathrm{penalty}(w)) / Z

    with :math:`a = r/s`, :math:`b = (1-r)/(2s^2)` and the normalizing constant

    .. math::

        Z = \int e^{-a|w| - b w^2} dw = \sqrt{\pi / b}\;
            \operatorname{erfcx}\!\left(\frac{a}{2\sqrt b}\right)
        \quad (Z = 2/a \text{ when } b = 0).

    Parameters
    ----------
    scale : float, array of shape (n_features,) or Hyperprior, default=1.0
        The scale :math:`s`: the Laplace scale of the L1 part and the standard
        deviation of the L2 part; an array gives one per feature. A hyperprior
        as for :class:`Laplace` (``Gamma`` on :math:`1/s^2`, ``InverseGamma`` on :math:`s^2`).
    l1_ratio : float in [0, 1], default=0.5
        The mixing weight :math:`r` of the L1 part.
    scale_by_sigma : bool, default=False (keyword only)
        True: the prior is on the coefficients in units of the noise scale,
        :math:`w_j \mid \sigma \sim` \mathrm{ElasticNet}(\sigma s, r), as in Park & Casella's Bayesian lasso
        and Makalic & Schmidt's bayesreg (see :meth:`given_sigma`; docs/maths.md derives
        the mapping, whose L2 part is then free of sigma).
    """

    scale: float | tuple | Hyperprior = 1.0
    l1_ratio: float = 0.5
    scale_by_sigma: bool = field(default=False, repr=False, kw_only=True)
    _gibbs_likelihoods = ("gaussian", "bernoulli")
    kind = "elasticnet"
    label = "ElasticNet"
    has_l1_ratio = True
    #: the Laplace mixture of the L1 part times the Gaussian L2 factor (docs/gibbs.md)
    gibbs_mixture = "exponential_variance_with_ridge"

    def penalty_formulas(self, *, n_samples, sigma, y_sd, sklearn, glmnet, logistic):
        r, s = self.l1_ratio, _g4(self.scale)
        return [
            f"ElasticNet alpha = sigma^2 / n * (r/s + (1-r)/s^2) = {_g4(sigma)}^2 / {n_samples} * "
            f"({_g4(r)}/{s} + {_g4(1 - r)}/{s}^2) = {_g4(sklearn['alpha'])}, "
            f"l1_ratio = (r/s) / (r/s + (1-r)/s^2) = {_g4(sklearn['l1_ratio'])}",
            f"glmnet lambda = sigma^2 / n * (r/s + sd(y) (1-r)/s^2) = {_g4(glmnet['lambda'])}, "
            f"alpha = (r/s) / (r/s + sd(y) (1-r)/s^2) = {_g4(glmnet['alpha'])} "
            f"(sd(y) = {_g4(y_sd)})",
            f"LogisticRegression C = 1 / (r/s + (1-r)/s^2) = {_g4(logistic['C'])}, "
            f"l1_ratio = {_g4(logistic['l1_ratio'])}",
        ]

    @classmethod
    def from_controls(cls, scale, l1_ratio=0.5):
        return cls(scale=scale, l1_ratio=l1_ratio)

    def __post_init__(self):
        object.__setattr__(self, "scale", check_scale_or_vector(self.scale, "ElasticNet", _check_scale))
        r = self.l1_ratio
        if isinstance(r, bool) or not isinstance(r, numbers.Real):
            raise TypeError(f"ElasticNet: l1_ratio must be a number in [0, 1], got {r!r}.")
        r = float(r)
        if not 0.0 <= r <= 1.0:
            raise ValueError(
                f"ElasticNet: l1_ratio must lie in [0, 1] (0 is the Normal prior, "
                f"1 the Laplace prior), got {r!r}."
            )
        object.__setattr__(self, "l1_ratio", r)

    @property
    def penalty_weights(self):
        self._require_fixed_scale("the penalty")
        r, s = self.l1_ratio, self.scale_values
        return PenaltyWeights(r / s, (1.0 - r) / s**2)

    def _log_normalizer(self):
        l1, l2 = self.penalty_weights
        if self.l1_ratio == 1.0:  # no L2 part (l2 is 0 for every feature)
            return np.log(2.0 / l1)
        b = 0.5 * l2
        return 0.5 * np.log(math.pi / b) + np.log(special.erfcx(l1 / (2.0 * np.sqrt(b))))

    def penalty_weights_at(self, scale, data=None):
        r = self.l1_ratio if data is None else data["l1_ratio"]
        return PenaltyWeights(r / scale, (1.0 - r) / scale**2)

    def pymc_data(self):
        return {**super().pymc_data(), "l1_ratio": self.l1_ratio}

    def _coefficient_variable(self, name, scale, data, dims):
        import pymc as pm

        return pm.CustomDist(
            name, scale, data["l1_ratio"], logp=elastic_net_logp,
            support_point=_zeros_support_point, dims=dims,
        )

    def sample(self, rng, size=None):
        r"""Exact draws from :math:`p(w) \propto \exp(-r|w|/s - (1-r) w^2 / (2 s^2))`.

        For :math:`w > 0` this is :math:`N(-rs/(1-r),\, s^2/(1-r))` truncated to
        :math:`w > 0` (complete the square); the sign is symmetric.
        """
        from scipy import stats

        self._require_fixed_scale("sampling")
        scale, l1_ratio = self.scale_values, self.l1_ratio
        if l1_ratio == 1.0:
            return rng.laplace(0.0, scale, size)
        sd = scale / math.sqrt(1.0 - l1_ratio)
        mean = -l1_ratio * scale / (1.0 - l1_ratio)
        magnitude = stats.truncnorm.rvs(-mean / sd, np.inf, loc=mean, scale=sd, size=size,
                                        random_state=rng)
        return magnitude * rng.choice([-1.0, 1.0], size=size)


def elastic_net_logp(value, scale, l1_ratio):
    r"""Log density of the elastic-net prior on PyTensor variables (see :class:`ElasticNet`).

    .. math::

        \log p(w) = -a|w| - b w^2 - \log Z, \quad a = r/s,\; b = (1-r)/(2s^2),\;
        Z = \sqrt{\pi/b}\,\operatorname{erfcx}\!\left(\tfrac{a}{2\sqrt b}\right)
        \;(Z = 2/a \text{ if } b = 0)
    """
    import pytensor.tensor as pt

    scale, l1_ratio = pt.as_tensor_variable(scale), pt.as_tensor_variable(l1_ratio)
    a = l1_ratio / scale
    b = (1.0 - l1_ratio) / (2.0 * scale**2)
    # both branches are evaluated: keep the one not taken finite
    b_safe = pt.switch(b > 0, b, 1.0)
    a_safe = pt.switch(a > 0, a, 1.0)
    log_z = pt.switch(
        b > 0,
        0.5 * pt.log(math.pi / b_safe) + pt.log(pt.erfcx(a / (2.0 * pt.sqrt(b_safe)))),
        pt.log(2.0 / a_safe),
    )
    return -a * pt.abs(value) - b * value**2 - log_z


def _zeros_support_point(rv, size, *params):
    """The starting point of a custom coefficient distribution: all zeros (the mode)."""
    import pytensor.tensor as pt

    return pt.zeros(size) if size is not None else pt.zeros_like(params[0])
