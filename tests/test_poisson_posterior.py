"""The Poisson posterior (nutpie) and everything downstream of it.

One small fit with an exposure is shared (module fixture): compiling the model is
the cost.  References: the draws themselves, written out here (mean of exp(eta),
not exp of the mean), scipy.stats.poisson, scikit-learn's PoissonRegressor and
mean_poisson_deviance, and the known truth of the simulation.
"""

import math
import warnings

import numpy as np
import pytest
from scipy import stats
from sklearn.linear_model import PoissonRegressor
from sklearn.metrics import mean_poisson_deviance
from sklearn.model_selection import KFold

import bayesreg as br

TRUE_COEF = np.array([0.5, -0.4, 0.0])
TRUE_INTERCEPT = 0.3


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(7)
    n = 120
    X = rng.normal(size=(n, 3))
    exposure = rng.uniform(0.5, 3.0, size=n)
    y = rng.poisson(exposure * np.exp(TRUE_INTERCEPT + X @ TRUE_COEF)).astype(float)
    return X, y, exposure


@pytest.fixture(scope="module")
def fitted(data):
    X, y, exposure = data
    model = br.PosteriorRegressor(br.Normal(scale=1.0), likelihood="poisson", draws=500, tune=500,
                                  chains=2, random_seed=3, progressbar=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", category=br.SamplingWarning)
        return model.fit(X, y, exposure=exposure)


def _eta_draws(model, X, offset):
    post = model.idata_.posterior
    coef = post["coef"].values.reshape(-1, X.shape[1])
    return post["intercept"].values.reshape(-1, 1) + coef @ X.T + offset


def test_auto_is_nutpie_and_the_posterior_covers_the_truth(fitted):
    assert fitted.sampler_ == "nutpie"
    assert fitted.sigma_ is None and "sigma" not in fitted.idata_.posterior
    assert fitted.diagnostics_["max_r_hat"] < 1.05
    # the truth within 4 posterior sd (coefficients and intercept)
    assert np.all(np.abs(fitted.coef_ - TRUE_COEF) < 4 * fitted.coef_sd_)
    sd_b0 = float(fitted.idata_.posterior["intercept"].std())
    assert abs(fitted.intercept_ - TRUE_INTERCEPT) < 4 * sd_b0


def test_the_map_of_the_same_model_is_sklearns_poisson_regressor_with_the_offset(fitted, data):
    X, y, exposure = data
    # sklearn has no offset; the rate y/E with sample_weight E has the same NLL in (b0, w) up
    # to a constant, and its weighted objective divides by sum(E): alpha = 1 / (sum(E) t^2)
    ref = PoissonRegressor(alpha=1.0 / exposure.sum(), solver="newton-cholesky", tol=1e-14,
                           max_iter=1000).fit(X, y / exposure, sample_weight=exposure)
    np.testing.assert_allclose(fitted.map_.coef_, ref.coef_, atol=1e-6)
    assert fitted.map_.intercept_ == pytest.approx(ref.intercept_, abs=1e-6)


def test_predict_is_the_posterior_mean_of_exp_eta_not_exp_of_the_mean(fitted, data):
    X, _, exposure = data
    rows = slice(0, 7)
    eta = _eta_draws(fitted, X[rows], np.log(exposure[rows]))
    mean, std = fitted.predict(X[rows], return_std=True, exposure=exposure[rows])
    np.testing.assert_allclose(mean, np.exp(eta).mean(axis=0), rtol=1e-10)
    # Var[y] = Var_s[exp(eta)] + E_s[exp(eta)] (Poisson variance = mean)
    np.testing.assert_allclose(std, np.sqrt(np.exp(eta).var(axis=0) + np.exp(eta).mean(axis=0)),
                               rtol=1e-10)
    plug_in = np.exp(fitted.intercept_ + X[rows] @ fitted.coef_) * exposure[rows]
    assert np.all(mean > plug_in)  # Jensen: E[exp(eta)] > exp(E[eta])
    np.testing.assert_allclose(fitted.predict(X[rows]), np.exp(_eta_draws(fitted, X[rows], 0.0)).mean(0))


def test_predict_interval_is_the_poisson_predictive_quantiles(fitted, data):
    X, y, exposure = data
    lo, hi = fitted.predict_interval(X, prob=0.9, exposure=exposure, random_state=0)
    assert np.all(lo == np.floor(lo)) and np.all(lo <= hi)
    # a 90% predictive interval of counts covers at least ~90% of the training counts
    # (discrete: the interval's probability is >= 0.9); binomial sd of 120 rows ~ 0.027
    assert np.mean((y >= lo) & (y <= hi)) > 0.9 - 3 * math.sqrt(0.09 / len(y))
    with pytest.raises(ValueError, match="predict_interval: exposure must be > 0"):
        fitted.predict_interval(X[:2], exposure=[1.0, -1.0])


def test_log_likelihood_is_scipys_poisson_logpmf_with_the_exposure(fitted, data):
    X, y, exposure = data
    idata = fitted.compute_log_likelihood()
    loglik = idata.log_likelihood["y"].values.reshape(-1, len(y))
    eta = _eta_draws(fitted, X, np.log(exposure))
    np.testing.assert_allclose(loglik, stats.poisson.logpmf(y, np.exp(eta)), rtol=1e-10, atol=1e-12)


def test_save_and_load_keep_the_likelihood_and_the_exposure(fitted, data, tmp_path):
    X, _, exposure = data
    fitted.save(tmp_path / "poisson.nc")
    back = br.PosteriorRegressor.load(tmp_path / "poisson.nc")
    assert back.likelihood == "poisson"
    np.testing.assert_allclose(back.predict(X[:4], exposure=exposure[:4]),
                               fitted.predict(X[:4], exposure=exposure[:4]))
    np.testing.assert_allclose(back.idata_.constant_data["offset"].values, np.log(exposure))


def test_compare_pairs_the_poisson_map_and_posterior_with_the_exposure(fitted, data):
    X, y, exposure = data
    map_model = br.MAPRegressor(br.Normal(scale=1.0), likelihood="poisson").fit(X, y, exposure=exposure)
    table = br.compare(map_model, fitted).table
    np.testing.assert_allclose(table["map"].values, map_model.coef_)
    # shrinkage is against the Poisson MLE (scikit-learn, alpha = 0, the same offset)
    mle = PoissonRegressor(alpha=0.0, solver="newton-cholesky", tol=1e-14, max_iter=1000).fit(
        X, y / exposure, sample_weight=exposure)
    np.testing.assert_allclose(table["shrinkage"].values, 1 - table["mean"].values / mle.coef_,
                               rtol=1e-5)
    other = br.MAPRegressor(br.Normal(scale=1.0), likelihood="poisson").fit(X, y)  # no exposure
    with pytest.raises(ValueError, match="different data"):
        br.compare(other, fitted)


def test_posterior_path_runs_nutpie_for_poisson(data):
    X, y, _ = data
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", category=br.SamplingWarning)
        path = br.posterior_path(X, y, br.Normal(1.0), [0.05, 1.0], likelihood="poisson", draws=300,
                                 tune=300, chains=2, random_seed=1)
    assert path.sampler == "nutpie"
    # a narrow prior pulls every coefficient toward 0
    assert np.all(np.abs(path.mean[0]) < np.abs(path.mean[1]))
    with pytest.raises(ValueError, match="sigma has no role in the Poisson"):
        br.posterior_path(X, y, br.Normal(1.0), [1.0], likelihood="poisson", sigma=1.0)


def test_choose_scale_cv_minimises_sklearns_held_out_poisson_deviance(data):
    X, y, _ = data
    scales = np.logspace(-2, 1, 13)
    choice = br.choose_scale(X, y, br.Normal(1.0), likelihood="poisson", scales=scales, cv=4,
                             random_seed=0)
    folds = KFold(n_splits=4, shuffle=True, random_state=0)
    curve = []
    for scale in scales:
        losses = []
        for train, test in folds.split(X):
            ref = PoissonRegressor(alpha=1.0 / (len(train) * scale**2), solver="newton-cholesky",
                                   tol=1e-12, max_iter=1000).fit(X[train], y[train])
            losses.append(mean_poisson_deviance(y[test], ref.predict(X[test])))
        curve.append(np.mean(losses))
    np.testing.assert_allclose(choice.details["cv_loss"].mean(axis=0), curve, rtol=1e-6)
    assert choice.scale == pytest.approx(scales[int(np.argmin(curve))])
    assert choice.alpha == pytest.approx(1.0 / (len(y) * choice.scale**2))
    lasso = br.choose_scale(X, y, br.Laplace(1.0), likelihood="poisson", cv=4)
    assert lasso.alpha == pytest.approx(1.0 / (len(y) * lasso.scale))  # glmnet's lambda


def test_choose_scale_hierarchical_reports_poisson_regressors_alpha_per_draw(data):
    X, y, _ = data
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", category=br.SamplingWarning)
        choice = br.choose_scale(X, y, br.Normal(1.0), method="hierarchical", likelihood="poisson",
                                 draws=200, tune=300, chains=2, random_seed=2)
    assert choice.details["model"].sampler_ == "nutpie" and choice.sigma is None
    # each draw's alpha is PoissonRegressor's 1 / (n t^2) at that draw's scale
    np.testing.assert_allclose(choice.details["penalty_draws"],
                               1.0 / (len(y) * choice.details["draws"] ** 2), rtol=1e-10)


def test_posterior_predictive_replicates_use_the_training_exposure(fitted, data):
    X, y, exposure = data
    idata = fitted.sample_posterior_predictive(random_seed=0)
    replicates = idata.posterior_predictive["y"].values.reshape(-1, len(y))
    assert np.all(replicates == np.floor(replicates)) and replicates.min() >= 0
    # the mean replicate of each row is E_s[E_i exp(eta_si)], within 5 Monte Carlo sds
    rate = np.exp(_eta_draws(fitted, X, np.log(exposure)))
    sd = np.sqrt((rate.var(axis=0) + rate.mean(axis=0)) / rate.shape[0])
    assert np.all(np.abs(replicates.mean(axis=0) - rate.mean(axis=0)) < 5 * sd)
