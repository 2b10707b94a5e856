"""One look for every bayesreg figure: colours and matplotlib settings.

The MAP estimate is always drawn in ``MAP_COLOR`` and the posterior always in
``POSTERIOR_COLOR``, in every plot, so a reader learns the code once.
Colours are from the Okabe-Ito palette, which stays distinct for colour-blind readers.
"""

from contextlib import contextmanager

import matplotlib as mpl

MAP_COLOR = "#D55E00"        # vermillion: the penalized point estimate
POSTERIOR_COLOR = "#0072B2"  # blue: the posterior (intervals, densities, draws)
PRIOR_COLOR = "#009E73"      # green: the prior density / penalty
LIKELIHOOD_COLOR = "#7F7F7F"  # grey: the data's likelihood
REFERENCE_COLOR = "#000000"  # black: truth, least squares, zero lines
ACCENT_COLORS = ("#E69F00", "#56B4E9", "#CC79A7", "#F0E442")  # second series, chosen scales



def feature_colors(n):
    """``n`` distinct colours, one per feature (tab10 up to 10, tab20 up to 20, then cycled)."""
    palette = mpl.colormaps["tab10" if n <= 10 else "tab20"].colors
    return [palette[i % len(palette)] for i in range(n)]


STYLE = {
    "figure.figsize": (6.4, 4.0),
    "figure.dpi": 100,
    "savefig.dpi": 150,
    "savefig.bbox": "tight",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.titlesize": "medium",
    "axes.titleweight": "bold",
    "axes.labelsize": "medium",
    "legend.frameon": False,
    "legend.fontsize": "small",
    "font.size": 10,
    "lines.linewidth": 1.6,
}


@contextmanager
def bayesreg_style():
    """Context manager applying the bayesreg matplotlib style.

    Examples
    --------
    >>> from bayesreg.plots import bayesreg_style
    >>> with bayesreg_style():
    ...     ax = plot_forest(comparison)
    """
    # rc_context restores every rcParam on exit, "interactive" included.  A
    # notebook's inline backend is activated by its first figure and turns
    # interactive mode on; if that figure is drawn in here, restoring the old
    # value would hide every later figure of the session.  Keep what was set inside.
    inside = {}
    try:
        with mpl.rc_context(STYLE):
            try:
                yield
            finally:
                inside["interactive"] = mpl.is_interactive()
    finally:
        mpl.interactive(inside.get("interactive", mpl.is_interactive()))
