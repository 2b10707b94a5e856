"""Example data sets."""

import numpy as np
import pytest
from sklearn.datasets import load_diabetes as sk_load_diabetes

from bayesreg import datasets


def test_diabetes_is_standardised_with_names():
    X, y = datasets.load_diabetes()
    assert X.shape == (442, 10) and y.shape == (442,)
    assert list(X.columns) == ["age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6"]
    np.testing.assert_allclose(X.mean(), 0, atol=1e-12)
    np.testing.assert_allclose(X.std(ddof=0), 1, rtol=1e-12)
    raw = sk_load_diabetes(scaled=False)
    np.testing.assert_array_equal(y, raw.target)
    np.testing.assert_allclose(X["bmi"] * raw.data[:, 2].std() + raw.data[:, 2].mean(), raw.data[:, 2])


def test_sparse_regression_has_known_truth():
    X, y, coef = datasets.make_sparse_regression(500, 30, 4, noise=0.5, random_state=0)
    assert X.shape == (500, 30) and np.count_nonzero(coef) == 4
    assert np.all((np.abs(coef[coef != 0]) >= 1) & (np.abs(coef[coef != 0]) <= 3))
    resid = y - X @ coef
    assert resid.std() == pytest.approx(0.5, rel=0.1)  # sd of 500 N(0, 0.25) draws: ~3% error
    again = datasets.make_sparse_regression(500, 30, 4, noise=0.5, random_state=0)
    np.testing.assert_array_equal(again[1], y)


@pytest.mark.parametrize(
    "kwargs, match",
    [({"n_samples": 0}, "n_samples"), ({"n_informative": 50}, "n_informative"), ({"noise": -1}, "noise")],
)
def test_sparse_regression_bad_input(kwargs, match):
    with pytest.raises(ValueError, match=match):
        datasets.make_sparse_regression(**{"n_samples": 10, "n_features": 20, **kwargs})
