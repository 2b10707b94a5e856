"""Posterior inclusion probabilities of a spike-and-slab fit, one bar per feature."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._style import POSTERIOR_COLOR, REFERENCE_COLOR, bayesreg_style
from .ranking import _ranking_table

__all__ = ["plot_inclusion_probabilities"]


def plot_inclusion_probabilities(table_or_model, ax=None, threshold=0.5):
    """Bars of :math:`P(\\gamma_j = 1 \\mid y)`, the posterior inclusion probability of each feature.

    Features from the most probably included (top) down. The dotted line at
    ``threshold`` (0.5) marks the median probability model of Barbieri & Berger
    (2004): the features whose bars cross it.

    Parameters
    ----------
    table_or_model : PosteriorRegressor, Comparison or pandas.DataFrame
        A fitted posterior whose prior has inclusion indicators (a spike-and-slab;
        its ``summary()`` is used), a :class:`bayesreg.Comparison` of one, or a
        table with the columns ``p_inclusion`` and ``rank``.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure when None.
    threshold : float, default=0.5

    Returns
    -------
    matplotlib.axes.Axes
    """
    table = _ranking_table(table_or_model)
    if "p_inclusion" not in table.columns:
        raise ValueError(
            "plot_inclusion_probabilities: the table has no p_inclusion column: only a prior "
            "with inclusion indicators (SpikeAndSlab) has them. Use plot_variable_ranking for "
            "other priors."
        )
    table = table.sort_values("p_inclusion", ascending=False, kind="stable")
    pip = pd.to_numeric(table["p_inclusion"]).to_numpy()
    rows = np.arange(len(table))[::-1]
    with bayesreg_style():
        if ax is None:
            import matplotlib.pyplot as plt

            _, ax = plt.subplots(figsize=(6.4, 1.2 + 0.35 * max(len(table), 3)))
        ax.barh(rows, pip, color=POSTERIOR_COLOR, alpha=0.8)
        ax.axvline(threshold, color=REFERENCE_COLOR, linestyle=":", linewidth=1)
        ax.set_yticks(rows, [str(name) for name in table.index])
        ax.set_xlim(0.0, 1.02)
        ax.set_xlabel("posterior inclusion probability  P(feature in the model | y)")
        ax.set_title("Spike-and-slab: posterior inclusion probabilities")
    return ax
