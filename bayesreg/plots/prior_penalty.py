"""A prior density next to its penalty: the two faces of one regularizer."""

from __future__ import annotations

import math
import numbers

import matplotlib.pyplot as plt
import numpy as np

from ..model.priors import ElasticNet, Laplace, Normal
from ..teaching.shrinkage import with_variance
from ._families import family_style, short_repr

__all__ = ["plot_prior_and_penalty"]


def plot_prior_and_penalty(variance=1.0, *, axes=None):
    r"""Normal, Laplace and elastic-net densities at equal variance, and their penalties.

    Left: the densities :math:`p(w)`.  Right: the penalties
    :math:`-\log p(w) + \mathrm{const}` (``prior.penalty``, zero at 0): a
    parabola for the Normal, a V for the Laplace (whose kink at 0 is what
    makes MAP estimates exactly zero), and their sum for the elastic net
    (``l1_ratio=0.5``).  The scales giving ``variance`` come from
    :func:`bayesreg.teaching.shrinkage.with_variance` (numerically for the elastic net).

    Parameters
    ----------
    variance : float, default=1.0
        The common prior variance.
    axes : sequence of two matplotlib Axes, optional

    Returns
    -------
    numpy.ndarray of two Axes
        Each line is labelled with its prior, e.g. ``"Laplace(scale=0.707)"``;
        the legend is drawn once, on the penalty panel.
    """
    if isinstance(variance, bool) or not isinstance(variance, numbers.Real) or not (
        math.isfinite(variance) and variance > 0
    ):
        raise ValueError(f"plot_prior_and_penalty: variance must be a positive number, got {variance!r}.")
    priors = [with_variance(p, variance) for p in
              (Normal(scale=1.0), Laplace(scale=1.0), ElasticNet(scale=1.0, l1_ratio=0.5))]
    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=(10.0, 4.0))
    axes = np.asarray(axes).ravel()
    if axes.size != 2:
        raise ValueError(f"plot_prior_and_penalty needs two axes, got {axes.size}.")
    sd = math.sqrt(variance)
    w = np.linspace(-3.5 * sd, 3.5 * sd, 701)
    density_ax, penalty_ax = axes
    for prior in priors:
        style = family_style(prior)
        label = short_repr(prior)
        density_ax.plot(w, np.exp(prior.logpdf(w)), label=label, **style)
        penalty_ax.plot(w, [prior.penalty(v) for v in w], label=label, **style)
    density_ax.set_title(f"Prior density (all with variance {variance:g})")
    density_ax.set_xlabel("coefficient w")
    density_ax.set_ylabel("p(w)")
    density_ax.set_ylim(bottom=0.0)
    penalty_ax.set_title("Penalty = −log p(w) + const")
    penalty_ax.set_xlabel("coefficient w")
    penalty_ax.set_ylabel("penalty(w)")
    penalty_ax.set_ylim(bottom=0.0)
    penalty_ax.legend(loc="upper center")  # one legend: it fits between the arms of the V
    return axes
