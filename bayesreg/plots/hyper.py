"""The posterior of a learned prior scale, and of the penalty it implies."""

from __future__ import annotations

import dataclasses

import numpy as np
from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

from ..model.mapping import to_penalty
from ._style import POSTERIOR_COLOR, PRIOR_COLOR, REFERENCE_COLOR, bayesreg_style

__all__ = ["plot_scale_posterior"]


def _penalty_axis(posterior_model, scale, name):
    """Scale <-> penalty maps for a secondary axis, from :func:`to_penalty` on a grid.

    The Gaussian alpha uses the fixed sigma, or the posterior mean of sigma.
    """
    idata = posterior_model.idata_
    data = idata.constant_data  # the rows, or the sufficient statistics they were fitted on
    n = data["X"].shape[0] if "X" in data else int(data["n_samples"])
    if name == "C":
        kwargs = {"likelihood": "bernoulli"}
    else:
        sigma = posterior_model.sigma if posterior_model.sigma is not None else posterior_model.sigma_
        kwargs = {"n_samples": int(n), "sigma": float(sigma)}
    grid = np.geomspace(scale.min() / 1e3, scale.max() * 1e3, 400)
    family = posterior_model.prior
    values = np.array([
        to_penalty(dataclasses.replace(family, scale=float(s)), **kwargs)[name] for s in grid
    ])
    log_s, log_v = np.log(grid), np.log(values)
    order = np.argsort(log_v)

    def forward(s):
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.exp(np.interp(np.log(np.asarray(s, dtype=float)), log_s, log_v))

    def inverse(v):
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.exp(np.interp(np.log(np.asarray(v, dtype=float)), log_v[order], log_s[order]))

    return forward, inverse


def plot_scale_posterior(posterior_model, *, ax=None, bins=40):
    """Histogram of the posterior of ``scale``, with the implied penalty on a top axis.

    For a model fitted with a hyperprior on the scale (e.g.
    ``Laplace(scale=HalfCauchy(1.0))``), draws the posterior draws of the
    scale on a log axis (posterior colour), the hyperprior density rescaled
    to the histogram (prior colour) and the posterior median (dashed).  The
    top axis reads the same positions as the equivalent scikit-learn penalty
    (``alpha`` for the Gaussian likelihood, ``C`` for the Bernoulli): exact
    when sigma is fixed or the likelihood is Bernoulli; with a learned sigma
    it uses the posterior mean of sigma (the label says so), and the text box
    gives the median of the per-draw ``alpha`` stored in the posterior.

    Parameters
    ----------
    posterior_model : PosteriorRegressor or PosteriorClassifier
        Fitted, with a hierarchical prior (its posterior has ``scale`` and
        ``alpha`` or ``C``).
    ax : matplotlib.axes.Axes, optional
    bins : int, default=40

    Returns
    -------
    matplotlib.axes.Axes
    """
    posterior = getattr(getattr(posterior_model, "idata_", None), "posterior", None)
    if posterior is None or "scale" not in posterior:
        raise ValueError(
            "plot_scale_posterior: the model has no posterior of `scale`; fit it with a "
            "hyperprior on the scale, e.g. Laplace(scale=HalfCauchy(1.0))."
        )
    scale = posterior["scale"].values.ravel()
    name = "C" if "C" in posterior else "alpha"
    penalty = posterior[name].values.ravel()
    forward, inverse = _penalty_axis(posterior_model, scale, name)
    median_scale, median_penalty = float(np.median(scale)), float(np.median(penalty))
    with bayesreg_style():
        if ax is None:
            import matplotlib.pyplot as plt

            _, ax = plt.subplots()
        edges = np.geomspace(scale.min(), scale.max(), bins + 1)
        counts, _, _ = ax.hist(scale, bins=edges, density=True, color=POSTERIOR_COLOR, alpha=0.55,
                               label="posterior of scale")
        hyper = posterior_model.prior.scale
        grid = np.geomspace(edges[0], edges[-1], 200)
        ax.plot(grid, np.exp(hyper.logpdf(grid)), color=PRIOR_COLOR, lw=1.4,
                label=f"prior {hyper!r}")
        ax.axvline(median_scale, color=REFERENCE_COLOR, ls="--", lw=1.2,
                   label=f"posterior median {median_scale:.3g}")
        ax.set_xscale("log")
        ax.set_xlabel(f"prior scale of the {type(posterior_model.prior).__name__} prior (log axis)")
        ax.set_ylabel("posterior density")
        ax.set_title("Posterior of the learned prior scale")
        top = ax.secondary_xaxis(
            "top", functions=(forward, inverse)
        )
        for axis in (ax.xaxis, top.xaxis):
            axis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
            axis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
            axis.set_minor_formatter(NullFormatter())
        approx = "" if ("sigma" not in posterior or name == "C") else " at posterior mean sigma"
        what = "LogisticRegression C" if name == "C" else "scikit-learn alpha"
        top.set_xlabel(f"equivalent {what}{approx}")
        lo, hi = np.quantile(penalty, [0.03, 0.97])
        ax.text(0.98, 0.95,
                f"median {name} = {median_penalty:.3g}\n94% interval [{lo:.3g}, {hi:.3g}]",
                transform=ax.transAxes, ha="right", va="top", fontsize="small")
        ax.legend(loc="upper left", fontsize="x-small")
        ax.set_ylim(0, 1.25 * counts.max())
    return ax
