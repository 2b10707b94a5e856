"""Point estimates: the MAP of each model, and its path over the prior scale."""

from .classifier import MAPClassifier
from .noise import estimate_sigma
from .path import MAPPath, map_path
from .regressor import MAPRegressor

__all__ = ["MAPClassifier", "MAPPath", "MAPRegressor", "estimate_sigma", "map_path"]
