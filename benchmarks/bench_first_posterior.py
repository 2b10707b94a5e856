"""A learner's first posterior: the default sampler against nutpie, each in a fresh process.

Run: ``.venv/bin/python benchmarks/bench_first_posterior.py [word ...]`` (from the
repository root, with the Makefile's ``PYTENSOR_FLAGS``); words select the rows
whose "prior likelihood" contains them all, e.g. ``Laplace bernoulli``. Issue 22: ``PosteriorRegressor(
Laplace(5.0)).fit(X, y)`` on the diabetes data spent 7.6-16.8 s compiling nutpie
before its first draw; ``sampler="auto"`` (the default) now runs the exact or
Gibbs sampler wherever one covers the model.

Every configuration (prior x likelihood) is fitted twice, each time in a new
Python process: with the default sampler and with ``sampler="nutpie"``. Both
processes start with warm on-disk caches (PyTensor's compiledir, numba's
``cache=True`` kernels), as a second kernel on the same machine would: the
first run of the whole script warms them. "fit" is the first ``fit`` call in the
process (4 chains x 1000 draws, 1000 tune, the defaults); "import" is
``import bayesreg``, paid by both. Where the default is nutpie itself the nutpie
column repeats it. The outside figure: R's rstanarm, which ships precompiled
Stan models, fits the Gaussian model (4 x 2000 draws) in about 3 s.

Target: the default's first fit under one fifth of nutpie's wherever a Gibbs or
exact scheme exists. The machine may be shared: compare ratios from one run.
"""

import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
from _timing import print_table  # noqa: E402

RSTANARM_SECONDS = 3.0
TARGET_RATIO = 0.2

#: (label, prior expression, likelihood, sigma): the issue's four priors, both likelihoods.
CONFIGS = [
    ("Normal(5), sigma learned", "br.Normal(5.0)", "gaussian", None),
    ("Normal(5), sigma=54", "br.Normal(5.0)", "gaussian", 54.0),
    ("Laplace(5)", "br.Laplace(5.0)", "gaussian", None),
    ("ElasticNet(5, 0.5)", "br.ElasticNet(5.0, 0.5)", "gaussian", None),
    ("Horseshoe(1)", "br.Horseshoe(1.0)", "gaussian", None),
    ("Normal(1)", "br.Normal(1.0)", "bernoulli", None),
    ("Laplace(1)", "br.Laplace(1.0)", "bernoulli", None),
    ("ElasticNet(1, 0.5)", "br.ElasticNet(1.0, 0.5)", "bernoulli", None),
    ("Horseshoe(1)", "br.Horseshoe(1.0)", "bernoulli", None),
]

#: Run in the fresh process: import, data, one fit; prints one JSON line.
CHILD = """
import json, sys, time, warnings
start = time.perf_counter()
import bayesreg as br
imported = time.perf_counter()
prior, likelihood, sigma, sampler = eval(sys.argv[1]), sys.argv[2], json.loads(sys.argv[3]), sys.argv[4]
X, y = br.datasets.load_diabetes()
kwargs = dict(sampler=sampler, random_seed=1, progressbar=False)
if likelihood == "gaussian":
    model = br.PosteriorRegressor(prior, sigma=sigma, **kwargs)
else:
    y = (y > y.median()).astype(int)
    model = br.PosteriorClassifier(prior, **kwargs)
began = time.perf_counter()
with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # diagnostics are not what is timed here
    model.fit(X, y)
done = time.perf_counter()
print(json.dumps({"import": imported - start, "fit": done - began, "sampler": model.sampler_}))
"""


def first_fit(prior, likelihood, sigma, sampler):
    """Import and first-fit seconds, and the sampler that ran, from a new Python process."""
    out = subprocess.run(
        [sys.executable, "-c", CHILD, prior, likelihood, json.dumps(sigma), sampler],
        capture_output=True, text=True,
    )
    if out.returncode:
        raise RuntimeError(f"{prior} {likelihood} sampler={sampler!r} failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(words):
    """Every configuration, or those whose "label likelihood" contains all ``words``."""
    rows = []
    for label, prior, likelihood, sigma in CONFIGS:
        if not all(word in f"{label} {likelihood}" for word in words):
            continue
        default = first_fit(prior, likelihood, sigma, "auto")
        nutpie = default if default["sampler"] == "nutpie" else first_fit(prior, likelihood, sigma, "nutpie")
        ratio = default["fit"] / nutpie["fit"]
        has_scheme = default["sampler"] != "nutpie"
        rows.append({
            "prior": label,
            "likelihood": likelihood,
            "default sampler": default["sampler"],
            "default fit (s)": f"{default['fit']:.2f}",
            "nutpie fit (s)": f"{nutpie['fit']:.2f}",
            "ratio": f"{ratio:.3f}",
            "target met": ("yes" if ratio < TARGET_RATIO else "NO") if has_scheme else "n/a (nutpie)",
            "import (s)": f"{default['import']:.1f}",
        })
        print(json.dumps(rows[-1]), file=sys.stderr, flush=True)
    print_table(rows, "first posterior in a fresh process (warm caches), diabetes data, 4 x 1000 draws")
    print(f"\nOutside figure: rstanarm (precompiled Stan), 4 x 2000 draws: ~{RSTANARM_SECONDS:.0f} s.")


if __name__ == "__main__":
    main(sys.argv[1:])
