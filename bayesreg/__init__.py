"""bayesreg: a penalty is a prior.

Penalized (MAP) estimates and full posteriors of the same regression model,
with the exact translation between a prior scale and a penalty strength.
"""

import warnings as _warnings

# ArviZ 0.23 announces its 1.0 refactor (arviz-base, arviz-stats, arviz-plots) with a
# FutureWarning on import, once a day; in a notebook it is the first thing a learner
# sees, in red. Only that message from arviz itself is hidden: any other warning,
# ArviZ's included, still shows. The filter must be in place before arviz is imported.
_warnings.filterwarnings(
    "ignore",
    message=r"\s*ArviZ is undergoing a major refactor",
    category=FutureWarning,
    module=r"arviz\Z",
)

from . import config, datasets, likelihoods
from .map import MAPClassifier, MAPPath, MAPRegressor, estimate_sigma, map_path
from .model import (
    BernoulliLogit, Beta, ElasticNet, Gamma, Gaussian, GPrior, HalfCauchy, HalfNormal, Horseshoe,
    HorseshoePlus, InverseGamma, Jeffreys, Laplace, Normal, Prior, RegularizedHorseshoe, SpikeAndSlab, SufficientStatistics,
    from_penalty, to_penalty,
)
from .posterior import PosteriorClassifier, PosteriorRegressor, SamplingWarning
from .teaching import constrained, shrinkage
from .workflow import (
    Comparison, PosteriorPath, ScaleChoice, choose_scale, compare, posterior_path,
)
from .workflow import FormulaDesign, ModelComparison, compare_models, from_formula

__version__ = "0.1.0"

__all__ = [
    "BernoulliLogit",
    "Beta",
    "Comparison",
    "ElasticNet",
    "FormulaDesign",
    "GPrior",
    "Gamma",
    "Gaussian",
    "HalfCauchy",
    "HalfNormal",
    "Horseshoe",
    "HorseshoePlus",
    "InverseGamma",
    "Jeffreys",
    "Laplace",
    "MAPClassifier",
    "MAPPath",
    "MAPRegressor",
    "ModelComparison",
    "Normal",
    "PosteriorClassifier",
    "PosteriorPath",
    "PosteriorRegressor",
    "Prior",
    "RegularizedHorseshoe",
    "SamplingWarning",
    "ScaleChoice",
    "SpikeAndSlab",
    "SufficientStatistics",
    "choose_scale",
    "compare",
    "compare_models",
    "config",
    "likelihoods",
    "constrained",
    "datasets",
    "estimate_sigma",
    "from_formula",
    "from_penalty",
    "map_path",
    "posterior_path",
    "shrinkage",
    "to_penalty",
]
