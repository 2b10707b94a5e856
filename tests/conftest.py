"""Shared fixtures and the registry of priors that the generic tests walk."""

import numpy as np
import pytest

import bayesreg as br

#: Every prior with a finite MAP, at a few parameter values.
MAP_PRIORS = [
    br.Normal(scale=0.7),
    br.Normal(scale=5.0),
    br.Laplace(scale=0.3),
    br.Laplace(scale=2.0),
    br.ElasticNet(scale=1.0, l1_ratio=0.5),
    br.ElasticNet(scale=0.2, l1_ratio=0.9),
    br.ElasticNet(scale=8.0, l1_ratio=0.1),
]


@pytest.fixture(scope="session")
def diabetes():
    return br.datasets.load_diabetes()


@pytest.fixture(scope="session")
def wide_problem():
    """A p > n regression with known truth (n = 40, p = 120, 5 informative)."""
    return br.datasets.make_sparse_regression(
        n_samples=40, n_features=120, n_informative=5, noise=1.0, random_state=3
    )
