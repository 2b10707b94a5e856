r"""The one MAP solver: every estimator, path, scale search and widget calls it.

:func:`solve_map` takes the prior at one or more scales and the likelihood
object, and returns the MAP at each: a convex prior through its penalty weights
:math:`(\ell_1, \ell_2)`, a smooth non-convex one by majorize-minimize over the
same routes.
The likelihood's :attr:`~bayesreg.model.likelihoods.Likelihood.map_route` names
the route; every guard of a route lives here, once:

``"least_squares"`` (Gaussian)
    The MAP minimises :math:`\tfrac12\lVert y_c - X_c w\rVert^2 + \sigma^2
    (\ell_1\lVert w\rVert_1 + \tfrac{\ell_2}2\lVert w\rVert^2)` on centred data.
    In this order: exact zeros where zero is the MAP (the weight at or above
    ``alpha_max``, or infinite); closed-form ridge where the L1 part is
    negligible (one SVD for several scales); the exact signed normal equations
    for a nearly flat L1 prior; else scikit-learn's coordinate descent at
    ``alpha = total / n`` and ``l1_ratio`` of
    :func:`~bayesreg.model.mapping.penalty_strength`, warm-started from the
    strongest penalty to the weakest.
``"logistic"`` (Bernoulli-logit)
    Proximal Newton on standardised columns (:mod:`._logistic`), exact zeros
    at or above ``alpha_max``; warm-started from the strongest penalty.
``"poisson"`` (Poisson, log link)
    The same proximal Newton for the Poisson loss (:mod:`._poisson`), with
    the known ``offset`` (log exposure) added to the linear predictor.
"""

from __future__ import annotations

import warnings
from typing import NamedTuple

import numpy as np
from scipy import linalg
from sklearn.exceptions import ConvergenceWarning

from ..model.mapping import penalty_strength
from ..model.sufficient_statistics import SufficientStatistics
from ._poisson import poisson_map
from ._solvers import (
    center,
    fit_logistic,
    l1_is_negligible,
    least_squares_weights,
    least_squares_zero_is_map,
    make_enet,
    ridge_coef,
    ridge_path_coefs,
    small_l1_coef,
)
from ._statistics_solver import least_squares_from_statistics

__all__ = ["MAPSolution", "solve_map", "unpenalized_coef"]


class MAPSolution(NamedTuple):
    """The MAP at each scale: ``coefs`` (k, p), ``intercepts`` (k,), ``n_iter`` (k,)."""

    coefs: np.ndarray
    intercepts: np.ndarray
    n_iter: np.ndarray


def solve_map(X, y, priors, likelihood, *, sigma=None, fit_intercept=True, tol=1e-10,
              max_iter=100_000, offset=None):
    r"""The MAP estimate under each prior in ``priors`` (typically one family at several scales).

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features), float64, validated; or SufficientStatistics
        For a likelihood with sufficient statistics (the Gaussian) the
        statistics may stand for the rows (then ``y`` is None): the MAP on
        them equals the MAP on the rows (:mod:`._statistics_solver`).
    y : ndarray of shape (n_samples,) or None
        The target as the likelihood's model uses it
        (:meth:`~bayesreg.model.likelihoods.Likelihood.check_target`).
    priors : sequence of Prior
        Fixed-scale priors with a MAP, in any order.  A convex L1/L2 prior is
        solved from its :attr:`~bayesreg.model.priors.Prior.penalty_weights`;
        a smooth non-convex one (``is_convex`` False) by majorize-minimize.
    likelihood : Likelihood
        The likelihood object; its ``map_route`` selects the solver.
    sigma : float or None
        The noise scale, for a likelihood that has one (``has_sigma``).
    fit_intercept : bool, default=True
    tol, max_iter
        Solver tolerance and iteration limit.
    offset : ndarray of shape (n_samples,) or None
        A known term of the linear predictor (``log(exposure)``), for a
        likelihood that takes one (``accepts_offset``).

    Returns
    -------
    MAPSolution
    """
    # a prior scaled by sigma is, at the fixed sigma of a MAP, today's prior at sigma * scale
    # (raises its own explanation for a likelihood without sigma)
    priors = [prior.given_sigma(sigma) for prior in priors]
    if isinstance(X, SufficientStatistics):  # the data as statistics (the Gaussian's route only)
        if not likelihood.has_sufficient_statistics:
            likelihood.sufficient_statistics(None, None)  # its clear refusal
        return _solve(_least_squares_statistics, X, None, priors, likelihood, sigma, fit_intercept,
                      tol, max_iter)
    try:
        route = _ROUTES[likelihood.map_route]
    except KeyError:
        raise ValueError(
            f"no MAP solver for the route {likelihood.map_route!r} of {likelihood!r}; "
            f"bayesreg.map knows {sorted(_ROUTES)}."
        ) from None
    if offset is not None:
        if not likelihood.accepts_offset:
            raise ValueError(f"the {likelihood.label} likelihood takes no offset or exposure.")
        route = _with_offset(route, offset)
    return _solve(route, X, y, priors, likelihood, sigma, fit_intercept, tol, max_iter)


def _solve(route, X, y, priors, likelihood, sigma, fit_intercept, tol, max_iter):
    for prior in priors:
        prior.check_n_features(_n_features(X), "the MAP")
    convex = [i for i, prior in enumerate(priors) if prior.is_convex]
    coefs = np.zeros((len(priors), _n_features(X)))
    intercepts, n_iter = np.zeros(len(priors)), np.zeros(len(priors), dtype=int)
    for factors, group in _by_relative_scales(priors, convex):
        # per-feature scales s_j = c_j s_ref: the common-scale prior on the columns c_j x_j,
        # then w_j = c_j v_j (bayesreg.model._per_feature); c = None for a scalar scale
        weights = [tuple(float(v) for v in priors[i].at_reference_scale().penalty_weights) for i in group]
        data = X if factors is None else _scale_columns(X, factors)
        solution = route(data, y, weights, likelihood, sigma, fit_intercept, tol, max_iter)
        coefs[group] = solution.coefs if factors is None else solution.coefs * factors
        intercepts[group], n_iter[group] = solution.intercepts, solution.n_iter
    for i, prior in enumerate(priors):
        if prior.penalty_uses_data:
            coefs[i], intercepts[i], n_iter[i] = _generalized_ridge(
                X, y, prior, likelihood, sigma, fit_intercept
            )
        elif not prior.is_convex:
            coefs[i], intercepts[i], n_iter[i] = _majorize_minimize(
                route, X, y, prior, likelihood, sigma, fit_intercept, tol, max_iter
            )
    return MAPSolution(coefs, intercepts, n_iter)


def _generalized_ridge(X, y, prior, likelihood, sigma, fit_intercept):
    r"""The MAP under a penalty :math:`w^\top Q w / 2` whose :math:`Q` depends on the data.

    Gaussian likelihood only: the normal equations
    :math:`(X_c^\top X_c/\sigma^2 + Q)\,w = X_c^\top y_c/\sigma^2`, solved once.
    """
    if likelihood.map_route != "least_squares" or sigma is None:
        raise ValueError(
            f"the MAP under {prior!r} is defined for the Gaussian likelihood only (its penalty "
            f"is built from the noise scale sigma); got {likelihood!r}. Use MAPRegressor."
        )
    Xc, yc, x_mean, y_mean = center(X, y, fit_intercept)
    Q = prior.quadratic_penalty_matrix(Xc, sigma)
    coef = linalg.solve(Xc.T @ Xc / sigma**2 + Q, Xc.T @ yc / sigma**2, assume_a="pos")
    return coef, y_mean - coef @ x_mean, 1


def _majorize_minimize(route, X, y, prior, likelihood, sigma, fit_intercept, tol, max_iter):
    r"""The MAP under a smooth non-convex prior: iteratively reweighted ridge from zero.

    At the current coefficients :math:`\tilde w` the prior gives the weights
    :math:`c_j` of a quadratic above its penalty that touches it at :math:`\tilde w`
    (:meth:`~bayesreg.model.priors.Prior.quadratic_bound_weights`).  The
    negative log likelihood plus that quadratic is a ridge problem with one
    weight per coefficient, i.e. the ridge of weight 1 on the columns
    :math:`x_j/\sqrt{c_j}`, solved by the likelihood's own route; no step can
    raise the objective (the MM principle; for the Student-t prior it is the EM
    algorithm of its normal scale mixture, as in Gelman et al.'s ``bayesglm``).
    It stops at a stationary point: a mode, possibly not the highest one.
    """
    coef = np.zeros(_n_features(X))
    steps = min(max_iter, 10_000)  # each step is a whole ridge fit
    for step in range(1, steps + 1):
        column_scale = 1.0 / np.sqrt(prior.quadratic_bound_weights(coef))
        scaled = route(_scale_columns(X, column_scale), y, [(0.0, 1.0)], likelihood, sigma, fit_intercept,
                       tol, max_iter)
        new = scaled.coefs[0] * column_scale
        moved = np.max(np.abs(new - coef), initial=0.0)
        coef = new
        if moved <= tol * (1.0 + np.max(np.abs(coef), initial=0.0)):
            return coef, scaled.intercepts[0], step
    warnings.warn(
        f"The MAP under {prior!r} did not converge in {steps} majorize-minimize steps "
        f"(last move {moved:.3g}); raise max_iter or tol.",
        ConvergenceWarning,
        stacklevel=4,
    )
    return coef, scaled.intercepts[0], steps


def _by_relative_scales(priors, indices):
    """``indices`` grouped by the priors' relative scales (one warm-started path per group)."""
    groups = {}
    for i in indices:
        factors = priors[i].relative_scales
        key = None if factors is None else factors.tobytes()
        groups.setdefault(key, (factors, []))[1].append(i)
    return list(groups.values())


def _n_features(X):
    return X.n_features if isinstance(X, SufficientStatistics) else X.shape[1]


def _scale_columns(X, factors):
    """The data with columns multiplied by ``factors`` (rows or statistics)."""
    return X.scale_columns(factors) if isinstance(X, SufficientStatistics) else X * factors
def unpenalized_coef(X, y, likelihood, fit_intercept=True, offset=None):
    """The maximum-likelihood coefficients (no penalty) by the likelihood's route, or NaN.

    NaN where the maximum does not exist or is not reached (the route warns then).
    """
    route = _ROUTES[likelihood.map_route]
    if offset is not None:
        route = _with_offset(route, offset)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        try:
            coef = route(X, y, [(0.0, 0.0)], likelihood, None, fit_intercept, 1e-10, 1000).coefs[0]
        except (ConvergenceWarning, ValueError, np.linalg.LinAlgError):
            return np.full(X.shape[1], np.nan)
    return coef if np.all(np.isfinite(coef)) else np.full(X.shape[1], np.nan)


def _with_offset(route, offset):
    """``route`` with the known offset of the linear predictor passed on."""

    def solve(*args):
        return route(*args, offset=offset)

    return solve


def _strongest_first(weights):
    """The order of a warm-started path: from the largest total weight down (zeros first)."""
    return np.argsort([-(l1 + l2) for l1, l2 in weights], kind="stable")


def _least_squares(X, y, weights, likelihood, sigma, fit_intercept, tol, max_iter):
    Xc, yc, x_mean, y_mean = center(X, y, fit_intercept)
    n, p = Xc.shape
    scaled = [least_squares_weights(l1, l2, sigma) for l1, l2 in weights]
    coefs = np.zeros((len(weights), p))
    n_iter = np.ones(len(weights), dtype=int)  # one KKT check, or one direct solve
    zero = np.array([least_squares_zero_is_map(Xc, yc, a1, a2) for a1, a2 in scaled])
    ridge = ~zero & np.array([l1_is_negligible(l1, l2) for l1, l2 in weights])
    rows = np.flatnonzero(ridge)
    if rows.size == 1:  # one direct solve; several scales share one SVD
        coefs[rows[0]] = ridge_coef(Xc, yc, scaled[rows[0]][1])
    elif rows.size > 1:
        coefs[rows] = ridge_path_coefs(Xc, yc, [scaled[i][1] for i in rows])
    solver = None
    for i in _strongest_first(weights):
        if zero[i] or ridge[i]:
            continue
        small = small_l1_coef(Xc, yc, *scaled[i])  # a nearly flat prior: exact, where it applies
        if small is not None:
            coefs[i] = small
            continue
        strength = penalty_strength(weights[i], likelihood.dispersion(sigma))
        if solver is None:
            solver = make_enet(1.0, 1.0, tol, max_iter, warm_start=True)
        solver.set_params(alpha=strength.total / n, l1_ratio=strength.l1_ratio)
        coefs[i] = solver.fit(Xc, yc).coef_ + 0.0  # + 0.0 turns -0.0 into 0.0
        n_iter[i] = solver.n_iter_
    return MAPSolution(coefs, y_mean - coefs @ x_mean, n_iter)


def _least_squares_statistics(stats, y, weights, likelihood, sigma, fit_intercept, tol, max_iter):
    """The least-squares route on :class:`SufficientStatistics` (see :mod:`._statistics_solver`)."""
    return MAPSolution(*least_squares_from_statistics(
        stats, weights, likelihood, sigma, fit_intercept, tol, max_iter, _strongest_first(weights)))


def _warm_started_path(fit_one, weights, n_features):
    """``fit_one(l1, l2, init) -> (coef, intercept, n_iter)`` along ``weights``, strongest
    penalty first, each fit warm-started at the previous one (a GLM's path)."""
    coefs = np.zeros((len(weights), n_features))
    intercepts = np.zeros(len(weights))
    n_iter = np.zeros(len(weights), dtype=int)
    init = None
    for i in _strongest_first(weights):
        coefs[i], intercepts[i], n_iter[i] = fit_one(*weights[i], init)
        init = (coefs[i], intercepts[i])
    return MAPSolution(coefs, intercepts, n_iter)


def _logistic(X, y01, weights, likelihood, sigma, fit_intercept, tol, max_iter):
    return _warm_started_path(
        lambda l1, l2, init: fit_logistic(X, y01, l1, l2, fit_intercept, tol, max_iter, init=init),
        weights, X.shape[1])


def _poisson(X, y, weights, likelihood, sigma, fit_intercept, tol, max_iter, offset=None):
    return _warm_started_path(
        lambda l1, l2, init: poisson_map(X, y, l1, l2, fit_intercept, tol, max_iter, init=init,
                                         offset=offset),
        weights, X.shape[1])


#: The solver of each :attr:`~bayesreg.model.likelihoods.Likelihood.map_route`.
_ROUTES = {"least_squares": _least_squares, "logistic": _logistic, "poisson": _poisson}

# the robust likelihoods' routes, whose steps are weighted least-squares fits
from ._robust import robust_routes  # noqa: E402 (needs _least_squares above)

_ROUTES.update(robust_routes(_least_squares))
