"""How each prior family is drawn in the teaching plots: one colour and line style each.

Where a plot compares families (mapping, prior vs penalty) the family sets the
colour; where the colour already says MAP vs posterior (shrinkage curves) the
family sets only the line style.  Either way a family looks the same everywhere.
"""

from ..model.priors import ElasticNet, Laplace, Normal
from ._style import ACCENT_COLORS

FAMILY_STYLE = {
    Normal: {"color": ACCENT_COLORS[1], "linestyle": "--"},
    Laplace: {"color": ACCENT_COLORS[0], "linestyle": "-"},
    ElasticNet: {"color": ACCENT_COLORS[2], "linestyle": "-."},
}


def family_style(prior):
    """``{"color": ..., "linestyle": ...}`` for a prior (or prior class)."""
    cls = prior if isinstance(prior, type) else type(prior)
    return dict(FAMILY_STYLE[cls])


def short_repr(prior):
    """``Laplace(scale=0.707)``: the prior with its numbers to 3 significant digits."""
    if isinstance(prior, ElasticNet):
        return f"ElasticNet(scale={prior.scale:.3g}, l1_ratio={prior.l1_ratio:g})"
    return f"{type(prior).__name__}(scale={prior.scale:.3g})"
