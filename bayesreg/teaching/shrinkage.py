r"""Exact one-coefficient posteriors: how a prior shrinks a least-squares estimate.

One coefficient with a Gaussian likelihood around its least-squares estimate
``z`` (standard error ``se``) and a prior: :func:`one_coefficient_posterior`
gives its exact posterior (for an L1/L2 prior a mixture of two truncated
normals, derived in :mod:`bayesreg.teaching._two_piece`; for a smooth prior
such as the Student-t, quadrature), and :func:`shrinkage_curves` the MAP,
posterior mean and median as functions of ``z``: soft thresholding against
linear shrinkage.  Unlike the MAP, the posterior mean and median of a Laplace
prior are never exactly zero for ``z != 0``.
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
