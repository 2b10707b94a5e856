"""The prior-scale explorer's figures and readout: the path with its band, the forest, the HTML.

Drawing only (the explorer's state is computed in
:mod:`bayesreg.widgets.scale_explorer`); the plots are
:func:`bayesreg.plots.plot_regularization_path` and :func:`bayesreg.plots.plot_forest`.
"""

from __future__ import annotations

import html

import numpy as np

from ..plots.forest import plot_forest
from ._base import message_html

__all__ = ["band_status_html", "current_scale_artists", "move_current_scale", "plot_path", "plot_posterior",
           "readout_html"]

#: The forest plot's title for each ``state["posterior_source"]``.
POSTERIOR_TITLES = {"exact": "exact posterior", "gibbs": "Gibbs posterior (live)",
                    "sampled": "sampled posterior", "reweighted": "PSIS preview"}


def plot_path(path, band, scale, ax, live=False):
    """The MAP path in one colour per feature, with the posterior band where it is known.

    ``live``: the family's posterior is drawn live (Gibbs), so a missing band is
    being drawn rather than waiting for the Sample button.
    """
    from ..plots.path import plot_regularization_path

    if path is None:  # a prior without a MAP: the posterior band alone, no MAP line
        _plot_posterior_only_path(band, scale, ax, live)
        return
    plot_regularization_path(path, band, current_scale=scale, color_by_feature=True, ax=ax)
    if band is None and live:
        ax.set_title("MAP path (posterior band being drawn...)")
    elif band is None:
        ax.set_title("MAP path (press Sample for the posterior)")
    elif band.sampler == "exact":
        ax.set_title(f"MAP (lines), exact posterior {band.hdi_prob:.0%} HDI (bands)")
    elif band.sampler == "gibbs":
        ax.set_title(f"MAP (lines), Gibbs posterior {band.hdi_prob:.0%} HDI (bands)")
    else:
        ax.set_title(f"MAP (lines), posterior {band.hdi_prob:.0%} HDI at the sampled scales")


def _plot_posterior_only_path(band, scale, ax, live):
    """The path figure of a prior without a MAP: its posterior band along the grid, or
    only the current-scale marker while the band is drawn (or before Sample)."""
    from ..plots.path import plot_regularization_path

    if band is not None:
        plot_regularization_path(None, band, current_scale=scale, color_by_feature=True, ax=ax)
        title = {"gibbs": "Gibbs posterior", "sampled": "posterior"}.get(band.sampler, "posterior")
        ax.set_title(f"No MAP (posterior only): {title} {band.hdi_prob:.0%} HDI (bands)")
        return
    ax.set_xscale("log")
    ax.axvline(float(scale), color="0.2", lw=1.4, label=f"current scale {float(scale):.3g}",
               gid="current_scale")
    ax.legend(loc="upper left", bbox_to_anchor=(1.08, 1.0))
    ax.set_xlabel("prior scale (log axis)")
    ax.set_title("No MAP (posterior only): posterior band being drawn..." if live
                 else "No MAP (posterior only): press Sample for the posterior")


def current_scale_artists(ax):
    """The path plot's current-scale marker (``gid="current_scale"``) and the legend."""
    lines = [line for line in ax.get_lines() if line.get_gid() == "current_scale"]
    if len(lines) != 1:
        return []
    legend = ax.get_legend()
    return lines + ([legend] if legend is not None else [])


def move_current_scale(ax, scale):
    """Move the path plot's current-scale marker (``gid="current_scale"``) to ``scale``.

    A redraw of the log-scaled path costs ~5x moving one line, so the slider
    moves the line and the number in its legend entry.  Returns False when
    the marker is not found (then the caller redraws the plot).
    """
    handles, _ = ax.get_legend_handles_labels()
    for i, line in enumerate(handles):
        if getattr(line, "get_gid", lambda: None)() == "current_scale":
            old = float(line.get_xdata()[0])
            line.set_xdata([scale, scale])
            legend = ax.get_legend()
            if legend is not None and i < len(legend.get_texts()):
                text = legend.get_texts()[i]
                text.set_text(text.get_text().replace(f"{old:.3g}", f"{scale:.3g}"))
            line.set_label(line.get_label().replace(f"{old:.3g}", f"{scale:.3g}"))
            return True
    return False


def plot_posterior(table, title, ax):
    plot_forest(table, ax=ax)
    ax.set_title(title)


def readout_html(state):
    if state.get("has_map") is False:  # the horseshoe: the readout says why there is no MAP
        return _posterior_only_readout_html(state)
    sk = state["penalties"]["sklearn"]
    rows = "".join(f"<li><code>{html.escape(line)}</code></li>" for line in state["formulas"])
    if sk is None:  # not an L1/L2 penalty, or no library fits this likelihood with it
        equals = "its own penalty"
    else:
        params = ", ".join(f"{k}={v:.4g}" for k, v in sk.items()
                           if k != "estimator" and np.ndim(v) == 0)  # column_scale: in the lines
        equals = f"<b>{sk['estimator']}({params})</b>"
    if state["sigma"] is None:  # a likelihood without a noise scale (Poisson, Bernoulli)
        noise = ""
    else:
        noise = f", sigma = {state['sigma']:.4g} ({'fixed' if state['sigma_fixed'] else 'estimated'})"
    likelihood = html.escape(state.get("likelihood_label", "Gaussian"))
    return (
        f"<div><b>{html.escape(repr(state['prior']))}</b> with the {likelihood} likelihood, "
        f"n = {state['n_samples']}{noise} is {equals}"
        f"<ul style='margin:2px 0'>{rows}</ul></div>"
    )


def _noise_text(state):
    if state["sigma"] is None:  # a likelihood without a noise scale (Poisson, Bernoulli)
        return ""
    if not state["sigma_fixed"]:  # no MAP to estimate it for: the posterior learns it
        return ", sigma learned by the posterior"
    return f", sigma = {state['sigma']:.4g} (fixed)"


def _posterior_only_readout_html(state):
    likelihood = html.escape(state.get("likelihood_label", "Gaussian"))
    lines = list(state["formulas"])
    inclusion = state.get("inclusion_probabilities")
    if inclusion is not None:  # a spike-and-slab: each feature's P(w_j != 0 | y) at this scale
        lines.append("posterior inclusion probabilities P(w_j != 0 | y): "
                     + ", ".join(f"{f} {v:.3f}" for f, v in inclusion.items()))
    rows = "".join(f"<li>{html.escape(line)}</li>" for line in lines)
    return (
        f"<div><b>{html.escape(repr(state['prior']))}</b> with the {likelihood} likelihood, "
        f"n = {state['n_samples']}{_noise_text(state)}: <b>no MAP readout</b>"
        f"<ul style='margin:2px 0'>{rows}</ul></div>"
    )


def band_status_html(diagnostics):
    """The live band's diagnostics in words (never hidden), a warning where they fail."""
    from ..posterior.diagnostics import ESS_MIN, RHAT_MAX

    if diagnostics is None:
        return ""
    text = (f"Posterior band: {diagnostics['chains']} chains x {diagnostics['draws']} Gibbs "
            "draws per scale")
    if diagnostics["max_r_hat"] is None:
        return message_html(text + ": a first look, being refined (its diagnostics come "
                            "with the refined band).", "info")
    text += (f"; worst R-hat {diagnostics['max_r_hat']:.3f}, smallest ESS "
             f"{diagnostics['min_ess']:.0f}")
    if diagnostics["max_r_hat"] > RHAT_MAX or diagnostics["min_ess"] < ESS_MIN:
        return message_html(text + f" (below ESS {ESS_MIN} or above R-hat {RHAT_MAX} at some "
                            "scales: the band's edges there are imprecise).", "warning")
    return message_html(text + ".", "info")
