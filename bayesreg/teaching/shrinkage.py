r"""Exact one-coefficient posteriors: how a prior shrinks a least-squares estimate.

One coefficient :math:`w` with a Gaussian likelihood around its least-squares
estimate :math:`z` with standard error :math:`\mathrm{se}` (variance
:math:`v = \mathrm{se}^2`), and a prior with penalty weights :math:`(a, b)`,
``penalty(w) = a|w| + b w^2/2`` (Normal: :math:`a=0, b=1/t^2`; Laplace:
:math:`a=1/s, b=0`; elastic net: both):

.. math::

    p(w \mid z) \propto \exp\!\Big(-\frac{(w - z)^2}{2v} - a|w| - \frac{b w^2}{2}\Big).

On each half-line the exponent is a quadratic, so the posterior is a mixture of
two truncated normals with common variance :math:`v' = v k`, :math:`k = 1/(1 + v b)`,
and locations

.. math::

    m_\pm = k\,(z \mp v a), \qquad
    \pi_\pm \propto e^{\mp k z a}\, \Phi(\pm m_\pm / \sqrt{v'})

(:math:`\pi_+` the mass on :math:`w > 0` on the normal with location
:math:`m_+` truncated to :math:`(0, \infty)`, :math:`\pi_-` the rest on
:math:`(-\infty, 0)`).  Completing the square gives these weights; the common
factor :math:`\sqrt{2\pi v'}\,\exp(k z^2/(2v) + k v a^2/2)` cancels.  The
weights are computed in logs with ``scipy.special.log_ndtr``, and the
truncated-normal means with the Mills ratio
:math:`\varphi(x)/\Phi(x) = \sqrt{2/\pi}/\operatorname{erfcx}(-x/\sqrt2)`, so
nothing overflows or cancels even at :math:`|z|/\mathrm{se} = 40` or beyond.

With :math:`a = 0` (Normal prior) the two pieces are halves of one normal: the
conjugate posterior :math:`N(kz, kv)`.  The MAP is the prior's proximal map
``prior.prox(z, step=v)`` (soft thresholding for Laplace, linear shrinkage for
Normal); the posterior mean and median are exact, the median by inverting the
closed-form CDF (``scipy.special.ndtri_exp``).  Unlike the MAP, the posterior
mean and median of a Laplace prior are never exactly zero for :math:`z \ne 0`.
"""

from __future__ import annotations

import dataclasses
import math
import numbers
from dataclasses import dataclass

import numpy as np
from scipy import integrate, special, stats

from ..model._checks import check_map_prior
from ..model.priors import ElasticNet, Laplace, Normal, Prior

__all__ = [
    "OneCoefficientPosterior",
    "ShrinkageCurves",
    "one_coefficient_posterior",
    "prior_variance",
    "shrinkage_curves",
    "with_variance",
]

_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)


# ---------------------------------------------------------------- argument checks


def _check_prior(prior, owner):
    if isinstance(prior, Prior) and not isinstance(prior, (Normal, Laplace, ElasticNet)):
        raise ValueError(
            f"{owner}: the exact one-coefficient posterior is available for the Normal, "
            f"Laplace and ElasticNet priors, not {prior!r}. Sample other priors with "
            "PosteriorRegressor."
        )
    return check_map_prior(prior, owner)


def _check_se(se, owner):
    if isinstance(se, bool) or not isinstance(se, numbers.Real):
        raise TypeError(f"{owner}: se must be a positive number, got {se!r}.")
    se = float(se)
    if not (math.isfinite(se) and se > 0):
        raise ValueError(
            f"{owner}: se (the standard error of the least-squares estimate) must be "
            f"finite and > 0, got {se!r}."
        )
    return se


def _check_z(z, owner):
    if isinstance(z, bool) or not isinstance(z, numbers.Real):
        raise TypeError(f"{owner}: z must be a real number (the least-squares estimate), got {z!r}.")
    z = float(z)
    if not math.isfinite(z):
        raise ValueError(f"{owner}: z must be finite, got {z!r}.")
    return z


def _check_estimates(estimates, owner):
    estimates = np.asarray(estimates, dtype=float)
    if estimates.ndim != 1 or estimates.size == 0:
        raise ValueError(
            f"{owner}: estimates must be a non-empty 1-D array of least-squares "
            f"estimates, got shape {estimates.shape}."
        )
    if not np.all(np.isfinite(estimates)):
        raise ValueError(f"{owner}: estimates must all be finite.")
    return estimates


def _check_grid(grid, owner):
    grid = np.asarray(grid, dtype=float)
    if grid.ndim != 1 or grid.size < 2:
        raise ValueError(f"{owner}: grid must be a 1-D array of at least 2 points, got shape {grid.shape}.")
    if not np.all(np.isfinite(grid)) or np.any(np.diff(grid) <= 0):
        raise ValueError(f"{owner}: grid must be finite and strictly increasing.")
    return grid


# ---------------------------------------------------------------- the two-piece posterior


def _mills(x):
    """``phi(x) / Phi(x)``, stable for all x (about ``-x`` as x -> -inf)."""
    return _SQRT_2_OVER_PI / special.erfcx(-np.asarray(x, dtype=float) / math.sqrt(2.0))


class _TwoPieceNormal:
    """The posterior as a mixture of normals truncated to w < 0 and w > 0 (vectorised in z)."""

    def __init__(self, z, se, prior):
        z = np.asarray(z, dtype=float)
        a, b = prior.penalty_weights
        v = se * se
        k = 1.0 / (1.0 + v * b)
        self.sd = math.sqrt(v * k)
        self.m_pos = k * (z - v * a)
        self.m_neg = k * (z + v * a)
        # log Phi of the standardised truncation point of each piece: the piece's mass
        self.logmass_pos = special.log_ndtr(self.m_pos / self.sd)
        self.logmass_neg = special.log_ndtr(-self.m_neg / self.sd)
        logw_pos = -k * z * a + self.logmass_pos
        logw_neg = k * z * a + self.logmass_neg
        log_total = np.logaddexp(logw_pos, logw_neg)
        self.logp_pos = logw_pos - log_total
        self.logp_neg = logw_neg - log_total

    def logpdf(self, w):
        w = np.asarray(w, dtype=float)
        pos = self.logp_pos + stats.norm.logpdf(w, self.m_pos, self.sd) - self.logmass_pos
        neg = self.logp_neg + stats.norm.logpdf(w, self.m_neg, self.sd) - self.logmass_neg
        # at w = 0 the two expressions agree (the density is continuous)
        return np.where(w > 0, pos, neg)

    def cdf(self, w):
        w = np.asarray(w, dtype=float)
        below = np.exp(
            self.logp_neg + special.log_ndtr((np.minimum(w, 0.0) - self.m_neg) / self.sd)
            - self.logmass_neg
        )
        above = np.exp(
            self.logp_pos + special.log_ndtr((self.m_pos - np.maximum(w, 0.0)) / self.sd)
            - self.logmass_pos
        )
        return np.where(w <= 0, below, 1.0 - above)

    def ppf(self, q):
        """Exact inverse CDF: invert the piece that holds the quantile."""
        q = np.asarray(q, dtype=float)
        with np.errstate(divide="ignore"):
            logq, log1mq = np.log(q), np.log1p(-q)
        in_neg = logq <= self.logp_neg
        # F(w) = pi_- Phi((w - m_-)/sd) / Phi(-m_-/sd) for w <= 0
        arg_neg = np.minimum(logq + self.logmass_neg - self.logp_neg, 0.0)
        # 1 - F(w) = pi_+ Phi((m_+ - w)/sd) / Phi(m_+/sd) for w >= 0
        arg_pos = np.minimum(log1mq + self.logmass_pos - self.logp_pos, 0.0)
        w_neg = self.m_neg + self.sd * special.ndtri_exp(np.where(in_neg, arg_neg, 0.0))
        w_pos = self.m_pos - self.sd * special.ndtri_exp(np.where(in_neg, 0.0, arg_pos))
        return np.where(in_neg, np.minimum(w_neg, 0.0), np.maximum(w_pos, 0.0))

    def moments(self):
        """Exact mean and variance (truncated-normal moments of each piece)."""
        sd = self.sd
        p_pos, p_neg = np.exp(self.logp_pos), np.exp(self.logp_neg)
        r_pos = _mills(self.m_pos / sd)
        r_neg = _mills(-self.m_neg / sd)
        mean_pos = self.m_pos + sd * r_pos
        mean_neg = self.m_neg - sd * r_neg
        # a piece with (numerically) no mass contributes nothing, not 0 * inf
        mean = np.where(p_pos > 0, p_pos * mean_pos, 0.0) + np.where(p_neg > 0, p_neg * mean_neg, 0.0)
        # the law of total variance (E[w^2] - E[w]^2 would cancel when |mean| >> sd)
        var_pos = sd**2 * (1.0 - r_pos * (self.m_pos / sd + r_pos))
        var_neg = sd**2 * (1.0 + r_neg * (self.m_neg / sd - r_neg))
        within = np.where(p_pos > 0, p_pos * var_pos, 0.0) + np.where(p_neg > 0, p_neg * var_neg, 0.0)
        between = p_pos * p_neg * (mean_pos - mean_neg) ** 2
        between = np.where((p_pos > 0) & (p_neg > 0), between, 0.0)
        return mean, within + between


# ---------------------------------------------------------------- results


@dataclass(frozen=True, eq=False)
class OneCoefficientPosterior:
    """The exact posterior of one coefficient, with the curves to draw it.

    Attributes
    ----------
    z, se : float
        The least-squares estimate and its standard error.
    prior : Prior
        The coefficient's prior.
    grid : ndarray
        Points ``w`` at which the densities are evaluated.
    likelihood : ndarray
        ``N(z | w, se^2)`` as a function of ``w`` (it integrates to 1 in ``w``).
    prior_density, posterior_density : ndarray
        The prior and the exact (normalised) posterior density on ``grid``.
    map, mean, median, sd : float
        Posterior mode (``prior.prox(z, step=se**2)``), mean, median and
        standard deviation, all exact.
    """

    z: float
    se: float
    prior: Prior
    grid: np.ndarray
    likelihood: np.ndarray
    prior_density: np.ndarray
    posterior_density: np.ndarray
    map: float
    mean: float
    median: float
    sd: float

    def cdf(self, w):
        """Exact posterior CDF at ``w``."""
        return _TwoPieceNormal(self.z, self.se, self.prior).cdf(w)

    def ppf(self, q):
        """Exact posterior quantile function (e.g. ``ppf([0.03, 0.97])``)."""
        q = np.asarray(q, dtype=float)
        if np.any(~((q >= 0) & (q <= 1))):
            raise ValueError(f"ppf: probabilities must lie in [0, 1], got {q!r}.")
        return _TwoPieceNormal(self.z, self.se, self.prior).ppf(q)


@dataclass(frozen=True, eq=False)
class ShrinkageCurves:
    """MAP and posterior summaries as functions of the least-squares estimate.

    Attributes
    ----------
    prior : Prior
    se : float
    estimates : ndarray
        Least-squares estimates ``z``.
    map, mean, median : ndarray
        MAP (``prior.prox(z, step=se**2)``), exact posterior mean and median at
        each estimate.
    """

    prior: Prior
    se: float
    estimates: np.ndarray
    map: np.ndarray
    mean: np.ndarray
    median: np.ndarray


def _frozen(array):
    array = np.array(array, dtype=float)
    array.setflags(write=False)
    return array


def _default_grid(z, se, prior, map_estimate):
    """A grid showing the likelihood, the posterior and the bulk of the prior.

    An even grid over the whole picture, refined around the likelihood and the
    posterior (which may be narrow and far from 0 when ``|z| >> se``).
    """
    prior_sd = math.sqrt(prior_variance(prior))
    spread = max(se, min(prior_sd, abs(z) + 3.0 * se))
    lo = min(0.0, z, map_estimate) - 4.0 * spread
    hi = max(0.0, z, map_estimate) + 4.0 * spread
    if lo < 0 < hi and min(-lo, hi) > 0.5 * max(-lo, hi):
        lo, hi = -max(-lo, hi), max(-lo, hi)  # symmetric when nearly so: the prior looks symmetric
    coarse = np.linspace(lo, hi, 601)
    fine = np.linspace(min(z, map_estimate) - 5.0 * se, max(z, map_estimate) + 5.0 * se, 401)
    return np.unique(np.concatenate([coarse, fine, [0.0]]))


def one_coefficient_posterior(z, se, prior, grid=None):
    r"""The exact posterior of one coefficient under a Gaussian likelihood.

    .. math::

        p(w \mid z) \propto N(z \mid w, \mathrm{se}^2)\; p(w)

    See the module docstring for the closed form (a mixture of two truncated
    normals) and how it is kept stable.

    Parameters
    ----------
    z : float
        The least-squares estimate of the coefficient.
    se : float
        Its standard error (``sigma / sqrt(sum(x**2))`` for one centred feature).
    prior : Normal, Laplace or ElasticNet
        A prior with a fixed scale.
    grid : array-like, optional
        Where to evaluate the densities (1-D, increasing).  By default 801
        points covering 0, ``z``, the likelihood and the bulk of the prior,
        refined around the likelihood and the posterior.

    Returns
    -------
    OneCoefficientPosterior

    Examples
    --------
    >>> import bayesreg as br
    >>> from bayesreg.teaching.shrinkage import one_coefficient_posterior
    >>> r = one_coefficient_posterior(1.0, 1.0, br.Laplace(scale=1.0))
    >>> r.map, round(r.mean, 4)
    (0.0, 0.5032)
    """
    owner = "one_coefficient_posterior"
    z, se = _check_z(z, owner), _check_se(se, owner)
    prior = _check_prior(prior, owner)
    map_estimate = float(prior.prox(z, step=se * se))
    grid = _default_grid(z, se, prior, map_estimate) if grid is None else _check_grid(grid, owner)
    post = _TwoPieceNormal(z, se, prior)
    mean, var = post.moments()
    return OneCoefficientPosterior(
        z=z,
        se=se,
        prior=prior,
        grid=_frozen(grid),
        likelihood=_frozen(stats.norm.pdf(z, loc=grid, scale=se)),
        prior_density=_frozen(np.exp(prior.logpdf(grid))),
        posterior_density=_frozen(np.exp(post.logpdf(grid))),
        map=map_estimate,
        mean=float(mean),
        median=float(post.ppf(0.5)),
        sd=float(np.sqrt(var)),
    )


def shrinkage_curves(prior, se, estimates):
    r"""MAP, posterior mean and median of one coefficient as functions of ``z``.

    For the Laplace prior the MAP is soft thresholding,
    :math:`\operatorname{sign}(z)\max(|z| - \mathrm{se}^2/s, 0)`; for the Normal
    prior it is linear shrinkage, :math:`z\,t^2/(t^2 + \mathrm{se}^2)`, which is
    also its posterior mean and median.  The Laplace posterior mean is smooth
    and never exactly zero for :math:`z \ne 0`.

    Parameters
    ----------
    prior : Normal, Laplace or ElasticNet
        A prior with a fixed scale.
    se : float
        Standard error of the least-squares estimate.
    estimates : array-like
        Least-squares estimates ``z`` (1-D).

    Returns
    -------
    ShrinkageCurves
    """
    owner = "shrinkage_curves"
    prior = _check_prior(prior, owner)
    se = _check_se(se, owner)
    z = _check_estimates(estimates, owner)
    post = _TwoPieceNormal(z, se, prior)
    mean, _ = post.moments()
    return ShrinkageCurves(
        prior=prior,
        se=se,
        estimates=_frozen(z),
        map=_frozen(prior.prox(z, step=se * se)),
        mean=_frozen(mean),
        median=_frozen(post.ppf(np.full_like(z, 0.5))),
    )


# ---------------------------------------------------------------- prior variance


def prior_variance(prior):
    r"""The variance of one coefficient under ``prior``.

    :math:`t^2` for ``Normal(scale=t)``, :math:`2s^2` for ``Laplace(scale=s)``;
    for the elastic net :math:`s^2 V(r)`, where :math:`V(r)` is the variance
    at scale 1 (the penalty in :math:`u = w/s` does not depend on :math:`s`),
    integrated numerically from the prior's ``logpdf``.
    """
    prior = _check_prior(prior, "prior_variance")
    if isinstance(prior, Normal):
        return prior.scale**2
    if isinstance(prior, Laplace):
        return 2.0 * prior.scale**2
    unit = dataclasses.replace(prior, scale=1.0)
    density = lambda u: u * u * math.exp(float(unit.logpdf(u)))  # noqa: E731
    half, _ = integrate.quad(density, 0.0, np.inf, epsabs=0.0, epsrel=1e-12)
    return prior.scale**2 * 2.0 * half


def with_variance(prior, variance):
    """The prior of the same family (and ``l1_ratio``) whose variance is ``variance``.

    Used to compare priors on an equal footing, e.g. the Normal, Laplace and
    elastic-net densities at variance 1.
    """
    if isinstance(variance, bool) or not isinstance(variance, numbers.Real):
        raise TypeError(f"with_variance: variance must be a positive number, got {variance!r}.")
    variance = float(variance)
    if not (math.isfinite(variance) and variance > 0):
        raise ValueError(f"with_variance: variance must be finite and > 0, got {variance!r}.")
    # the variance is proportional to scale**2 for all three families
    ratio = variance / prior_variance(prior)
    return dataclasses.replace(prior, scale=prior.scale * math.sqrt(ratio))
