"""How each prior family is drawn in the teaching plots: one colour and line style each.

Where a plot compares families (mapping, prior vs penalty) the family sets the
colour; where the colour already says MAP vs posterior (shrinkage curves) the
family sets only the line style.  Either way a family looks the same everywhere.

The styles go to the families in the registry's order
(:func:`bayesreg.model.registry.prior_families`: Normal, Laplace, ElasticNet,
then any family added later), so a new family gets the next style without an
edit here.
"""

import dataclasses

from ..model.registry import prior_families
from ._style import ACCENT_COLORS, REFERENCE_COLOR

#: One style per family, in the registry's order; cycled if there are more families.
_STYLES = (
    {"color": ACCENT_COLORS[1], "linestyle": "--"},
    {"color": ACCENT_COLORS[0], "linestyle": "-"},
    {"color": ACCENT_COLORS[2], "linestyle": "-."},
    {"color": ACCENT_COLORS[3], "linestyle": ":"},
)
#: A prior the widgets do not offer (no MAP, e.g. the horseshoe).
_OTHER_STYLE = {"color": REFERENCE_COLOR, "linestyle": ":"}


def family_style(prior):
    """``{"color": ..., "linestyle": ...}`` for a prior (or prior class)."""
    cls = prior if isinstance(prior, type) else type(prior)
    for i, family in enumerate(prior_families().values()):
        if family is cls:
            if i < len(_STYLES):
                return dict(_STYLES[i])
            # later families: a dash pattern of their own, so no two families look alike
            return {"color": ACCENT_COLORS[i % len(ACCENT_COLORS)], "linestyle": (0, (i, 1, 1, 1))}
    return dict(_OTHER_STYLE)


def short_repr(prior):
    """``Laplace(scale=0.707)``: the prior with its scale to 3 significant digits.

    Every parameter of the prior is shown, the scale to 3 significant digits and
    the others (e.g. an ``l1_ratio``) with ``:g``.
    """
    params = ", ".join(
        f"{field.name}={getattr(prior, field.name):{'.3g' if field.name == 'scale' else 'g'}}"
        for field in dataclasses.fields(prior) if field.repr  # scale_by_sigma: only when True
    )
    if prior.scale_by_sigma:
        params += ", scale_by_sigma=True"
    return f"{type(prior).__name__}({params})"
