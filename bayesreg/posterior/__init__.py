"""The full posterior of each model, sampled with PyMC (nutpie by default) or in closed form."""

from .classifier import PosteriorClassifier
from .diagnostics import SamplingWarning
from .estimators import PosteriorRegressor

__all__ = ["PosteriorClassifier", "PosteriorRegressor", "SamplingWarning"]
