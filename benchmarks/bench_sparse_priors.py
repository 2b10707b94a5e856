"""The horseshoe+ and the regularized horseshoe: ESS/s, divergences and R-hat (issue 18).

Run: ``.venv/bin/python benchmarks/bench_sparse_priors.py [--skip-wide-nuts] [--only-wide-gibbs]
[--wide-gibbs-draws=N]`` (default 5000 draws per chain for the p = 1000 Gibbs row: the
max R-hat over its 2001 variables is < 1.01 from there; 2500 gave 1.016).
Two data sets, as for the horseshoe rows of ``bench_posterior.py``: the
diabetes data (sigma fixed at 54, the benchmarks' value) and the p > n case
n = 100, p = 1000 (10 informative, noise sd 1, sigma fixed at 1). Target
(issue 18): 0 divergences for NUTS, or Gibbs with R-hat < 1.01. R-hat and ESS
are over every reported variable (``coef``, ``tau``, the local scales
``lambda``, the slab scale ``c``); ESS/s is the minimum bulk ESS over the
coefficients divided by the whole fit's time (compilation included for nutpie:
the first fit of a session pays it).
"""

import os
import sys
import time
import warnings

import numpy as np

import bayesreg as br

sys.path.insert(0, os.path.dirname(__file__))
from _timing import print_table

CHAINS = 4
SIGMA_DIABETES = 54.0


def run(label, prior, sampler, X, y, sigma, draws, tune):
    from bayesreg.posterior._convergence import ess_bulk

    model = br.PosteriorRegressor(prior, sigma=sigma, sampler=sampler, draws=draws, tune=tune, chains=CHAINS,
                                  random_seed=4, progressbar=False)
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", br.SamplingWarning)  # reported in the table instead
        model.fit(X, y)
    seconds = time.perf_counter() - start
    d = model.diagnostics_
    worst = _worst_variable(model.idata_.posterior)
    coef_ess = float(np.nanmin(ess_bulk(model.idata_.posterior["coef"].values)))
    nuts = sampler != "gibbs"
    met = d["divergences"] == 0 if nuts else d["max_r_hat"] < 1.01
    row = {"data": label, "prior": repr(prior), "sampler": sampler, "draws": f"{CHAINS}x{draws}+{tune}",
           "fit (s)": f"{seconds:.1f}", "divergences": d["divergences"], "max R-hat": f"{d['max_r_hat']:.3f}", "worst": worst,
           "min ESS (all)": f"{d['min_ess_bulk']:.0f}", "min ESS (coef)": f"{coef_ess:.0f}",
           "ESS/s (coef)": f"{coef_ess / seconds:.1f}",
           "target": "0 divergences" if nuts else "R-hat < 1.01", "met": "yes" if met else "NO"}
    print(row, flush=True)
    return row


def _worst_variable(posterior):
    """The variable (and index) with the largest R-hat: where the chain mixes slowest."""
    from bayesreg.posterior._convergence import rhat_rank

    best, name = -np.inf, ""
    for var in ("coef", "tau", "lambda", "c"):
        if var not in posterior:
            continue
        values = posterior[var].values
        r_hat = rhat_rank(values.reshape(values.shape[0], values.shape[1], -1))
        j = int(np.nanargmax(r_hat))
        if r_hat[j] > best:
            best, name = r_hat[j], var if values.ndim == 2 else f"{var}[{j}]"
    return name


def _option(name, default):
    for arg in sys.argv[1:]:
        if arg.startswith(f"--{name}="):
            return int(arg.split("=", 1)[1])
    return default


def main():
    np.seterr(all="ignore")
    X, y = br.datasets.load_diabetes()
    Xw, yw, _ = br.datasets.make_sparse_regression(
        n_samples=100, n_features=1000, n_informative=10, noise=1.0, random_state=0
    )
    plus, regularized = br.HorseshoePlus(1.0), br.RegularizedHorseshoe(1.0)
    wide_draws = _option("wide-gibbs-draws", 5000)
    wide_gibbs = ("n=100, p=1000", plus, "gibbs", Xw, yw, 1.0, wide_draws, max(500, wide_draws // 10))
    configs = [
        ("diabetes", plus, "gibbs", X, y, SIGMA_DIABETES, 10000, 1000),
        ("diabetes", plus, "nutpie", X, y, SIGMA_DIABETES, 1000, 1000),
        ("diabetes", regularized, "nutpie", X, y, SIGMA_DIABETES, 1000, 1000),
        wide_gibbs,
    ]
    if "--only-wide-gibbs" in sys.argv:
        configs = [wide_gibbs]
    elif "--skip-wide-nuts" not in sys.argv:
        configs += [("n=100, p=1000", plus, "nutpie", Xw, yw, 1.0, 1000, 1000),
                    ("n=100, p=1000", regularized, "nutpie", Xw, yw, 1.0, 1000, 1000)]
    rows = [run(*config) for config in configs]
    print_table(rows, "horseshoe+ and regularized horseshoe (issue 18)")


if __name__ == "__main__":
    main()
