r"""An independence Metropolis step on the coefficients, inside the compiled Laplace Gibbs sweep.

Why: in Park & Casella's sweep the coefficients forget their past only through
the mixing variances ``v``, and ``v_j | w_j`` is drawn from ``|w_j|``. Where the
prior matters (collinear columns: on the diabetes data s1 to s4), the
coefficients' autocorrelation is then high: min bulk ESS about 0.43 per draw.

What: between ``w | v`` and ``v | w`` the sweep proposes a fresh
``w* ~ t_30(m, C)`` (a multivariate t whose mean and covariance are those of the
chain's own second half of burn-in, frozen before the kept draws) and accepts it
with the independence Metropolis-Hastings probability for the marginal
posterior of ``w`` (the Laplace prior with ``v`` integrated out, sigma fixed or
at its current value):

.. math::

    \log \pi(w) = -\frac{w^\top X_c^\top X_c w - 2 w^\top X_c^\top y_c}{2\sigma^2}
                  - \sum_j |w_j| / s, \qquad
    \alpha = \min\Big(1, \frac{\pi(w^*)\, q(w)}{\pi(w)\, q(w^*)}\Big).

Exact: ``w | v`` leaves the joint law invariant; the Metropolis step leaves
``pi(w | sigma)`` invariant, and ``v`` (discarded by it) is drawn afresh from
``v | w`` right after, so the pair is again from the joint law. The proposal is
fitted during burn-in only and fixed for every kept draw (adapting it there
would break invariance). A t with 30 degrees of freedom has heavier tails than
this posterior (Gaussian, or Laplace along directions the data leave free), so
the step is uniformly ergodic on its own. On diabetes it accepts about 2 in 3
proposals and lifts the min bulk ESS per draw from about 0.43 to about 0.7.
Only the Laplace prior of fixed scale has it (its marginal density is closed
form); every other sweep is unchanged.
"""

from __future__ import annotations

import math

from numba import njit

from ._cholesky import cholesky_in_place

__all__ = ["PROPOSAL_DOF", "accumulate", "freeze", "independence_step"]

#: Degrees of freedom of the t proposal (heavier tails than the posterior: uniform ergodicity).
PROPOSAL_DOF = 30.0
#: Fewer burn-in draws than this per feature: no proposal is fitted (the plain sweep runs).
MIN_FIT_DRAWS_PER_FEATURE = 5


@njit(cache=True)
def accumulate(coef, count, mean, scatter, delta):
    """Welford's update of the mean and (lower) scatter matrix of the burn-in coefficients."""
    count[0] += 1.0
    p = coef.size
    for i in range(p):
        delta[i] = coef[i] - mean[i]
        mean[i] += delta[i] / count[0]
    for i in range(p):
        for j in range(i + 1):  # (x - old mean)(x - new mean)^T
            scatter[i, j] += delta[i] * (coef[j] - mean[j])


@njit(cache=True)
def freeze(count, scatter, chol):
    """Lower Cholesky factor of the burn-in covariance into ``chol``; False if not positive definite."""
    p = chol.shape[0]
    if count[0] < MIN_FIT_DRAWS_PER_FEATURE * p:
        return False
    for i in range(p):
        for j in range(i + 1):
            chol[i, j] = scatter[i, j] / (count[0] - 1.0)
    return cholesky_in_place(chol)


@njit(cache=True)
def _log_posterior(coef, gram, xty, sigma2, scale):
    """log pi(w | sigma) up to a constant: the Gaussian likelihood and the Laplace(scale) prior."""
    p = coef.size
    quad, cross, l1 = 0.0, 0.0, 0.0
    for i in range(p):  # w'Gw from the lower triangle (G symmetric)
        row = 0.0
        for j in range(i):
            row += gram[i, j] * coef[j]
        quad += coef[i] * (2.0 * row + gram[i, i] * coef[i])
        cross += coef[i] * xty[i]
        l1 += abs(coef[i])
    return -(quad - 2.0 * cross) / (2.0 * sigma2) - l1 / scale


@njit(cache=True)
def _log_t_kernel(r2, p):
    """log of the t_dof density in p dimensions up to a constant, at squared radius ``r2``."""
    return -0.5 * (PROPOSAL_DOF + p) * math.log1p(r2 / PROPOSAL_DOF)


@njit(cache=True)
def _log_proposal(coef, mean, chol, z):
    """log q(w) up to a constant: the t_dof(mean, L L^T) density; ``z`` is scratch."""
    p = coef.size
    r2 = 0.0
    for i in range(p):
        s = coef[i] - mean[i]
        for k in range(i):
            s -= chol[i, k] * z[k]
        z[i] = s / chol[i, i]
        r2 += z[i] ** 2
    return _log_t_kernel(r2, p)


@njit(cache=True)
def independence_step(rng, coef, gram, xty, sigma2, scale, mean, chol, proposal, z):
    """Replace ``coef`` by a t proposal with the Metropolis-Hastings probability; True if accepted.

    Variates: p normals, one gamma (the t's mixing variable), one uniform.
    """
    p = coef.size
    z2 = 0.0
    for i in range(p):
        z[i] = rng.standard_normal()
        z2 += z[i] ** 2
    mix = math.sqrt(PROPOSAL_DOF / (2.0 * rng.standard_gamma(PROPOSAL_DOF / 2.0)))
    for i in range(p):
        s = 0.0
        for k in range(i + 1):
            s += chol[i, k] * z[k]
        proposal[i] = mean[i] + mix * s
    # the proposal is mean + mix L z: its L^-1 (w* - mean) is mix z, no triangular solve
    log_ratio = (_log_posterior(proposal, gram, xty, sigma2, scale)
                 - _log_posterior(coef, gram, xty, sigma2, scale)
                 + _log_proposal(coef, mean, chol, z) - _log_t_kernel(mix * mix * z2, p))
    if math.log(rng.random()) < log_ratio:
        for i in range(p):
            coef[i] = proposal[i]
        return True
    return False
