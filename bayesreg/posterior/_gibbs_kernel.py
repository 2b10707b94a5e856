"""The Gaussian-likelihood Gibbs sweep for ``n >= p``, compiled with numba.

The same conditionals, in the same order, as the numpy sweep of
:mod:`bayesreg.posterior.gibbs` (:mod:`._conditionals` derives them), written as
loops: with ``p`` in the tens a sweep is a few hundred flops, so per-call
overhead of numpy (tens of microseconds per sweep) would dominate. Each draw
takes its variates from the ``numpy.random.Generator`` in the same order as
its numpy twin given one chain (numba's Generator gives numpy's numbers), so
the numpy sweep is this one's test oracle (tests/test_gibbs_oracle.py).
numba is already installed with PyTensor; compiled code is cached on disk
(``cache=True``), so only the first use on a machine compiles.
"""

from __future__ import annotations

import math

from numba import njit

from ._conditionals import MAX_REJECTION_ROUNDS, METROPOLIS_STEPS
from ._cholesky import cholesky_in_place
from ._independence_step import accumulate, freeze, independence_step

# the scale mixtures (Prior.gibbs_mixture) and variance updates (Hyperprior.gibbs_variance_update)
# as ints for the compiled code; FIXED: a scale that is not learned
COMMON_VARIANCE, EXPONENTIAL_VARIANCE, HALF_CAUCHY_LOCAL, EXPONENTIAL_VARIANCE_WITH_RIDGE = 0, 1, 2, 3
FIXED, HALF_CAUCHY, HALF_NORMAL, CONJUGATE = 0, 1, 2, 3
MIXTURES = {"common_variance": COMMON_VARIANCE, "exponential_variance": EXPONENTIAL_VARIANCE,
            "half_cauchy_local": HALF_CAUCHY_LOCAL,
            "exponential_variance_with_ridge": EXPONENTIAL_VARIANCE_WITH_RIDGE}
VARIANCE_UPDATES = {None: FIXED, "auxiliary_inverse_gamma": HALF_CAUCHY,
                    "rejection_inverse_gamma": HALF_NORMAL, "conjugate_inverse_gamma": CONJUGATE}


@njit(cache=True)
def _inverse_gamma(rng, shape, rate):
    return rate / rng.standard_gamma(shape)


@njit(cache=True)
def _variance(rng, k, b, update, beta, xi, current):
    """Draw v from v^-k exp(-b/v) pi(v); returns (v, new xi). See _conditionals.draw_variance."""
    if update == HALF_CAUCHY:
        v = _inverse_gamma(rng, k + 0.5, b + 1.0 / xi)
        return v, _inverse_gamma(rng, 1.0, 1.0 / v + 1.0 / beta**2)
    shape = k - 0.5  # half-normal: InvGamma(k - 1/2, b) proposal, accepted w.p. exp(-v / (2 beta^2))
    if shape > 0:
        for _ in range(MAX_REJECTION_ROUNDS):
            v = _inverse_gamma(rng, shape, b)
            if rng.random() < math.exp(-v / (2.0 * beta**2)):
                return v, xi
    if b <= 0:
        if shape >= 0:
            raise ValueError("improper conditional: no data informs this variance")
        return 2.0 * beta**2 * rng.standard_gamma(-shape), xi
    return _metropolis_variance(rng, k, b, beta, current), xi


@njit(cache=True)
def _log_halfnormal_variance_target(log_v, k, b, beta):
    v = math.exp(log_v)  # density of log v: v^-(k-1/2) exp(-b/v - v/(2 beta^2))
    return -(k - 0.5) * log_v - b / v - v / (2.0 * beta**2)


@njit(cache=True)
def _metropolis_variance(rng, k, b, beta, current):
    log_v = math.log(current)
    step = 1.0 / math.sqrt(k + 1.0)
    logp = _log_halfnormal_variance_target(log_v, k, b, beta)
    for _ in range(METROPOLIS_STEPS):
        proposal = log_v + step * rng.standard_normal()
        logq = _log_halfnormal_variance_target(proposal, k, b, beta)
        if math.log(rng.random()) < logq - logp:
            log_v, logp = proposal, logq
    return math.exp(log_v)


@njit(cache=True)
def _laplace_variance_from(abs_coef, s, z2, u):
    """_conditionals.laplace_variance_from for one entry (derived in draw_laplace_variance)."""
    a = s * abs_coef
    v1 = a
    if z2 > 0.0:
        r = z2 * s / (2.0 * abs_coef)
        v1 = a + 0.5 * z2 * s * s * (1.0 + math.sqrt(1.0 + 2.0 / r))
    if u * (v1 + a) < v1:
        return v1
    return a * (a / v1)


@njit(cache=True)
def _laplace_variance(rng, abs_coef, s):
    """One v with 1/v ~ InverseGaussian(1/(s|w|), 1/s^2)."""
    z2 = rng.standard_normal() ** 2
    return _laplace_variance_from(max(abs_coef, 1e-300), s, z2, rng.random())


@njit(cache=True)
def _laplace_variances(rng, coef, s, z2, out):
    """draw_laplace_variance over all j: the normals first, then the uniforms (its order)."""
    for j in range(coef.size):
        z2[j] = rng.standard_normal() ** 2
    for j in range(coef.size):
        out[j] = _laplace_variance_from(max(abs(coef[j]), 1e-300), s, z2[j], rng.random())


@njit(cache=True)
def _horseshoe_local_precision(rng, m, out, choice, todo):
    """_conditionals.draw_horseshoe_local_precision, in its order of variates (derived there)."""
    count = m.size
    for j in range(count):
        todo[j] = j
    while count > 0:  # rounds over the entries left: all choices, all proposals, all acceptances
        for t in range(count):
            choice[t] = rng.random()
        for t in range(count):  # out[j] holds the proposal, choice[t] its piece (1.0: the first)
            j = todo[t]
            mj = max(m[j], 1e-300)
            edge = max(1.0 / mj, 1.0)
            log_edge = math.log(edge)
            first = choice[t] * (log_edge + math.exp(-mj * edge) / (mj * edge)) < log_edge
            u = rng.random()
            if first:
                out[j] = math.expm1(u * log_edge)
            else:
                out[j] = (edge - 1.0) - math.log1p(-u) / mj
            choice[t] = 1.0 if first else 0.0
        left = 0
        for t in range(count):
            j = todo[t]
            mj = max(m[j], 1e-300)
            if choice[t] == 1.0:
                ratio = math.exp(-mj * (1.0 + out[j]))
            else:
                ratio = max(1.0 / mj, 1.0) / (1.0 + out[j])
            if not rng.random() < ratio:
                todo[left] = j
                left += 1
        count = left


@njit(cache=True)
def _draw_coef(gram, xty, sigma2, variances, rng, work, coef, overrelaxation, previous):
    """coef ~ N(A^-1 xty / s2, A^-1), A = gram / s2 + diag(1 / variances), by Cholesky (Rue 2001).

    ``overrelaxation`` a in (-1, 1), with ``previous`` the coefficients before the draw
    (0: the plain draw, ``previous`` unread; Adler 1981, Neal 1998):
    ``coef = m + a (previous - m) + sqrt(1 - a^2) L^-T z``, with
    m the conditional mean and A = L L^T. It leaves N(m, A^-1) invariant and is reversible
    with respect to it (a = 0: the independent draw); ``L^-T((1 - a) L^-1 xty / s2 +
    sqrt(1 - a^2) z) + a previous`` takes one triangular solve, as the plain draw.
    """
    p = xty.size
    for i in range(p):
        for j in range(i + 1):
            work[i, j] = gram[i, j] / sigma2
        work[i, i] += 1.0 / max(variances[i], 1e-200)  # gibbs.VARIANCE_FLOOR
    if not cholesky_in_place(work):  # A is positive definite unless rounding broke it: say so with NaN
        coef[:] = math.nan
        return
    # A w = xty / s2 + L z  <=>  w = mean + L^-T z: solve L u = xty / s2, then L^T w = u + z
    for i in range(p):
        s = xty[i] / sigma2
        for k in range(i):
            s -= work[i, k] * coef[k]
        coef[i] = s / work[i, i]
    if overrelaxation == 0.0:
        for i in range(p):
            coef[i] += rng.standard_normal()
    else:
        noise = math.sqrt(1.0 - overrelaxation * overrelaxation)
        for i in range(p):
            coef[i] = (1.0 - overrelaxation) * coef[i] + noise * rng.standard_normal()
    for i in range(p - 1, -1, -1):
        s = coef[i]
        for k in range(i + 1, p):
            s -= work[k, i] * coef[k]
        coef[i] = s / work[i, i]
    if overrelaxation != 0.0:
        for i in range(p):
            coef[i] += overrelaxation * previous[i]


@njit(cache=True)
def gibbs_sweep(data, prior, state, rng, work, overrelaxation=0.0):
    """One sweep of one chain: ``state`` holds length-1 views (``_gibbs_state.chain_state``).

    ``overrelaxation``: that of the draw of ``w | v`` (:func:`_draw_coef`; 0: the plain
    draw of the numpy sweep, the test oracle).
    """
    coef, local, variances = state.coef[0], state.local[0], work.variances
    p = coef.size
    scale2 = state.scale2[0]
    ridge = prior.l2 / scale2  # the elastic net's L2 precision at this scale
    for j in range(p):  # the prior variance of each coefficient
        if prior.mixture == COMMON_VARIANCE:
            variances[j] = scale2
        elif prior.mixture == EXPONENTIAL_VARIANCE:
            variances[j] = local[j]
        elif prior.mixture == EXPONENTIAL_VARIANCE_WITH_RIDGE:  # precision 1/v_j + l2/s^2 (v = inf: l2 alone)
            variances[j] = 1.0 / (1.0 / local[j] + ridge)
        else:
            variances[j] = local[j] * scale2
    if overrelaxation != 0.0:
        for j in range(p):
            work.previous[j] = coef[j]
    _draw_coef(data.gram, data.xty, state.sigma2[0], variances, rng, work.chol, coef, overrelaxation,
               work.previous)
    # the Laplace's independence step on w (._independence_step), once its proposal is fitted
    if work.proposal_on[0] > 0.0 and independence_step(
            rng, coef, data.gram, data.xty, state.sigma2[0], math.sqrt(scale2),
            work.fit_mean, work.proposal_chol, work.proposal, work.buffer):
        work.accepted[0] += 1.0
    if not data.sigma_fixed:
        # RSS = y'y - 2 w'X'y + w'X'X w: O(p^2) from the statistics, whatever n
        quad, cross = 0.0, 0.0
        for i in range(p):
            row = 0.0
            for j in range(p):
                row += data.gram[i, j] * coef[j]
            quad += coef[i] * row
            cross += coef[i] * data.xty[i]
        rss = max(data.yty - 2.0 * cross + quad, 0.0)
        if data.sigma_update == CONJUGATE:  # InvGamma(dof/2 + a, RSS/2 + b); Jeffreys: a = b = 0
            state.sigma2[0] = _inverse_gamma(rng, data.dof / 2.0 + data.sigma_prior_shape,
                                             rss / 2.0 + data.sigma_prior_scale)
        else:
            state.sigma2[0] = _variance(rng, data.dof / 2.0, rss / 2.0, HALF_NORMAL, data.sigma_prior_scale,
                                        1.0, state.sigma2[0])[0]
    k, b = p / 2.0, 0.0  # the scale's conditional v^-k exp(-b/v) pi(v)
    if prior.mixture == COMMON_VARIANCE:
        for j in range(p):
            b += 0.5 * coef[j] ** 2
    elif prior.mixture == EXPONENTIAL_VARIANCE:
        _laplace_variances(rng, coef, math.sqrt(scale2), work.buffer, local)
        k = float(p)
        for j in range(p):
            b += 0.5 * local[j]
    elif prior.mixture == EXPONENTIAL_VARIANCE_WITH_RIDGE:
        # the Laplace draw at Laplace scale s/l1; s^2 | w, v: k = p, b = (l1^2 sum v + l2 sum w^2) / 2
        # (_mixtures._ExponentialVarianceWithRidge derives it); no L1 part: k = p/2, b = l2 sum w^2 / 2
        sum_v, sum_w2 = 0.0, 0.0
        if prior.l1 > 0:
            _laplace_variances(rng, coef, math.sqrt(scale2) / prior.l1, work.buffer, local)
            k = float(p)
            for j in range(p):
                sum_v += local[j]
        for j in range(p):
            sum_w2 += coef[j] ** 2
        b = 0.5 * (prior.l1**2 * sum_v + prior.l2 * sum_w2) if prior.l1 > 0 else 0.5 * prior.l2 * sum_w2
    else:
        for j in range(p):
            work.buffer[j] = coef[j] ** 2 / (2.0 * scale2)
        _horseshoe_local_precision(rng, work.buffer, local, variances, work.index)
        for j in range(p):
            local[j] = 1.0 / local[j]
            b += 0.5 * coef[j] ** 2 / local[j]
    if prior.scale_update == CONJUGATE:  # InvGamma(k + a, b + hyper b): Gamma on 1/v, InvGamma on v
        state.scale2[0] = _inverse_gamma(rng, k + prior.hyper_shape, b + prior.hyper_scale)
    elif prior.scale_update != FIXED:
        state.scale2[0], state.xi[0] = _variance(rng, k, b, prior.scale_update, prior.hyper_scale,
                                                 state.xi[0], scale2)


@njit(cache=True, nogil=True)  # chains run in threads (._parallel_chains)
def gaussian_chain(data, prior, state, tune, rng, work, out, independent_proposals=True,
                   overrelaxation=0.0):
    """Run one chain from ``state`` (length-1 views); fills ``out`` (a ChainDraws) after ``tune`` sweeps.

    ``independent_proposals``: the Laplace prior of fixed scale adds the independence
    step of :mod:`._independence_step` to the kept sweeps (False: the plain sweep).
    ``overrelaxation``: that of every draw of ``w | v`` (:func:`_draw_coef`; 0: none).
    """
    # the Laplace of fixed scale: fit the independence proposal on the second half of burn-in
    fits_proposal = independent_proposals and prior.mixture == EXPONENTIAL_VARIANCE and prior.scale_update == FIXED
    fixed_variances = prior.mixture == COMMON_VARIANCE or (
        prior.mixture == EXPONENTIAL_VARIANCE_WITH_RIDGE and prior.l1 == 0.0)  # l1_ratio 0: a ridge
    if fixed_variances and prior.scale_update == FIXED:
        # no prior variance moves: the plain draws are independent (sigma fixed) or nearly so
        # (sigma learned), and over-relaxing them would only trade tail ESS for bulk ESS
        overrelaxation = 0.0
    for it in range(tune + out.coef.shape[0]):
        gibbs_sweep(data, prior, state, rng, work, overrelaxation)
        if fits_proposal and it >= tune // 2 and it < tune:
            accumulate(state.coef[0], work.fit_count, work.fit_mean, work.fit_scatter, work.buffer)
            if it == tune - 1 and freeze(work.fit_count, work.fit_scatter, work.proposal_chol):
                work.proposal_on[0] = 1.0
        if it >= tune:
            out.coef[it - tune] = state.coef[0]
            out.local[it - tune] = state.local[0]
            out.sigma2[it - tune] = state.sigma2[0]
            out.scale2[it - tune] = state.scale2[0]
