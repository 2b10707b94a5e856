"""The state of the Gaussian Gibbs sampler, shared by the numpy sweep and the compiled one.

Named tuples of arrays rather than classes, so that the compiled sweep
(:mod:`._gibbs_kernel`, numba) takes them as they are. Every array of
:class:`GibbsState` has the chains along axis 0; the compiled sweep runs one
chain on the length-1 views :func:`chain_state` gives, updating them in place.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

__all__ = ["ChainData", "ChainDraws", "ChainPrior", "GibbsState", "SweepWork", "chain_state"]


class GibbsState(NamedTuple):
    """Where every chain is: updated in place by each sweep."""

    coef: np.ndarray  # (chains, p)
    local: np.ndarray  # (chains, p): the exponential mixture's v_j, the horseshoe's lambda_j^2
    scale2: np.ndarray  # (chains,): the squared prior scale (t^2, s^2 or tau^2)
    xi: np.ndarray  # (chains,): the half-Cauchy auxiliary variable of scale2
    sigma2: np.ndarray  # (chains,): the noise variance


class ChainData(NamedTuple):
    """The data's sufficient statistics (centred with an intercept) and what the sweep needs of the noise model."""

    gram: np.ndarray  # X_c^T X_c
    xty: np.ndarray  # X_c^T y_c
    yty: float  # y_c^T y_c: with gram and xty, the residual sum of squares of any w
    dof: float  # residual degrees of freedom (n, less 1 for the integrated-out intercept)
    sigma_prior_scale: float  # the half-normal's scale, or the inverse gamma's b (conjugate update)
    sigma_fixed: bool
    sigma_update: int = 2  # _gibbs_kernel.HALF_NORMAL (the default noise prior) or CONJUGATE
    sigma_prior_shape: float = 0.0  # the inverse gamma's a (conjugate update)


class ChainPrior(NamedTuple):
    """The prior as codes of the compiled sweep (see ``_gibbs_kernel.MIXTURES``)."""

    mixture: int
    scale_update: int
    hyper_scale: float  # the half-Cauchy's or half-normal's scale, or the inverse gamma's b
    hyper_shape: float = 0.0  # the inverse gamma's a (conjugate update)
    l1: float = 1.0  # the elastic net's penalty weights at scale 1 (l1 / s and l2 / s^2 at scale s);
    l2: float = 0.0  # other mixtures ignore them


class ChainDraws(NamedTuple):
    """One chain's kept draws (draws along axis 0)."""

    coef: np.ndarray
    sigma2: np.ndarray
    scale2: np.ndarray
    local: np.ndarray


class SweepWork(NamedTuple):
    """Scratch arrays of the compiled sweep, allocated once per chain.

    The ``fit_*``, ``proposal_*`` and ``accepted`` arrays belong to the Laplace
    sweep's independence step (:mod:`._independence_step`): burn-in moments of
    the coefficients, the frozen proposal factor, ``proposal_on[0]`` 1.0 once it
    is frozen (0.0: the plain sweep), and the count of accepted proposals.
    """

    chol: np.ndarray  # (p, p)
    variances: np.ndarray  # (p,)
    buffer: np.ndarray  # (p,)
    index: np.ndarray  # (p,) int
    fit_count: np.ndarray  # (1,)
    fit_mean: np.ndarray  # (p,)
    fit_scatter: np.ndarray  # (p, p)
    proposal_chol: np.ndarray  # (p, p)
    proposal_on: np.ndarray  # (1,)
    proposal: np.ndarray  # (p,)
    accepted: np.ndarray  # (1,)
    previous: np.ndarray  # (p,): the coefficients before this sweep's over-relaxed draw

    @classmethod
    def for_features(cls, p):
        return cls(np.empty((p, p)), np.empty(p), np.empty(p), np.empty(p, dtype=np.int64),
                   np.zeros(1), np.zeros(p), np.zeros((p, p)), np.zeros((p, p)), np.zeros(1),
                   np.empty(p), np.zeros(1), np.empty(p))


def chain_state(state, c):
    """The length-1 views of chain ``c`` (writes go through to ``state``)."""
    return GibbsState(*(a[c:c + 1] for a in state))
