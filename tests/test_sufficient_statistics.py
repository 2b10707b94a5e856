"""SufficientStatistics: the stable merge, bad input, and every Gaussian fit from the statistics.

References are independent of the code under test: cross-products in extended
precision (``numpy.longdouble``) of exactly centred data, scipy.stats log
densities, scikit-learn at the mapped alpha, the closed-form conjugate
posterior, and the rows' own samplers (posterior moments within K_MCSE Monte
Carlo standard errors, as in test_posterior.py).
"""

import numpy as np
import pytest
from scipy import stats as scipy_stats
from sklearn.linear_model import ElasticNet, Lasso, Ridge

import bayesreg as br
from bayesreg.map.noise import estimate_sigma
from bayesreg.map.solve import solve_map
from bayesreg.model.likelihoods import get_likelihood
from bayesreg.model.sufficient_statistics import SufficientStatistics
from bayesreg.posterior.exact import conjugate_posterior, sample_exact
from bayesreg.posterior.gibbs import sample_gibbs

from .test_posterior import K_MCSE, closed_form, mcse_mean, mcse_sd

GAUSSIAN = get_likelihood("gaussian")


def chunks_of(X, y, size):
    return [(X[i:i + size], y[i:i + size]) for i in range(0, len(y), size)]


@pytest.fixture(scope="module")
def regression():
    """n = 400, p = 6, columns of unequal means and scales, known truth."""
    rng = np.random.default_rng(16)
    X = rng.normal(size=(400, 6)) * rng.uniform(0.5, 3.0, 6) + rng.uniform(-5, 5, 6)
    y = 2.0 + X[:, :3] @ np.array([1.0, -0.7, 0.4]) + 1.3 * rng.normal(size=400)
    return X, y


# ------------------------------------------------------------------ the statistics themselves
def test_chunked_merge_of_a_column_with_mean_1e6_loses_nothing():
    """200 chunks of 500 rows; the reference centres exactly in extended precision.

    The raw sums are ~1e17 per entry, whose float64 rounding (~10) is 1e-4 of the
    centred sum of squares (~1e5): the naive formula loses 4 digits; the merge of
    centred cross-products must keep 12.
    """
    rng = np.random.default_rng(7)
    n = 100_000
    X = np.column_stack([1e6 + rng.standard_normal(n), rng.standard_normal(n), -3e5 + 2 * rng.standard_normal(n)])
    y = 1e6 + X[:, 1] - 0.5 * (X[:, 0] - 1e6) + rng.standard_normal(n)
    stats = SufficientStatistics.from_chunks(chunks_of(X, y, 500))

    Xl, yl = X.astype(np.longdouble), y.astype(np.longdouble)
    xc, yc = Xl - Xl.mean(axis=0), yl - yl.mean()
    np.testing.assert_allclose(stats.xtx, (xc.T @ xc).astype(float), rtol=1e-11, atol=1e-11 * n)
    np.testing.assert_allclose(stats.xty, (xc.T @ yc).astype(float), rtol=1e-11, atol=1e-11 * n)
    assert stats.yty == pytest.approx(float(yc @ yc), rel=1e-11)
    np.testing.assert_allclose(stats.x_mean, Xl.mean(axis=0).astype(float), rtol=1e-15)
    assert stats.y_mean == pytest.approx(float(yl.mean()), rel=1e-15)
    assert stats.n_samples == n
    # the naive raw-sum formula really does lose the digits this test guards
    naive = X[:, 0] @ X[:, 0] - n * X[:, 0].mean() ** 2
    assert abs(naive - float(xc[:, 0] @ xc[:, 0])) > 1e-6 * float(xc[:, 0] @ xc[:, 0])


def test_merge_is_the_statistics_of_the_union_in_any_order(regression):
    X, y = regression
    whole = SufficientStatistics.from_arrays(X, y)
    a, b, c = (SufficientStatistics.from_arrays(X[s], y[s]) for s in (slice(0, 7), slice(7, 300), slice(300, None)))
    for merged in (a.merge(b).merge(c), c.merge(a.merge(b)), a.merge(c.merge(b))):
        np.testing.assert_allclose(merged.xtx, whole.xtx, rtol=1e-12)
        np.testing.assert_allclose(merged.xty, whole.xty, rtol=1e-12)
        assert merged.yty == pytest.approx(whole.yty, rel=1e-12)
        np.testing.assert_allclose(merged.x_mean, whole.x_mean, rtol=1e-13)
    small_blocks = SufficientStatistics.from_arrays(X, y, block_rows=17)
    np.testing.assert_allclose(small_blocks.xtx, whole.xtx, rtol=1e-12)
    np.testing.assert_allclose(whole.column_sd, X.std(axis=0), rtol=1e-13)
    assert whole.y_sd == pytest.approx(np.std(y), rel=1e-13)


def test_raw_cross_products_without_an_intercept(regression):
    X, y = regression
    raw = SufficientStatistics.from_arrays(X, y).cross_products(fit_intercept=False)
    np.testing.assert_allclose(raw.gram, X.T @ X, rtol=1e-12)
    np.testing.assert_allclose(raw.xty, X.T @ y, rtol=1e-12)
    assert raw.yty == pytest.approx(y @ y, rel=1e-12)


def test_dataframe_chunks_keep_their_column_names(diabetes):
    X, y = diabetes
    stats = SufficientStatistics.from_chunks([(X.iloc[:200], y.iloc[:200]), (X.iloc[200:], y.iloc[200:])])
    assert stats.feature_names == tuple(X.columns)


@pytest.mark.parametrize("chunks, message", [
    ([], "no chunks"),
    ([(np.zeros((0, 2)), np.zeros(0))], "all with zero rows"),
    ([(np.ones((3, 2)), np.ones(3)), (np.ones((3, 4)), np.ones(3))], "chunk 1 has 4 columns"),
    ([(np.ones((3, 2)), np.ones(4))], "X has 3 rows but y has 4"),
    ([(np.ones((3, 2)), np.array([1.0, np.nan, 2.0]))], "y contains NaN or infinity .first at row 1"),
    ([(np.ones((3, 2)), np.ones(3)), (np.array([[1.0, np.inf]]), np.ones(1))], "chunk 1: X contains NaN"),
    ([np.ones((3, 2))], "not an .X_chunk, y_chunk. pair"),
    ([(np.ones(3), np.ones(3))], "must be 2-D"),
], ids=["empty", "zero rows", "columns", "rows", "nan y", "inf X", "not a pair", "1-D X"])
def test_bad_chunks_get_a_clear_error(chunks, message):
    with pytest.raises(ValueError, match=message):
        SufficientStatistics.from_chunks(iter(chunks))


def test_merge_refuses_other_columns(regression):
    X, y = regression
    with pytest.raises(ValueError, match="6 columns against 5"):
        SufficientStatistics.from_arrays(X, y).merge(SufficientStatistics.from_arrays(X[:, :5], y))
    with pytest.raises(ValueError, match="no rows"):
        SufficientStatistics.from_arrays(X[:0], y[:0])


@pytest.mark.parametrize("fit_intercept", [True, False])
def test_gaussian_log_likelihood_from_statistics_is_the_sum_over_rows(regression, fit_intercept):
    X, y = regression
    stats = GAUSSIAN.sufficient_statistics(X, y)
    coef, intercept, sigma = np.array([0.9, -0.6, 0.5, 0.1, 0.0, -0.2]), 1.7, 1.4
    eta = X @ coef + (intercept if fit_intercept else 0.0)
    expected = scipy_stats.norm(eta, sigma).logpdf(y).sum()
    got = GAUSSIAN.total_loglik(stats, coef, intercept, sigma, fit_intercept=fit_intercept)
    assert got == pytest.approx(expected, rel=1e-12)


def test_likelihoods_without_statistics_refuse_them(regression):
    X, y = regression
    with pytest.raises(ValueError, match="Bernoulli-logit likelihood has no sufficient statistics"):
        get_likelihood("bernoulli").sufficient_statistics(X, y > 0)


# ------------------------------------------------------------------ MAP
@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("prior", [br.Normal(0.3), br.Laplace(0.05), br.ElasticNet(0.05, 0.5),
                                   br.Laplace(1e9)], ids=repr)
def test_map_from_statistics_equals_the_map_on_rows_and_sklearn(regression, prior, fit_intercept):
    X, y = regression
    sigma = 1.3
    stats = SufficientStatistics.from_chunks(chunks_of(X, y, 37))
    on_rows = solve_map(X, y, [prior], GAUSSIAN, sigma=sigma, fit_intercept=fit_intercept)
    on_stats = solve_map(stats, None, [prior], GAUSSIAN, sigma=sigma, fit_intercept=fit_intercept)
    np.testing.assert_allclose(on_stats.coefs, on_rows.coefs, rtol=0, atol=1e-8)
    np.testing.assert_allclose(on_stats.intercepts, on_rows.intercepts, rtol=0, atol=1e-8)
    if prior.scale > 1e3:  # a nearly flat prior: least squares (coordinate descent does not converge)
        design = np.column_stack([np.ones(len(y)), X]) if fit_intercept else X
        reference = np.linalg.lstsq(design, y, rcond=None)[0][int(fit_intercept):]
    else:
        penalty = br.to_penalty(prior, n_samples=len(y), sigma=sigma)
        cls = {"Ridge": Ridge, "Lasso": Lasso, "ElasticNet": ElasticNet}[penalty.pop("estimator")]
        reference = cls(**penalty, fit_intercept=fit_intercept, tol=1e-12, max_iter=100_000).fit(X, y).coef_
    np.testing.assert_allclose(on_stats.coefs[0], reference, rtol=0, atol=1e-7)


def test_map_path_from_statistics_warm_starts_like_the_rows(regression):
    X, y = regression
    priors = [br.Laplace(s) for s in (0.001, 0.01, 0.1, 1.0)]
    on_rows = solve_map(X, y, priors, GAUSSIAN, sigma=1.3)
    on_stats = solve_map(SufficientStatistics.from_arrays(X, y), None, priors, GAUSSIAN, sigma=1.3)
    np.testing.assert_allclose(on_stats.coefs, on_rows.coefs, rtol=0, atol=1e-8)
    assert np.all(on_stats.coefs[0] == 0.0) or np.count_nonzero(on_stats.coefs[0]) < 6


def test_map_from_statistics_with_collinear_columns(regression):
    """A singular X'X (a duplicated column): the square-root data still exist."""
    X, y = regression
    X = np.column_stack([X, X[:, 0]])
    on_rows = solve_map(X, y, [br.ElasticNet(0.05, 0.5)], GAUSSIAN, sigma=1.3)
    on_stats = solve_map(SufficientStatistics.from_arrays(X, y), None, [br.ElasticNet(0.05, 0.5)],
                         GAUSSIAN, sigma=1.3)
    np.testing.assert_allclose(on_stats.coefs, on_rows.coefs, rtol=0, atol=1e-7)


@pytest.mark.parametrize("fit_intercept", [True, False])
def test_sigma_estimate_from_statistics_equals_the_rows(regression, fit_intercept):
    X, y = regression
    stats = SufficientStatistics.from_arrays(X, y)
    assert estimate_sigma(stats, None, fit_intercept=fit_intercept) == pytest.approx(
        estimate_sigma(X, y, fit_intercept=fit_intercept), rel=1e-9)
    wide = SufficientStatistics.from_arrays(X[:5], y[:5])
    with pytest.raises(ValueError, match="Pass sigma=<noise sd>"):
        estimate_sigma(wide, None)


# ------------------------------------------------------------------ posteriors
def test_exact_posterior_from_statistics(regression):
    X, y = regression
    stats = SufficientStatistics.from_chunks(chunks_of(X, y, 50))
    mean, chol, _, _ = conjugate_posterior(stats, None, 0.8, 1.3)
    ref_mean, ref_cov = closed_form(X, y, 0.8, 1.3)
    np.testing.assert_allclose(mean, ref_mean[1:], rtol=1e-9)
    np.testing.assert_allclose(np.linalg.inv(chol @ chol.T), ref_cov[1:, 1:], rtol=1e-9)
    draws = sample_exact(stats, None, 0.8, 1.3, fit_intercept=True, draws=2000, chains=2,
                         random_seed=3, feature_names=[f"x{j}" for j in range(6)])
    both = np.concatenate([draws["intercept"].values[..., None], draws["coef"].values], axis=-1)
    assert np.all(np.abs(both.mean(axis=(0, 1)) - ref_mean) < K_MCSE * mcse_mean(both))
    assert np.all(np.abs(both.std(axis=(0, 1)) - np.sqrt(np.diag(ref_cov))) < K_MCSE * mcse_sd(both))


def _moments_agree(a, b, names):
    for name in names:
        da, db = (d[name].values.reshape(*d[name].shape[:2], -1) for d in (a, b))
        diff_mean = np.abs(da.mean(axis=(0, 1)) - db.mean(axis=(0, 1)))
        diff_sd = np.abs(da.std(axis=(0, 1)) - db.std(axis=(0, 1)))
        assert np.all(diff_mean < K_MCSE * np.hypot(mcse_mean(da), mcse_mean(db))), name
        assert np.all(diff_sd < K_MCSE * np.hypot(mcse_sd(da), mcse_sd(db))), name


def test_gibbs_from_statistics_matches_the_closed_form(regression):
    X, y = regression
    stats = SufficientStatistics.from_chunks(chunks_of(X, y, 64))
    draws = sample_gibbs("gaussian", br.Normal(0.8), 1.3, stats, None, fit_intercept=True, draws=2000,
                         tune=200, chains=2, random_seed=5, progressbar=False,
                         feature_names=[f"x{j}" for j in range(6)])
    ref_mean, ref_cov = closed_form(X, y, 0.8, 1.3)
    both = np.concatenate([draws["intercept"].values[..., None], draws["coef"].values], axis=-1)
    assert np.all(np.abs(both.mean(axis=(0, 1)) - ref_mean) < K_MCSE * mcse_mean(both))
    assert np.all(np.abs(both.std(axis=(0, 1)) - np.sqrt(np.diag(ref_cov))) < K_MCSE * mcse_sd(both))


def test_gibbs_from_statistics_matches_the_rows_sampler_when_p_exceeds_n():
    """p > n: the rows take Bhattacharya's n x n draw, the statistics a p x p Cholesky.

    Laplace prior with learned sigma, so the sigma step from RSS = y'y - 2w'X'y + w'X'Xw
    is checked against the one from the residuals themselves.
    """
    X, y, _ = br.datasets.make_sparse_regression(n_samples=25, n_features=30, n_informative=3, noise=1.0,
                                                 random_state=4)
    X, y = np.asarray(X), np.asarray(y)
    names = [f"x{j}" for j in range(30)]
    kwargs = {"fit_intercept": True, "draws": 3000, "tune": 300, "chains": 2, "progressbar": False, "feature_names": names}
    on_rows = sample_gibbs("gaussian", br.Laplace(0.5), None, X, y, random_seed=6, **kwargs)
    on_stats = sample_gibbs("gaussian", br.Laplace(0.5), None, SufficientStatistics.from_arrays(X, y), None,
                            random_seed=7, **kwargs)
    _moments_agree(on_rows, on_stats, ["coef", "intercept", "sigma"])


def test_gibbs_refuses_statistics_for_the_logistic_likelihood(regression):
    X, y = regression
    with pytest.raises(ValueError, match="no sufficient statistics"):
        sample_gibbs("bernoulli", br.Normal(1.0), None, SufficientStatistics.from_arrays(X, y), None,
                     fit_intercept=True, draws=10, tune=10, chains=1, random_seed=0, progressbar=False,
                     feature_names=[f"x{j}" for j in range(6)])


# ------------------------------------------------------------------ estimators fit on the statistics
@pytest.mark.parametrize("standardize", [False, True])
@pytest.mark.parametrize("sigma", [54.0, None], ids=["sigma fixed", "sigma estimated"])
@pytest.mark.parametrize("prior", [br.Normal(2.0), br.Laplace(1.0), br.ElasticNet(1.0, 0.5)], ids=repr)
def test_map_regressor_on_statistics_equals_the_fit_on_rows(diabetes, prior, sigma, standardize):
    X, y = diabetes
    stats = br.SufficientStatistics.from_chunks([(X.iloc[i:i + 50], y.iloc[i:i + 50]) for i in range(0, 442, 50)])
    on_rows = br.MAPRegressor(prior, sigma=sigma, standardize=standardize).fit(X, y)
    on_stats = br.MAPRegressor(prior, sigma=sigma, standardize=standardize).fit(stats)
    np.testing.assert_allclose(on_stats.coef_, on_rows.coef_, rtol=0, atol=1e-8)
    assert on_stats.intercept_ == pytest.approx(on_rows.intercept_, abs=1e-8)
    assert on_stats.sigma_ == pytest.approx(on_rows.sigma_, rel=1e-10)
    assert on_stats.penalty_["alpha"] == pytest.approx(on_rows.penalty_["alpha"], rel=1e-10)
    assert list(on_stats.feature_names_in_) == list(X.columns)
    np.testing.assert_allclose(on_stats.predict(X), on_rows.predict(X), rtol=1e-10)


def test_posterior_regressor_exact_on_statistics_matches_the_closed_form(regression):
    X, y = regression
    stats = br.SufficientStatistics.from_chunks(chunks_of(X, y, 100))
    model = br.PosteriorRegressor(br.Normal(0.8), sigma=1.3, sampler="exact", draws=2000, chains=2,
                                  random_seed=8, progressbar=False).fit(stats)
    ref_mean, ref_cov = closed_form(X, y, 0.8, 1.3)
    post = model.idata_.posterior
    both = np.concatenate([post["intercept"].values[..., None], post["coef"].values], axis=-1)
    assert np.all(np.abs(both.mean(axis=(0, 1)) - ref_mean) < K_MCSE * mcse_mean(both))
    assert np.all(np.abs(both.std(axis=(0, 1)) - np.sqrt(np.diag(ref_cov))) < K_MCSE * mcse_sd(both))
    assert model.n_features_in_ == 6 and not hasattr(model, "feature_names_in_")
    assert set(model.idata_.groups()) == {"posterior", "constant_data"}  # no per-row group
    np.testing.assert_allclose(model.map_.coef_, br.MAPRegressor(br.Normal(0.8), sigma=1.3).fit(X, y).coef_,
                               rtol=0, atol=1e-10)


@pytest.mark.parametrize("standardize", [False, True])
def test_posterior_regressor_gibbs_on_statistics_matches_the_rows(diabetes, standardize):
    """Laplace prior, learned sigma: the statistics' Gibbs against the rows' (moments within MCSE)."""
    X, y = diabetes
    kwargs = {"sigma": None, "sampler": "gibbs", "standardize": standardize, "draws": 2000, "tune": 300, "chains": 2,
                  "progressbar": False}
    on_rows = br.PosteriorRegressor(br.Laplace(1.0), random_seed=9, **kwargs).fit(X, y)
    stats = br.SufficientStatistics.from_chunks([(X.iloc[i:i + 64], y.iloc[i:i + 64]) for i in range(0, 442, 64)])
    on_stats = br.PosteriorRegressor(br.Laplace(1.0), random_seed=10, **kwargs).fit(stats)
    _moments_agree(on_rows.idata_.posterior, on_stats.idata_.posterior, ["coef", "intercept", "sigma"])
    assert list(on_stats.summary().index[:2]) == ["intercept", "coef[age]"]


@pytest.mark.slow  # one nutpie compile: 15-120 s on a loaded two-core machine
def test_posterior_regressor_nutpie_on_statistics_matches_the_closed_form():
    """nutpie on the model written from the statistics: tiny, one compile, closed-form reference."""
    rng = np.random.default_rng(12)
    X = rng.normal(size=(5000, 2)) + np.array([1e3, -2.0])
    y = 3.0 + X @ np.array([0.5, -1.0]) + rng.normal(size=5000)
    stats = br.SufficientStatistics.from_chunks(chunks_of(X, y, 1000))
    model = br.PosteriorRegressor(br.Normal(1.0), sigma=1.0, sampler="nutpie", draws=1000, tune=500,
                                  chains=2, random_seed=13, progressbar=False).fit(stats)
    ref_mean, ref_cov = closed_form(X, y, 1.0, 1.0)
    post = model.idata_.posterior
    both = np.concatenate([post["intercept"].values[..., None], post["coef"].values], axis=-1)
    assert np.all(np.abs(both.mean(axis=(0, 1)) - ref_mean) < K_MCSE * mcse_mean(both))
    assert np.all(np.abs(both.std(axis=(0, 1)) - np.sqrt(np.diag(ref_cov))) < K_MCSE * mcse_sd(both))


def test_model_from_statistics_has_the_rows_log_density(regression):
    """The potential carries the Gaussian constant: the joint log density equals scipy's on the rows."""
    from bayesreg.posterior.model import ModelSpec, build_model, model_data

    X, y = regression
    spec = ModelSpec.create("gaussian", br.Laplace(0.7), None, True, [f"x{j}" for j in range(6)])
    model = build_model(spec, model_data(spec, br.Laplace(0.7), None, SufficientStatistics.from_arrays(X, y), None))
    coef, intercept_c, sigma = np.array([0.9, -0.6, 0.5, 0.1, 0.0, -0.2]), 2.5, 1.4
    point = {"_intercept_centered": np.array(intercept_c), "coef": coef, "sigma_log__": np.log(sigma)}
    resid = y - (intercept_c + (X - X.mean(0)) @ coef)
    expected = (scipy_stats.laplace(scale=0.7).logpdf(coef).sum() + scipy_stats.norm(scale=sigma).logpdf(resid).sum()
                + scipy_stats.halfnorm(scale=np.std(y)).logpdf(sigma) + np.log(sigma))
    assert model.compile_logp()(point) == pytest.approx(expected, rel=1e-11)


def test_fits_on_statistics_refuse_what_needs_rows(regression):
    X, y = regression
    stats = SufficientStatistics.from_arrays(X, y)
    with pytest.raises(ValueError, match="call fit\\(stats\\) without y"):
        br.MAPRegressor(br.Laplace(1.0), sigma=1.0).fit(stats, y)
    with pytest.raises(ValueError, match="log_likelihood=True stores the log-likelihood of every row"):
        br.PosteriorRegressor(br.Normal(1.0), sigma=1.0, sampler="exact", log_likelihood=True).fit(stats)
    model = br.PosteriorRegressor(br.Normal(1.0), sigma=1.0, sampler="exact", draws=300, chains=2,
                                  random_seed=0, progressbar=False).fit(stats)
    with pytest.raises(ValueError, match="pointwise log-likelihood .and LOO, compare_models. needs the rows"):
        model.compute_log_likelihood()
    with pytest.raises(ValueError, match="no sufficient statistics"):
        br.MAPClassifier(br.Laplace(1.0)).fit(stats, None)
    with pytest.raises(ValueError, match="no sufficient statistics"):
        br.PosteriorClassifier(br.Laplace(1.0)).fit(stats, None)
    constant = SufficientStatistics.from_arrays(X, np.full(len(y), 3.0))
    with pytest.raises(ValueError, match="y is constant"):
        br.PosteriorRegressor(br.Normal(1.0), sampler="gibbs").fit(constant)


def test_a_fit_on_statistics_saves_and_loads(regression, tmp_path):
    X, y = regression
    stats = SufficientStatistics.from_arrays(X, y)
    model = br.PosteriorRegressor(br.Normal(1.0), sigma=1.0, sampler="exact", draws=300, chains=2,
                                  random_seed=0, progressbar=False).fit(stats)
    model.save(tmp_path / "stats.nc")
    loaded = br.PosteriorRegressor.load(tmp_path / "stats.nc")
    np.testing.assert_allclose(loaded.coef_, model.coef_)
    np.testing.assert_allclose(loaded.map_.coef_, model.map_.coef_)
    np.testing.assert_allclose(loaded.predict(X[:5]), model.predict(X[:5]))


# ------------------------------------------------------------------ calibration (reduced SBC, validation/sbc.py)
def _fit_on_statistics(monkeypatch):
    """Make every SBC estimator fit on the statistics of its simulated rows (no intercept: raw cross-products)."""
    from validation import sbc

    real = sbc.make_estimator

    def on_statistics(config, *args, **kwargs):
        model = real(config, *args, **kwargs)
        fit = model.fit
        model.fit = lambda X, y: fit(SufficientStatistics.from_chunks(chunks_of(X, y, 7)))
        return model

    monkeypatch.setattr(sbc, "make_estimator", on_statistics)
    return sbc


@pytest.mark.slow
def test_gibbs_on_statistics_is_calibrated(monkeypatch):
    """Laplace prior, learned sigma, Gibbs from chunked statistics: 100 simulations, 10 bins."""
    from .test_sbc import assert_uniform

    sbc = _fit_on_statistics(monkeypatch)
    result = sbc.run_config(sbc.CONFIGS["laplace-gauss-learned"], simulations=100, sampler="gibbs",
                            draws=500, chains=2, seed=16)
    assert set(result["ranks"]) == {"coef[0]", "coef[1]", "coef[2]", "coef[3]", "sigma"}
    assert_uniform(result, bins=10)


@pytest.mark.slow
def test_nutpie_on_statistics_is_calibrated():
    """Normal prior, learned sigma, nutpie on the statistics' model: 30 simulations, 5 bins."""
    import warnings

    from .test_sbc import assert_uniform

    with pytest.MonkeyPatch.context() as monkeypatch, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # run_config records diagnostics itself
        sbc = _fit_on_statistics(monkeypatch)
        result = sbc.run_config(sbc.CONFIGS["normal-gauss-learned"], simulations=30, sampler="nutpie",
                                draws=300, chains=2, seed=17)
    assert result["compiles"]["nutpie"] <= 1
    assert_uniform(result, bins=5)


def test_workflow_functions_that_need_rows_refuse_a_fit_on_statistics(regression):
    X, y = regression
    stats = SufficientStatistics.from_arrays(X, y)
    kwargs = {"sigma": 1.0, "sampler": "exact", "draws": 300, "chains": 2, "random_seed": 0, "progressbar": False}
    on_stats = br.PosteriorRegressor(br.Normal(1.0), **kwargs).fit(stats)
    on_rows = br.PosteriorRegressor(br.Normal(1.0), **kwargs).fit(X, y)
    with pytest.raises(ValueError, match="compare: posterior_model was fitted on SufficientStatistics"):
        br.compare(br.MAPRegressor(br.Normal(1.0), sigma=1.0).fit(X, y), on_stats)
    with pytest.raises(ValueError, match="'b' was fitted on SufficientStatistics; LOO needs"):
        br.compare_models({"a": on_rows, "b": on_stats})


def test_spike_and_slab_gibbs_on_statistics_matches_the_rows(regression):
    """The collapsed spike-and-slab sweep from the statistics against the one on rows (learned sigma)."""
    X, y = regression
    kwargs = {"sampler": "gibbs", "draws": 2000, "tune": 300, "chains": 2, "progressbar": False}
    prior = br.SpikeAndSlab(slab_scale=2.0)
    on_rows = br.PosteriorRegressor(prior, random_seed=21, **kwargs).fit(X, y)
    on_stats = br.PosteriorRegressor(prior, random_seed=22, **kwargs).fit(
        SufficientStatistics.from_chunks(chunks_of(X, y, 50)))
    _moments_agree(on_rows.idata_.posterior, on_stats.idata_.posterior, ["coef", "intercept", "sigma"])


def test_g_prior_exact_draws_refuse_statistics(regression):
    X, y = regression
    with pytest.raises(ValueError, match="not yet written from SufficientStatistics; fit it on X, y"):
        br.PosteriorRegressor(br.GPrior(g=100.0), sigma=1.0, sampler="exact").fit(SufficientStatistics.from_arrays(X, y))
