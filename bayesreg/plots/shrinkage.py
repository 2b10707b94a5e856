"""One coefficient, exactly: how the prior moves the least-squares estimate."""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np

from ..model.priors import Laplace, Normal
from ..teaching.shrinkage import OneCoefficientPosterior, shrinkage_curves
from ._families import family_style, short_repr
from ._style import LIKELIHOOD_COLOR, MAP_COLOR, POSTERIOR_COLOR, PRIOR_COLOR, REFERENCE_COLOR

__all__ = ["plot_one_coefficient", "plot_shrinkage_curves"]

# MAP and posterior-mean lines of one prior share its line style; these dash
# patterns interleave, so where the two coincide (always, for a Normal prior)
# both colours stay visible.
_MAP_DASHES = {"--": (0, (5, 5)), "-.": (0, (6, 3, 1, 3))}
_MEAN_DASHES = {"--": (5, (5, 5)), "-.": (5, (6, 3, 1, 3))}


def _new_axes(ax, **fig_kw):
    if ax is None:
        _, ax = plt.subplots(**fig_kw)
    return ax


def plot_shrinkage_curves(se=1.0, *, priors=None, estimates=None, ax=None):
    r"""MAP and posterior mean of one coefficient against its least-squares estimate.

    For a Laplace prior the MAP is soft thresholding (exactly 0 while
    :math:`|z| \le \mathrm{se}^2/s`, then shifted by :math:`\mathrm{se}^2/s`); for a
    Normal prior it is linear shrinkage by :math:`t^2/(t^2 + \mathrm{se}^2)`, which
    is also its posterior mean.  The Laplace posterior mean is smooth and
    never exactly zero.  Values from :func:`bayesreg.teaching.shrinkage.shrinkage_curves`.

    Parameters
    ----------
    se : float, default=1.0
        Standard error of the least-squares estimate.
    priors : sequence of Normal/Laplace/ElasticNet, optional
        Default: ``Normal(scale=1)`` and ``Laplace(scale=1/sqrt(2))``, both of
        variance 1.
    estimates : array-like, optional
        Least-squares estimates on the x axis; default 401 points on
        ``[-5 se, 5 se]``.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
        Lines labelled ``"<prior>: MAP"`` and ``"<prior>: posterior mean"``
        and the identity line ``"least squares (no shrinkage)"``.
    """
    if priors is None:
        priors = (Normal(scale=1.0), Laplace(scale=1.0 / math.sqrt(2.0)))
    if estimates is None:
        estimates = np.linspace(-5.0 * se, 5.0 * se, 401)
    curves = [shrinkage_curves(prior, se, estimates) for prior in priors]
    ax = _new_axes(ax, figsize=(6.0, 5.0))
    z = curves[0].estimates
    ax.plot(z, z, color=REFERENCE_COLOR, linestyle=":", linewidth=1.0,
            label="least squares (no shrinkage)")
    for c in curves:
        style = family_style(c.prior)["linestyle"]
        name = short_repr(c.prior)
        ax.plot(c.estimates, c.map, color=MAP_COLOR, linestyle=_MAP_DASHES.get(style, style),
                label=f"{name}: MAP")
        ax.plot(c.estimates, c.mean, color=POSTERIOR_COLOR,
                linestyle=_MEAN_DASHES.get(style, style), label=f"{name}: posterior mean")
    # a prior with an L1 weight a soft-thresholds: its MAP is exactly 0 while |z| <= se^2 a
    # (the Laplace: se^2/s); the band of the first such prior
    sparse = next((c for c in curves if c.prior.penalty_weights.l1 > 0), None)
    if sparse is not None:
        threshold = se**2 * sparse.prior.penalty_weights.l1
        ax.axvspan(-threshold, threshold, color=MAP_COLOR, alpha=0.08, linewidth=0,
                   label=f"{type(sparse.prior).__name__} MAP exactly 0 "
                         f"(|z| ≤ se² × L1 weight = {threshold:.3g})")
    ax.axhline(0.0, color=REFERENCE_COLOR, linewidth=0.6)
    ax.set_xlabel("least-squares estimate z")
    ax.set_ylabel("estimate of the coefficient")
    ax.set_title(f"Shrinkage of one coefficient (se = {se:g})")
    ax.legend(loc="upper left")
    return ax


def plot_one_coefficient(result, *, ax=None):
    """Likelihood, prior and posterior of one coefficient, with MAP, mean and median.

    Parameters
    ----------
    result : OneCoefficientPosterior
        From :func:`bayesreg.teaching.shrinkage.one_coefficient_posterior`.
    ax : matplotlib Axes, optional
        The legend goes outside, right of the axes (inside it would hide the
        prior's peak or the estimates): leave room for it, e.g. a figure made
        with ``layout="constrained"``.

    Returns
    -------
    matplotlib.axes.Axes
        Curves labelled ``"likelihood"``, ``"prior"``, ``"posterior"``; vertical
        lines labelled ``"MAP = ..."``, ``"posterior mean = ..."``,
        ``"posterior median = ..."`` at the exact values.
    """
    if not isinstance(result, OneCoefficientPosterior):
        raise TypeError(
            "plot_one_coefficient needs the result of "
            f"bayesreg.teaching.shrinkage.one_coefficient_posterior(z, se, prior), got {type(result).__name__}."
        )
    ax = _new_axes(ax, figsize=(8.0, 4.0), layout="constrained")
    w = result.grid
    ax.plot(w, result.likelihood, color=LIKELIHOOD_COLOR, label="likelihood")
    ax.plot(w, result.prior_density, color=PRIOR_COLOR, label="prior")
    ax.plot(w, result.posterior_density, color=POSTERIOR_COLOR, linewidth=2.0, label="posterior")
    ax.fill_between(w, result.posterior_density, color=POSTERIOR_COLOR, alpha=0.15, linewidth=0)
    ax.axvline(result.map, color=MAP_COLOR, linewidth=2.0, label=f"MAP = {result.map:.3g}")
    ax.axvline(result.mean, color=POSTERIOR_COLOR, linestyle="--",
               label=f"posterior mean = {result.mean:.3g}")
    ax.axvline(result.median, color=POSTERIOR_COLOR, linestyle=":",
               label=f"posterior median = {result.median:.3g}")
    ax.set_xlim(w[0], w[-1])
    ax.set_ylim(bottom=0.0)
    ax.set_xlabel("coefficient w")
    ax.set_ylabel("density")
    ax.set_title(f"{short_repr(result.prior)}, least squares z = {result.z:.3g} ± {result.se:.3g}")
    # outside the axes: inside, it would cover the prior's peak or the estimates
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return ax
