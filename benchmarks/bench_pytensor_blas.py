"""PyMC's NUTS with PyTensor's BLAS ops linked to scipy's OpenBLAS, or not linked.

Run: ``.venv/bin/python benchmarks/bench_pytensor_blas.py``.

The diabetes Bayesian lasso (Laplace(4), fixed sigma), ``sampler="pymc"``,
fitted in fresh subprocesses that differ only in ``blas__ldflags``:

* ``scipy OpenBLAS``: what bayesreg sets when the user has not set the flag
  (:mod:`bayesreg.posterior._pytensor_blas`);
* ``none (blas__ldflags=)``: the Makefile's and CI's setting before, where
  PyTensor runs its products through numpy calls.

Each subprocess compiles in its own fresh compile directory (so both pay the
cold compile), fits once, then refits ``REFITS`` times; the table shows the
first fit, the median refit and the min bulk ESS per second of refit. The two
settings alternate, so load on a shared machine hits both alike.
"""

import json
import os
import subprocess
import sys
import tempfile

CHILD = r"""
import json, sys, time, warnings
import numpy as np
import bayesreg as br
import pytensor
from bayesreg.posterior._convergence import ess_bulk
X, y = br.datasets.load_diabetes()
model = br.PosteriorRegressor(br.Laplace(4.0), sigma=54.0, sampler="pymc", draws=DRAWS, tune=TUNE,
                              chains=CHAINS, random_seed=1, progressbar=False)
times = []
with warnings.catch_warnings():
    warnings.simplefilter("ignore", br.SamplingWarning)
    for _ in range(1 + REFITS):
        start = time.perf_counter()
        model.fit(X, y)
        times.append(time.perf_counter() - start)
post = model.idata_.posterior
draws = np.concatenate([post["coef"].values, post["intercept"].values[..., None]], axis=-1)
print(json.dumps({"first": times[0], "refit": float(np.median(times[1:])),
                  "ess": float(np.nanmin(ess_bulk(draws))),
                  "ldflags": pytensor.config.blas__ldflags}))
"""

DRAWS, TUNE, CHAINS, REFITS, ROUNDS = 1000, 1000, 2, 2, 2


def run(setting, compiledir):
    flags = f"base_compiledir={compiledir}"
    if setting == "none (blas__ldflags=)":
        flags += ",blas__ldflags="
    env = dict(os.environ, PYTENSOR_FLAGS=flags)
    code = (CHILD.replace("DRAWS", str(DRAWS)).replace("TUNE", str(TUNE))
            .replace("CHAINS", str(CHAINS)).replace("REFITS", str(REFITS)))
    out = subprocess.run([sys.executable, "-c", code], check=False, env=env, capture_output=True, text=True)
    if out.returncode:
        raise RuntimeError(out.stderr[-3000:])
    warned = "could not link to a BLAS" in out.stderr
    return dict(json.loads(out.stdout.strip().splitlines()[-1]), warned=warned)


def main():
    sys.path.insert(0, os.path.dirname(__file__))
    from _timing import print_table

    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for round_ in range(ROUNDS):
            for setting in ("none (blas__ldflags=)", "scipy OpenBLAS"):
                compiledir = os.path.join(tmp, f"{round_}-{setting.split()[0]}")
                results.setdefault(setting, []).append(run(setting, compiledir))
    rows = []
    base = None
    for setting, runs in results.items():
        refit = sorted(r["refit"] for r in runs)[len(runs) // 2]
        first = sorted(r["first"] for r in runs)[len(runs) // 2]
        rate = min(r["ess"] for r in runs) / refit
        base = base or rate
        rows.append({"blas__ldflags": setting, "first fit (s)": f"{first:.2f}",
                     "refit (s, median)": f"{refit:.2f}", "min bulk ESS": f"{runs[0]['ess']:.0f}",
                     "ESS/s (refit)": f"{rate:.0f}", "vs none": f"{rate / base:.2f}x",
                     "BLAS warning": "yes" if any(r["warned"] for r in runs) else "no"})
    print_table(rows, f"pymc NUTS, diabetes Laplace(4), sigma=54, {CHAINS} x {DRAWS} draws after {TUNE}, "
                f"medians of {ROUNDS} fresh processes (cold compile each)")


if __name__ == "__main__":
    main()
