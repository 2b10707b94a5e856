"""The Gaussian-likelihood Gibbs sweep for ``n >= p``, compiled with numba.

The same conditionals as :mod:`bayesreg.posterior.gibbs` (whose docstring
derives them), written as loops: with ``p`` in the tens a sweep is a few hundred
flops, so per-call overhead of numpy (tens of microseconds per sweep) would
dominate. numba is already installed with PyTensor; compiled code is cached
on disk (``cache=True``), so only the first use on a machine compiles.
One call runs one chain; the chains use the one ``numpy.random.Generator`` in turn.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

# prior kinds and hyperprior kinds, as ints for the compiled code
NORMAL, LAPLACE, HORSESHOE = 0, 1, 2
FIXED, HALF_CAUCHY, HALF_NORMAL = 0, 1, 2
_MAX_REJECTION_ROUNDS = 50
_METROPOLIS_STEPS = 20


@njit(cache=True)
def _inverse_gamma(rng, shape, rate):
    return rate / rng.standard_gamma(shape)


@njit(cache=True)
def _variance(rng, k, b, hyper, beta, xi, current):
    """Draw v from v^-k exp(-b/v) pi(v); returns (v, new xi). See _conditionals.py.

    The half-normal case is exact rejection sampling; if 50 proposals are all
    rejected (the prior factor dominates, far in the tails) it falls back to
    Metropolis steps from ``current`` that leave the same conditional invariant.
    """
    if hyper == HALF_CAUCHY:
        v = _inverse_gamma(rng, k + 0.5, b + 1.0 / xi)
        return v, _inverse_gamma(rng, 1.0, 1.0 / v + 1.0 / beta**2)
    # half-normal: InvGamma(k - 1/2, b) proposal, accepted with prob exp(-v / (2 beta^2))
    for _ in range(_MAX_REJECTION_ROUNDS):
        v = _inverse_gamma(rng, k - 0.5, b)
        if rng.random() < math.exp(-v / (2.0 * beta**2)):
            return v, xi
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
    for _ in range(_METROPOLIS_STEPS):
        proposal = log_v + step * rng.standard_normal()
        logq = _log_halfnormal_variance_target(proposal, k, b, beta)
        if math.log(rng.random()) < logq - logp:
            log_v, logp = proposal, logq
    return math.exp(log_v)


@njit(cache=True)
def _laplace_variance(rng, abs_coef, s):
    """v with 1/v ~ InverseGaussian(1/(s|w|), 1/s^2), without cancellation or overflow.

    The same formula as ``_conditionals.draw_laplace_variance`` (which derives
    it); ``rng.wald`` returns 0 when ``|w|`` is tiny against ``s``.
    """
    w = max(abs_coef, 1e-300)
    a = s * w
    z2 = rng.standard_normal() ** 2
    if z2 > 0.0:
        r = z2 * s / (2.0 * w)
        v1 = a + 0.5 * z2 * s * s * (1.0 + math.sqrt(1.0 + 2.0 / r))
    else:
        v1 = a
    if rng.random() * (v1 + a) < v1:
        return v1
    return a * (a / v1)


@njit(cache=True)
def _draw_coef(gram, xty, sigma2, variances, rng, work, coef):
    """coef ~ N(A^-1 xty / s2, A^-1), A = gram / s2 + diag(1 / variances), by Cholesky (Rue 2001)."""
    p = xty.size
    for i in range(p):
        for j in range(i + 1):
            work[i, j] = gram[i, j] / sigma2
        work[i, i] += 1.0 / max(variances[i], 1e-200)  # gibbs.VARIANCE_FLOOR
    for j in range(p):  # in-place lower Cholesky factor
        s = work[j, j]
        for k in range(j):
            s -= work[j, k] ** 2
        work[j, j] = math.sqrt(s)
        for i in range(j + 1, p):
            s = work[i, j]
            for k in range(j):
                s -= work[i, k] * work[j, k]
            work[i, j] = s / work[j, j]
    # A w = xty / s2 + L z  <=>  w = mean + L^-T z: solve L u = xty / s2, then L^T w = u + z
    for i in range(p):
        s = xty[i] / sigma2
        for k in range(i):
            s -= work[i, k] * coef[k]
        coef[i] = s / work[i, i]
    for i in range(p):
        coef[i] += rng.standard_normal()
    for i in range(p - 1, -1, -1):
        s = coef[i]
        for k in range(i + 1, p):
            s -= work[k, i] * coef[k]
        coef[i] = s / work[i, i]


@njit(cache=True)
def gaussian_chain(gram, xty, xc, yc, dof, prior_kind, hyper, hyper_scale, scale2, xi,
                   variances, nu, sigma2, sigma_prior_scale, sigma_fixed, tune, rng,
                   out_coef, out_sigma2, out_scale2, out_local):
    """Run one chain; fills ``out_*`` (draws along axis 0) and returns nothing.

    ``scale2`` is t^2 (Normal), s^2 (Laplace) or tau^2 (horseshoe); ``variances``
    the prior variance of each coefficient; ``nu`` the horseshoe's local auxiliaries.
    """
    n, p = xc.shape
    draws = out_coef.shape[0]
    work = np.empty((p, p))
    coef = np.zeros(p)
    for it in range(tune + draws):
        _draw_coef(gram, xty, sigma2, variances, rng, work, coef)
        if not sigma_fixed:
            rss = 0.0
            for i in range(n):
                r = yc[i]
                for j in range(p):
                    r -= xc[i, j] * coef[j]
                rss += r * r
            sigma2, _ = _variance(rng, dof / 2.0, rss / 2.0, HALF_NORMAL, sigma_prior_scale, 1.0, sigma2)
        if prior_kind == NORMAL:
            if hyper != FIXED:
                ss = 0.0
                for j in range(p):
                    ss += coef[j] ** 2
                scale2, xi = _variance(rng, p / 2.0, ss / 2.0, hyper, hyper_scale, xi, scale2)
            for j in range(p):
                variances[j] = scale2
        elif prior_kind == LAPLACE:
            s = math.sqrt(scale2)
            total = 0.0
            for j in range(p):
                # 1 / v_j | w_j ~ InverseGaussian(mean 1 / (s |w_j|), shape 1 / s^2)
                variances[j] = _laplace_variance(rng, abs(coef[j]), s)
                total += variances[j]
            if hyper != FIXED:
                scale2, xi = _variance(rng, float(p), total / 2.0, hyper, hyper_scale, xi, scale2)
        else:  # horseshoe: variances[j] = lambda_j^2 tau^2, out_local holds lambda_j^2
            ss = 0.0
            for j in range(p):
                lam2, nu[j] = _variance(rng, 0.5, coef[j] ** 2 / (2.0 * scale2), HALF_CAUCHY, 1.0, nu[j], 1.0)
                variances[j] = lam2
                ss += coef[j] ** 2 / lam2
            scale2, xi = _variance(rng, p / 2.0, ss / 2.0, HALF_CAUCHY, hyper_scale, xi, scale2)
            for j in range(p):
                if it >= tune:
                    out_local[it - tune, j] = variances[j]
                variances[j] *= scale2
        if it >= tune:
            out_coef[it - tune] = coef
            out_sigma2[it - tune] = sigma2
            out_scale2[it - tune] = scale2
