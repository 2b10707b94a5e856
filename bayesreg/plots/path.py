"""The Bayesian regularization path: MAP and posterior over the prior scale."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from ._style import (
    ACCENT_COLORS, MAP_COLOR, POSTERIOR_COLOR, REFERENCE_COLOR, bayesreg_style, feature_colors,
)

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


class _EndLabels:
    """Feature names at the right end of the lines, at least one text height apart.

    The gap is a number of pixels, and how many data units a pixel is changes
    with the layout (a constrained layout shrinks the axes after the labels
    were made), so the heights are computed when the labels are drawn: each
    label's text coordinates are a callable of the renderer (matplotlib's
    ``Annotation`` supports that), and a thin leader line joins a moved label
    to its line's end.
    """

    GAP = 1.15  # minimum distance between label centres, in text heights

    def __init__(self, ax):
        self.ax = ax
        self.labels = []  # the Annotations, in the order of self.ends
        self.ends = []  # (x, y) of the line ends, data coordinates
        self._key, self._placed = None, None

    def add(self, text, x, y, color):
        j = len(self.labels)
        label = self.ax.annotate(
            text, (x, y), xytext=(0.0, 0.0), textcoords=lambda renderer: self._at(j, renderer),
            va="center", ha="left", fontsize="x-small", color=color, annotation_clip=False,
            arrowprops={"arrowstyle": "-", "color": color, "lw": 0.6, "alpha": 0.7,
                        "shrinkA": 1.0, "shrinkB": 0.0},
        )
        self.labels.append(label)
        self.ends.append((x, y))
        return label

    def _placed_pixels(self, renderer):
        ax = self.ax
        key = (tuple(ax.bbox.bounds), tuple(ax.viewLim.bounds), len(self.ends))
        if key != self._key:
            ends = ax.transData.transform(np.asarray(self.ends, dtype=float))
            _, height, _ = renderer.get_text_width_height_descent(
                "Ag", self.labels[0].get_fontproperties(), ismath=False)
            self._placed = ends[:, 0] + renderer.points_to_pixels(6.0), _spread_labels(
                ends[:, 1], self.GAP * height)
            self._key = key
        return self._placed

    def _at(self, j, renderer):
        from matplotlib.transforms import Affine2D

        if renderer is None:
            renderer = self.ax.figure.canvas.get_renderer()
        xs, ys = self._placed_pixels(renderer)
        return Affine2D().translate(xs[j], ys[j])


def _draw_posterior(ax, posterior_path, names, index, colors, by_feature):
    """The posterior's HDI (band, or error bars at sparse scales) and median per feature."""
    post_names = [str(f) for f in posterior_path.feature_names]
    if post_names != names:
        raise ValueError(
            "plot_regularization_path: map_path and posterior_path have different "
            f"features ({names} vs {post_names})."
        )
    ps = np.asarray(posterior_path.scales, dtype=float)
    porder = np.argsort(ps)
    ps = ps[porder]
    low, high = posterior_path.hdi_low[porder], posterior_path.hdi_high[porder]
    median = posterior_path.median[porder]
    interval = f"posterior {posterior_path.hdi_prob:.0%} HDI"
    # a band needs two scales; where the posterior is known at a few scales only, bars
    # at those scales show where it was computed (the band between them interpolates)
    bars = len(ps) < 2 or (by_feature and len(ps) <= 12)
    for k, j in enumerate(index):
        color = colors[k]
        if len(ps) >= 2:
            ax.fill_between(ps, low[:, j], high[:, j], color=color,
                            alpha=0.18 if by_feature else 0.07, lw=0,
                            label=interval if k == 0 else "_nolegend_",
                            gid=f"posterior_band:{names[j]}")
        if bars:
            ax.errorbar(ps, median[:, j], yerr=[median[:, j] - low[:, j], high[:, j] - median[:, j]],
                        fmt="none", ecolor=color, elinewidth=1.3, capsize=2.5,
                        label=interval if (k == 0 and len(ps) < 2) else "_nolegend_",
                        gid=f"posterior_bars:{names[j]}")
        ax.plot(ps, median[:, j], "o--" if len(ps) <= 12 else "--", color=color,
                ms=3.5, lw=0.9, label="posterior median" if k == 0 else "_nolegend_",
                gid=f"posterior:{names[j]}")


def plot_regularization_path(
    map_path, posterior_path=None, *, chosen_scales=None, current_scale=None, features=None,
    color_by_feature=False, ax=None,
):
    """MAP coefficients over the prior scale, with the posterior at a grid of scales.

    Draws, against the prior scale on a log axis: each feature's MAP path as
    a line (labelled at the right end; labels are kept at least a text
    height apart, with leader lines to their line); with ``posterior_path``
    the posterior median at each of its scales (dots joined by a dashed line)
    and its HDI as a band (error bars where it has one scale, and also at
    each scale of a sparse path when ``color_by_feature``); each chosen scale
    as a labelled vertical line; and ``current_scale`` as a solid black
    vertical line.

    Parameters
    ----------
    map_path : bayesreg.MAPPath or None
        None for a prior without a MAP (the horseshoe): the posterior alone is
        drawn (``posterior_path`` is then required) and no MAP line.
    posterior_path : bayesreg.PosteriorPath, optional
    chosen_scales : dict or list, optional
        ``{label: scale}`` (floats or :class:`bayesreg.ScaleChoice`), e.g. the
        result of ``choose_scale(..., method="all")``, or a list of ScaleChoice.
    current_scale : float, optional
        A vertical marker (a widget's slider position).
    features : list of str or int, optional
        Draw only these features.
    color_by_feature : bool, default=False
        False: every MAP line in the MAP colour and every band in the
        posterior colour (the house code).  True: one colour per feature, its
        MAP line, posterior band, median and label alike (the legend then
        shows the line styles in grey); for many features at once.
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    if map_path is None and posterior_path is None:
        raise ValueError("plot_regularization_path: give a map_path, a posterior_path or both "
                         "(a prior without a MAP, such as the horseshoe, has only the latter).")
    shown = map_path if map_path is not None else posterior_path  # its features and grid
    names = [str(f) for f in shown.feature_names]
    index = _select(names, features)
    scales = np.asarray(shown.scales, dtype=float)
    order = np.argsort(scales)
    # the line each feature's label ends: the MAP, or the posterior median without one
    ends = (map_path.coefs if map_path is not None else posterior_path.median)[order[-1]]
    with bayesreg_style():
        if ax is None:
            import matplotlib.pyplot as plt

            _, ax = plt.subplots(figsize=(7.5, 4.5))
        ax.set_xscale("log")
        ax.axhline(0.0, color=REFERENCE_COLOR, lw=0.8, alpha=0.5)
        map_colors = feature_colors(len(index)) if color_by_feature else [MAP_COLOR] * len(index)
        for k, j in enumerate(index if map_path is not None else ()):
            ax.plot(scales[order], map_path.coefs[order, j], color=map_colors[k], lw=1.4,
                    label="MAP" if k == 0 else "_nolegend_", gid=f"map:{names[j]}")
        if posterior_path is not None:
            post_colors = map_colors if color_by_feature else [POSTERIOR_COLOR] * len(index)
            _draw_posterior(ax, posterior_path, names, index, post_colors, color_by_feature)
        labels = _EndLabels(ax)
        for k, j in enumerate(index):
            labels.add(names[j], scales[order[-1]], ends[j], map_colors[k])
        for i, (label, scale) in enumerate(_chosen(chosen_scales).items()):
            ax.axvline(scale, color=ACCENT_COLORS[i % len(ACCENT_COLORS)], lw=1.6, ls=":",
                       label=f"{label.replace('_', ' ')}: scale {scale:.3g}")
        if current_scale is not None:
            ax.axvline(float(current_scale), color=REFERENCE_COLOR, lw=1.4,
                       label=f"current scale {float(current_scale):.3g}", gid="current_scale")
        ax.set_xlabel(f"prior scale of {type(shown.prior).__name__} prior (log axis)")
        ax.set_ylabel("coefficient")
        if posterior_path is None:
            ax.set_title("Regularization path: MAP")
        elif map_path is None:
            ax.set_title(f"Regularization path: posterior {posterior_path.hdi_prob:.0%} HDI "
                         "(no MAP)")
        else:
            ax.set_title(f"Regularization path: MAP and posterior "
                         f"{posterior_path.hdi_prob:.0%} HDI")
        legend = ax.legend(loc="upper left", bbox_to_anchor=(1.08, 1.0))
        if color_by_feature:  # the styles stand for every feature: show them in grey
            for handle, text in zip(legend.legend_handles, legend.get_texts()):
                if text.get_text() in ("MAP", "posterior median") or "HDI" in text.get_text():
                    _grey(handle)
    return ax


def _grey(handle):
    for setter in ("set_color", "set_facecolor", "set_edgecolor"):
        if hasattr(handle, setter):
            getattr(handle, setter)("0.4")
