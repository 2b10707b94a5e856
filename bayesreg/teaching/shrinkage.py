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

from dataclasses import dataclass

import numpy as np

from ..model.priors import Prior
from ._checks import check_estimates, check_prior, check_se
from ._two_piece import TwoPieceNormal
from .one_coefficient import OneCoefficientPosterior, _frozen, one_coefficient_posterior
from .variance import prior_variance, with_variance

__all__ = [
    "OneCoefficientPosterior",
    "ShrinkageCurves",
    "one_coefficient_posterior",
    "prior_variance",
    "shrinkage_curves",
    "with_variance",
]


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
    prior = check_prior(prior, owner)
    se = check_se(se, owner)
    z = check_estimates(estimates, owner)
    post = TwoPieceNormal(z, se, prior)
    mean, _ = post.moments()
    return ShrinkageCurves(
        prior=prior,
        se=se,
        estimates=_frozen(z),
        map=_frozen(prior.prox(z, step=se * se)),
        mean=_frozen(mean),
        median=_frozen(post.ppf(np.full_like(z, 0.5))),
    )
