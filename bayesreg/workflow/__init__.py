"""The workflow on top of the MAP and the posterior: comparison, scale selection, paths."""

from .compare import Comparison, compare
from .posterior_path import PosteriorPath, posterior_path
from .scale_selection import ScaleChoice, choose_scale

__all__ = ["Comparison", "PosteriorPath", "ScaleChoice", "choose_scale", "compare", "posterior_path"]
