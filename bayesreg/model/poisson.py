r"""The Poisson likelihood with the log link: counts, optionally with an exposure.

.. math::

    y_i \sim \mathrm{Poisson}(\mu_i), \qquad \log \mu_i = \eta_i = o_i + b_0 + x_i^\top w,

with an optional known offset :math:`o_i = \log(\mathrm{exposure}_i)` (a rate per
unit of exposure: time at risk, area, population).  Poisson has no noise
scale: ``sigma`` is refused.

The mapping to the libraries (derived in docs/maths.md): the negative log
likelihood is :math:`\sum_i [\mu_i - y_i\eta_i + \log y_i!]`, and the mean
Poisson deviance is :math:`\frac2n\sum_i[y_i\log(y_i/\mu_i) - y_i + \mu_i]`,
i.e. :math:`\frac2n` NLL plus a constant.  scikit-learn's ``PoissonRegressor``
minimises :math:`\frac{1}{2n}\mathrm{deviance} + \frac\alpha2\lVert w\rVert^2
= \frac1n \mathrm{NLL} + \frac\alpha2\lVert w\rVert^2 + c`; ours divided by
``n`` is :math:`\frac1n\mathrm{NLL} + \frac1n(a\lVert w\rVert_1 + \frac b2\lVert w\rVert^2)`,
so the Normal prior of scale ``t`` is ``alpha = 1/(n t^2)`` (dispersion 1);
glmnet ``family="poisson"`` minimises :math:`-\frac1n\log L + \lambda[\alpha_g
\lVert w\rVert_1 + \frac{1-\alpha_g}2\lVert w\rVert^2]`, so
:math:`\lambda = (a + b)/n`, :math:`\alpha_g = a/(a + b)` as for the binomial family.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np
from scipy import special
from sklearn.utils.validation import check_array, column_or_1d

from .likelihoods import Likelihood

__all__ = ["Poisson"]

#: Largest linear predictor exponentiated: exp(700) is finite in float64, exp(710) is not.
_ETA_MAX = 700.0


@dataclass(frozen=True)
class Poisson(Likelihood):
    r"""Poisson likelihood with the log link, :math:`y_i \sim \mathrm{Poisson}(e^{\eta_i})`.

    .. math::

        \log p(y_i \mid \eta_i) = y_i \eta_i - e^{\eta_i} - \log y_i!

    The estimators take an ``exposure`` (or ``offset = log(exposure)``) in
    ``fit`` and ``predict``; ``predict`` returns the expected count
    :math:`e^{\eta}` (the posterior mean of it for the posterior estimators).
    Poisson has no noise scale, so ``sigma`` must stay None; it has no Gibbs
    scheme either (no conditionally Gaussian augmentation): its posterior is
    sampled by NUTS (``sampler="nutpie"``, the default ``"auto"``).

    Examples
    --------
    >>> import bayesreg as br
    >>> br.to_penalty(br.Normal(scale=0.5), n_samples=100, likelihood="poisson")
    {'estimator': 'PoissonRegressor', 'alpha': 0.04}
    """

    name: ClassVar[str] = "poisson"
    label: ClassVar[str] = "Poisson"
    map_route: ClassVar[str] = "poisson"
    has_gibbs_sampler: ClassVar[bool] = False
    accepts_offset: ClassVar[bool] = True
    penalty_name: ClassVar[str] = "alpha"
    #: a coefficient of 1 multiplies the expected count by e: the log scale's natural unit
    latent_sd: ClassVar[float | None] = 1.0

    def pointwise_loglik(self, y, eta, sigma=None):
        """Log likelihood of each observation; ``eta`` has shape (..., n)."""
        y = np.asarray(y, float)
        return special.xlogy(y, self.mean(eta)) - self.mean(eta) - special.gammaln(y + 1.0)

    def dispersion(self, sigma):
        """1: the mean Poisson deviance / 2 is the mean negative log likelihood plus a constant."""
        return 1.0

    def check_target(self, y, owner):
        """Counts as floats; negative, non-integer or non-finite values are refused."""
        y = column_or_1d(check_array(y, ensure_2d=False, dtype=np.float64,
                                     ensure_all_finite=False), warn=False)
        problems = [
            (~np.isfinite(y), "non-finite values (nan or inf)"),
            (y < 0, "negative values"),
            (y != np.floor(y), "non-integer values"),
        ]
        for bad, what in problems:
            if np.any(bad):
                first = np.flatnonzero(bad)[:5]
                raise ValueError(
                    f"{owner}: the Poisson likelihood models counts 0, 1, 2, ..., but y has "
                    f"{what} (rows {first.tolist()}: {y[first].tolist()}). Pass counts; for a "
                    "rate, pass the count as y and the time or size it was counted over as "
                    "exposure=; for a continuous y use likelihood='gaussian'."
                )
        return y, None

    def mean(self, eta):
        """The expected count ``exp(eta)``."""
        return np.exp(np.minimum(eta, _ETA_MAX))

    def noise_variance(self, mean, sigma):
        """Var(y | eta) = E(y | eta): the Poisson variance equals its mean."""
        return np.asarray(mean, dtype=float)

    def cv_loss(self, y, eta, sigma=None):
        r"""Mean Poisson deviance, :math:`\frac2n\sum_i[y_i\log(y_i/\mu_i) - y_i + \mu_i]`
        (scikit-learn's ``mean_poisson_deviance``)."""
        y = np.asarray(y, float)
        mu = self.mean(eta)
        return float(2.0 * np.mean(special.xlogy(y, y) - special.xlogy(y, mu) - y + mu))

    def pymc_observed(self, name, eta, observed, sigma, shape):
        import pymc as pm
        import pytensor.tensor as pt

        return pm.Poisson(name, mu=pt.exp(eta), observed=observed, shape=shape)

    def simulate(self, eta, sigma, rng):
        """Counts with mean ``exp(eta)``."""
        return rng.poisson(self.mean(np.asarray(eta, float)))

    def predictive_draws(self, eta, sigma, rng):
        """A new count for every draw and row, mean ``exp(eta)``."""
        return rng.poisson(self.mean(np.asarray(eta, float)))

    sklearn_estimators: ClassVar[tuple] = ("PoissonRegressor",)
    glmnet_family: ClassVar[str] = "poisson"

    def has_library_penalty(self, prior):
        """scikit-learn's ``PoissonRegressor`` has an L2 penalty only: the Normal prior."""
        return prior.is_convex and float(prior.at_reference_scale().penalty_weights[0]) == 0.0

    def sklearn_penalty(self, prior, strength, n_samples):
        """``PoissonRegressor``: alpha = total / n (an L2 penalty only)."""
        if np.any(np.asarray(strength.l1_ratio) != 0.0):
            raise ValueError(
                f"scikit-learn's PoissonRegressor has an L2 penalty only, so {prior!r} has no "
                "scikit-learn counterpart with the Poisson likelihood. Use "
                "convention='glmnet' (glmnet family='poisson' has the elastic net)."
            )
        if n_samples is None:
            raise ValueError(
                "n_samples is required: PoissonRegressor's penalty is scaled by 1/n."
            )
        return {"estimator": "PoissonRegressor", "alpha": strength.total / n_samples}

    def penalty_parameter(self, strength, n_samples, prior):
        """``total / n``: PoissonRegressor's alpha for L2, glmnet's lambda for every prior."""
        return strength.total / n_samples
