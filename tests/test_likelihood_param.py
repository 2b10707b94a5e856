"""The regressors' ``likelihood=`` parameter: a name or an object, checked, saved and loaded."""

import numpy as np
import pytest
from sklearn.linear_model import Lasso

import bayesreg as br
from bayesreg.model.likelihoods import likelihood_from_dict, likelihood_to_dict


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(3)
    X = rng.normal(size=(60, 4))
    y = X @ np.array([1.0, -0.5, 0.0, 0.0]) + rng.normal(scale=0.7, size=60)
    return X, y


@pytest.mark.parametrize("likelihood", ["gaussian", br.likelihoods.Gaussian()])
def test_map_regressor_with_the_gaussian_likelihood_is_sklearns_lasso(data, likelihood):
    X, y = data
    model = br.MAPRegressor(br.Laplace(0.5), likelihood=likelihood, sigma=0.7).fit(X, y)
    alpha = 0.7**2 / (len(y) * 0.5)  # the documented mapping, written out
    reference = Lasso(alpha=alpha, tol=1e-12, max_iter=100_000).fit(X, y)
    np.testing.assert_allclose(model.coef_, reference.coef_, atol=1e-8)
    assert model.likelihood_ == br.likelihoods.Gaussian()
    assert model.penalty_["estimator"] == "Lasso"


def test_the_regressors_offer_every_likelihood_of_a_numeric_target_and_not_bernoulli():
    names = br.likelihoods.regression_likelihood_names()
    assert "gaussian" in names and "bernoulli" not in names


@pytest.mark.parametrize("likelihood", ["gaussian", br.likelihoods.Gaussian()])
def test_a_saved_posterior_keeps_its_likelihood(data, tmp_path, likelihood):
    X, y = data
    model = br.PosteriorRegressor(br.Normal(1.0), likelihood=likelihood, sigma=0.7, sampler="exact",
                                  draws=1000, chains=2, random_seed=0, progressbar=False).fit(X, y)
    model.save(tmp_path / "m.nc")
    loaded = br.PosteriorRegressor.load(tmp_path / "m.nc")
    assert loaded.get_params()["likelihood"] == likelihood
    np.testing.assert_array_equal(loaded.predict(X), model.predict(X))


def test_likelihood_dicts_round_trip_and_refuse_foreign_objects():
    assert likelihood_from_dict(likelihood_to_dict(br.likelihoods.Gaussian())) == br.likelihoods.Gaussian()
    assert likelihood_from_dict("gaussian") == "gaussian"
    with pytest.raises(TypeError, match="not a bayesreg likelihood"):
        likelihood_to_dict(object())
    with pytest.raises(ValueError, match="not a saved bayesreg likelihood"):
        likelihood_from_dict({"type": "os.system"})
