"""The model: coefficient priors, hyperpriors, likelihoods and the exact penalty mapping.

The lowest layer of bayesreg: numpy and scipy only.  Every other package asks
these family objects what it needs to know about a prior or a likelihood.
"""

from .beta import Beta
from .g_prior import GPrior
from .gamma import Gamma, InverseGamma
from .horseshoe import Horseshoe
from .horseshoe_plus import HorseshoePlus
from .hyperpriors import HalfCauchy, HalfNormal, Jeffreys
from .likelihoods import BernoulliLogit, Gaussian
from .mapping import from_penalty, to_penalty
from .priors import ElasticNet, Laplace, Normal, Prior
from .regularized_horseshoe import RegularizedHorseshoe
from .spike_and_slab import SpikeAndSlab
from .sufficient_statistics import SufficientStatistics

__all__ = [
    "BernoulliLogit",
    "Beta",
    "ElasticNet",
    "GPrior",
    "Gamma",
    "Gaussian",
    "HalfCauchy",
    "HalfNormal",
    "Horseshoe",
    "InverseGamma",
    "HorseshoePlus",
    "Jeffreys",
    "Laplace",
    "Normal",
    "Prior",
    "RegularizedHorseshoe",
    "SpikeAndSlab",
    "SufficientStatistics",
    "from_penalty",
    "to_penalty",
]
