"""What a posterior fit costs beyond its draws (diabetes, sigma fixed, 4 x 1000 draws).

Run: ``.venv/bin/python benchmarks/bench_fit_overhead.py [--before /path/to/other/clone]``.

Two targets, as ratios measured in one run:

* ``sampler="exact"`` (Normal(10)): the whole ``fit`` within 10x of a plain
  ten-line numpy conjugate sampler drawing the same 4000 draws;
* ``sampler="gibbs"`` (Laplace(4)): the whole ``fit``'s ESS/s at least 25x
  nutpie's, at 2 and at 4 chains. nutpie is timed twice: its sampling call alone
  (compiled model reused; nothing of bayesreg's) and its whole refit. Each
  sampler's ESS/s is its min bulk ESS averaged over five seeds over its median
  wall time (one seed's ESS moves the ratio by about 10%); the Gibbs fit is
  timed without reading ``idata_``, which is assembled on first access.

The breakdown times the pieces of a fit one by one. "MAP cached" is a refit
of the same model on the same data; "MAP solved" clears the MAP cache first.
``--before PATH`` first runs this script on another clone (e.g. main) in a
subprocess, so the before and after numbers come from the same run.
``--exact-only`` skips the Gibbs/nutpie table (no PyMC compile: seconds).
"""

import functools
import os
import subprocess
import sys
import time
import warnings

import numpy as np
from scipy import linalg

import bayesreg as br

sys.path.insert(0, os.path.dirname(__file__))
from _timing import median_time, print_table  # noqa: E402

SIGMA = 54.0
DRAWS, TUNE = 1000, 1000
SEEDS = range(3, 8)  # five seeds per sampler and chain count


def numpy_conjugate_sampler(X, y, scale, sigma, draws, rng):
    """The reference: the conjugate posterior in ten lines of numpy/scipy."""
    n, p = X.shape
    xm, ym = X.mean(axis=0), y.mean()
    Xc, yc = X - xm, y - ym
    precision = Xc.T @ Xc / sigma**2 + np.eye(p) / scale**2
    chol = linalg.cholesky(precision, lower=True)
    mean = linalg.cho_solve((chol, True), Xc.T @ yc / sigma**2)
    coef = mean + linalg.solve_triangular(chol, rng.standard_normal((p, draws)), lower=True, trans="T").T
    intercept = ym + sigma / np.sqrt(n) * rng.standard_normal(draws) - coef @ xm
    return coef, intercept


def quiet(func):
    def run():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", br.SamplingWarning)
            return func()
    return run


def clear_map_cache():
    try:
        from bayesreg.posterior import _map_cache
    except ImportError:  # a clone without the cache solves the MAP on every fit anyway
        return
    _map_cache._cache.clear()


def exact_rows(X, y):
    from bayesreg.posterior._results import inference_data
    from bayesreg.posterior.diagnostics import compute_diagnostics
    from bayesreg.posterior.exact import sample_exact

    Xn, yn = X.to_numpy(), y.to_numpy()
    names = list(X.columns)
    model = br.PosteriorRegressor(br.Normal(10.0), sigma=SIGMA, sampler="exact", draws=DRAWS, chains=4,
                                  random_seed=1, progressbar=False)
    rng = np.random.default_rng(0)
    t_numpy = median_time(lambda: numpy_conjugate_sampler(Xn, yn, 10.0, SIGMA, 4 * DRAWS, rng), repeat=31)
    t_cached = median_time(quiet(lambda: model.fit(X, y)), repeat=21, min_time=0.05)
    t_cold = median_time(quiet(lambda: (clear_map_cache(), model.fit(X, y))), repeat=21, min_time=0.05)
    draw = lambda: sample_exact(Xn, yn, 10.0, SIGMA, fit_intercept=True, draws=DRAWS, chains=4,  # noqa: E731
                                random_seed=1, feature_names=names)
    posterior = draw()
    pieces = {
        "draws (sample_exact)": median_time(draw, repeat=21),
        "R-hat/ESS (compute_diagnostics)": median_time(
            lambda: compute_diagnostics(posterior, None, ["intercept", "coef"]), repeat=21),
        "InferenceData (on first access)": median_time(
            lambda: inference_data(posterior, None, Xn, yn, sampler="exact"), repeat=21),
        "MAP solve (_fit_map)": median_time(lambda: model._fit_map(Xn, yn), repeat=21),
    }
    rows = [{"exact, Normal(10)": "numpy conjugate sampler (reference)", "ms": f"{t_numpy * 1e3:.2f}",
             "x numpy": "1.0"}]
    rows += [{"exact, Normal(10)": name, "ms": f"{t * 1e3:.2f}", "x numpy": f"{t / t_numpy:.1f}"}
             for name, t in pieces.items()]
    rows += [
        {"exact, Normal(10)": "whole fit, MAP solved", "ms": f"{t_cold * 1e3:.2f}", "x numpy": f"{t_cold / t_numpy:.1f}"},
        {"exact, Normal(10)": "whole fit, MAP cached (target <= 10x)", "ms": f"{t_cached * 1e3:.2f}",
         "x numpy": f"{t_cached / t_numpy:.1f}"},
    ]
    return rows, t_cached / t_numpy


def min_bulk_ess(posterior):
    from bayesreg.posterior._convergence import ess_bulk

    draws = np.concatenate([posterior["coef"].values, posterior["intercept"].values[..., None]], axis=-1)
    return float(np.nanmin(ess_bulk(draws)))


def timed(func, repeat):
    times, out = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        out = func()
        times.append(time.perf_counter() - start)
    return float(np.median(times)), out


def sampler_runs(X, y, chains, seeds):
    """Each sampler's wall times and min bulk ESS, one entry per seed."""
    from bayesreg.posterior.model import ModelSpec, model_data
    from bayesreg.posterior.samplers import sample_nuts

    prior = br.Laplace(4.0)
    spec = ModelSpec.create("gaussian", prior, SIGMA, True, list(X.columns))
    data = model_data(spec, prior, SIGMA, X.to_numpy(), y.to_numpy())

    def estimator(sampler, seed):
        return br.PosteriorRegressor(prior, sigma=SIGMA, sampler=sampler, draws=DRAWS, tune=TUNE,
                                     chains=chains, random_seed=seed, progressbar=False)

    def call(seed):
        return sample_nuts(spec, data, sampler="nutpie", draws=DRAWS, tune=TUNE, chains=chains,
                           random_seed=seed, progressbar=False, target_accept=0.8)[0]

    def nutpie_fit(seed):
        return estimator("nutpie", seed).fit(X, y).idata_.posterior

    quiet(lambda: nutpie_fit(0))()  # compile once
    quiet(lambda: estimator("gibbs", 0).fit(X, y))()  # warm (and the MAP cached, as on any refit)
    runs = {"nutpie sampling call": ([], []), "nutpie whole fit": ([], []), "gibbs whole fit": ([], [])}

    def record(name, t, posterior):
        runs[name][0].append(t)
        runs[name][1].append(min_bulk_ess(posterior))

    for seed in seeds:
        record("nutpie sampling call", *timed(quiet(functools.partial(call, seed)), 2))
        record("nutpie whole fit", *timed(quiet(functools.partial(nutpie_fit, seed)), 1))
        gibbs = estimator("gibbs", seed)
        t, _ = timed(quiet(functools.partial(gibbs.fit, X, y)), 5)  # reading idata_ (first access) is not timed
        record("gibbs whole fit", t, gibbs.idata_.posterior)
    return runs


def gibbs_rows(X, y, seeds=SEEDS):
    """ESS/s of each sampler: its min bulk ESS averaged over ``seeds`` (one seed's ESS is noisy:
    about +-10% at 2000 draws), over the median wall time of its calls (all seeds pooled)."""
    rows, ratios = [], {}
    for chains in (2, 4):
        runs = sampler_runs(X, y, chains, seeds)
        times = {name: float(np.median(t)) for name, (t, _) in runs.items()}
        rate = {name: float(np.mean(ess)) / times[name] for name, (_, ess) in runs.items()}
        ratios[chains] = rate["gibbs whole fit"] / rate["nutpie sampling call"]
        for name, (_, ess) in runs.items():
            rows.append({"chains": chains, "diabetes Laplace(4)": name, "s (median)": f"{times[name]:.4f}",
                         "min bulk ESS (mean)": f"{np.mean(ess):.0f}",
                         "min bulk ESS/s": f"{rate[name]:.0f}",
                         "gibbs fit / this": f"{rate['gibbs whole fit'] / rate[name]:.1f}x"})
    return rows, ratios


def main():
    if "--before" in sys.argv:
        other = sys.argv[sys.argv.index("--before") + 1]
        env = dict(os.environ, PYTHONPATH=other)
        print(f"===== before: {other}", flush=True)
        extra = ["--exact-only"] if "--exact-only" in sys.argv else []
        subprocess.run([sys.executable, __file__, *extra], env=env, check=False)
        print(f"\n===== after: {os.path.dirname(os.path.dirname(os.path.abspath(br.__file__)))}", flush=True)
    X, y = br.datasets.load_diabetes()
    rows, exact_ratio = exact_rows(X, y)
    print_table(rows, f"exact sampler, diabetes, sigma={SIGMA}, 4 x {DRAWS} draws (medians)")
    print()
    if "--exact-only" in sys.argv:
        print(f"target: exact whole fit <= 10x numpy sampler: {exact_ratio:.1f}x -> "
              f"{'met' if exact_ratio <= 10 else 'NOT met'}")
        return
    rows, ratios = gibbs_rows(X, y)
    print_table(rows, f"Gibbs vs nutpie, diabetes Laplace(4), sigma={SIGMA}, {DRAWS} draws after {TUNE}, "
                      f"seeds {SEEDS.start}..{SEEDS.stop - 1}")
    print()
    print(f"targets: exact whole fit <= 10x numpy sampler: {exact_ratio:.1f}x -> "
          f"{'met' if exact_ratio <= 10 else 'NOT met'}; gibbs whole fit ESS/s >= 25x nutpie "
          f"(sampling call): " + ", ".join(
              f"{c} chains {r:.1f}x -> {'met' if r >= 25 else 'NOT met'}" for c, r in ratios.items()))


if __name__ == "__main__":
    np.seterr(all="ignore")
    main()
