"""Rank-normalised split R-hat and bulk/tail ESS, vectorised over parameters.

The algorithms of Vehtari, Gelman, Simpson, Carpenter & Buerkner (2021),
step for step as ArviZ 0.23 implements them (``arviz.rhat(method="rank")``,
``arviz.ess(method="bulk"/"tail")``; the tests compare with ArviZ to 1e-10),
but for all parameters at once. ArviZ computes them one scalar at a time,
~3 ms each; after a Gibbs or ``exact`` fit that took longer than drawing the
samples.

Internally every array is laid out ``(k, chain, draw)``: one row of draws per
parameter, contiguous, so sorts, means and lagged sums run along memory.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from scipy import fft, special

__all__ = ["compiled_rank_diagnostics", "ess_bulk", "ess_tail", "rank_diagnostics", "rhat_rank"]

_MIN_DRAWS = 4


def _split_columns(draws):
    """(chain, draw, k) -> split chains as contiguous rows (k, 2 * chain, draw // 2).

    The middle draw of an odd-length chain is dropped, as ArviZ does.
    """
    half = draws.shape[1] // 2
    split = np.concatenate([draws[:, :half], draws[:, -half:]], axis=0)
    return np.ascontiguousarray(split.transpose(2, 0, 1))


@lru_cache(maxsize=8)
def _blom_scores(n):
    """Normal scores of the ranks 1..n (Blom's offset 3/8); read-only, cached per n.

    Untied ranks are a permutation of 1..n, so their scores are these n
    values rearranged: ``ndtri`` runs once per draw count, not once per draw.
    """
    scores = special.ndtri((np.arange(1.0, n + 1.0) - 0.375) / (n + 0.25))
    scores.flags.writeable = False
    return scores


def _rank_scores(rows):
    """Normal scores of the average ranks (as ``scipy.stats.rankdata``) of each row.

    ``rows`` is (m, N); returns the scores (m, N) and the sorted rows. Every
    draw first takes the score of its position in one argsort (a cached
    table); draws tied with a neighbour then get the score of the mean of the
    positions their group shares, found for all groups at once.
    """
    m, n = rows.shape
    order = np.argsort(rows, axis=1)
    ordered = np.take_along_axis(rows, order, axis=1)
    scores = np.empty_like(rows)
    np.put_along_axis(scores, order, _blom_scores(n)[None, :], axis=1)
    repeats = ordered[:, 1:] == ordered[:, :-1]  # position j + 1 equals position j
    if repeats.any():
        member = np.zeros((m, n), dtype=bool)  # in a group of two or more equal draws
        member[:, 1:] = repeats
        member[:, :-1] |= repeats
        row, col = np.nonzero(member)  # row-major: each group's members are consecutive
        opens = np.ones(row.size, dtype=bool)
        opens[1:] = ~repeats[row[1:], col[1:] - 1] | (row[1:] != row[:-1])
        group = np.cumsum(opens) - 1
        first, size = col[opens], np.bincount(group)
        positions = (first + (size - 1) / 2.0 + 1.0)[group]  # mean of 1-based positions
        scores[row, order[row, col]] = special.ndtri((positions - 0.375) / (n + 0.25))
    return scores, ordered


def _median_of_sorted(ordered):
    """``np.median`` of each sorted row (the mean of the middle two for even lengths)."""
    n = ordered.shape[1]
    if n % 2:
        return ordered[:, n // 2].copy()
    return (ordered[:, n // 2 - 1] + ordered[:, n // 2]) / 2.0


def _z_scale(columns):
    """Normal scores of the pooled ranks of (k, chain, draw) columns; also the sorted pools."""
    k = columns.shape[0]
    scores, ordered = _rank_scores(columns.reshape(k, -1))
    return scores.reshape(columns.shape), ordered


def _rhat(columns):
    """Split R-hat of (k, chain, draw) columns (chains already split)."""
    n_draw = columns.shape[2]
    chain_var = columns.var(axis=2, ddof=1)
    between = n_draw * columns.mean(axis=2).var(axis=1, ddof=1)
    within = chain_var.mean(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.sqrt((between / within + n_draw - 1) / n_draw)


def _folded(columns, ordered):
    """|x - median| of each column, the median read from its sorted pool (NaN stays NaN)."""
    median = _median_of_sorted(ordered)
    median[np.isnan(ordered[:, -1])] = np.nan  # argsort puts NaN last; np.median gives NaN
    return np.abs(columns - median[:, None, None])


def rank_diagnostics(draws, probs=(0.05, 0.95), return_median=False):
    """R-hat, bulk ESS and tail ESS of every parameter of ``draws`` in one pass.

    The same numbers as :func:`rhat_rank`, :func:`ess_bulk` and :func:`ess_tail`
    (and ArviZ's), computed with one argsort of the split draws (giving their
    ranks, median and, for even chain lengths, quantiles), one of the folded
    draws, and one autocorrelation pass for the bulk and both tail indicators
    together: this runs after every fit, whose draws may cost less than their
    diagnostics.

    Parameters
    ----------
    draws : array-like of shape (chain, draw, k)

    Returns
    -------
    r_hat, ess_bulk, ess_tail : ndarray of shape (k,)
        R-hat is NaN with fewer than 2 chains; all are NaN with fewer than 4 draws.
    median : ndarray of shape (k,) or None, only with ``return_median``
        Each parameter's median over chains and draws where the compiled pass ran
        (it reads them from its sort), else None.
    """
    draws = np.asarray(draws, dtype=float)
    k = draws.shape[-1]
    if draws.shape[1] < _MIN_DRAWS:
        nothing = (np.full(k, np.nan), np.full(k, np.nan), np.full(k, np.nan))
        return nothing + (None,) if return_median else nothing
    if draws.shape[1] % 2 == 0 and np.isfinite(draws).all():
        found = compiled_rank_diagnostics(draws, probs)
        return found if return_median else found[:3]
    found = _numpy_rank_diagnostics(draws, probs)
    return found + (None,) if return_median else found


def _numpy_rank_diagnostics(draws, probs):
    """:func:`rank_diagnostics` in numpy: odd chain lengths and non-finite draws."""
    k = draws.shape[-1]
    split = _split_columns(draws)
    z_bulk, ordered = _z_scale(split)
    if draws.shape[0] < 2:
        r_hat = np.full(k, np.nan)
    else:
        z_folded, _ = _z_scale(_folded(split, ordered))
        r_hat = np.maximum(_rhat(z_bulk), _rhat(z_folded))
    # with an even chain length the split draws are all the draws: their sort gives the quantiles
    pooled = ordered if draws.shape[1] % 2 == 0 else np.sort(draws.reshape(-1, k).T, axis=1)
    below = [split <= cut[:, None, None] for cut in _type7_quantiles(pooled, probs)]
    ess = _ess(np.concatenate([z_bulk, *below], axis=0))
    return r_hat, ess[:k], np.minimum(*np.split(ess[k:], len(probs)))


@lru_cache(maxsize=8)
def _half_position_scores(n):
    """Normal scores (Blom) of the 1-based positions m / 2, m = 0 .. 2n + 1: the average
    rank of a tie group is a whole or half position. Read-only, cached per n."""
    scores = special.ndtri((np.arange(2.0 * n + 2.0) / 2.0 - 0.375) / (n + 0.25))
    scores.flags.writeable = False
    return scores


def compiled_rank_diagnostics(draws, probs=(0.05, 0.95)):
    """:func:`rank_diagnostics` of finite draws with an even chain length, plus each median.

    One numpy argsort of every parameter's split draws, then one compiled pass
    (:mod:`._convergence_kernel`). The even length makes the split draws all the
    draws, so the median (``np.median`` over chains and draws) comes from the same sort.

    Returns
    -------
    r_hat, ess_bulk, ess_tail, median : ndarray of shape (k,)
    """
    from ._convergence_kernel import rank_pass

    k = draws.shape[-1]
    split = _split_columns(draws)
    chains, size = split.shape[1], split.shape[1] * split.shape[2]
    rows = split.reshape(k, size)
    order = np.argsort(rows, axis=1)
    index, gamma = np.empty(len(probs), dtype=np.int64), np.empty(len(probs))
    for q, prob in enumerate(probs):  # _type7_quantiles' position of each cut in a sorted row
        aleph = size * prob + (1.0 + prob * (1.0 - 1.0 - 1.0))
        index[q] = int(np.floor(np.clip(aleph, 1, size - 1)))
        gamma[q] = float(np.clip(aleph - index[q], 0.0, 1.0))
    r_hat, bulk, tail, median = (np.full(k, np.nan) for _ in range(4))
    rank_pass(rows, order, chains, _half_position_scores(size), index, gamma, r_hat, bulk, tail, median)
    return r_hat, bulk, tail, median


def rhat_rank(draws):
    """Rank-normalised split R-hat, max of bulk and folded; NaN with < 2 chains or < 4 draws."""
    draws = np.asarray(draws, dtype=float)
    if draws.shape[0] < 2 or draws.shape[1] < _MIN_DRAWS:
        return np.full(draws.shape[-1], np.nan)
    split = _split_columns(draws)
    z_bulk, ordered = _z_scale(split)
    z_folded, _ = _z_scale(_folded(split, ordered))
    return np.maximum(_rhat(z_bulk), _rhat(z_folded))


def ess_bulk(draws):
    """Bulk effective sample size: the ESS of the rank-normalised split chains."""
    draws = np.asarray(draws, dtype=float)
    if draws.shape[1] < _MIN_DRAWS:
        return np.full(draws.shape[-1], np.nan)
    return _ess(_z_scale(_split_columns(draws))[0])


def ess_tail(draws, probs=(0.05, 0.95)):
    """Tail effective sample size: the smaller ESS of the 5% and 95% quantile indicators."""
    draws = np.asarray(draws, dtype=float)
    k = draws.shape[-1]
    if draws.shape[1] < _MIN_DRAWS:
        return np.full(k, np.nan)
    split = _split_columns(draws)
    pooled = np.sort(draws.reshape(-1, k).T, axis=1)
    out = [_ess(split <= cut[:, None, None]) for cut in _type7_quantiles(pooled, probs)]
    return np.minimum(*out)


def _type7_quantiles(ordered, probs):
    """R's type-7 quantile of each sorted row of ``ordered`` (k, N), as ArviZ computes it.

    ``scipy.stats.mstats.mquantiles(alphap=1, betap=1)`` step for step, to the
    last ulp (a draw exactly at the cut counts as below it).
    """
    n = ordered.shape[1]
    cuts = []
    for prob in probs:
        aleph = n * prob + (1.0 + prob * (1.0 - 1.0 - 1.0))
        index = int(np.floor(np.clip(aleph, 1, n - 1)))
        gamma = float(np.clip(aleph - index, 0.0, 1.0))
        cuts.append((1.0 - gamma) * ordered[:, index - 1] + gamma * ordered[:, index])
    return cuts


def _ess(columns):
    """ESS of each row of (k, chain, draw) columns: Geyer's initial monotone sequence estimator."""
    columns = np.asarray(columns, dtype=float)
    k, n_chain, n_draw = columns.shape
    chain_mean = columns.mean(axis=2)
    centred = columns - chain_mean[..., None]
    between = chain_mean.var(axis=1, ddof=1) if n_chain > 1 else np.zeros(k)
    total = n_chain * n_draw
    tau, undefined = np.empty(k), np.zeros(k, dtype=bool)
    # Geyer's sum stops at the first non-positive pair, a few lags in for chains that
    # mix: each column gets the first lags by direct sums, more lags only if its sum
    # runs past them, and the whole FFT only if it runs past _DIRECT_LAGS[-1]
    todo = np.arange(k)
    for lags in (*_DIRECT_LAGS, None):
        if lags is None or lags >= n_draw:
            rho = _autocorrelation(_fft_autocovariance(centred[todo]), n_draw, between[todo])
            done = np.ones(todo.size, dtype=bool)
        else:
            acov = _lagged_products(centred[todo], lags) / n_draw
            rho = _autocorrelation(acov, n_draw, between[todo])
            done = _truncated_within(rho)
        tau[todo[done]] = _geyer_tau(rho[:, done], n_draw)
        undefined[todo[done]] = np.isnan(rho[:, done]).any(axis=0)
        todo = todo[~done]
        if not todo.size:
            break
    spread = columns.max(axis=(1, 2)) - columns.min(axis=(1, 2))
    ess = total / np.maximum(tau, 1.0 / np.log10(total))
    ess[undefined] = np.nan
    ess[spread < np.finfo(float).resolution] = total
    return ess


#: The lags tried by direct sums, in stages (see _ess); the rest by FFT.
_DIRECT_LAGS = (8, 24)


def _fft_autocovariance(centred):
    """All autocovariances of (k, chain, draw) centred columns by FFT -> (k, chain, draw)."""
    n_draw = centred.shape[-1]
    m = fft.next_fast_len(2 * n_draw, real=True)
    spectrum = fft.rfft(centred, n=m, axis=-1)
    power = spectrum.real**2 + spectrum.imag**2
    return fft.irfft(power, n=m, axis=-1)[..., :n_draw] / n_draw


def _lagged_products(centred, lags):
    """sum_s x[s] x[s + t] for t < lags along the last axis of (k, chain, draw) -> (k, chain, lags)."""
    n_draw = centred.shape[-1]
    out = np.empty((*centred.shape[:-1], lags))
    for t in range(lags):
        out[..., t] = np.einsum("...s,...s->...", centred[..., : n_draw - t], centred[..., t:])
    return out


def _autocorrelation(acov, n_draw, between):
    """ArviZ's combined autocorrelation of (k, chain, lag) autocovariances -> (lag, k)."""
    mean_var = acov[..., 0].mean(axis=1) * n_draw / (n_draw - 1.0)
    var_plus = mean_var * (n_draw - 1.0) / n_draw + between
    with np.errstate(divide="ignore", invalid="ignore"):
        return (1.0 - (mean_var[:, None] - acov.mean(axis=1)) / var_plus[:, None]).T


def _truncated_within(rho):
    r"""Whether each column's Geyer sum stops within the lags of ``rho`` (lag, k) -> (k,).

    It stops at the first pair ``m >= 1`` with :math:`\rho_{2m} + \rho_{2m+1} \le 0`,
    or at once when :math:`\rho_0 + \rho_1 \le 0` (``rho_0`` is taken as 1), and
    reads pairs up to that one only; NaN columns are NaN at every lag.
    """
    n_pairs = rho.shape[0] // 2
    if n_pairs < 2:
        return np.zeros(rho.shape[1], dtype=bool)
    sums = rho[: 2 * n_pairs].reshape(n_pairs, 2, -1).sum(axis=1)
    sums[0] = 1.0 + rho[1]
    return (sums[1:] <= 0).any(axis=0) | (sums[0] <= 0) | np.isnan(rho).any(axis=0)


def _geyer_tau(rho, n_draw=None):
    r"""Integrated autocorrelation time per column of ``rho`` (n_draw, k), vectorised.

    ArviZ's loop, restated on pair sums :math:`S_m = \rho_{2m} + \rho_{2m+1}`:
    pairs ``1, 2, ...`` are taken up to and including the first with
    :math:`S_m \le 0` (or the last that fits); Geyer's monotone step replaces
    the pair sums before it by their running minimum; then
    :math:`\tau = -1 + 2 \sum_{m' < m} \min_{l \le m'} S_l + \rho_{2m}^{+}`,
    where the last term is :math:`\rho_{2m}` if it is positive or :math:`S_m \ge 0`.
    """
    lags, k = rho.shape
    n_draw = lags if n_draw is None else n_draw
    n_pairs = len(range(1, n_draw - 3, 2))  # pairs the loop may take: 1 .. n_pairs
    if n_pairs == 0:
        return np.zeros(k)  # nothing taken: tau = -1 + 1
    # with the first lags only (each column stops within them), use the pairs they hold
    n_pairs = min(n_pairs, (lags - 2) // 2)
    pairs = rho[: 2 * n_pairs + 2].reshape(n_pairs + 1, 2, k).copy()
    pairs[0, 0] = 1.0  # the lag-0 autocorrelation is 1 by definition (not its estimate)
    sums = pairs.sum(axis=1)  # S_0 .. S_{n_pairs}
    nonpositive = sums[1:] <= 0
    first = np.where(nonpositive.any(axis=0), nonpositive.argmax(axis=0) + 1, n_pairs)
    taken = np.where(sums[0] > 0, first, 0)  # S_0 <= 0 (rho_1 <= -1) stops before pair 1
    running_min = np.minimum.accumulate(sums, axis=0)
    cumulative = np.concatenate([np.zeros((1, k)), np.cumsum(running_min, axis=0)])
    before = cumulative[taken, np.arange(k)]
    last_even = pairs[taken, 0, np.arange(k)]
    last_sum = sums[taken, np.arange(k)]
    last = np.where((last_even > 0) | (last_sum >= 0), last_even, 0.0)
    return -1.0 + 2.0 * before + last
