"""Rank-normalised R-hat and bulk/tail ESS of finite draws, compiled with numba.

The algorithms of :mod:`._convergence` (Vehtari et al. 2021, as ArviZ 0.23
implements them), one parameter at a time in compiled loops after one numpy
argsort of all parameters. What numpy could not do without extra passes:

* the folded draws ``|x - median|`` are ordered by merging the two halves of
  the already sorted draws outward from the median, so they need no second sort;
* the Geyer sum of each ESS computes the autocovariance at a lag only when its
  loop reaches that lag (ArviZ's loop step for step), so chains that mix stop
  after a few lags instead of paying an FFT of every lag.

Only finite draws with an even chain length come here (``._convergence``
keeps the numpy path for the rest); compiled code is cached on disk.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

__all__ = ["rank_pass"]

_RESOLUTION = float(np.finfo(float).resolution)


@njit(cache=True, nogil=True, error_model="numpy")
def _score(values, order, half_scores, scores, ordered):
    """Normal scores of the average ranks of ``values`` taken in ``order`` (sorted), written
    at the original positions. ``half_scores[m]`` is the score of 1-based position ``m / 2``;
    ``ordered`` is scratch (the sorted values, read contiguously)."""
    n = order.size
    for t in range(n):
        ordered[t] = values[order[t]]
    j = 0
    while j < n:
        e = j + 1
        while e < n and ordered[e] == ordered[j]:
            e += 1
        s = half_scores[j + e + 1]  # mean position of a tie group j..e-1 (1-based): (j + e + 1) / 2
        for t in range(j, e):
            scores[order[t]] = s
        j = e


@njit(cache=True, nogil=True, error_model="numpy")
def _chain_means(x, chains):
    """Means of the ``chains`` consecutive chains of row ``x``, and the between-chain variance."""
    n = x.size // chains
    means = np.empty(chains)
    for c in range(chains):
        means[c] = _total(x[c * n:(c + 1) * n]) / n
    between = 0.0
    if chains > 1:
        grand = _total(means) / chains
        for c in range(chains):
            between += (means[c] - grand) ** 2
        between /= chains - 1
    return means, between


@njit(cache=True, nogil=True, error_model="numpy", fastmath={"reassoc", "contract"})
def _total(x):
    total = 0.0
    for s in range(x.size):
        total += x[s]
    return total


@njit(cache=True, nogil=True, error_model="numpy", fastmath={"reassoc", "contract"})
def _squares_about(x, centre):
    total = 0.0
    for s in range(x.size):
        total += (x[s] - centre) ** 2
    return total


@njit(cache=True, nogil=True, error_model="numpy")
def _rhat(z, chains):
    """Split R-hat of one row ``z`` of ``chains`` consecutive (split) chains."""
    n = z.size // chains
    means, between = _chain_means(z, chains)
    within = 0.0
    for c in range(chains):
        within += _squares_about(z[c * n:(c + 1) * n], means[c]) / (n - 1)
    within /= chains
    return math.sqrt((n * between / within + n - 1) / n)


@njit(cache=True, nogil=True, error_model="numpy", fastmath={"reassoc", "contract"})
def _lag_product(x, t):
    """sum_s x[s] x[s + t] (reassociated, so vectorised; slices, whose loops LLVM vectorises)."""
    a, b = x[:x.size - t], x[t:]
    total = 0.0
    for s in range(a.size):
        total += a[s] * b[s]
    return total


@njit(cache=True, nogil=True, error_model="numpy")
def _mean_acov(centred, chains, n, t):
    total = 0.0
    for c in range(chains):
        total += _lag_product(centred[c * n:(c + 1) * n], t) / n
    return total / chains


@njit(cache=True, nogil=True, error_model="numpy")
def _ess(x, chains, centred, rho):
    """ArviZ's ``_ess`` of one row ``x`` of ``chains`` consecutive chains, lags computed on demand."""
    size = x.size
    n = size // chains
    if x.max() - x.min() < _RESOLUTION:
        return float(size)
    means, between = _chain_means(x, chains)
    for c in range(chains):
        centred[c * n:(c + 1) * n] = x[c * n:(c + 1) * n] - means[c]
    mean_var = _mean_acov(centred, chains, n, 0) * n / (n - 1.0)
    var_plus = mean_var * (n - 1.0) / n + between
    rho[:n] = 0.0
    rho_even = 1.0
    rho[0] = rho_even
    rho_odd = 1.0 - (mean_var - _mean_acov(centred, chains, n, 1)) / var_plus
    rho[1] = rho_odd
    t = 1
    while t < n - 3 and rho_even + rho_odd > 0.0:  # Geyer's initial positive sequence
        rho_even = 1.0 - (mean_var - _mean_acov(centred, chains, n, t + 1)) / var_plus
        rho_odd = 1.0 - (mean_var - _mean_acov(centred, chains, n, t + 2)) / var_plus
        if rho_even + rho_odd >= 0:
            rho[t + 1] = rho_even
            rho[t + 2] = rho_odd
        t += 2
    max_t = t - 2
    if rho_even > 0:
        rho[max_t + 1] = rho_even
    t = 1
    while t <= max_t - 2:  # Geyer's initial monotone sequence
        if rho[t + 1] + rho[t + 2] > rho[t - 1] + rho[t]:
            rho[t + 1] = (rho[t - 1] + rho[t]) / 2.0
            rho[t + 2] = rho[t + 1]
        t += 2
    tau = -1.0
    for s in range(max_t + 1):
        tau += 2.0 * rho[s]
    if max_t + 1 < n:
        tau += rho[max_t + 1]
    tau = max(tau, 1.0 / math.log10(size))
    for s in range(n):
        if math.isnan(rho[s]):
            return math.nan
    return size / tau


@njit(cache=True, nogil=True, error_model="numpy")
def rank_pass(rows, order, chains, half_scores, cut_index, cut_gamma, r_hat, bulk, tail, median):
    """R-hat, bulk and tail ESS and the median of each row of ``rows`` (k, N) in one pass.

    ``rows`` holds each parameter's ``chains`` split chains one after another,
    ``order`` its argsort; ``cut_index``/``cut_gamma`` place the type-7
    quantiles of the tail ESS in the sorted row (``_convergence._type7_quantiles``).
    The outputs are filled in place; ``r_hat`` is left as given (NaN) with
    fewer than 4 split chains.
    """
    k, size = rows.shape
    z = np.empty(size)
    folded = np.empty(size)
    folded_order = np.empty(size, dtype=np.int64)
    indicator = np.empty(size)
    centred = np.empty(size)
    rho = np.empty(size // chains)
    for j in range(k):
        x, o = rows[j], order[j]
        _score(x, o, half_scores, z, centred)
        half = size // 2
        med = (x[o[half - 1]] + x[o[half]]) / 2.0 if size % 2 == 0 else x[o[half]]
        median[j] = med
        if chains >= 4:  # 2 or more chains before the split
            # |x - med| in increasing order: merge the sorted halves outward from the median
            below, above = half - 1, half
            while below >= 0 and x[o[below]] >= med:
                below -= 1
            above = below + 1
            for t in range(size):
                if above >= size or (below >= 0 and med - x[o[below]] <= x[o[above]] - med):
                    folded_order[t] = o[below]
                    below -= 1
                else:
                    folded_order[t] = o[above]
                    above += 1
            for s in range(size):
                folded[s] = abs(x[s] - med)
            bulk_rhat = _rhat(z, chains)
            _score(folded, folded_order, half_scores, indicator, centred)  # indicator: scratch here
            folded_rhat = _rhat(indicator, chains)
            r_hat[j] = math.nan if math.isnan(bulk_rhat) or math.isnan(folded_rhat) else max(bulk_rhat, folded_rhat)
        bulk[j] = _ess(z, chains, centred, rho)
        worst = math.inf
        for q in range(cut_index.size):
            i = cut_index[q]
            cut = (1.0 - cut_gamma[q]) * x[o[i - 1]] + cut_gamma[q] * x[o[i]]
            for s in range(size):
                indicator[s] = 1.0 if x[s] <= cut else 0.0
            value = _ess(indicator, chains, centred, rho)
            if math.isnan(value) or math.isnan(worst):
                worst = math.nan
            else:
                worst = min(worst, value)
        tail[j] = worst
