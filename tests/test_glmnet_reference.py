"""bayesreg's glmnet convention against recorded R glmnet fits.

The numbers in ``validation/glmnet/glmnet_reference.json`` were written by
``validation/glmnet/record_glmnet.R`` (R 4.2.2, glmnet 4.1-6 from Debian 12's
``r-cran-glmnet 4.1-6-1``; ``thresh=1e-24``) on the data of
``validation/glmnet/diabetes.csv``, which ``export_diabetes.py`` wrote from
``bayesreg.datasets.load_diabetes()``.  The tests never call R.

Each ``standardize=FALSE`` fit is mapped to a prior with
``from_penalty("glmnet", ...)``; the MAP estimate under that prior (and
scikit-learn at the mapped alpha) must give glmnet's coefficients.  The
``standardize=TRUE`` fits are checked in ``tests/test_standardize.py`` (against
the estimators' ``standardize=True``); the ``penalty.factor`` fits are recorded
for later work and only checked for being there.
"""

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import ElasticNet as SkElasticNet
from sklearn.linear_model import Lasso, Ridge

import bayesreg as br

HERE = Path(__file__).resolve().parents[1] / "validation" / "glmnet"
REFERENCE = json.loads((HERE / "glmnet_reference.json").read_text())
FITS = {fit["id"]: fit for fit in REFERENCE["fits"]}
PLAIN = [f for f in REFERENCE["fits"] if not f["standardize"] and f["penalty_factor"] is None]
SIGMA = 3.0  # any fixed noise sd: the mapping is exact at a fixed sigma


@pytest.fixture(scope="module")
def data():
    X, y = br.datasets.load_diabetes()
    return X.to_numpy(), y.to_numpy(), (y > y.median()).astype(int).to_numpy()


def test_reference_file_says_where_it_came_from(data):
    assert REFERENCE["glmnet_version"] == "4.1.6"
    assert REFERENCE["debian_package"] == "r-cran-glmnet 4.1-6-1"
    assert REFERENCE["script"] == "validation/glmnet/record_glmnet.R"
    # R fitted exactly bayesreg's diabetes data (the csv is written at 17 digits)
    X, y, y_binary = data
    table = pd.read_csv(HERE / "diabetes.csv")
    np.testing.assert_array_equal(table[REFERENCE["features"]].to_numpy(), X)
    np.testing.assert_array_equal(table["y"].to_numpy(), y)
    np.testing.assert_array_equal(table["y_binary"].to_numpy(), y_binary)
    # the later issues' cases are recorded too
    assert sum(f["standardize"] for f in REFERENCE["fits"]) >= 5
    assert sum(f["penalty_factor"] is not None for f in REFERENCE["fits"]) >= 4


def _mapped_prior(fit, y):
    params = {"lambda": fit["lambda"], "alpha": fit["alpha"]}
    if fit["family"] == "binomial":
        return br.from_penalty("glmnet", n_samples=y.size, family="binomial", **params)
    return br.from_penalty("glmnet", n_samples=y.size, sigma=SIGMA, family="gaussian",
                           y_sd=float(np.std(y)), **params)


@pytest.mark.parametrize("fit", PLAIN, ids=lambda f: f["id"])
def test_map_under_the_mapped_prior_is_glmnets_fit(fit, data):
    X, y, y_binary = data
    prior = _mapped_prior(fit, y)
    if fit["alpha"] == 1.0:
        assert type(prior) is br.Laplace
    elif fit["alpha"] == 0.0:
        assert type(prior) is br.Normal
    if fit["family"] == "binomial":
        model = br.MAPClassifier(prior).fit(X, y_binary)
    else:
        model = br.MAPRegressor(prior, sigma=SIGMA).fit(X, y)
    np.testing.assert_allclose(np.ravel(model.coef_), fit["coef"], atol=1e-6)
    np.testing.assert_allclose(np.ravel(model.intercept_)[0], fit["intercept"], atol=1e-6)
    # zeros where glmnet has zeros
    np.testing.assert_array_equal(np.ravel(model.coef_) == 0, np.asarray(fit["coef"]) == 0)


@pytest.mark.parametrize("fit", [f for f in PLAIN if f["family"] == "gaussian"], ids=lambda f: f["id"])
def test_sklearn_at_the_mapped_alpha_is_glmnets_fit(fit, data):
    """to_penalty of the mapped prior gives scikit-learn the same fit as glmnet's."""
    X, y, _ = data
    penalty = br.to_penalty(_mapped_prior(fit, y), n_samples=y.size, sigma=SIGMA)
    if penalty["estimator"] == "Ridge":
        model = Ridge(alpha=penalty["alpha"])
    elif penalty["estimator"] == "Lasso":
        model = Lasso(alpha=penalty["alpha"], tol=1e-14, max_iter=1_000_000)
    else:
        model = SkElasticNet(alpha=penalty["alpha"], l1_ratio=penalty["l1_ratio"], tol=1e-14,
                             max_iter=1_000_000)
    model.fit(X, y)
    np.testing.assert_allclose(model.coef_, fit["coef"], atol=1e-6)


@pytest.mark.parametrize("fit", PLAIN, ids=lambda f: f["id"])
def test_to_penalty_gives_back_glmnets_lambda_and_alpha(fit, data):
    _, y, _ = data
    prior = _mapped_prior(fit, y)
    kwargs = ({"likelihood": "bernoulli"} if fit["family"] == "binomial"
              else {"sigma": SIGMA, "y_sd": float(np.std(y))})
    again = br.to_penalty(prior, n_samples=y.size, convention="glmnet", **kwargs)
    assert again["family"] == fit["family"]
    assert again["lambda"] == pytest.approx(fit["lambda"], rel=1e-12)
    assert again["alpha"] == pytest.approx(fit["alpha"], rel=1e-12, abs=1e-15)


@pytest.mark.parametrize("case", ["gaussian_lasso_l1", "gaussian_enet05_l1", "gaussian_enet02_l10",
                                  "binomial_lasso_l001", "binomial_enet05_l002"])
def test_glmnet_lambda_max_is_where_the_mapped_map_becomes_zero(case, data):
    """lambda_max = max|X'(y - mean y)| / (n alpha), in the units of y (not of y / sd(y)).

    glmnet's own lambda_max (the first lambda of its path, recorded) equals the formula;
    the MAP under the prior mapped from lambda_max is all zeros, and just below it is not.
    """
    X, y, y_binary = data
    fit = FITS[case]
    target = y_binary if fit["family"] == "binomial" else y
    n = y.size
    lam_max = np.max(np.abs(X.T @ (target - target.mean()))) / n / fit["alpha"]
    assert fit["lambda_max"] == pytest.approx(lam_max, rel=1e-10)

    def map_coef(lam):
        prior = _mapped_prior({**fit, "lambda": lam}, y)
        if fit["family"] == "binomial":
            return br.MAPClassifier(prior).fit(X, y_binary).coef_
        return br.MAPRegressor(prior, sigma=SIGMA).fit(X, y).coef_

    assert np.all(np.ravel(map_coef(lam_max * (1 + 1e-9))) == 0.0)
    assert np.any(np.ravel(map_coef(lam_max * (1 - 1e-3))) != 0.0)
