"""The likelihoods the views offer, and the estimators and samplers each one takes.

Nothing here names a likelihood: the choices are
:func:`bayesreg.model.likelihoods.likelihood_families`, and every question (its
label, whether it accepts this y, whether y is a class label, which samplers
cover a prior with it) is asked of the :class:`~bayesreg.model.likelihoods.Likelihood`
object itself.
"""

from __future__ import annotations

from ..map import MAPClassifier, MAPRegressor
from ..model.likelihoods import get_likelihood, likelihood_families
from ..posterior import PosteriorClassifier, PosteriorRegressor
from ..posterior.gibbs import check_gibbs

__all__ = ["LIVE_SAMPLERS", "check_likelihood", "likelihood_options", "live_refusal",
           "live_sampler", "map_estimator", "posterior_estimator"]

#: The samplers that need no compilation, so a posterior can follow the slider.
LIVE_SAMPLERS = ("exact", "gibbs")


def check_likelihood(likelihood, exposure=None):
    """The :class:`Likelihood` object of ``likelihood`` (a name or an object), checked.

    ``exposure``: the views' MAP path and posterior band are fitted without an
    offset, so an exposure is refused with the way to fit it instead (the
    estimators take it).
    """
    likelihood = get_likelihood(likelihood)
    if exposure is not None:
        where = ("" if likelihood.accepts_offset
                 else f" (and the {likelihood.label} likelihood takes none)")
        raise ValueError(
            "The prior-scale views do not take an exposure/offset yet: their MAP path and "
            f"posterior band are fitted without one{where}. Fit "
            f"bayesreg.MAPRegressor(prior, likelihood={likelihood.name!r}).fit(X, y, "
            "exposure=...) (and PosteriorRegressor likewise) instead, or explore the rates "
            "without it."
        )
    return likelihood


def likelihood_options(y):
    """``[(label, name), ...]``: every likelihood whose ``check_target`` accepts ``y``, by label.

    A numeric y is offered the regression likelihoods that take it (counts: also
    Poisson), two classes the Bernoulli-logit as well.
    """
    options = []
    for name, likelihood in likelihood_families().items():
        try:
            likelihood.check_target(y, "the explorer")
        except (ValueError, TypeError):
            continue
        options.append((likelihood.label, name))
    return sorted(options)


def map_estimator(prior, likelihood, sigma, standardize):
    """The unfitted MAP estimator of ``prior`` with ``likelihood`` (a classifier for class labels)."""
    if likelihood.is_classification:
        return MAPClassifier(prior, standardize=standardize)
    return MAPRegressor(prior, likelihood=likelihood, sigma=sigma, standardize=standardize)


def posterior_estimator(prior, likelihood, sigma, **options):
    """The unfitted posterior estimator of ``prior`` with ``likelihood``, as :func:`map_estimator`."""
    if likelihood.is_classification:
        return PosteriorClassifier(prior, **options)
    return PosteriorRegressor(prior, likelihood=likelihood, sigma=sigma, **options)


def live_sampler(prior, likelihood, sigma_fixed, requested):
    """``"exact"``, ``"gibbs"`` or None: how the posterior of ``prior`` can follow the slider.

    The prior and the likelihood say which samplers cover them
    (:meth:`bayesreg.model.priors.Prior.samplers`, and the Gibbs sampler's own
    check :func:`bayesreg.posterior.gibbs.check_gibbs`, which asks the likelihood
    whether it has a Gibbs augmentation): a Gibbs scheme added to a prior or a
    likelihood makes it live here with no change.  ``requested`` is the
    explorer's ``sampler``: ``"auto"`` takes the first that compiles nothing;
    ``"exact"`` or ``"gibbs"`` that sampler where it is offered; a NUTS sampler
    means the user asked for it (the Sample button).
    """
    likelihood = get_likelihood(likelihood)
    offered = [s for s in prior.samplers(likelihood.name, sigma_fixed,
                                         likelihood.gibbs_prior_schemes)
               if s in LIVE_SAMPLERS]
    if "gibbs" in offered:
        try:
            check_gibbs(prior, "the explorer", likelihood)
        except ValueError:  # e.g. a likelihood without a Gibbs augmentation (Poisson)
            offered.remove("gibbs")
    if requested == "auto":
        return offered[0] if offered else None
    return requested if requested in offered else None


def live_refusal(prior, likelihood):
    """Why the Gibbs sampler does not draw ``prior``'s posterior with ``likelihood``, or None.

    The sampler's own words (:func:`bayesreg.posterior.gibbs.check_gibbs`: the
    prior's :meth:`~bayesreg.model.priors.Prior.gibbs_refusal`, or the likelihood's
    lack of an augmentation), e.g. why the logistic horseshoe is refused.
    """
    try:
        check_gibbs(prior, "The live posterior", likelihood)
    except ValueError as exc:
        return str(exc)
    return None
