"""Posterior speed on the diabetes Bayesian lasso (fixed sigma and scale), all samplers in one run.

Run: ``.venv/bin/python benchmarks/bench_posterior.py``.  PyMC's default NUTS is
the reference; ratios measured in the same run are what to compare across
machines.  The first fit of each sampler includes compiling the model; the
refit at a new scale reuses it.
"""

import os
import sys
import time
import warnings

import numpy as np

import bayesreg as br

sys.path.insert(0, os.path.dirname(__file__))
from _timing import median_time, print_table  # noqa: E402

SIGMA = 54.0
DRAWS, TUNE, CHAINS = 1000, 1000, 4


def timed_fit(model, X, y):
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", br.SamplingWarning)  # reported in the table instead
        model.fit(X, y)
    return time.perf_counter() - start


def main():
    X, y = br.datasets.load_diabetes()
    rows, ess_per_s = [], {}
    for sampler in ("pymc", "nutpie"):
        model = br.PosteriorRegressor(
            br.Laplace(1.0), sigma=SIGMA, sampler=sampler, draws=DRAWS, tune=TUNE, chains=CHAINS,
            random_seed=1, progressbar=False,
        )
        first = timed_fit(model, X, y)
        refit = timed_fit(model.set_params(prior=br.Laplace(4.0)), X, y)
        d = model.diagnostics_
        ess_per_s[sampler] = d["min_ess_bulk"] / refit
        rows.append({
            "sampler": sampler,
            "first fit (s)": f"{first:.2f}",
            "refit new scale (s)": f"{refit:.2f}",
            "refit / first": f"{refit / first:.2f}",
            "min bulk ESS": f"{d['min_ess_bulk']:.0f}",
            "ESS/s (refit)": f"{ess_per_s[sampler]:.0f}",
            "vs pymc": f"{ess_per_s[sampler] / ess_per_s['pymc']:.1f}x",
            "divergences": d["divergences"],
        })

    exact = br.PosteriorRegressor(br.Normal(10.0), sigma=SIGMA, sampler="exact", draws=DRAWS,
                                  chains=CHAINS, random_seed=1)
    t_fit = median_time(lambda: exact.fit(X, y), repeat=11, min_time=0.1)
    from bayesreg.posterior.exact import sample_exact

    Xn, yn = X.to_numpy(), y.to_numpy()
    t_draws = median_time(lambda: sample_exact(
        Xn, yn, 10.0, SIGMA, fit_intercept=True, draws=DRAWS, chains=CHAINS, random_seed=1,
        feature_names=list(X.columns)), repeat=11)
    print_table(rows, f"bench_posterior: diabetes Bayesian lasso, Laplace(1) -> Laplace(4), sigma={SIGMA}, "
                      f"{CHAINS} x {DRAWS} draws after {TUNE} tuning")
    print()
    print_table([
        {"measurement": "exact: 4000 closed-form draws (sample_exact)", "median (ms)": f"{t_draws * 1e3:.2f}",
         "target": "< 50 ms", "met": "yes" if t_draws < 0.05 else "NO"},
        {"measurement": "exact: whole fit (draws + R-hat/ESS + log-lik + MAP)", "median (ms)": f"{t_fit * 1e3:.2f}",
         "target": "(info)", "met": "-"},
    ], "exact sampler, Normal(10) prior, diabetes")
    print()
    ratio = ess_per_s["nutpie"] / ess_per_s["pymc"]
    print(f"targets: nutpie ESS/s >= 3x pymc: {ratio:.1f}x -> {'met' if ratio >= 3 else 'NOT met'}; "
          f"nutpie refit < 0.5 x first fit: {rows[1]['refit / first']} -> "
          f"{'met' if float(rows[1]['refit / first']) < 0.5 else 'NOT met'}")


if __name__ == "__main__":
    np.seterr(all="ignore")
    main()
