"""Cross-validation of the MAP on a likelihood's own loss (``Likelihood.cv_loss``)."""

from __future__ import annotations

import numpy as np
from sklearn.model_selection import KFold, StratifiedKFold

from ..map import map_path

__all__ = ["folds_for", "map_cv_loss"]


def folds_for(cv, likelihood, random_state):
    """Shuffled folds, stratified for a likelihood of class labels (``stratified_folds``)."""
    kind = StratifiedKFold if likelihood.stratified_folds else KFold
    return kind(n_splits=cv, shuffle=True, random_state=random_state)


def map_cv_loss(X, y, prior, scales, folds, fit_intercept, likelihood, sigma=None, offset=None):
    """Held-out mean loss (``likelihood.cv_loss``) of the MAP, shape (n_folds, n_scales).

    A likelihood with a noise scale is fitted and scored at the one ``sigma`` of
    the whole data (given, or estimated once), so the folds compare prior scales
    only: the Student-t's deviance, the Laplace's mean absolute error.  A
    likelihood's learned parameters (a Student-t's df) are those of each
    training fold's MAP at that scale (their mode given its residuals).  A
    known ``offset`` (log exposure) is split with the rows.

    Each training fold's MAPs come from one warm-started :func:`map_path` (the
    one MAP solver), so equal seeds give equal answers and every fit converges
    -- unlike SAGA, which draws from numpy's global generator.
    """
    losses = np.empty((folds.get_n_splits(), scales.size))
    for k, (train, test) in enumerate(folds.split(X, y)):
        path = map_path(X[train], y[train], prior, scales, likelihood=likelihood,
                        fit_intercept=fit_intercept, sigma=sigma,
                        offset=None if offset is None else offset[train])
        eta = path.intercepts[:, None] + path.coefs @ X[test].T  # (n_scales, n_test)
        if offset is not None:
            eta += offset[test]
        fitted = [likelihood] * scales.size
        if likelihood.learned_parameters:  # each scale's MAP has its own value of them
            train_eta = path.intercepts[:, None] + path.coefs @ X[train].T
            fitted = [likelihood.conditional_mode(y[train] - row, sigma) for row in train_eta]
        losses[k] = [lik.cv_loss(y[test], row, sigma) for lik, row in zip(fitted, eta)]
    return losses
