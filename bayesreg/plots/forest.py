"""Forest plot: the posterior interval of every coefficient with its MAP marked."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.lines import Line2D

from ._style import ACCENT_COLORS, MAP_COLOR, POSTERIOR_COLOR, REFERENCE_COLOR, bayesreg_style

__all__ = ["plot_forest"]

_REQUIRED = ("map", "median", "hdi_low", "hdi_high")


def _as_table(comparison_or_table):
    table = getattr(comparison_or_table, "table", comparison_or_table)
    if not isinstance(table, pd.DataFrame):
        raise TypeError(
            "plot_forest: pass a Comparison (from bayesreg.workflow.compare) or a pandas DataFrame "
            f"with columns {list(_REQUIRED)}; got {type(comparison_or_table).__name__}."
        )
    missing = [c for c in _REQUIRED if c not in table.columns]
    if missing:
        raise ValueError(f"plot_forest: the table lacks the column(s) {missing}.")
    return table


def plot_forest(comparison_or_table, *, ax=None, highlight_flags=True):
    """Posterior intervals per coefficient, the posterior median, and the MAP.

    One row per feature, top to bottom in table order: a horizontal bar from
    ``hdi_low`` to ``hdi_high`` and a dot at the ``median`` (posterior colour),
    and a diamond at the ``map`` (MAP colour); a vertical line at zero.  With
    ``highlight_flags`` the labels of rows whose ``flag`` is not empty are
    drawn in an accent colour and their flags listed in the legend.

    Parameters
    ----------
    comparison_or_table : Comparison or pandas.DataFrame
        A :class:`bayesreg.Comparison`, or a table with at least the columns
        ``map``, ``median``, ``hdi_low``, ``hdi_high`` (optionally ``flag``),
        e.g. one computed from reweighted draws.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure when None.
    highlight_flags : bool, default=True

    Returns
    -------
    matplotlib.axes.Axes
    """
    table = _as_table(comparison_or_table)
    hdi_prob = getattr(comparison_or_table, "hdi_prob", None)
    n = len(table)
    rows = np.arange(n)[::-1]  # first feature at the top
    with bayesreg_style():
        if ax is None:
            import matplotlib.pyplot as plt

            _, ax = plt.subplots(figsize=(6.4, 1.2 + 0.35 * max(n, 3)))
        interval = f"{hdi_prob:.0%} HDI" if hdi_prob is not None else "posterior interval"
        ax.axvline(0.0, color=REFERENCE_COLOR, lw=0.8, alpha=0.6, zorder=1)
        ax.hlines(rows, table["hdi_low"], table["hdi_high"], color=POSTERIOR_COLOR, lw=2.5,
                  alpha=0.6, label=interval, zorder=2)
        ax.plot(table["median"], rows, "o", color=POSTERIOR_COLOR, ms=6,
                label="posterior median", zorder=3)
        if np.isfinite(np.asarray(table["map"], dtype=float)).any():  # none: no MAP (horseshoe)
            ax.plot(table["map"], rows, "D", color=MAP_COLOR, ms=6, mfc="white", mew=1.8,
                    label="MAP", zorder=4, gid="map")
        ax.set_yticks(rows, [str(i) for i in table.index])
        ax.set_ylim(-0.7, n - 0.3)
        ax.grid(axis="y", visible=False)
        ax.set_xlabel("coefficient")
        ax.set_title("MAP and posterior of each coefficient")
        handles, labels = ax.get_legend_handles_labels()
        if highlight_flags and "flag" in table.columns:
            flags = table["flag"].fillna("").astype(str).to_numpy()
            kinds = [f for f in dict.fromkeys(flags) if f]
            colour = {f: ACCENT_COLORS[i % len(ACCENT_COLORS)] for i, f in enumerate(kinds)}
            for label, flag in zip(ax.get_yticklabels(), flags):
                if flag:
                    label.set_color(colour[flag])
                    label.set_fontweight("bold")
            for flag in kinds:
                handles.append(Line2D([], [], ls="", marker="s", color=colour[flag]))
                labels.append(f"flag: {flag}")
        ax.legend(handles, labels, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return ax
