"""The likelihood families in one namespace: ``br.likelihoods.Gaussian()``.

Each family is defined in a module of :mod:`bayesreg.model` (the base class and
the Gaussian and Bernoulli-logit families in :mod:`bayesreg.model.likelihoods`);
this module only gathers the public names.  Every regressor takes one as
``likelihood=`` (or its name, see :func:`regression_likelihood_names`).
"""

from .model.likelihoods import (
    BernoulliLogit, Gaussian, Likelihood, get_likelihood, regression_likelihood_names,
)
from .model.poisson import Poisson
from .model.robust_likelihoods import Laplace, StudentT

__all__ = ["BernoulliLogit", "Gaussian", "Laplace", "Likelihood", "Poisson", "StudentT", "get_likelihood",
           "regression_likelihood_names"]
