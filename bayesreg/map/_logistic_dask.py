r"""The logistic MAP on Dask rows: proximal Newton (IRLS) with one distributed pass per step.

glmnet's scheme for a GLM: at the current coefficients, one pass over the
rows computes the weighted cross-products of the quadratic model of the loss
(:math:`A^\top W A`, the gradient :math:`A^\top(p - y)`, from which
:math:`A^\top W z` follows, and the loss itself); the penalized quadratic is
minimised on the client by coordinate descent on (p+1) x (p+1) numbers
(:func:`._proximal_newton.penalized_quadratic_min`); the step is accepted when the
penalized deviance decreases enough (Armijo). The pass that evaluates a trial
point also gives the next quadratic model, so a step costs one pass (a
backtracking halving costs one more).

It is the in-memory solver of :mod:`._logistic` step for step (one
:func:`._proximal_newton.proximal_newton` loop) -- the same
design :math:`A = [1, (X - \bar x)/d]`, the same damping, the same
stopping rule (every KKT condition to ``tol * n``) -- so the two give the same
MAP to rounding. Before the Newton passes, one pass reads n, the column
moments (for the centring and ``standardize``) and the labels.

Which passes a likelihood offers is its own business
(``likelihood.rows_summary`` / ``newton_pass``); this module only drives them.
"""

from __future__ import annotations

import numpy as np
from scipy import special

from ..model._dask_passes import DaskRows, pass_progress
from ..model.column_scaling import ColumnScaling
from ._proximal_newton import back_to_original, proximal_newton

__all__ = ["DaskMAP", "logistic_map_on_dask"]


class DaskMAP:
    """What :func:`logistic_map_on_dask` found: the MAP, the labels and the passes it took."""

    def __init__(self, coef, intercept, n_iter, n_passes, summary, feature_names):
        self.coef, self.intercept, self.n_iter, self.n_passes = coef, intercept, n_iter, n_passes
        self.summary, self.feature_names = summary, feature_names


def per_feature_weights(prior, scaling, n_features):
    r"""The penalty ``(l1_j, l2_j)`` on the coefficients of X's own columns.

    A per-feature prior's scales :math:`s_j = c_j s_{ref}` and ``standardize``'s
    column sd :math:`s'_j` move the reference weights to
    :math:`\ell_1 s'_j / c_j` and :math:`\ell_2 s'^2_j / c_j^2` (the same
    problem :func:`~bayesreg.map.solve.solve_map` solves on scaled columns).
    """
    l1, l2 = (float(v) for v in prior.at_reference_scale().penalty_weights)
    factors = prior.relative_scales
    factors = np.ones(n_features) if factors is None else np.asarray(factors, float)
    scales = np.ones(n_features) if scaling.scales is None else scaling.scales
    return l1 * scales / factors, l2 * (scales / factors) ** 2


def logistic_map_on_dask(X, y, prior, likelihood, *, fit_intercept, standardize, tol, max_iter,
                         progressbar, owner):
    """The MAP of a logistic regression of Dask ``y`` on Dask ``X`` under a convex ``prior``.

    Returns
    -------
    DaskMAP
    """
    if not prior.is_convex or prior.penalty_uses_data:
        raise ValueError(
            f"{owner}.fit: on Dask data the MAP is built for the L1/L2 priors (Normal, Laplace, "
            f"ElasticNet); {prior!r} needs the rows in memory. Fit on X.compute(), y.compute() "
            "(or a random sample of rows), or use one of those priors."
        )
    rows = DaskRows(X, y, owner)
    prior.check_n_features(rows.n_features, "the MAP")
    with pass_progress(progressbar, "Dask logistic MAP") as advance:
        summary = likelihood.rows_summary(rows, owner)
        advance("moments and labels")
        scaling = ColumnScaling(summary, standardize, owner, rows.feature_names)
        l1, l2 = per_feature_weights(prior.given_sigma(None), scaling, rows.n_features)
        k = int(fit_intercept)
        if np.isinf(l1).any() or np.isinf(l2).any():  # the MAP is exactly zero
            intercept = float(special.logit(summary.y_mean)) if fit_intercept else 0.0
            return DaskMAP(np.zeros(rows.n_features), intercept, 1, 1, summary, rows.feature_names)
        centre = summary.x_mean if fit_intercept else np.zeros(rows.n_features)
        d = summary.column_sd if fit_intercept else np.sqrt(summary.column_sd**2 + summary.x_mean**2)
        d = np.where(d == 0.0, 1.0, d)  # an all-zero (centred) column: its coefficient stays 0
        lam = np.concatenate([np.zeros(k), l1 / d])
        mu = np.concatenate([np.zeros(k), l2 / d**2])
        theta = np.zeros(rows.n_features + k)
        if fit_intercept:
            theta[0] = special.logit(summary.y_mean)

        def penalized_pass(t):
            loss, grad, hess = likelihood.newton_pass(rows, summary, centre, d, fit_intercept, t)
            return loss + lam @ np.abs(t) + 0.5 * mu @ t**2, grad + mu * t, hess

        passes = LastPass(penalized_pass)
        theta, n_iter = proximal_newton(
            passes.objective, passes.gradient, passes.hessian, theta, lam, mu, tol=tol,
            scale=summary.n_samples, max_iter=max_iter, what="logistic MAP on Dask data",
            advance=advance,
        )
    coef, intercept = back_to_original(theta, d, centre, fit_intercept)
    return DaskMAP(coef, intercept, n_iter, passes.count + 1, summary, rows.feature_names)


class LastPass:
    """The objective, gradient and Hessian at a point: one Dask pass gives all three.

    The proximal-Newton loop asks for them one at a time (the objective at
    each trial point, then the gradient and Hessian at the accepted one), so
    the last pass's results are kept and a new pass runs only at a new point.
    ``count`` is the number of passes run.
    """

    def __init__(self, run):
        self._run = run
        self._theta, self._result, self.count = None, None, 0

    def _at(self, theta):
        if self._theta is None or not np.array_equal(self._theta, theta):
            self._result = self._run(theta)
            self._theta, self.count = theta.copy(), self.count + 1
        return self._result

    def objective(self, theta):
        return self._at(theta)[0]

    def gradient(self, theta):
        return self._at(theta)[1]

    def hessian(self, theta):
        return self._at(theta)[2]
