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


# ---------------------------------------------------------------- posterior fixtures
# Compilation dominates (about 10 s per model), so every sampled model is built
# once per session and shared; draws are as small as the stated tolerances allow.

SIGMA_DIABETES = 54.0


@pytest.fixture(scope="session")
def small_gaussian():
    """n = 60, p = 3 with known truth: small enough for PyMC's own NUTS to be quick."""
    rng = np.random.default_rng(11)
    X = rng.normal(size=(60, 3))
    y = 1.5 + X @ np.array([1.0, -0.5, 0.0]) + rng.normal(size=60)
    return X, y


@pytest.fixture(scope="session")
def laplace_posterior(diabetes):
    """The diabetes Bayesian lasso, fixed scale and sigma, nutpie."""
    X, y = diabetes
    return br.PosteriorRegressor(
        br.Laplace(scale=1.0), sigma=SIGMA_DIABETES, sampler="nutpie", draws=1500, chains=4,
        random_seed=20261123, progressbar=False,
    ).fit(X, y)


@pytest.fixture(scope="session")
def hierarchical_lasso_posterior(diabetes):
    """The diabetes lasso with a learned scale (HalfCauchy(1)) and learned sigma, nutpie."""
    X, y = diabetes
    return br.PosteriorRegressor(
        br.Laplace(scale=br.HalfCauchy(1.0)), sampler="nutpie", random_seed=11, progressbar=False
    ).fit(X, y)
