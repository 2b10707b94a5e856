"""Robust likelihoods on the diabetes data: MAP time per likelihood, Student-t lasso posterior.

Run: ``.venv/bin/python benchmarks/bench_robust.py``.

1. MAP time (median) of the Laplace(1) prior under each regression likelihood,
   sigma fixed at 54 (Gaussian: coordinate descent; Student-t(4): EM of
   weighted lasso steps; Laplace: one linear program, HiGHS), beside
   scikit-learn's QuantileRegressor at the mapped alpha.
2. The Student-t(4) lasso posterior (Laplace(4) prior, learned sigma) on the
   diabetes data with 5% of y moved by +10 sd (gross outliers): Gibbs (the
   scale-mixture sweep) vs nutpie in one run, min bulk ESS per second of the
   whole fit (nutpie's includes its compile, and a warm refit is shown too).
"""

import os
import sys
import time
import warnings

import arviz as az
import numpy as np
from sklearn.linear_model import QuantileRegressor

import bayesreg as br

sys.path.insert(0, os.path.dirname(__file__))
from _timing import median_time, print_table

SIGMA = 54.0
DRAWS, TUNE, CHAINS = 1000, 1000, 4


def map_rows(X, y):
    n, rows = len(y), []
    prior = br.Laplace(1.0)
    for lik in ("gaussian", br.likelihoods.StudentT(df=4.0), "laplace"):
        model = br.MAPRegressor(prior, likelihood=lik, sigma=SIGMA)
        seconds = median_time(lambda m=model: m.fit(X, y), repeat=5)
        rows.append({"likelihood": str(lik), "MAP fit (ms)": f"{1e3 * seconds:.1f}",
                     "n_iter": model.n_iter_})
    alpha = SIGMA / (2 * n * 1.0)
    Xa, ya = X.to_numpy(), y.to_numpy()
    ref = median_time(lambda: QuantileRegressor(quantile=0.5, alpha=alpha, solver="highs").fit(Xa, ya),
                      repeat=5)
    rows.append({"likelihood": "sklearn QuantileRegressor (same alpha)", "MAP fit (ms)": f"{1e3 * ref:.1f}",
                 "n_iter": "-"})
    return rows


def posterior_rows(X, y):
    rng = np.random.default_rng(0)
    y = y.copy()
    bad = rng.choice(len(y), size=int(0.05 * len(y)), replace=False)
    y.iloc[bad] += 10 * y.std()
    rows = []
    for sampler in ("gibbs", "nutpie", "nutpie (warm refit)"):
        model = br.PosteriorRegressor(br.Laplace(4.0), likelihood=br.likelihoods.StudentT(df=4.0),
                                      sampler=sampler.split()[0], draws=DRAWS, tune=TUNE,
                                      chains=CHAINS, random_seed=1, progressbar=False)
        start = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", br.SamplingWarning)
            model.fit(X, y)
        seconds = time.perf_counter() - start
        ess = float(az.ess(model.idata_, var_names=["coef", "sigma"]).to_array().min())
        rows.append({"sampler": sampler, "fit (s)": f"{seconds:.1f}", "min bulk ESS": f"{ess:.0f}",
                     "ESS/s": f"{ess / seconds:.0f}",
                     "sigma mean": f"{float(model.idata_.posterior['sigma'].mean()):.1f}"})
    return rows


def main():
    X, y = br.datasets.load_diabetes()
    print_table(map_rows(X, y), f"bench_robust: MAP time per likelihood, diabetes, Laplace(1), sigma={SIGMA}")
    print()
    print_table(posterior_rows(X, y),
                f"bench_robust: Student-t(4) lasso posterior, Laplace(4), learned sigma, 5% gross "
                f"outliers, {CHAINS} x {DRAWS} draws (+{TUNE} tune)")


if __name__ == "__main__":
    main()
