r"""The exact posterior of one coefficient, with the curves to draw it.

One coefficient with a Gaussian likelihood around its least-squares estimate
``z`` (standard error ``se``) and a Normal, Laplace or elastic-net prior: the
posterior is a mixture of two truncated normals (:mod:`bayesreg.teaching._two_piece`),
so its density, mean, median and quantiles are exact.  A smooth prior that is
not an L1/L2 penalty (``prior.is_convex`` False) is integrated numerically to
about 1e-10 (:mod:`bayesreg.teaching._quadrature`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import stats

from ..model.priors import Prior
from ._checks import check_grid, check_prior, check_se, check_z
from ._quadrature import QuadraturePosterior
from ._two_piece import TwoPieceNormal
from .variance import prior_variance

__all__ = ["OneCoefficientPosterior", "one_coefficient_posterior"]


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

    def _posterior(self):
        return _exact_posterior(self.z, self.se, self.prior)

    def cdf(self, w):
        """Exact posterior CDF at ``w``."""
        return self._posterior().cdf(w)

    def ppf(self, q):
        """Exact posterior quantile function (e.g. ``ppf([0.03, 0.97])``)."""
        q = np.asarray(q, dtype=float)
        if np.any(~((q >= 0) & (q <= 1))):
            raise ValueError(f"ppf: probabilities must lie in [0, 1], got {q!r}.")
        return self._posterior().ppf(q)


def _exact_posterior(z, se, prior):
    """Closed form for an L1/L2 penalty, quadrature for a smooth prior (e.g. Student-t)."""
    return (TwoPieceNormal if prior.is_convex else QuadraturePosterior)(z, se, prior)


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
    z, se = check_z(z, owner), check_se(se, owner)
    prior = check_prior(prior, owner)
    map_estimate = float(prior.prox(z, step=se * se))
    grid = _default_grid(z, se, prior, map_estimate) if grid is None else check_grid(grid, owner)
    post = _exact_posterior(z, se, prior)
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
