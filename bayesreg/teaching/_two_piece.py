r"""The exact posterior of one coefficient: a mixture of two truncated normals.

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

import math

import numpy as np
from scipy import special, stats

__all__ = ["TwoPieceNormal"]

_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)


def _mills(x):
    """``phi(x) / Phi(x)``, stable for all x (about ``-x`` as x -> -inf)."""
    return _SQRT_2_OVER_PI / special.erfcx(-np.asarray(x, dtype=float) / math.sqrt(2.0))


class TwoPieceNormal:
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
