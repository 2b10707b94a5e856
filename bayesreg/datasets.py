"""Example data: shipped with scikit-learn or generated, so everything works offline."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn import datasets as _sk_datasets
from sklearn.utils import check_random_state

__all__ = ["load_diabetes", "make_sparse_regression"]


def load_diabetes():
    """The diabetes data of Efron et al. (2004): 442 patients, 10 baseline variables.

    The columns of X are standardised (mean 0, standard deviation 1 with the
    1/n convention, as ``sklearn.preprocessing.StandardScaler``), so one prior
    scale suits every coefficient; y (disease progression after one year) is
    left in its original units.

    Returns
    -------
    X : pandas.DataFrame of shape (442, 10)
        Columns ``age, sex, bmi, bp, s1, ..., s6``.
    y : pandas.Series of shape (442,)
        Named ``"progression"``.
    """
    raw = _sk_datasets.load_diabetes(scaled=False)
    X = pd.DataFrame(raw.data, columns=raw.feature_names)
    X = (X - X.mean()) / X.std(ddof=0)
    y = pd.Series(raw.target, name="progression")
    return X, y


def make_sparse_regression(
    n_samples=100, n_features=200, n_informative=10, noise=1.0, random_state=None
):
    """A linear regression with a few non-zero coefficients and known truth.

    X has independent standard-normal entries; ``n_informative`` coefficients,
    at random positions, have random signs and magnitudes uniform on [1, 3];
    the rest are exactly zero; ``y = X @ coef + noise * N(0, 1)`` (no intercept).

    Parameters
    ----------
    n_samples, n_features, n_informative : int
    noise : float, default=1.0
        Noise standard deviation (the true sigma).
    random_state : int, numpy.random.Generator or None

    Returns
    -------
    X : ndarray of shape (n_samples, n_features)
    y : ndarray of shape (n_samples,)
    coef : ndarray of shape (n_features,)
        The true coefficients.
    """
    for name, value in (("n_samples", n_samples), ("n_features", n_features)):
        if int(value) != value or value < 1:
            raise ValueError(f"{name} must be a positive integer, got {value!r}.")
    if not 0 <= n_informative <= n_features:
        raise ValueError(
            f"n_informative must lie in [0, n_features={n_features}], got {n_informative!r}."
        )
    if not noise >= 0:
        raise ValueError(f"noise must be >= 0, got {noise!r}.")
    rng = check_random_state(random_state) if not isinstance(random_state, np.random.Generator) else random_state
    X = rng.standard_normal((n_samples, n_features))
    coef = np.zeros(n_features)
    support = rng.choice(n_features, size=n_informative, replace=False)
    signs = rng.choice([-1.0, 1.0], size=n_informative)
    coef[support] = signs * rng.uniform(1.0, 3.0, size=n_informative)
    y = X @ coef + noise * rng.standard_normal(n_samples)
    return X, y, coef
