"""The majorize-minimize route of the one MAP solver (priors that are not L1/L2 penalties).

The prior here is the Normal prior presented as a smooth prior without
penalty weights: its tangent quadratic is the penalty itself, so the MAP must
be scikit-learn's Ridge (and LogisticRegression) at the mapped penalty.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression, Ridge

import bayesreg as br
from bayesreg.model.priors import Prior


@dataclass(frozen=True)
class _SmoothNormal(Prior):
    """N(0, scale^2) without penalty weights: only its quadratic bound (test-local family)."""

    scale: float = 1.0
    is_convex = False

    @property
    def penalty_weights(self):
        raise ValueError("no penalty weights: a smooth prior")

    def _log_normalizer(self):
        return 0.5 * np.log(2 * np.pi * self.scale**2)

    def _penalty_terms(self, w):
        return 0.5 * (w / self.scale) ** 2

    def quadratic_bound_weights(self, w):
        return np.full(np.shape(w), 1.0 / self.scale**2)


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(5)
    X = rng.standard_normal((40, 6)) * [1, 10, 0.1, 1, 3, 1]
    y = X @ [1.0, 0.2, -4.0, 0.0, 0.5, 0.0] + rng.standard_normal(40)
    return X, y


def test_regressor_is_sklearn_ridge_at_the_mapped_alpha(data):
    X, y = data
    scale, sigma = 0.7, 1.3
    fit = br.MAPRegressor(_SmoothNormal(scale), sigma=sigma).fit(X, y)
    ridge = Ridge(alpha=sigma**2 / scale**2, tol=1e-12).fit(X, y)
    np.testing.assert_allclose(fit.coef_, ridge.coef_, rtol=1e-9, atol=1e-11)
    assert fit.intercept_ == pytest.approx(ridge.intercept_, rel=1e-9)
    assert fit.penalty_ is None  # no library penalty for a prior without penalty weights
    assert fit.n_iter_ <= 3  # a constant bound: one ridge step, one step to confirm


def test_classifier_is_sklearn_logistic_regression_at_the_mapped_c(data):
    X, y = data
    labels = (y > np.median(y)).astype(int)
    scale = 0.5
    fit = br.MAPClassifier(_SmoothNormal(scale)).fit(X, labels)
    reference = LogisticRegression(C=scale**2, tol=1e-12, max_iter=100_000).fit(X, labels)
    np.testing.assert_allclose(fit.coef_, reference.coef_[0], rtol=1e-5, atol=1e-7)


def test_map_path_rows_are_the_estimator_and_have_no_library_alpha(data):
    X, y = data
    scales = [0.1, 1.0, 10.0]
    path = br.map_path(X, y, _SmoothNormal(), scales, sigma=1.0)
    for row, scale in zip(path.coefs, scales):
        np.testing.assert_allclose(row, Ridge(alpha=1.0 / scale**2, tol=1e-12).fit(X, y).coef_,
                                   rtol=1e-9, atol=1e-11)
    assert np.all(np.isnan(path.alphas)) and path.penalties == [None] * 3


def test_a_bound_that_never_settles_warns():
    @dataclass(frozen=True)
    class _Oscillating(_SmoothNormal):
        def quadratic_bound_weights(self, w):  # not a valid bound: w jumps between 0 and 2
            return np.where(np.asarray(w) > 1, 1e6, 1e-6)

    rng = np.random.default_rng(0)
    X = rng.standard_normal((30, 1))
    y = 2.0 * X[:, 0] + 0.1 * rng.standard_normal(30)
    with pytest.warns(ConvergenceWarning, match="majorize-minimize"):
        br.MAPRegressor(_Oscillating(1.0), sigma=1.0, max_iter=20).fit(X, y)
