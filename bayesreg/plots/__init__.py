"""Plots that teach regularization as a prior (matplotlib).

Every function takes what to draw (computed elsewhere) and an optional ``ax=``,
draws, and returns the Axes. Nothing here fits a model.
"""

from .forest import plot_forest
from .hyper import plot_scale_posterior
from .inclusion import plot_inclusion_probabilities
from .path import plot_regularization_path
from .ranking import plot_variable_ranking
from ._style import (
    LIKELIHOOD_COLOR,
    MAP_COLOR,
    POSTERIOR_COLOR,
    PRIOR_COLOR,
    REFERENCE_COLOR,
    bayesreg_style,
)
from .constraint import plot_constraint_regions
from .mapping import plot_scale_to_penalty
from .prior_penalty import plot_prior_and_penalty
from .shrinkage import plot_one_coefficient, plot_shrinkage_curves

__all__ = [
    "LIKELIHOOD_COLOR",
    "MAP_COLOR",
    "POSTERIOR_COLOR",
    "PRIOR_COLOR",
    "REFERENCE_COLOR",
    "bayesreg_style",
    "plot_forest",
    "plot_inclusion_probabilities",
    "plot_regularization_path",
    "plot_scale_posterior",
    "plot_constraint_regions",
    "plot_one_coefficient",
    "plot_prior_and_penalty",
    "plot_scale_to_penalty",
    "plot_shrinkage_curves",
    "plot_variable_ranking",
]
