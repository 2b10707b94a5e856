r"""``choose_scale(..., report_loo=True)``: the PSIS-LOO of the posterior at the chosen scale.

Cross-validation scores the MAP at each scale; the posterior at the chosen
scale predicts with its whole distribution.  Its PSIS-LOO estimate
:math:`\widehat{\mathrm{elpd}}_{\mathrm{loo}} = \sum_i \log p(y_i \mid y_{-i})`
(``arviz.loo``, from :meth:`~bayesreg.PosteriorRegressor.compute_log_likelihood`,
the pointwise log-likelihood computed on demand from the stored draws) is put
beside the CV score in :attr:`ScaleChoice.details`, on the same footing as
:func:`bayesreg.compare_models` (which ranks several such posteriors).

``details`` gains ``"elpd_loo"`` (a float, higher is better), ``"loo"``
(ArviZ's ``ELPDData``, with the Pareto k of every row) and ``"loo_model"``
(the fitted posterior).  For ``"cv"`` and ``"empirical_bayes"`` that is
``choice.prior`` -- the family at the chosen scale -- with ``sigma`` as given
to :func:`choose_scale` (learned when None) and its sampler settings; for
``"hierarchical"`` the hierarchical posterior itself (its scale learned).
Where it is cheap -- the posterior at a fixed scale has a closed form (Normal
prior, Gaussian likelihood, fixed sigma; sampler ``"auto"`` or ``"exact"``:
independent draws, no compilation) -- ``details["elpd_loo_scales"]`` also holds
the LOO at every scale of ``details["scales"]`` (cv and empirical Bayes), a
curve to set beside the CV one.  Elsewhere only the chosen scale is scored (one
posterior fit per method); for the LOO at several scales fit a posterior at
each and rank them with :func:`bayesreg.compare_models`.
"""

from __future__ import annotations

import dataclasses

import arviz as az
import numpy as np

from ._posterior_for import posterior_estimator

__all__ = ["with_loo"]


def _posterior_at(prior, X, y, sigma, likelihood, settings, offset=None):
    """The posterior of ``prior`` (sigma as given: None learns it; a known offset, if any)."""
    model = posterior_estimator(prior, likelihood, sigma, "choose_scale", **settings)
    return model.fit(X, y, **({} if offset is None else {"offset": offset}))


def _elpd_per_scale(choice, X, y, sigma, likelihood, settings):
    """LOO at every scale of the grid, where each posterior is closed-form (else None)."""
    scales = choice.details.get("scales")
    cheap = (
        scales is not None and not choice.prior.is_hierarchical
        and settings["sampler"] in ("auto", "exact")
        and choice.prior.has_conjugate_posterior(likelihood.name, sigma is not None)
    )
    if not cheap:
        return None
    exact = {**settings, "sampler": "exact"}
    return np.array([
        az.loo(_posterior_at(choice.prior.with_scale(float(scale)), X, y, sigma, likelihood,
                             exact).compute_log_likelihood()).elpd_loo
        for scale in scales
    ])


def with_loo(choice, X, y, *, sigma, likelihood, fit_intercept, sampler, draws, tune, chains,
             random_seed, standardize=False, offset=None):
    """``choice`` with ``details["loo"]``, ``details["elpd_loo"]`` and ``details["loo_model"]``.

    With a closed-form posterior at each scale also ``details["elpd_loo_scales"]``.
    The hierarchical method already has its posterior (``details["model"]``,
    the scale learned jointly); the others get the posterior of
    ``choice.prior`` (the family at the chosen scale) fitted with the sampler
    settings of :func:`choose_scale`.  ArviZ's Pareto-k warnings pass through.
    """
    model = choice.details.get("model")
    if model is None:
        settings = {"fit_intercept": fit_intercept, "sampler": sampler, "draws": draws,
                    "tune": tune, "chains": chains, "random_seed": random_seed,
                    "progressbar": False, "standardize": standardize}
        model = _posterior_at(choice.prior, X, y, sigma, likelihood, settings, offset)
        curve = _elpd_per_scale(choice, X, y, sigma, likelihood, settings)
        if curve is not None:
            choice = dataclasses.replace(choice, details={**choice.details, "elpd_loo_scales": curve})
    loo = az.loo(model.compute_log_likelihood(), pointwise=True)
    details = {**choice.details, "loo": loo, "elpd_loo": float(loo.elpd_loo), "loo_model": model}
    return dataclasses.replace(choice, details=details)
