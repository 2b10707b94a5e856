"""The Bayesian regularization path: MAP and posterior over the prior scale."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from ._style import ACCENT_COLORS, MAP_COLOR, POSTERIOR_COLOR, REFERENCE_COLOR, bayesreg_style

__all__ = ["plot_regularization_path"]


def _select(names, features):
    if features is None:
        return list(range(len(names)))
    index = []
    for f in features:
        if isinstance(f, int | np.integer):
            index.append(int(f))
        elif str(f) in names:
            index.append(names.index(str(f)))
        else:
            raise ValueError(f"plot_regularization_path: unknown feature {f!r}; known: {names}.")
    return index


def _chosen(chosen_scales):
    """``{label: scale}`` from a dict of floats or ScaleChoice objects, or a list."""
    if chosen_scales is None:
        return {}
    if not isinstance(chosen_scales, Mapping):
        chosen_scales = {getattr(c, "method", f"scale {i + 1}"): c for i, c in enumerate(chosen_scales)}
    return {str(k): float(getattr(v, "scale", v)) for k, v in chosen_scales.items()}


def _spread_labels(y, min_gap, sweeps=200):
    """Label heights near ``y``, pushed apart to at least ``min_gap`` (order kept).

    Each sweep moves every too-close neighbouring pair apart by half the
    shortfall each, so isolated labels stay at their line's end.
    """
    y = np.asarray(y, dtype=float)
    order = np.argsort(y, kind="stable")
    placed = y[order].copy()
    for _ in range(sweeps):
        gaps = np.diff(placed)
        short = np.clip(min_gap - gaps, 0.0, None)
        if not np.any(short > 1e-9 * max(min_gap, 1e-300)):
            break
        placed[:-1] -= 0.5 * short
        placed[1:] += 0.5 * short
    out = np.empty_like(placed)
    out[order] = placed
    return out


def plot_regularization_path(
    map_path, posterior_path=None, *, chosen_scales=None, current_scale=None, features=None,
    ax=None,
):
    """MAP coefficients over the prior scale, with the posterior at a grid of scales.

    Draws, against the prior scale on a log axis: each feature's MAP path as
    a line (MAP colour, labelled at the right end); with ``posterior_path``
    the posterior median at each of its scales (posterior colour, dots joined
    by a dashed line) and its HDI as a band; each chosen scale as a labelled
    vertical line; and ``current_scale`` as a solid black vertical line.

    Parameters
    ----------
    map_path : bayesreg.MAPPath
    posterior_path : bayesreg.PosteriorPath, optional
    chosen_scales : dict or list, optional
        ``{label: scale}`` (floats or :class:`bayesreg.ScaleChoice`), e.g. the
        result of ``choose_scale(..., method="all")``, or a list of ScaleChoice.
    current_scale : float, optional
        A vertical marker (a widget's slider position).
    features : list of str or int, optional
        Draw only these features.
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    names = [str(f) for f in map_path.feature_names]
    index = _select(names, features)
    scales = np.asarray(map_path.scales, dtype=float)
    order = np.argsort(scales)
    with bayesreg_style():
        if ax is None:
            import matplotlib.pyplot as plt

            _, ax = plt.subplots(figsize=(7.5, 4.5))
        ax.set_xscale("log")
        ax.axhline(0.0, color=REFERENCE_COLOR, lw=0.8, alpha=0.5)
        for k, j in enumerate(index):
            ax.plot(scales[order], map_path.coefs[order, j], color=MAP_COLOR, lw=1.4,
                    label="MAP" if k == 0 else "_nolegend_", gid=f"map:{names[j]}")
        if posterior_path is not None:
            post_names = [str(f) for f in posterior_path.feature_names]
            if post_names != names:
                raise ValueError(
                    "plot_regularization_path: map_path and posterior_path have different "
                    f"features ({names} vs {post_names})."
                )
            ps = np.asarray(posterior_path.scales, dtype=float)
            porder = np.argsort(ps)
            interval = f"posterior {posterior_path.hdi_prob:.0%} HDI"
            for k, j in enumerate(index):
                ax.fill_between(ps[porder], posterior_path.hdi_low[porder, j],
                                posterior_path.hdi_high[porder, j], color=POSTERIOR_COLOR,
                                alpha=0.07, lw=0, label=interval if k == 0 else "_nolegend_")
                ax.plot(ps[porder], posterior_path.median[porder, j], "o--", color=POSTERIOR_COLOR,
                        ms=3.5, lw=0.9, label="posterior median" if k == 0 else "_nolegend_",
                        gid=f"posterior:{names[j]}")
        # feature names at the right end of the MAP lines, pushed apart
        ends = map_path.coefs[order[-1], index]
        ymin, ymax = ax.get_ylim()
        heights = _spread_labels(ends, 0.035 * (ymax - ymin))
        for j, h in zip(index, heights):
            ax.annotate(names[j], (scales[order[-1]], h), xytext=(4, 0),
                        textcoords="offset points", va="center", fontsize="x-small",
                        color=MAP_COLOR, annotation_clip=False)
        for i, (label, scale) in enumerate(_chosen(chosen_scales).items()):
            ax.axvline(scale, color=ACCENT_COLORS[i % len(ACCENT_COLORS)], lw=1.6, ls=":",
                       label=f"{label.replace('_', ' ')}: scale {scale:.3g}")
        if current_scale is not None:
            ax.axvline(float(current_scale), color=REFERENCE_COLOR, lw=1.4,
                       label=f"current scale {float(current_scale):.3g}", gid="current_scale")
        ax.set_xlabel(f"prior scale of {type(map_path.prior).__name__} prior (log axis)")
        ax.set_ylabel("coefficient")
        ax.set_title("Regularization path: MAP and posterior")
        ax.legend(loc="upper left", bbox_to_anchor=(1.08, 1.0))
    return ax
