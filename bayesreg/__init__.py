"""bayesreg: a penalty is a prior.

Penalized (MAP) estimates and full posteriors of the same regression model,
with the exact translation between a prior scale and a penalty strength.
"""

from . import datasets
from .compare import Comparison, compare
from .likelihoods import BernoulliLogit, Gaussian
from .map import MAPClassifier, MAPPath, MAPRegressor, estimate_sigma, map_path
from .mapping import from_penalty, to_penalty
from .posterior import PosteriorClassifier, PosteriorRegressor, SamplingWarning
from .priors import ElasticNet, HalfCauchy, HalfNormal, Horseshoe, Laplace, Normal, Prior

__version__ = "0.1.0"

__all__ = [
    "BernoulliLogit",
    "Comparison",
    "ElasticNet",
    "Gaussian",
    "HalfCauchy",
    "HalfNormal",
    "Horseshoe",
    "Laplace",
    "MAPClassifier",
    "MAPPath",
    "MAPRegressor",
    "Normal",
    "PosteriorClassifier",
    "PosteriorRegressor",
    "Prior",
    "SamplingWarning",
    "compare",
    "datasets",
    "estimate_sigma",
    "from_penalty",
    "map_path",
    "to_penalty",
]
