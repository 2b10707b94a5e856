"""A posterior fit costs about its draws: memory independent of draws x rows,
predictions in row blocks, the log likelihood on request, the MAP solved once.

Fits here use the closed-form ``exact`` sampler or Gibbs (no compilation).
"""

import copy
import tracemalloc
import warnings

import arviz as az
import numpy as np
import pytest
from scipy import stats
from scipy.special import expit

import bayesreg as br
from bayesreg.posterior import _pointwise
from bayesreg.posterior.diagnostics import warn_on_problems


def exact(**kwargs):
    kwargs.setdefault("progressbar", False)
    kwargs.setdefault("sigma", 1.0)
    return br.PosteriorRegressor(br.Normal(1.0), sampler="exact", **kwargs)


@pytest.fixture(scope="module")
def regression():
    rng = np.random.default_rng(7)
    X = rng.normal(size=(120, 4))
    y = 0.5 + X @ np.array([1.0, -2.0, 0.0, 0.5]) + rng.normal(size=120)
    return X, y


def quiet_fit(model, X, y):
    """Fit with few draws: the ESS warning is expected and not what these tests check."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", br.SamplingWarning)
        return model.fit(X, y)


def draws_of(model, name):
    values = model.idata_.posterior[name].values
    return values.reshape(-1, *values.shape[2:])


# ------------------------------------------------------------------ memory (issue 16)
def test_fit_memory_does_not_grow_with_draws_times_rows():
    """n = 2e5, p = 5, 2 x 100 exact draws: draws x rows would be 200 x 2e5 x 8 B = 305 MB
    (twice: linear predictor and log likelihood). The bound allows two copies of X
    (the centred X of the conjugate solve, the MAP's), four y-sized vectors and 64
    copies of the draws: 22 MB. main peaked at 1.2 GB."""
    rng = np.random.default_rng(0)
    n, p, chains, draws = 200_000, 5, 2, 100
    X = rng.normal(size=(n, p))
    y = X @ np.ones(p) + rng.normal(size=n)
    model = exact(draws=draws, chains=chains, random_seed=0)
    quiet_fit(model, X[:50], y[:50])  # imports and first-call caches out of the measurement
    bound = 2 * X.nbytes + 4 * y.nbytes + 64 * chains * draws * (p + 1) * 8
    tracemalloc.start()
    try:
        quiet_fit(model, X, y)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.reset_peak()
        model.predict(X, return_std=True)
        predict_peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < bound, f"fit peak {peak / 2**20:.0f} MB > bound {bound / 2**20:.0f} MB"
    # predict: blocks of rows (at most BLOCK_BYTES of X @ cov) and the outputs
    predict_bound = 2 * _pointwise.BLOCK_BYTES + 4 * y.nbytes
    assert predict_peak < predict_bound, f"predict peak {predict_peak / 2**20:.0f} MB"
    assert "log_likelihood" not in model.idata_.groups()


def test_predict_in_blocks_equals_closed_form_over_the_draws(regression, monkeypatch):
    """return_std (from the draws' covariance, 7 rows at a time) equals numpy's variance
    over all draws at once."""
    X, y = regression
    model = exact(draws=300, chains=2, random_seed=3).fit(X, y)
    coef, intercept = draws_of(model, "coef"), draws_of(model, "intercept")
    mu = intercept[:, None] + coef @ X.T  # (S, n), all at once
    monkeypatch.setattr(_pointwise, "BLOCK_BYTES", 7 * 8 * X.shape[1])
    mean, std = model.predict(X, return_std=True)
    np.testing.assert_allclose(mean, mu.mean(axis=0), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(std, np.sqrt(mu.var(axis=0) + 1.0**2), rtol=1e-10)


def test_predict_proba_in_blocks_equals_closed_form_over_the_draws(monkeypatch):
    rng = np.random.default_rng(4)
    X = rng.normal(size=(80, 3))
    y = (rng.random(80) < expit(X @ np.array([1.5, -1.0, 0.0]))).astype(int)
    model = br.PosteriorClassifier(
        br.Normal(2.0), sampler="gibbs", draws=200, tune=100, chains=2, random_seed=1, progressbar=False
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", br.SamplingWarning)  # few draws: ESS warnings expected
        model.fit(X, y)
    coef, intercept = draws_of(model, "coef"), draws_of(model, "intercept")
    expected = expit(intercept[:, None] + coef @ X.T).mean(axis=0)
    monkeypatch.setattr(_pointwise, "BLOCK_BYTES", 9 * 8 * coef.shape[0])
    np.testing.assert_allclose(model.predict_proba(X)[:, 1], expected, rtol=1e-12)


# ------------------------------------------------------------------ log likelihood on request
def test_log_likelihood_on_request_and_loo(regression):
    X, y = regression
    asked = exact(draws=500, random_seed=5, log_likelihood=True).fit(X, y)
    default = exact(draws=500, random_seed=5).fit(X, y)
    assert "log_likelihood" in asked.idata_.groups()
    assert "log_likelihood" not in default.idata_.groups()
    added = default.compute_log_likelihood()
    assert added is default.idata_ and "log_likelihood" in default.idata_.groups()
    np.testing.assert_array_equal(added.log_likelihood["y"].values, asked.idata_.log_likelihood["y"].values)
    # against scipy.stats at one draw
    point = asked.idata_.posterior.isel(chain=2, draw=17)
    mu = point["intercept"].item() + X @ point["coef"].values
    np.testing.assert_allclose(
        asked.idata_.log_likelihood["y"].values[2, 17], stats.norm(mu, 1.0).logpdf(y), rtol=1e-12
    )
    loo = az.loo(asked.idata_)
    assert np.isfinite(loo.elpd_loo) and (loo.pareto_k < 0.7).all()


def test_log_likelihood_survives_save_and_load(regression, tmp_path):
    X, y = regression
    model = exact(draws=50, random_seed=2, log_likelihood=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", br.SamplingWarning)
        model.fit(X, y)
    model.save(tmp_path / "m.nc")
    loaded = br.PosteriorRegressor.load(tmp_path / "m.nc")
    assert loaded.log_likelihood is True
    np.testing.assert_array_equal(loaded.idata_.log_likelihood["y"], model.idata_.log_likelihood["y"])
    np.testing.assert_array_equal(loaded.predict(X), model.predict(X))


def test_log_likelihood_parameter_is_checked(regression):
    X, y = regression
    with pytest.raises(TypeError, match="log_likelihood must be True or False"):
        exact(log_likelihood="yes").fit(X, y)


# ------------------------------------------------------------------ the MAP, solved once
def test_map_is_solved_once_per_data_prior_sigma(regression, monkeypatch):
    X, y = regression
    calls = []
    original = br.PosteriorRegressor._fit_map

    def counting(self, X, y, *offset):
        calls.append(1)
        return original(self, X, y, *offset)

    monkeypatch.setattr(br.PosteriorRegressor, "_fit_map", counting)
    warnings.simplefilter("ignore", br.SamplingWarning)  # 4 x 200 draws; restored by pytest
    prior = br.Normal(0.731)  # a scale no other test uses: a cold cache
    first = exact(draws=200, random_seed=1).set_params(prior=prior).fit(X, y)
    second = exact(draws=200, random_seed=2).set_params(prior=prior).fit(X, y)
    assert len(calls) == 1
    assert second.map_ is not first.map_  # copies: one model's map_ never aliases another's
    reference = br.MAPRegressor(prior, sigma=1.0).fit(X, y)
    np.testing.assert_allclose(second.map_.coef_, reference.coef_, rtol=1e-10)
    # other data, prior, sigma or intercept: solved again, and right
    exact(draws=200, random_seed=1).set_params(prior=prior).fit(X[:-1], y[:-1])
    exact(draws=200, random_seed=1).set_params(prior=br.Normal(0.732)).fit(X, y)
    exact(draws=200, random_seed=1, sigma=1.5).set_params(prior=prior).fit(X, y)
    other = exact(draws=200, random_seed=1, fit_intercept=False).set_params(prior=prior).fit(X, y)
    assert len(calls) == 5
    reference = br.MAPRegressor(prior, sigma=1.0, fit_intercept=False).fit(X, y)
    np.testing.assert_allclose(other.map_.coef_, reference.coef_, rtol=1e-10)


# ------------------------------------------------------------------ the exact sampler's warnings
def test_exact_sampler_r_hat_warning_does_not_advise_tuning():
    """Independent draws have no tuning: the advice must not be 'increase tune' (issue 12)."""
    diagnostics = {"divergences": 0, "max_r_hat": 1.2, "min_ess_bulk": 1000.0,
                   "min_ess_tail": 1000.0, "chains": 4, "draws": 10}
    with pytest.warns(br.SamplingWarning) as caught:
        warn_on_problems(diagnostics, "PosteriorRegressor", independent_draws=True)
    (message,) = [str(w.message) for w in caught]
    assert "tune" not in message and "independent" in message and "check the data" in message
    with pytest.warns(br.SamplingWarning, match="Increase tune"):
        warn_on_problems(diagnostics, "PosteriorRegressor")  # MCMC keeps its advice


def test_exact_fit_with_few_draws_warns_without_tuning_advice(regression):
    X, y = regression
    with pytest.warns(br.SamplingWarning) as caught:
        exact(draws=6, chains=4, random_seed=0).fit(X, y)
    r_hat = [str(w.message) for w in caught if "R-hat" in str(w.message)]
    assert r_hat, "4 chains of 6 independent draws: R-hat > 1.01 by chance at this seed"
    assert all("tune" not in m and "independent closed-form draws" in m for m in r_hat)


# ------------------------------------------------------------------ InferenceData on first access (issue 21)
def test_inference_data_is_assembled_on_first_access_with_every_group(regression):
    """A fit keeps the parts of idata_ and builds it when read: the same groups, data and
    sampler as an InferenceData built by hand from the same draws and rows."""
    X, y = regression
    model = quiet_fit(exact(draws=50, chains=2, random_seed=3), X, y)
    assert model.__dict__["_idata"] is None  # not built by the fit
    posterior = model._posterior()
    idata = model.idata_
    assert model.__dict__["_idata"] is idata and model.idata_ is idata  # built once, kept
    assert set(idata.groups()) == {"posterior", "observed_data", "constant_data"}
    assert idata.posterior is posterior
    np.testing.assert_array_equal(idata.observed_data["y"].values, y)
    np.testing.assert_array_equal(idata.constant_data["X"].values, X)
    assert idata.attrs["sampler"] == "exact" == model.sampler_
    assert not hasattr(exact(), "idata_")  # unfitted: no idata_, as any fitted attribute


def test_deferred_inference_data_keeps_the_fits_settings(regression):
    """Parameters changed after fit do not leak into the idata_ built later: log_likelihood
    is computed at fit time (the fit's likelihood), and a refit replaces everything."""
    X, y = regression
    model = quiet_fit(exact(draws=50, chains=2, random_seed=3, log_likelihood=True), X, y)
    model.set_params(log_likelihood=False, sigma=5.0)
    idata = model.idata_
    assert "log_likelihood" in idata.groups()
    coef, intercept = draws_of(model, "coef"), draws_of(model, "intercept")
    expected = stats.norm.logpdf(y, intercept[:, None] + coef @ X.T, 1.0)  # the fit's sigma = 1
    np.testing.assert_allclose(idata.log_likelihood["y"].values.reshape(-1, len(y)), expected, rtol=1e-10)
    quiet_fit(model, X[:60], y[:60])
    assert model.idata_.observed_data["y"].size == 60
    assert "log_likelihood" not in model.idata_.groups()


def test_unread_inference_data_survives_pickle_and_copy(regression):
    import pickle

    X, y = regression
    model = quiet_fit(exact(draws=50, chains=2, random_seed=3), X, y)
    for other in (pickle.loads(pickle.dumps(model)), copy.deepcopy(model)):
        assert other.__dict__["_idata"] is None
        np.testing.assert_array_equal(other.idata_.posterior["coef"].values, model.idata_.posterior["coef"].values)
        np.testing.assert_array_equal(other.predict(X[:5]), model.predict(X[:5]))


def test_coef_median_from_the_diagnostics_sort_equals_numpy_median():
    """The medians come from the rank pass's sort; np.median over chains and draws, exactly."""
    X, y = br.datasets.load_diabetes()
    model = quiet_fit(br.PosteriorRegressor(br.Laplace(4.0), sigma=54.0, sampler="gibbs", chains=2, draws=300,
                                            random_seed=1, progressbar=False), X, y)
    coef = model.idata_.posterior["coef"].values.reshape(-1, X.shape[1])
    np.testing.assert_array_equal(model.coef_median_, np.median(coef, axis=0))


def test_an_estimator_pickled_with_idata_in_its_dict_loads_it():
    """Before idata_ became a property, pickles kept it in the instance __dict__."""
    X, y = br.datasets.load_diabetes()
    model = quiet_fit(exact(draws=20, chains=2, random_seed=1), X.to_numpy()[:, :3], y.to_numpy())
    old_state = {k: v for k, v in model.__getstate__().items() if k not in ("_idata", "_idata_parts")}
    old_state["idata_"] = model.idata_
    restored = type(model).__new__(type(model))
    restored.__setstate__(old_state)
    assert restored.idata_ is model.idata_
    np.testing.assert_array_equal(restored.predict(X.to_numpy()[:4, :3]), model.predict(X.to_numpy()[:4, :3]))


def test_predict_does_not_assemble_the_inference_data(regression):
    X, y = regression
    model = quiet_fit(exact(draws=50, chains=2, random_seed=3), X, y)
    model.predict(X[:5], return_std=True)
    model.predict_interval(X[:5])
    assert model.__dict__["_idata"] is None


def test_a_refit_during_a_first_read_keeps_the_new_fit(regression, monkeypatch):
    """The build of idata_ is not kept when a refit replaced the parts meanwhile."""
    from bayesreg.posterior import _results

    X, y = regression
    model = quiet_fit(exact(draws=50, chains=2, random_seed=3), X, y)
    build = _results.inference_data

    def build_then_refit(*parts):
        idata = build(*parts)
        monkeypatch.setattr(_results, "inference_data", build)
        quiet_fit(model, X[:40], y[:40])  # another thread's refit, between build and store
        return idata

    monkeypatch.setattr(_results, "inference_data", build_then_refit)
    model.idata_  # noqa: B018 - the first read
    assert model.__dict__["_idata"] is None  # the stale build was not kept
    assert model.idata_.observed_data["y"].size == 40
