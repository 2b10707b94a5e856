"""Render every bayesreg plot once into docs/_static/images/<name>.png.

Each ``image_<name>()`` draws one figure and returns it; ``main()`` renders
them all with the bayesreg style.  Run from the repository root:

    python docs/make_images.py            # all images
    python docs/make_images.py shrinkage  # only those whose name contains "shrinkage"
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

import bayesreg as br  # noqa: E402
from bayesreg import plots  # noqa: E402
from bayesreg.shrinkage import one_coefficient_posterior  # noqa: E402

OUT = Path(__file__).resolve().parent / "_static" / "images"


def _constraint_problem():
    """Two correlated features, least squares ~ (2, 0.4): the lasso lands on a corner."""
    rng = np.random.default_rng(4)
    X = rng.multivariate_normal([0.0, 0.0], [[1.0, 0.7], [0.7, 1.0]], size=200)
    y = X @ np.array([2.0, 0.4]) + rng.normal(scale=1.0, size=200)
    return X, y


def image_scale_to_penalty():
    X, y = br.datasets.load_diabetes()
    ax = plots.plot_scale_to_penalty(len(y), 54.0)
    return ax.figure


def image_prior_and_penalty():
    axes = plots.plot_prior_and_penalty(1.0)
    return axes[0].figure


def image_constraint_regions():
    X, y = _constraint_problem()
    axes = plots.plot_constraint_regions(X, y, budget=1.2)
    return axes[0].figure


def image_shrinkage_curves():
    ax = plots.plot_shrinkage_curves(1.0)
    return ax.figure


def image_one_coefficient():
    fig, axes = plt.subplots(2, 1, figsize=(8.0, 7.5), layout="constrained")
    plots.plot_one_coefficient(one_coefficient_posterior(1.2, 1.0, br.Laplace(scale=1 / math.sqrt(2))), ax=axes[0])
    plots.plot_one_coefficient(one_coefficient_posterior(3.0, 1.0, br.Laplace(scale=1 / math.sqrt(2))), ax=axes[1])
    return fig


IMAGES = {name[len("image_"):]: f for name, f in sorted(globals().items()) if name.startswith("image_")}


def main(argv=None):
    wanted = (sys.argv[1:] if argv is None else argv) or [""]
    OUT.mkdir(parents=True, exist_ok=True)
    for name, make in IMAGES.items():
        if not any(w in name for w in wanted):
            continue
        with plots.bayesreg_style():
            fig = make()
            path = OUT / f"{name}.png"
            fig.savefig(path)
            plt.close(fig)
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
