"""Render every bayesreg plot into docs/_static/images/ on the diabetes data.

Run from the repository root:  python docs/make_images.py [name ...]

Each ``image_<name>()`` draws one figure and returns it; ``main()`` saves it as
``<name>.png``.  Add a plot by adding a function.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

import bayesreg as br  # noqa: E402
from bayesreg import plots  # noqa: E402

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


IMAGES = {name[len("image_"):]: f for name, f in globals().items() if name.startswith("image_")}


def main(names=()):
    OUT.mkdir(parents=True, exist_ok=True)
    for name in names or IMAGES:
        figure = IMAGES[name]()
        path = OUT / f"{name}.png"
        with plots.bayesreg_style():
            figure.savefig(path)
        plt.close(figure)
        print(f"wrote {path}")


if __name__ == "__main__":
    main(sys.argv[1:])
