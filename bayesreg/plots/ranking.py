"""Variable ranking: the features ordered by posterior evidence of an effect."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ._style import ACCENT_COLORS, POSTERIOR_COLOR, REFERENCE_COLOR, bayesreg_style

__all__ = ["plot_variable_ranking"]

_REQUIRED = ("p_sign", "p_outside_zero_band", "rank")
_COEF_ROW = re.compile(r"^coef\[(.*)\]$")


def _ranking_table(table_or_model):
    """The rows with a rank, indexed by feature name, from a table, a Comparison or a model."""
    if isinstance(table_or_model, pd.DataFrame):
        table = table_or_model
    elif isinstance(getattr(table_or_model, "table", None), pd.DataFrame):
        table = table_or_model.table  # a Comparison
    elif callable(getattr(table_or_model, "summary", None)):
        table = table_or_model.summary()  # a fitted posterior estimator: reads its draws
    else:
        raise TypeError(
            "plot_variable_ranking: pass a fitted PosteriorRegressor/PosteriorClassifier, a "
            "Comparison (bayesreg.compare) or a DataFrame with the columns "
            f"{list(_REQUIRED)} (its summary() or compare(...).table); got "
            f"{type(table_or_model).__name__}."
        )
    missing = [c for c in _REQUIRED if c not in table.columns]
    if missing:
        raise ValueError(
            f"plot_variable_ranking: the table lacks the column(s) {missing}; use the "
            "table of summary() or compare(...).table, which have them."
        )
    table = table[table["rank"].notna()]
    names = [_COEF_ROW.sub(r"\1", str(name)) for name in table.index]  # summary's coef[x] rows
    return table.set_axis(names).sort_values("rank")


def plot_variable_ranking(table_or_model, ax=None):
    """Features from the strongest posterior evidence of an effect (top) to the weakest.

    One row per feature in ``rank`` order: a bar of ``p_outside_zero_band``
    (the posterior probability of lying outside the practical-zero band), a
    dot at ``p_sign`` (the probability of the more probable sign) and, where
    the prior has inclusion indicators, a diamond at ``p_inclusion``.  A
    dotted line marks 0.5.  The ranking rule is that of
    :mod:`bayesreg.posterior._ranking`.

    Parameters
    ----------
    table_or_model : PosteriorRegressor, PosteriorClassifier, Comparison or pandas.DataFrame
        A fitted posterior (its ``summary()`` is used), a
        :class:`bayesreg.Comparison`, or a table with the columns ``p_sign``,
        ``p_outside_zero_band`` and ``rank`` (rows without a rank are skipped).
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure when None.

    Returns
    -------
    matplotlib.axes.Axes
    """
    table = _ranking_table(table_or_model)
    n = len(table)
    rows = np.arange(n)[::-1]  # rank 1 at the top
    with bayesreg_style():
        if ax is None:
            import matplotlib.pyplot as plt

            _, ax = plt.subplots(figsize=(6.4, 1.2 + 0.35 * max(n, 3)))
        ax.barh(rows, table["p_outside_zero_band"], color=POSTERIOR_COLOR, alpha=0.6,
                label="P(outside practical-zero band)")
        ax.plot(table["p_sign"], rows, "o", color=REFERENCE_COLOR, label="P(sign)")
        if "p_inclusion" in table.columns:
            ax.plot(table["p_inclusion"], rows, "D", color=ACCENT_COLORS[0],
                    label="P(inclusion)")
        ax.axvline(0.5, color=REFERENCE_COLOR, linestyle=":", linewidth=1)
        ax.set_yticks(rows, [f"{int(r)}. {name}" for r, name in zip(table["rank"], table.index)])
        ax.set_xlim(0.0, 1.02)
        ax.set_xlabel("posterior probability")
        ax.set_title("Variable ranking by posterior evidence")
        ax.legend(loc="lower right")
    return ax
