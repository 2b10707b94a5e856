"""The workflow on top of the MAP and the posterior: comparison, model comparison, formulas, scale selection, paths."""

from .compare import Comparison, compare
from .formulas import FormulaDesign, from_formula
from .model_comparison import ModelComparison, compare_models
from .posterior_path import PosteriorPath, posterior_path
from .scale_selection import ScaleChoice, choose_scale

__all__ = [
    "Comparison", "FormulaDesign", "ModelComparison", "PosteriorPath", "ScaleChoice",
    "choose_scale", "compare", "compare_models", "from_formula", "posterior_path",
]
