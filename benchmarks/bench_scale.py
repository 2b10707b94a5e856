"""Time and peak memory of one fit as n grows: n = 1e4 .. 1e7 at p = 20 (``--p 100`` too).

The "nutpie laplace" row samples the Gaussian NUTS model, whose log density is
written from the sufficient statistics: after one O(n p^2) pass for them, each
gradient costs O(p^2). Its two extra columns, measured after the row's fit in
the same process, are that pass alone and a fit on its p x p result (the MAP
and the same NUTS run): the second stays flat in n.

The "chunks -> stats" rows never hold the data: 100,000-row chunks are
generated one at a time, folded into a ``br.SufficientStatistics`` and
dropped, and the estimator is fitted on the statistics (p x p numbers), so
their peak memory stays flat in n (their "data" column is one chunk).

Run: ``.venv/bin/python benchmarks/bench_scale.py [--max-n 1e7] [--p 20] [--dask-n 100000000]
[--dask-logistic 1000000 [--dask-logistic-draws CHAINS,TUNE,DRAWS]] [--dask-only]``.

``--dask-n N`` adds the Dask line: N x 20 rows generated chunk-wise
(``CHUNK_DASK`` rows a block) by the workers of a ``distributed.LocalCluster``
(2 worker processes, 1 thread and ``WORKER_MEMORY`` each), their statistics in one tree reduction
(``SufficientStatistics.from_dask``), then the exact posterior (Normal prior)
and the Gibbs posterior (Laplace prior) on those statistics; time of each step
and the client process's peak RSS (the workers are other processes: the point
is that the rows never come to the client). ``--dask-only`` skips the table
of in-memory fits.

``--dask-logistic N`` adds the logistic Dask line: N x 20 rows and labels of a
logistic model (5 true effects) generated chunk-wise by the workers of the same
kind of cluster and persisted there; ``MAPClassifier(Laplace)`` (proximal
Newton, one pass a step: time and ``n_passes_``), its ``predict`` on the Dask
rows (lazy, computed where the rows live: only the accuracy comes back), and
the Polya-Gamma Gibbs posterior with few draws (``--dask-logistic-draws``,
default 4 chains x (10 tune + 20 draws); one pass a sweep), with the client's
peak RSS.

Each measurement runs in a fresh subprocess, so its peak resident set size
(``resource.getrusage(RUSAGE_SELF).ru_maxrss``) is its own. The table shows
the process's RSS after importing bayesreg and making the data, the peak,
and the fit's increment (peak minus that), against the target: the increment
stays below the size of the data + 300 MB (nothing of size draws x rows).
"""

import importlib
import json
import os
import resource
import subprocess
import sys
import time
import warnings

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from _timing import print_table  # noqa: E402

#: Columns of X: 20, or ``--p P`` (passed on to each measurement's process).
P = int(sys.argv[sys.argv.index("--p") + 1]) if "--p" in sys.argv else 20
SIGMA = 1.0
NS = (10_000, 100_000, 1_000_000, 10_000_000)
#: Largest n of a run without ``--max-n``.
DEFAULT_MAX_N = 1_000_000
KINDS = ("map laplace", "exact normal", "gibbs laplace", "nutpie laplace", "chunks -> stats -> map laplace",
         "chunks -> stats -> gibbs laplace", "map logistic laplace")
#: The logistic model's true effects (on the first 5 columns) and intercept.
LOGISTIC_COEF = np.array([1.0, -0.8, 0.6, 0.4, -0.3])
LOGISTIC_INTERCEPT = -0.5
CHUNK = 100_000
CHUNK_DASK = 500_000  # rows a Dask block: 80 MB of X
#: Memory limit of each of the 2 workers: the blocks in flight stay a few GB on a shared machine.
WORKER_MEMORY = "3GiB"
TARGET_MB = 300


def _rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kB


def _current_rss_mb():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def one(kind, n):
    """Fit once in this process; print a JSON line with the numbers."""
    import bayesreg as br

    rng = np.random.default_rng(0)

    def rows(m):
        X = rng.standard_normal((m, P))
        return X, X[:, :5] @ np.array([2.0, -1.5, 1.0, 0.5, -0.5]) + SIGMA * rng.standard_normal(m)

    if kind.startswith("chunks"):
        return _one_from_chunks(kind, n, rows)
    X, y = rows(n)
    if kind == "map logistic laplace":
        y = _labels(X, rng)
        model = br.MAPClassifier(br.Laplace(0.5))
    elif kind == "map laplace":
        model = br.MAPRegressor(br.Laplace(0.5), sigma=SIGMA)
    elif kind == "exact normal":
        model = br.PosteriorRegressor(br.Normal(1.0), sigma=SIGMA, sampler="exact", random_seed=0,
                                      progressbar=False)
    elif kind == "nutpie laplace":
        model = br.PosteriorRegressor(br.Laplace(0.5), sigma=SIGMA, sampler="nutpie", random_seed=0,
                                      progressbar=False)
    else:
        model = br.PosteriorRegressor(br.Laplace(0.5), sigma=SIGMA, sampler="gibbs", random_seed=0,
                                      progressbar=False)
    # warm: imports and first-call caches, on a small slice
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.fit(X[:200], y[:200])
    before = _current_rss_mb()
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.fit(X, y)
        if not kind.startswith("map"):
            model.predict(X, return_std=True)
    seconds = time.perf_counter() - start
    extra = {}
    if kind == "nutpie laplace":  # the O(n p^2) pass over the rows, then the fit on its result
        start = time.perf_counter()
        stats = br.SufficientStatistics.from_arrays(X, y)
        extra["statistics_seconds"] = time.perf_counter() - start
        start = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model.fit(stats)  # the MAP and the NUTS run on p x p numbers: flat in n
        extra["after_statistics_seconds"] = time.perf_counter() - start
    print(json.dumps({"kind": kind, "n": n, "seconds": seconds, "before_mb": before,
                      "peak_mb": _rss_mb(), "data_mb": (X.nbytes + y.nbytes) / 2**20, **extra}))


def _one_from_chunks(kind, n, rows):
    """Statistics of n rows made CHUNK at a time (never all held), then one fit on them."""
    import bayesreg as br

    if kind.endswith("map laplace"):
        model = br.MAPRegressor(br.Laplace(0.5), sigma=SIGMA)
    else:
        model = br.PosteriorRegressor(br.Laplace(0.5), sigma=SIGMA, sampler="gibbs", random_seed=0,
                                      progressbar=False)
    with warnings.catch_warnings():  # warm, as for the rows
        warnings.simplefilter("ignore")
        model.fit(br.SufficientStatistics.from_arrays(*rows(200)))
    before = _current_rss_mb()
    start = time.perf_counter()
    sizes = [min(CHUNK, n - i) for i in range(0, n, CHUNK)]
    stats = br.SufficientStatistics.from_chunks(rows(m) for m in sizes)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.fit(stats)
    seconds = time.perf_counter() - start
    print(json.dumps({"kind": kind, "n": n, "seconds": seconds, "before_mb": before,
                      "peak_mb": _rss_mb(), "data_mb": min(n, CHUNK) * (P + 1) * 8 / 2**20}))


def _labels(X, rng):
    """0/1 labels of the logistic model at rows X."""
    eta = LOGISTIC_INTERCEPT + X[:, :5] @ LOGISTIC_COEF
    return (rng.uniform(size=X.shape[0]) < 1.0 / (1.0 + np.exp(-eta))).astype(float)


def _logistic_block(block_id=None, *, rows):
    """[X | label] of one Dask block, from a generator seeded by the block's index (on a worker)."""
    rng = np.random.default_rng([20261204, block_id[0]])
    X = rng.standard_normal((rows[block_id[0]], P))
    return np.column_stack([X, _labels(X, rng)])


def dask_logistic_line(n, tune, draws, chains):
    """The logistic Dask line, in this process (the client): MAP, predict, Polya-Gamma Gibbs."""
    import dask.array as da
    from distributed import Client, LocalCluster, wait

    import bayesreg as br

    with warnings.catch_warnings():  # warm the client: imports and first-call caches
        warnings.simplefilter("ignore")
        rng = np.random.default_rng(0)
        X0 = rng.standard_normal((200, P))
        br.MAPClassifier(br.Laplace(0.5)).fit(X0, _labels(X0, rng))
    rows = tuple(min(CHUNK_DASK, n - i) for i in range(0, n, CHUNK_DASK))
    with LocalCluster(n_workers=2, processes=True, threads_per_worker=1, memory_limit=WORKER_MEMORY,
                      dashboard_address=":0") as cluster, Client(cluster) as client:
        times, notes = {}, {}
        start = time.perf_counter()
        client.run(importlib.import_module, "bayesreg")
        times["workers import bayesreg (once)"] = time.perf_counter() - start
        before = _current_rss_mb()
        start = time.perf_counter()
        Z = da.map_blocks(_logistic_block, rows=rows, dtype=float, chunks=(rows, (P + 1,)),
                          meta=np.empty((0, 0)))
        Z = Z.persist()  # the rows stay on the workers; every pass reads them from memory
        wait(Z)
        X, y = Z[:, :P], Z[:, P]
        times["generate and persist the rows"] = time.perf_counter() - start
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            start = time.perf_counter()
            model = br.MAPClassifier(br.Laplace(0.5)).fit(X, y)
            times["MAPClassifier, Laplace"] = time.perf_counter() - start
            notes["MAPClassifier, Laplace"] = (f"{model.n_passes_} passes, {model.n_iter_} Newton "
                                               f"steps")
            start = time.perf_counter()
            labels = model.predict(X)  # lazy: one block per row block
            accuracy = float((labels == y).mean().compute())
            times["MAP predict on Dask rows (accuracy only to the client)"] = time.perf_counter() - start
            notes["MAP predict on Dask rows (accuracy only to the client)"] = f"accuracy {accuracy:.3f}"
            start = time.perf_counter()
            post = br.PosteriorClassifier(br.Laplace(0.5), sampler="gibbs", tune=tune, draws=draws,
                                          chains=chains, random_seed=0, progressbar=False).fit(X, y)
            seconds = time.perf_counter() - start
            passes = 1 + tune + draws + post.map_.n_passes_  # moments, sweeps, the map_ fit
            label = f"Polya-Gamma Gibbs, Laplace ({chains} x ({tune} + {draws}))"
            times[label] = seconds
            notes[label] = f"{passes} passes, {seconds / passes:.2f} s a pass"
    rows = [{"step": label, "n": n, "time (s)": f"{seconds:.1f}", "passes": notes.get(label, ""),
             "client RSS before (MB)": f"{before:.0f}", "client peak RSS (MB)": f"{_rss_mb():.0f}",
             "data (MB, on the workers)": f"{n * (P + 1) * 8 / 2**20:.0f}"}
            for label, seconds in times.items()]
    print_table(rows, f"bench_scale, Dask logistic line: n = {n} x p = {P} generated chunk-wise and "
                      "persisted on a LocalCluster (2 worker processes)")


def dask_line(n):
    """The Dask line, in this process (the client): statistics, exact and Gibbs posteriors."""
    import dask.array as da
    from distributed import Client, LocalCluster

    import bayesreg as br

    with warnings.catch_warnings():  # warm: imports and first-call caches, on tiny statistics
        warnings.simplefilter("ignore")
        rng = np.random.default_rng(0)
        X0 = rng.standard_normal((200, P))
        tiny = br.SufficientStatistics.from_arrays(X0, X0[:, 0] + rng.standard_normal(200))
        for sampler, prior in (("exact", br.Normal(1.0)), ("gibbs", br.Laplace(0.5))):
            br.PosteriorRegressor(prior, sigma=SIGMA, sampler=sampler, progressbar=False).fit(tiny)
    with LocalCluster(n_workers=2, processes=True, threads_per_worker=1, memory_limit=WORKER_MEMORY,
                      dashboard_address=":0") as cluster, Client(cluster) as client:
        rng = da.random.default_rng(0)
        X = rng.standard_normal((n, P), chunks=(CHUNK_DASK, P))
        y = X[:, :5] @ np.array([2.0, -1.5, 1.0, 0.5, -0.5]) + SIGMA * rng.standard_normal(
            n, chunks=CHUNK_DASK)
        start = time.perf_counter()  # a worker's first block task imports bayesreg (and PyMC)
        client.run(importlib.import_module, "bayesreg")
        warm = time.perf_counter() - start
        before = _current_rss_mb()
        start = time.perf_counter()
        stats = br.SufficientStatistics.from_dask(X, y)
        times = {"workers import bayesreg (once)": warm,
                 "statistics (one Dask pass)": time.perf_counter() - start}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for label, sampler, prior in (("exact posterior, Normal", "exact", br.Normal(1.0)),
                                          ("Gibbs posterior, Laplace", "gibbs", br.Laplace(0.5))):
                start = time.perf_counter()
                br.PosteriorRegressor(prior, sigma=SIGMA, sampler=sampler, random_seed=0,
                                      progressbar=False).fit(stats)
                times[label] = time.perf_counter() - start
    rows = [{"step": label, "n": n, "time (s)": f"{seconds:.3f}",
             "client RSS before (MB)": f"{before:.0f}", "client peak RSS (MB)": f"{_rss_mb():.0f}",
             "data (MB, on the workers)": f"{n * (P + 1) * 8 / 2**20:.0f}"}
            for label, seconds in times.items()]
    print_table(rows, f"bench_scale, Dask line: n = {n} x p = {P} generated chunk-wise on a "
                      "LocalCluster (2 worker processes); posteriors 4 x 1000 draws on the statistics")


def main():
    if "--dask-logistic" in sys.argv:
        n = int(float(sys.argv[sys.argv.index("--dask-logistic") + 1]))
        draws = (sys.argv[sys.argv.index("--dask-logistic-draws") + 1]
                 if "--dask-logistic-draws" in sys.argv else "4,10,20")
        subprocess.run([sys.executable, __file__, "--dask-logistic-one", str(n), draws], check=True)
        if "--dask-only" in sys.argv:
            return
    if "--dask-n" in sys.argv:
        dask_n = int(float(sys.argv[sys.argv.index("--dask-n") + 1]))
        subprocess.run([sys.executable, __file__, "--dask-one", str(dask_n)], check=True)
        if "--dask-only" in sys.argv:
            return
    max_n = int(float(sys.argv[sys.argv.index("--max-n") + 1])) if "--max-n" in sys.argv else DEFAULT_MAX_N
    rows = []
    for n in (n for n in NS if n <= max_n):
        for kind in KINDS:
            out = subprocess.run([sys.executable, __file__, "--one", kind, str(n), "--p", str(P)],
                                 capture_output=True, text=True)
            if out.returncode != 0:
                rows.append({"fit": kind, "n": n, "time (s)": "FAILED", "RSS before (MB)": "-",
                             "peak RSS (MB)": "-", "increment (MB)": "-", "data (MB)": "-",
                             "target": "-", "met": out.stderr.strip().splitlines()[-1][:60]})
                continue
            r = json.loads(out.stdout.strip().splitlines()[-1])
            increment = r["peak_mb"] - r["before_mb"]
            rows.append({
                "fit": kind, "n": n, "time (s)": f"{r['seconds']:.2f}",
                "RSS before (MB)": f"{r['before_mb']:.0f}", "peak RSS (MB)": f"{r['peak_mb']:.0f}",
                "increment (MB)": f"{increment:.0f}", "data (MB)": f"{r['data_mb']:.0f}",
                "target": f"< {r['data_mb'] + TARGET_MB:.0f}",
                "met": "yes" if increment < r["data_mb"] + TARGET_MB else "NO",
                "statistics pass (s)": (f"{r['statistics_seconds']:.2f}" if "statistics_seconds" in r
                                        else ""),
                "fit on the statistics (s)": (f"{r['after_statistics_seconds']:.2f}"
                                              if "after_statistics_seconds" in r else ""),
            })
            print(rows[-1], flush=True)
    print()
    print_table(rows, f"bench_scale: one fit (+ predict with return_std for posteriors), p = {P}, "
                      "4 x 1000 draws; increment = peak RSS - RSS after imports and data")


if __name__ == "__main__":
    if "--dask-logistic-one" in sys.argv:
        i = sys.argv.index("--dask-logistic-one")
        chains, tune, draws = (int(v) for v in sys.argv[i + 2].split(","))
        dask_logistic_line(int(sys.argv[i + 1]), tune, draws, chains)
    elif "--dask-one" in sys.argv:
        dask_line(int(sys.argv[sys.argv.index("--dask-one") + 1]))
    elif "--one" in sys.argv:
        i = sys.argv.index("--one")
        one(sys.argv[i + 1], int(sys.argv[i + 2]))
    else:
        main()
