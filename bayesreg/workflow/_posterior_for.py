"""The posterior estimator of a likelihood: one rule for every workflow function.

A likelihood of class labels gets :class:`~bayesreg.PosteriorClassifier`; any
other (Gaussian, Poisson, ...) :class:`~bayesreg.PosteriorRegressor` with that
likelihood, so ``choose_scale``, ``posterior_path`` and the LOO report never
ask which family they hold.
"""

from __future__ import annotations

from ..model.likelihoods import get_likelihood
from ..posterior import PosteriorClassifier, PosteriorRegressor

__all__ = ["posterior_estimator"]


def posterior_estimator(prior, likelihood, sigma, owner, **settings):
    """An unfitted posterior estimator of ``prior`` under ``likelihood`` (a Likelihood object).

    ``sigma`` is refused (with ``owner`` in the error) for a likelihood without one.
    """
    sigma = likelihood.sigma_for(sigma, owner)
    if likelihood.is_classification:
        return PosteriorClassifier(prior, **settings)
    # the registry's own object is passed by name, so get_params shows "gaussian" as before
    registered = likelihood == get_likelihood(likelihood.name)
    return PosteriorRegressor(prior, likelihood=likelihood.name if registered else likelihood,
                              sigma=sigma, **settings)
