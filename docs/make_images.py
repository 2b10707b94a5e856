"""Render every bayesreg plot once into docs/_static/images/<name>.png (diabetes data etc.).

Each ``image_<name>()`` draws one figure and returns it; ``main()`` renders
them with the bayesreg style.  Add a plot by adding a function.  Run from the
repository root:

    python docs/make_images.py            # all images
    python docs/make_images.py shrinkage  # only those whose name contains "shrinkage"
"""

from __future__ import annotations

import functools
import math
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

import bayesreg as br  # noqa: E402
from bayesreg import plots  # noqa: E402
from bayesreg.teaching.shrinkage import one_coefficient_posterior  # noqa: E402

OUT = Path(__file__).resolve().parent / "_static" / "images"
SIGMA = 54.0  # the diabetes noise sd (estimate_sigma gives 54.15)
SEED = 20261123


@functools.cache
def diabetes():
    return br.datasets.load_diabetes()


@functools.cache
def lasso_pair():
    X, y = diabetes()
    prior = br.Laplace(scale=1.0)
    map_model = br.MAPRegressor(prior, sigma=SIGMA).fit(X, y)
    posterior = br.PosteriorRegressor(prior, sigma=SIGMA, draws=1000, chains=4,
                                      random_seed=SEED, progressbar=False).fit(X, y)
    return map_model, posterior


# ---------------------------------------------------------------------- images
def image_forest():
    comparison = br.compare(*lasso_pair(), practical_zero=1.0)
    with plots.bayesreg_style():
        ax = comparison.plot()
    return ax.figure


def image_regularization_path():
    X, y = diabetes()
    prior = br.Laplace(scale=1.0)
    scales = np.geomspace(0.02, 300, 60)
    mp = br.map_path(X, y, prior, scales, sigma=SIGMA)
    pp = br.posterior_path(X, y, prior, np.geomspace(0.05, 200, 9), sigma=SIGMA,
                           random_seed=SEED)
    chosen = br.choose_scale(X, y, prior, "all", sigma=SIGMA, random_seed=SEED)
    with plots.bayesreg_style():
        ax = plots.plot_regularization_path(mp, pp, chosen_scales=chosen, current_scale=1.0)
    return ax.figure


def image_ridge_path():
    X, y = diabetes()
    prior = br.Normal(scale=1.0)
    scales = np.geomspace(0.05, 1000, 60)
    mp = br.map_path(X, y, prior, scales, sigma=SIGMA)
    pp = br.posterior_path(X, y, prior, np.geomspace(0.1, 500, 10), sigma=SIGMA,
                           draws=1000, random_seed=SEED)
    chosen = br.choose_scale(X, y, prior, "all", sigma=SIGMA, random_seed=SEED)
    with plots.bayesreg_style():
        ax = plots.plot_regularization_path(mp, pp, chosen_scales=chosen)
    return ax.figure


def image_scale_posterior():
    X, y = diabetes()
    model = br.PosteriorRegressor(br.Laplace(scale=br.HalfCauchy(1.0)), sigma=SIGMA,
                                  draws=1000, chains=4, random_seed=SEED,
                                  progressbar=False).fit(X, y)
    with plots.bayesreg_style():
        ax = plots.plot_scale_posterior(model)
    return ax.figure



# ---------------------------------------------------------------------- teaching images
def _constraint_problem():
    """Two correlated features, least squares ~ (2, 0.4): the lasso lands on a corner."""
    rng = np.random.default_rng(4)
    X = rng.multivariate_normal([0.0, 0.0], [[1.0, 0.7], [0.7, 1.0]], size=200)
    y = X @ np.array([2.0, 0.4]) + rng.normal(scale=1.0, size=200)
    return X, y


def image_scale_to_penalty():
    X, y = br.datasets.load_diabetes()
    ax = plots.plot_scale_to_penalty(len(y), 54.0, y_sd=float(y.std(ddof=0)))
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
