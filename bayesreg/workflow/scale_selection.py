r"""Choosing the prior scale three ways, all reported on the same scale axis.

* **cross-validation** -- scikit-learn's CV estimator of the equivalent
  penalty (``RidgeCV``, ``LassoCV``; a ``GridSearchCV`` over the elastic net,
  whose scikit-learn ``l1_ratio`` moves with the scale), its chosen
  ``alpha`` mapped back to a prior scale by :func:`bayesreg.from_penalty`:
  the scale whose MAP predicts best.  For the Bernoulli likelihood, the
  held-out log loss of our own logistic MAP path on each fold (what
  ``LogisticRegressionCV(scoring="neg_log_loss")`` computes, with a
  deterministic solver that converges at any column scale).
* **empirical Bayes** -- the scale that maximises the marginal likelihood
  :math:`p(y \mid t) = \int p(y \mid w)\,p(w \mid t)\,dw`, exact for the
  Normal prior with a Gaussian likelihood:

  .. math::

      y_c \sim N\!\left(0,\; \sigma^2 I + t^2 X_c X_c^\top\right)

  (centred data). With an intercept, integrating its flat prior out leaves
  the density of :math:`y_c` on the :math:`n - 1` dimensions orthogonal to
  :math:`\mathbf 1` (up to the constant :math:`-\tfrac12\log n`): the same
  formula with :math:`n - 1` for :math:`n`, which matters when sigma is learned.  For the Laplace and
  elastic-net priors, and for the Bernoulli likelihood, the integral has no
  closed form, so this method is not available there.
* **hierarchical** -- put a ``HalfCauchy`` hyperprior on the scale, sample
  the joint posterior with :class:`bayesreg.PosteriorRegressor` (or
  ``PosteriorClassifier``) and report the posterior median of ``scale``.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field, replace

import numpy as np
from sklearn import linear_model
from sklearn.linear_model import LassoCV, RidgeCV
from sklearn.model_selection import GridSearchCV
from sklearn.utils.validation import check_array, check_consistent_length

from ..model._checks import check_bool
from ..model.likelihoods import get_likelihood
from ..map import estimate_sigma
from ..model.mapping import from_penalty, penalty_strength, to_penalty
from ._map_cv import folds_for as _folds
from ._map_cv import map_cv_loss as _map_cv_loss
from ._scale_loo import with_loo
from .marginal_likelihood import log_marginal_likelihood, maximise_marginal_likelihood
from ._posterior_for import posterior_estimator
from ..model.priors import Prior
from ..model.column_scaling import ColumnScaling
from ..model.hyperpriors import HalfCauchy, Hyperprior
from ..model.offset import check_offset

__all__ = ["METHODS", "ScaleChoice", "choose_scale", "log_marginal_likelihood"]

METHODS = ("cv", "empirical_bayes", "hierarchical")


@dataclass(frozen=True)
class ScaleChoice:
    """A prior scale chosen by one method.

    Attributes
    ----------
    scale : float
        The chosen prior scale (same axis as ``Prior.scale`` and ``map_path``); for a
        per-feature prior its reference scale (:mod:`bayesreg.model._per_feature`).
    method : {"cv", "empirical_bayes", "hierarchical"}
    alpha : float
        The equivalent scikit-learn penalty at ``scale``: ``alpha`` of
        Ridge/Lasso/ElasticNet, or ``C`` of LogisticRegression.  For the
        hierarchical method the posterior median of the ``alpha``/``C`` draws.
    prior : Prior
        The prior at the chosen scale.
    sigma : float or None
        The noise sd used (Gaussian likelihood).
    details : dict
        Method specific: ``estimator`` (the fitted scikit-learn CV estimator;
        Gaussian likelihood) or ``cv_log_loss`` (held-out mean log loss, shape
        (n_folds, n_scales); Bernoulli), ``scales``
        and ``log_marginal`` (the curve maximised), or ``draws`` (posterior
        draws of ``scale``) and ``model`` (the fitted posterior).
    """

    scale: float
    method: str
    alpha: float
    prior: Prior
    sigma: float | None
    details: dict = field(default_factory=dict, repr=False, compare=False)


def choose_scale(
    X, y, prior, method="cv", *, sigma=None, likelihood="gaussian", scales=None, cv=5,
    fit_intercept=True, hyperprior=None, sampler="auto", draws=1000, tune=1000, chains=2,
    random_seed=0, standardize=False, report_loo=False, exposure=None, offset=None,
):
    r"""Choose the scale of ``prior`` from the data.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    y : array-like of shape (n_samples,)
    prior : Normal, Laplace or ElasticNet
        The family (an ElasticNet keeps its ``l1_ratio``); its scale is what
        is chosen.  For ``"hierarchical"`` a prior that already has a
        hyperprior on its scale is used as it is.
    method : {"cv", "empirical_bayes", "hierarchical", "all"}, default="cv"
        ``"all"`` returns a dict ``{method: ScaleChoice}`` of every method
        available for this prior and likelihood (empirical Bayes only for
        the Normal prior with a Gaussian likelihood).
    sigma : float or None, default=None
        Noise sd (Gaussian).  ``None``: CV estimates it by
        :func:`bayesreg.estimate_sigma` (the MAP's rule; it only converts the
        chosen alpha into a scale), empirical Bayes maximises the marginal
        likelihood over sigma as well (type-II maximum likelihood, as
        scikit-learn's ``BayesianRidge``), the hierarchical model learns it.
    likelihood : {"gaussian", "bernoulli"}, default="gaussian"
    scales : array-like, optional
        Candidate scales for CV (the alphas/Cs searched are their images
        under :func:`to_penalty`) and the bracket of the empirical-Bayes
        search.  Default: 61 log-spaced scales from :math:`10^{-4} t_0` to
        :math:`10^{2} t_0`, :math:`t_0 = \mathrm{sd}(y)/\overline{\mathrm{sd}(x_j)}`
        (:math:`\pi/\sqrt3` in place of sd(y) for the Bernoulli likelihood).
    cv : int, default=5
        Number of folds (shuffled, ``random_state=random_state``; stratified
        for classification).
    fit_intercept : bool, default=True
    hyperprior : Hyperprior, optional
        Hierarchical method: the prior on the scale.  Default
        ``HalfCauchy(prior.scale)``: median at the scale given, heavy tail.
    sampler : str, default="auto"
        The sampler of the hierarchical method: ``"auto"`` is the prior's
        first choice (:meth:`bayesreg.model.priors.Prior.samplers`: ``"gibbs"`` for
        the Normal and Laplace, ``"nutpie"`` for the elastic net); any name
        :class:`bayesreg.PosteriorRegressor` accepts forces one.
    draws, tune, chains, random_seed
        Sampler settings for the hierarchical method; the seed also
        shuffles the CV folds.
    standardize : bool, default=False
        True: choose the scale of the prior on the coefficients of the columns
        divided by their sd (divisor n, glmnet's default), i.e. the scale to
        pass to an estimator with ``standardize=True``.  CV and empirical
        Bayes scale the columns once, by their sd on all of X; the
        hierarchical model is fitted with ``standardize=True``.
    report_loo : bool, default=False
        Also put the PSIS-LOO (``arviz.loo``) of the posterior at the chosen scale
        beside the CV score: ``details["elpd_loo"]``, ``["loo"]`` (ArviZ's ELPDData)
        and ``["loo_model"]``; one more posterior fit, see :mod:`bayesreg.workflow._scale_loo`.
    exposure, offset : array-like of shape (n_samples,), optional
        For a likelihood with an offset (Poisson), as in
        :meth:`bayesreg.MAPRegressor.fit`: CV splits it with the rows (each
        fold's MAP and held-out deviance use it), the hierarchical posterior is
        fitted with it.

    Returns
    -------
    ScaleChoice, or dict of them for ``method="all"``

    Raises
    ------
    NotImplementedError
        ``method="empirical_bayes"`` for a prior or likelihood without a
        closed-form marginal likelihood.
    """
    check_bool(fit_intercept, "fit_intercept", "choose_scale")
    check_bool(standardize, "standardize", "choose_scale")
    check_bool(report_loo, "report_loo", "choose_scale")
    likelihood = get_likelihood(likelihood)
    passed = {"exposure": exposure, "offset": offset}
    if method == "all":
        methods = [m for m in METHODS if (m != "empirical_bayes" or _has_marginal(prior, likelihood))
                   and (m != "hierarchical" or not prior.has_per_feature_scale)]
        return {
            m: choose_scale(
                X, y, prior, m, sigma=sigma, likelihood=likelihood, scales=scales, cv=cv,
                fit_intercept=fit_intercept, hyperprior=hyperprior, sampler=sampler, draws=draws,
                tune=tune, chains=chains, random_seed=random_seed, standardize=standardize,
                report_loo=report_loo, **passed,
            )
            for m in methods
        }
    if report_loo:  # choose as usual, then score the posterior at the choice
        choice = choose_scale(
            X, y, prior, method, sigma=sigma, likelihood=likelihood, scales=scales, cv=cv,
            fit_intercept=fit_intercept, hyperprior=hyperprior, sampler=sampler, draws=draws,
            tune=tune, chains=chains, random_seed=random_seed, standardize=standardize, **passed,
        )
        offset = check_offset(likelihood, exposure, offset, np.shape(X)[0], "choose_scale")
        return with_loo(choice, X, y, sigma=sigma, likelihood=likelihood,
                        fit_intercept=fit_intercept, sampler=sampler, draws=draws, tune=tune,
                        chains=chains, random_seed=random_seed, standardize=standardize,
                        offset=offset)
    if method not in METHODS:
        raise ValueError(f"choose_scale: method must be one of {METHODS + ('all',)}, got {method!r}.")
    if not (isinstance(prior, Prior) and prior.has_map):
        raise TypeError(
            f"choose_scale: prior must be Normal, Laplace or ElasticNet, got {prior!r} "
            "(the horseshoe's global scale has no penalty to cross-validate)."
        )
    sigma = likelihood.sigma_for(sigma, "choose_scale")
    X, y, names = _check_data(X, y, likelihood)
    offset = check_offset(likelihood, exposure, offset, X.shape[0], "choose_scale")
    if method == "hierarchical":
        if prior.has_per_feature_scale:
            raise ValueError(f"choose_scale: method='hierarchical' learns one scale; {prior!r} has one "
                             "per feature. Use method='cv' or 'empirical_bayes' (they move its reference).")
        return _hierarchical(X, y, names, prior, sigma, likelihood, fit_intercept, hyperprior,
                             sampler, draws, tune, chains, random_seed, standardize, offset)
    if prior.is_hierarchical:
        raise ValueError(
            f"choose_scale: method={method!r} needs a prior with a fixed scale (the family), "
            f"got {prior!r}; the hyperprior is used only by method='hierarchical'."
        )
    X = ColumnScaling(X, standardize, "choose_scale", names).transform(X)
    per_feature = prior  # per-feature: the grid moves s_ref of s_j = c_j s_ref, on the columns c_j x_j
    if prior.has_per_feature_scale:
        prior.check_n_features(X.shape[1], "choose_scale")
        X, prior = X * prior.relative_scales, prior.at_reference_scale()
    scales = _scale_grid(X, y, likelihood) if scales is None else _positive_array(scales)
    choice = (_empirical_bayes(X, y, prior, sigma, likelihood, fit_intercept, scales)
              if method == "empirical_bayes" else
              _cross_validate(X, y, prior, sigma, likelihood, fit_intercept, scales, cv, random_seed,
                                             offset))
    return replace(choice, prior=per_feature.with_scale(choice.scale))


# ---------------------------------------------------------------------- helpers
def _check_data(X, y, likelihood):
    columns = getattr(X, "columns", None)
    names = None if columns is None else [str(c) for c in columns]
    X = check_array(X, dtype=np.float64, ensure_min_samples=3)
    y, _ = likelihood.check_target(y, "choose_scale")
    check_consistent_length(X, y)
    return X, y, names


def _positive_array(scales):
    scales = np.sort(np.asarray(scales, dtype=float).ravel())
    if scales.size < 2 or not np.all(np.isfinite(scales)) or np.any(scales <= 0):
        raise ValueError("choose_scale: scales must hold at least 2 finite positive values.")
    return scales


def _scale_grid(X, y, likelihood):
    spread_x = float(np.mean(X.std(axis=0)))
    # the noise sd on the scale of the linear predictor: sd(y), or the latent one
    spread_y = likelihood.latent_sd if likelihood.latent_sd is not None else float(np.std(y))
    t0 = (spread_y or 1.0) / (spread_x or 1.0)
    return t0 * np.logspace(-4, 2, 61)


def _with_scale(prior, scale):
    return prior.with_scale(float(scale))


def _has_marginal(prior, likelihood):
    """Whether p(y | scale, sigma) has a closed form: exactly where, at a fixed scale and
    sigma, the posterior of the coefficients is conjugate (the integral is Gaussian)."""
    fixed = prior if not prior.is_hierarchical else prior.with_scale(1.0)
    return fixed.has_conjugate_posterior(likelihood.name, True)


def _penalty_value(prior, n, sigma, likelihood):
    if not likelihood.has_library_penalty(prior):  # e.g. a Poisson lasso: glmnet's lambda
        prior = prior.given_sigma(sigma)  # a prior scaled by sigma: today's at sigma * scale
        strength = penalty_strength(prior.penalty_weights, likelihood.dispersion(sigma))
        return float(likelihood.penalty_parameter(strength, n, prior))
    pen = to_penalty(prior, n_samples=n, sigma=sigma, likelihood=likelihood)
    return pen[likelihood.penalty_name]


# ---------------------------------------------------------------------- CV
def _cross_validate(X, y, prior, sigma, likelihood, fit_intercept, scales, cv, random_state,
                    offset=None):
    n = X.shape[0]
    folds = _folds(cv, likelihood, random_state)
    if likelihood.has_sigma and sigma is None:
        sigma = estimate_sigma(X, y, fit_intercept=fit_intercept, likelihood=likelihood)
    if likelihood.map_route == "least_squares":
        pens = [to_penalty(_with_scale(prior, s), n_samples=n, sigma=sigma, likelihood=likelihood)
                for s in scales]
        # scikit-learn's own CV of the equivalent penalty: an independent solver and scorer
        estimator, params = _sklearn_cv(prior, pens, folds, fit_intercept)
        estimator.fit(X, y)
        chosen = from_penalty(prior.sklearn_regressor, n_samples=n, sigma=sigma,
                              **params(estimator))
        details = {"estimator": estimator}
    else:
        losses = _map_cv_loss(X, y, prior, scales, folds, fit_intercept, likelihood, sigma, offset)
        # the first minimum in increasing scale (= increasing C), as LogisticRegressionCV
        chosen = _with_scale(prior, scales[int(np.argmin(losses.mean(axis=0)))])
        # the likelihood's cv_loss: log loss (Bernoulli), mean deviance (Poisson)
        details = {"cv_log_loss": losses, "cv_loss": losses}
    chosen = _with_scale(prior, chosen.scale)
    return ScaleChoice(
        scale=float(chosen.scale), method="cv",
        alpha=_penalty_value(chosen, n, sigma, likelihood), prior=chosen, sigma=sigma,
        details={**details, "scales": scales},
    )


def _sklearn_cv(prior, pens, folds, fit_intercept):
    """scikit-learn's CV estimator of ``prior.sklearn_regressor`` over the mapped penalties,
    and how to read the chosen penalty off it (the arguments of :func:`from_penalty`)."""
    alphas = [pen["alpha"] for pen in pens]
    if prior.sklearn_regressor == "Ridge":
        return RidgeCV(alphas=alphas, cv=folds, fit_intercept=fit_intercept), _alpha_
    if prior.sklearn_regressor == "Lasso":
        return LassoCV(alphas=alphas, cv=folds, max_iter=100_000, tol=1e-8,
                       fit_intercept=fit_intercept), _alpha_
    # any other penalty: a grid search over its scikit-learn regressor's parameters
    regressor = getattr(linear_model, prior.sklearn_regressor)
    keys = [key for key in pens[0] if key != "estimator"]
    search = _grid_search(regressor(max_iter=100_000, tol=1e-8, fit_intercept=fit_intercept),
                          pens, keys, folds, "neg_mean_squared_error")
    return search, lambda est: est.best_params_


def _alpha_(estimator):
    return {"alpha": float(estimator.alpha_)}


def _grid_search(estimator, pens, keys, folds, scoring):
    # one grid point per scale: the elastic net's (alpha, l1_ratio) move together
    grid = [{k: [pen[k]] for k in keys} for pen in pens]
    return GridSearchCV(estimator, grid, cv=folds, scoring=scoring)


# ---------------------------------------------------------------------- empirical Bayes
def _empirical_bayes(X, y, prior, sigma, likelihood, fit_intercept, scales):
    if prior.scale_by_sigma:  # the marginal likelihood below is that of today's form
        raise NotImplementedError(
            f"choose_scale: empirical Bayes maximises the marginal likelihood of today's form "
            f"(scale_by_sigma=False); {prior!r} is scaled by sigma. Use method='cv' or "
            "'hierarchical', or choose the scale of the unscaled prior."
        )
    if not _has_marginal(prior, likelihood):
        raise NotImplementedError(
            f"choose_scale: empirical Bayes needs the marginal likelihood p(y | scale), which "
            f"has a closed form only for the Normal prior with a Gaussian likelihood; got "
            f"{type(prior).__name__} with likelihood={likelihood.name!r}, where the integral over "
            "the coefficients has no closed form. Use method='hierarchical' (the posterior "
            "of the scale, which integrates the coefficients by sampling) or method='cv'."
        )
    n = X.shape[0] - int(fit_intercept)  # dimensions left once a flat intercept is integrated out
    log_lo, log_hi = math.log(scales[0]), math.log(scales[-1])
    log_t, sigma_hat, curve = maximise_marginal_likelihood(X, y, scales, sigma, fit_intercept)
    if not log_lo + 1e-6 < log_t < log_hi - 1e-6:
        warnings.warn(
            f"choose_scale: the marginal likelihood is largest at the edge of the scales "
            f"searched (scale = {math.exp(log_t):.3g}); widen `scales`. A maximum at the small "
            "end means the data support no effect at all.",
            UserWarning,
            stacklevel=3,
        )
    chosen = _with_scale(prior, math.exp(log_t))
    return ScaleChoice(
        scale=float(chosen.scale), method="empirical_bayes",
        alpha=_penalty_value(chosen, n, sigma_hat, likelihood), prior=chosen, sigma=sigma_hat,
        details={"scales": scales, "log_marginal": curve},
    )


# ---------------------------------------------------------------------- hierarchical
def _hierarchical(X, y, names, prior, sigma, likelihood, fit_intercept, hyperprior, sampler, draws,
                  tune, chains, random_seed, standardize=False, offset=None):
    if hyperprior is None:
        hyperprior = prior.scale if prior.is_hierarchical else HalfCauchy(prior.scale)
    if not isinstance(hyperprior, Hyperprior):
        raise TypeError(f"choose_scale: hyperprior must be HalfCauchy(...) or HalfNormal(...), got {hyperprior!r}.")
    hierarchical = prior.with_scale(hyperprior)
    kwargs = dict(fit_intercept=fit_intercept, sampler=sampler, draws=draws, tune=tune,
                  chains=chains, random_seed=random_seed, progressbar=False,
                  standardize=standardize)
    model = posterior_estimator(hierarchical, likelihood, sigma, "choose_scale", **kwargs)
    if names is not None:
        import pandas as pd

        X = pd.DataFrame(X, columns=names)
    model.fit(X, y, **({} if offset is None else {"offset": offset}))
    posterior = model.idata_.posterior
    scale_draws = posterior["scale"].values.ravel()
    penalty_name = likelihood.penalty_name
    scale = float(np.median(scale_draws))
    return ScaleChoice(
        scale=scale, method="hierarchical",
        alpha=float(np.median(posterior[penalty_name].values)),
        prior=_with_scale(prior, scale),
        sigma=float(model.sigma_) if likelihood.has_sigma else None,
        details={"draws": scale_draws, "penalty_draws": posterior[penalty_name].values.ravel(),
                 "model": model},
    )
