"""MAP speed on the diabetes data, each target measured against its reference in one run.

Run: ``.venv/bin/python benchmarks/bench_map.py``.  Times are medians; the
ratios, not the absolute times, are what to compare across machines.
"""

import os
import sys

import numpy as np
from sklearn.linear_model import Lasso, PoissonRegressor, Ridge

import bayesreg as br

sys.path.insert(0, os.path.dirname(__file__))
from _timing import median_time, print_table  # noqa: E402


def main():
    X, y = br.datasets.load_diabetes()
    n = len(y)
    sigma = br.MAPRegressor(br.Normal(1.0)).fit(X, y).sigma_
    scales = np.logspace(-2, 3, 100)
    rows = []

    # 1. ridge path from one SVD vs looping scikit-learn Ridge over the same 100 alphas
    ours = median_time(lambda: br.map_path(X, y, br.Normal(1.0), scales, sigma=sigma), repeat=11)
    alphas = sigma**2 / scales**2
    Xa, ya = X.to_numpy(), y.to_numpy()
    ref = median_time(lambda: [Ridge(alpha=a).fit(Xa, ya) for a in alphas], repeat=11)
    rows.append(_row("100-scale ridge path (map_path)", ours, "loop of 100 sklearn Ridge", ref, ">= 20x faster", ref / ours >= 20))

    # 2. one Laplace MAP fit vs scikit-learn Lasso at the mapped alpha, same tolerance
    prior = br.Laplace(1.0)
    alpha = br.to_penalty(prior, n_samples=n, sigma=sigma)["alpha"]
    ours = median_time(lambda: br.MAPRegressor(prior, sigma=sigma).fit(X, y))
    ref = median_time(lambda: Lasso(alpha=alpha, tol=1e-10, max_iter=100_000).fit(X, y))
    rows.append(_row("Laplace MAP fit (tol=1e-10)", ours, "sklearn Lasso, same alpha, tol", ref, "within 3x", ours / ref <= 3))
    ref_default = median_time(lambda: Lasso(alpha=alpha).fit(X, y))
    rows.append(_row("Laplace MAP fit (tol=1e-10)", ours, "sklearn Lasso, default tol=1e-4", ref_default, "(info)", None))

    # 3. MAP at a new scale, sigma estimated as in the explorer: what a slider step costs
    grid = iter(np.tile(np.logspace(-1, 1.5, 50), 1000))
    ours = median_time(lambda: br.MAPRegressor(br.Laplace(next(grid))).fit(X, y), repeat=51)
    rows.append({
        "measurement": "Laplace MAP at a new scale, sigma=None",
        "ours (ms)": f"{ours * 1e3:.2f}", "reference": "target 20 ms", "ref (ms)": "20.00",
        "ratio": f"{ours / 0.020:.3f} of budget", "target": "< 20 ms median",
        "met": "yes" if ours < 0.020 else "NO",
    })

    # 4. choose_scale with the Bernoulli likelihood (issue 12): 61 scales x 5 folds of logistic MAPs
    Xb, yb = _uneven_logistic_problem()
    ours = median_time(lambda: br.choose_scale(Xb, yb, br.Laplace(1.0), likelihood="bernoulli"), repeat=3)
    rows.append({
        "measurement": "choose_scale bernoulli, Laplace (n=200, p=4)",
        "ours (ms)": f"{ours * 1e3:.0f}", "reference": "target 2 s (main: ~100 s, SAGA)",
        "ref (ms)": "2000", "ratio": f"{ours / 2.0:.3f} of budget", "target": "< 2 s median",
        "met": "yes" if ours < 2.0 else "NO",
    })
    # 5. Poisson MAP (issue 17): Normal prior vs scikit-learn PoissonRegressor at the mapped
    #    alpha (same newton-cholesky tolerance), on counts simulated from the diabetes X
    Xp, yp = _poisson_counts(Xa)
    prior = br.Normal(0.3)
    alpha = br.to_penalty(prior, n_samples=n, likelihood="poisson")["alpha"]
    ours = median_time(lambda: br.MAPRegressor(prior, likelihood="poisson").fit(Xp, yp))
    ref = median_time(lambda: PoissonRegressor(alpha=alpha, solver="newton-cholesky", tol=1e-10,
                                               max_iter=1000).fit(Xp, yp))
    rows.append(_row("Poisson MAP fit, Normal prior", ours, "sklearn PoissonRegressor, same alpha", ref,
                     "within 3x", ours / ref <= 3))
    ours = median_time(lambda: br.MAPRegressor(br.Laplace(0.3), likelihood="poisson").fit(Xp, yp))
    rows.append(_row("Poisson MAP fit, Laplace prior", ours, "(no sklearn Poisson lasso)", ours,
                     "(info)", None))
    print_table(rows, f"bench_map: diabetes (n={n}, p={X.shape[1]}), sigma={sigma:.3f}, medians")


def _poisson_counts(X):
    """Counts with log mean 1 + X @ w on the (standardised) diabetes columns; fixed seed."""
    rng = np.random.default_rng(17)
    w = np.zeros(X.shape[1])
    w[:4] = [0.3, -0.2, 0.4, 0.1]
    return X, rng.poisson(np.exp(1.0 + X @ w))


def _uneven_logistic_problem():
    """n = 200, p = 4, column scales 0.1 .. 100 (the case of issue 12)."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 4)) * np.array([1.0, 10.0, 100.0, 0.1])
    eta = X @ np.array([1.0, -0.05, 0.0, 8.0])
    return X, (rng.uniform(size=200) < 1 / (1 + np.exp(-eta))).astype(int)


def _row(name, ours, ref_name, ref, target, met):
    faster = ref / ours
    return {
        "measurement": name,
        "ours (ms)": f"{ours * 1e3:.3f}",
        "reference": ref_name,
        "ref (ms)": f"{ref * 1e3:.3f}",
        "ratio": f"{faster:.1f}x faster" if faster >= 1 else f"{1 / faster:.2f}x slower",
        "target": target,
        "met": "-" if met is None else ("yes" if met else "NO"),
    }


if __name__ == "__main__":
    main()
