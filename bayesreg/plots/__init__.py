"""Plots that teach regularization as a prior (matplotlib).

Every function takes what to draw (computed elsewhere) and an optional ``ax=``,
draws, and returns the Axes. Nothing here fits a model.
"""

from ._style import (
    LIKELIHOOD_COLOR,
    MAP_COLOR,
    POSTERIOR_COLOR,
    PRIOR_COLOR,
    REFERENCE_COLOR,
    bayesreg_style,
)

__all__ = [
    "LIKELIHOOD_COLOR",
    "MAP_COLOR",
    "POSTERIOR_COLOR",
    "PRIOR_COLOR",
    "REFERENCE_COLOR",
    "bayesreg_style",
]
