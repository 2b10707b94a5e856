"""The full posterior of each model, sampled with PyMC (nutpie by default) or in closed form."""

from .diagnostics import SamplingWarning
from .estimators import PosteriorClassifier, PosteriorRegressor

__all__ = ["PosteriorClassifier", "PosteriorRegressor", "SamplingWarning"]
