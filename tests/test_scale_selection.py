"""choose_scale and posterior_path against independent computations."""

import numpy as np
import pytest
from scipy import linalg, stats
from sklearn.linear_model import BayesianRidge, LassoCV, LogisticRegressionCV, RidgeCV
from sklearn.model_selection import KFold, StratifiedKFold

import bayesreg as br
from bayesreg.posterior.exact import conjugate_posterior
from bayesreg.posterior.samplers import compile_counts
from bayesreg.workflow.scale_selection import log_marginal_likelihood

from .conftest import SIGMA_DIABETES


def _folds(kind=KFold):
    return kind(n_splits=5, shuffle=True, random_state=0)


# ---------------------------------------------------------------------- empirical Bayes
def test_log_marginal_likelihood_is_the_gaussian_density_of_y(diabetes):
    X, y = diabetes
    X, y = X.to_numpy()[:150], y.to_numpy()[:150]
    # the flat intercept integrated out: y on the n - 1 directions orthogonal to 1
    Q = linalg.null_space(np.ones((1, len(y))))
    Xq, yq = Q.T @ X, Q.T @ y
    for scale in (0.5, 14.0, 300.0):
        cov = SIGMA_DIABETES**2 * np.eye(len(yq)) + scale**2 * Xq @ Xq.T
        expected = stats.multivariate_normal(mean=np.zeros(len(yq)), cov=cov).logpdf(yq)
        got = log_marginal_likelihood(X, y, scale, SIGMA_DIABETES)
        np.testing.assert_allclose(got, expected, rtol=1e-10)
        # without an intercept: the n-dimensional density of y itself
        cov = SIGMA_DIABETES**2 * np.eye(len(y)) + scale**2 * X @ X.T
        expected = stats.multivariate_normal(mean=np.zeros(len(y)), cov=cov).logpdf(y)
        got = log_marginal_likelihood(X, y, scale, SIGMA_DIABETES, fit_intercept=False)
        np.testing.assert_allclose(got, expected, rtol=1e-10)


def test_empirical_bayes_maximises_the_marginal_likelihood(diabetes):
    X, y = diabetes
    X, y = X.iloc[:150], y.iloc[:150]  # small enough for dense n x n densities
    choice = br.choose_scale(X, y, br.Normal(scale=1.0), "empirical_bayes", sigma=SIGMA_DIABETES)
    # brute force: scipy's multivariate normal density of y, coarse grid then fine grid
    Xc = X.to_numpy() - X.to_numpy().mean(axis=0)
    yc = y.to_numpy() - y.mean()

    def argmax_on(grid):
        logp = [
            stats.multivariate_normal(cov=SIGMA_DIABETES**2 * np.eye(len(yc)) + t**2 * Xc @ Xc.T).logpdf(yc)
            for t in grid
        ]
        return int(np.argmax(logp))

    coarse = np.geomspace(0.1, 1000, 41)
    i = argmax_on(coarse)
    assert 0 < i < 40
    fine = np.geomspace(coarse[i - 1], coarse[i + 1], 41)
    best = fine[argmax_on(fine)]
    step = fine[1] / fine[0]
    assert best / step <= choice.scale <= best * step
    assert choice.method == "empirical_bayes" and choice.sigma == SIGMA_DIABETES
    assert choice.alpha == pytest.approx(SIGMA_DIABETES**2 / choice.scale**2)  # Ridge alpha
    assert choice.prior == br.Normal(scale=choice.scale)


def test_empirical_bayes_with_learned_sigma_matches_bayesian_ridge(diabetes):
    X, y = diabetes
    choice = br.choose_scale(X, y, br.Normal(scale=1.0), "empirical_bayes")
    # BayesianRidge maximises the evidence over both precisions (flat-ish gamma priors) without
    # integrating its intercept out; on the data projected onto the n - 1 directions orthogonal
    # to 1, without an intercept, its evidence is exactly ours with the flat intercept integrated out
    Q = linalg.null_space(np.ones((1, len(y))))
    ridge = BayesianRidge(tol=1e-12, max_iter=100_000, fit_intercept=False).fit(Q.T @ X.to_numpy(),
                                                                                 Q.T @ y.to_numpy())
    assert choice.scale == pytest.approx(1 / np.sqrt(ridge.lambda_), rel=1e-4)
    assert choice.sigma == pytest.approx(1 / np.sqrt(ridge.alpha_), rel=1e-4)


@pytest.mark.parametrize(
    "prior, likelihood",
    [(br.Laplace(scale=1.0), "gaussian"), (br.ElasticNet(scale=1.0), "gaussian"),
     (br.Normal(scale=1.0), "bernoulli")],
)
def test_empirical_bayes_says_where_it_is_not_available(diabetes, prior, likelihood):
    X, y = diabetes
    if likelihood == "bernoulli":
        y = y > y.median()
    with pytest.raises(NotImplementedError, match="closed form only for the Normal prior"):
        br.choose_scale(X, y, prior, "empirical_bayes", likelihood=likelihood)


def test_empirical_bayes_warns_at_the_edge_of_the_search(diabetes):
    X, y = diabetes
    with pytest.warns(UserWarning, match="edge of the scales"):
        br.choose_scale(X, y, br.Normal(scale=1.0), "empirical_bayes", sigma=SIGMA_DIABETES,
                        scales=[0.01, 0.1])


# ---------------------------------------------------------------------- cross-validation
def test_cv_lasso_round_trips_to_lasso_cv_alpha(diabetes):
    X, y = diabetes
    n = len(y)
    scales = np.geomspace(0.1, 100, 31)
    choice = br.choose_scale(X, y, br.Laplace(scale=1.0), "cv", sigma=SIGMA_DIABETES, scales=scales)
    alphas = SIGMA_DIABETES**2 / (n * scales)  # the Lasso alpha of each scale (by hand)
    lasso = LassoCV(alphas=alphas, cv=_folds(), max_iter=100_000, tol=1e-8).fit(X, y)
    pen = br.to_penalty(choice.prior, n_samples=n, sigma=SIGMA_DIABETES)
    assert pen == {"estimator": "Lasso", "alpha": pytest.approx(lasso.alpha_, rel=1e-12)}
    assert choice.alpha == pytest.approx(lasso.alpha_, rel=1e-12)
    assert isinstance(choice.prior, br.Laplace) and choice.method == "cv"


def test_cv_ridge_round_trips_to_ridge_cv_alpha(diabetes):
    X, y = diabetes
    scales = np.geomspace(0.5, 500, 31)
    choice = br.choose_scale(X, y, br.Normal(scale=1.0), "cv", scales=scales)
    sigma = br.estimate_sigma(X.to_numpy(), y.to_numpy())
    assert choice.sigma == pytest.approx(sigma)
    ridge = RidgeCV(alphas=sigma**2 / scales**2, cv=_folds()).fit(X, y)
    pen = br.to_penalty(choice.prior, n_samples=len(y), sigma=sigma)
    assert pen["alpha"] == pytest.approx(ridge.alpha_, rel=1e-10)


def test_cv_logistic_round_trips_to_logistic_regression_cv(diabetes):
    X, y = diabetes
    X, y = X.iloc[:200], y.iloc[:200]
    labels = (y > y.median()).to_numpy()
    scales = np.geomspace(0.01, 10, 7)
    choice = br.choose_scale(X, labels, br.Normal(scale=1.0), "cv", likelihood="bernoulli", scales=scales)
    model = LogisticRegressionCV(
        Cs=scales**2, l1_ratios=(0.0,), cv=_folds(StratifiedKFold), scoring="neg_log_loss",
        solver="lbfgs", max_iter=20_000, tol=1e-8, use_legacy_attributes=False,
    ).fit(X, labels)
    assert br.to_penalty(choice.prior, likelihood="bernoulli")["C"] == pytest.approx(model.C_, rel=1e-10)
    assert choice.alpha == pytest.approx(model.C_, rel=1e-10) and choice.sigma is None


def test_cv_elastic_net_picks_the_scale_with_the_best_map_cv_error(diabetes):
    X, y = diabetes
    X, y = X.to_numpy(), y.to_numpy()
    prior = br.ElasticNet(scale=1.0, l1_ratio=0.5)
    scales = np.geomspace(0.3, 300, 13)
    choice = br.choose_scale(X, y, prior, "cv", sigma=SIGMA_DIABETES, scales=scales)
    # independent: 5-fold CV of our own MAP (not scikit-learn's ElasticNet) over the same scales
    errors = []
    for s in scales:
        model = br.MAPRegressor(br.ElasticNet(scale=s, l1_ratio=0.5), sigma=SIGMA_DIABETES)
        fold_mse = [
            np.mean((model.fit(X[tr], y[tr]).predict(X[te]) - y[te]) ** 2)
            for tr, te in _folds().split(X)
        ]
        errors.append(np.mean(fold_mse))
    assert choice.scale == pytest.approx(scales[int(np.argmin(errors))], rel=1e-10)
    assert choice.prior.l1_ratio == 0.5


# ---------------------------------------------------------------------- hierarchical
@pytest.fixture(scope="module")
def all_three(small_gaussian):
    X, y = small_gaussian
    return br.choose_scale(X, y, br.Normal(scale=1.0), "all", sigma=1.0, sampler="nutpie", draws=500,
                           tune=500, random_seed=4)


def test_all_returns_the_three_methods_on_one_axis(all_three, small_gaussian):
    assert list(all_three) == ["cv", "empirical_bayes", "hierarchical"]
    assert all(choice.method == name for name, choice in all_three.items())
    scales = [choice.scale for choice in all_three.values()]
    assert all(0.05 < s < 50 for s in scales)  # the truth has coefficients of order 1


def test_hierarchical_reports_the_posterior_median_of_scale(all_three):
    choice = all_three["hierarchical"]
    model = choice.details["model"]
    draws = model.idata_.posterior["scale"].values.ravel()
    assert model.prior == br.Normal(scale=br.HalfCauchy(1.0))  # default: HalfCauchy(prior scale)
    assert choice.scale == np.median(draws)
    np.testing.assert_array_equal(choice.details["draws"], draws)
    # the Ridge alpha of each draw is sigma^2 / scale^2 (monotone, so medians agree)
    assert choice.alpha == pytest.approx(1.0 / np.median(draws) ** 2, rel=1e-5)


def test_bad_methods_and_priors(small_gaussian):
    X, y = small_gaussian
    with pytest.raises(ValueError, match="method must be one of"):
        br.choose_scale(X, y, br.Normal(1.0), "loo")
    with pytest.raises(TypeError, match="Normal, Laplace or ElasticNet"):
        br.choose_scale(X, y, br.Horseshoe(1.0), "cv")
    with pytest.raises(ValueError, match="fixed scale"):
        br.choose_scale(X, y, br.Normal(br.HalfCauchy(1.0)), "cv")


# ---------------------------------------------------------------------- posterior_path
def test_posterior_path_of_the_normal_prior_matches_the_closed_form(diabetes):
    X, y = diabetes
    scales = [1.0, 10.0, 100.0]
    path = br.posterior_path(X, y, br.Normal(scale=1.0), scales, sigma=SIGMA_DIABETES,
                             draws=2000, chains=2, random_seed=1)
    assert path.sampler == "exact" and path.feature_names == list(X.columns)
    assert path.median.shape == (3, X.shape[1])
    for k, t in enumerate(scales):
        mean, chol, _, _ = conjugate_posterior(X.to_numpy(), y.to_numpy(), t, SIGMA_DIABETES)
        cov = np.linalg.inv(chol @ chol.T)
        sd = np.sqrt(np.diag(cov))
        mcse = sd / np.sqrt(4000)
        assert np.all(np.abs(path.mean[k] - mean) < 4 * mcse)
        assert np.all(np.abs(path.median[k] - mean) < 5 * mcse)  # symmetric: median = mean
        z = stats.norm.ppf(0.97)  # the 94% HDI of a normal is its central interval
        # standard error of a 3% quantile of 4000 draws, in units of sd; a sample HDI's
        # ends (chosen by minimum width) are noisier still, hence 6 of them
        se_q = np.sqrt(0.03 * 0.97 / 4000) / stats.norm.pdf(z)
        assert np.all(np.abs(path.hdi_low[k] - (mean - z * sd)) < 6 * se_q * sd)
        assert np.all(np.abs(path.hdi_high[k] - (mean + z * sd)) < 6 * se_q * sd)


def test_posterior_path_compiles_the_model_once(small_gaussian):
    X, y = small_gaussian
    before = dict(compile_counts)
    path = br.posterior_path(X, y, br.Laplace(scale=1.0), [0.1, 1.0, 10.0], sigma=1.0,
                             sampler="nutpie", draws=300, tune=300, random_seed=2)
    assert compile_counts["nutpie"] - before["nutpie"] <= 1
    assert compile_counts["model"] - before["model"] <= 1
    after_first = dict(compile_counts)
    br.posterior_path(X, y, br.Laplace(scale=1.0), [0.3, 3.0], sigma=1.0, sampler="nutpie", draws=300,
                      tune=300)
    assert compile_counts == after_first  # a second path compiles nothing
    assert path.sampler == "nutpie" and path.feature_names == ["x0", "x1", "x2"]
    # a tighter prior shrinks every coefficient's posterior median towards zero
    assert np.all(np.abs(path.median[0]) <= np.abs(path.median[2]) + 1e-12)


# ---------------------------------------------------------------------- logistic CV: seeded, converged
@pytest.fixture(scope="module")
def unevenly_scaled_labels():
    """n = 200, p = 4 with column scales 0.1 .. 100: SAGA warned ~100 times here and drew
    from numpy's global generator, so equal seeds gave different scales."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 4)) * np.array([1.0, 10.0, 100.0, 0.1])
    eta = X @ np.array([1.0, -0.05, 0.0, 8.0])
    return X, (rng.uniform(size=200) < 1 / (1 + np.exp(-eta))).astype(int)


def test_cv_logistic_same_seed_same_answer(unevenly_scaled_labels):
    X, y = unevenly_scaled_labels
    first = br.choose_scale(X, y, br.Laplace(scale=1.0), likelihood="bernoulli", random_seed=0)
    second = br.choose_scale(X, y, br.Laplace(scale=1.0), likelihood="bernoulli", random_seed=0)
    assert first.scale == second.scale and first.alpha == second.alpha  # pytest: no ConvergenceWarning
    np.testing.assert_array_equal(first.details["cv_log_loss"], second.details["cv_log_loss"])


def _held_out_log_loss_by_brute_force(X, y, scales, folds):
    """Independent CV: L-BFGS-B on w = u - v (u, v >= 0) per fold and scale, on columns scaled
    to unit sd with the L1 weight 1/s mapped exactly onto them (1/(s d_j))."""
    from scipy import optimize
    from scipy.special import expit

    losses = np.empty((folds.get_n_splits(), len(scales)))
    for k, (train, test) in enumerate(folds.split(X, y)):
        Xt, yt = X[train], y[train]
        mean, sd = Xt.mean(axis=0), Xt.std(axis=0)
        Z, p = (Xt - mean) / sd, X.shape[1]
        for i, s in enumerate(scales):
            lam = 1.0 / (s * sd)

            def f(theta):
                u, v, b0 = theta[:p], theta[p : 2 * p], theta[-1]
                eta = b0 + Z @ (u - v)
                r = expit(eta) - yt
                g = Z.T @ r
                return (np.sum(np.logaddexp(0, eta) - yt * eta) + lam @ (u + v),
                        np.concatenate([g + lam, -g + lam, [r.sum()]]))

            x = optimize.minimize(f, np.zeros(2 * p + 1), jac=True, method="L-BFGS-B",
                                  bounds=[(0, None)] * (2 * p) + [(None, None)],
                                  options={"gtol": 1e-10, "ftol": 0.0, "maxiter": 50_000}).x
            w = (x[:p] - x[p : 2 * p]) / sd
            eta = x[-1] - mean @ w + X[test] @ w
            losses[k, i] = np.mean(np.logaddexp(0, eta) - y[test] * eta)
    return losses


def test_cv_logistic_laplace_agrees_with_brute_force_cv(unevenly_scaled_labels):
    X, y = unevenly_scaled_labels
    scales = np.geomspace(0.05, 50, 13)
    choice = br.choose_scale(X, y, br.Laplace(scale=1.0), likelihood="bernoulli", scales=scales)
    reference = _held_out_log_loss_by_brute_force(X, y, scales, _folds(StratifiedKFold))
    np.testing.assert_allclose(choice.details["cv_log_loss"], reference, rtol=1e-6)
    assert choice.scale == scales[np.argmin(reference.mean(axis=0))]
    assert choice.alpha == choice.scale  # C = s for the Laplace prior


# ---------------------------------------------------------------------- report_loo
def test_report_loo_equals_arviz_loo_of_the_posterior_at_the_chosen_scale(small_gaussian):
    """The LOO reported is az.loo of an independently refitted posterior at the chosen scale."""
    import arviz as az

    X, y = small_gaussian
    choice = br.choose_scale(X, y, br.Normal(scale=1.0), "cv", sigma=1.0, report_loo=True,
                             draws=1000, chains=2, random_seed=3)
    plain = br.choose_scale(X, y, br.Normal(scale=1.0), "cv", sigma=1.0, random_seed=3)
    assert choice.scale == plain.scale  # the choice itself is unchanged
    refit = br.PosteriorRegressor(br.Normal(choice.scale), sigma=1.0, sampler="exact", draws=1000,
                                  chains=2, random_seed=3, progressbar=False,
                                  log_likelihood=True).fit(X, y)
    want = az.loo(refit.idata_)
    assert choice.details["loo_model"].sampler_ == "exact"
    assert choice.details["elpd_loo"] == pytest.approx(want.elpd_loo, rel=1e-12)
    assert choice.details["loo"].se == pytest.approx(want.se, rel=1e-12)


def test_report_loo_per_scale_where_the_posterior_is_closed_form(small_gaussian):
    import arviz as az

    X, y = small_gaussian
    scales = np.geomspace(0.05, 20.0, 9)
    choice = br.choose_scale(X, y, br.Normal(scale=1.0), "cv", sigma=1.0, scales=scales,
                             report_loo=True, draws=1000, chains=2, random_seed=3)
    curve = choice.details["elpd_loo_scales"]
    assert curve.shape == scales.shape
    for k in (0, 6):  # independent refits at two grid scales
        refit = br.PosteriorRegressor(br.Normal(scales[k]), sigma=1.0, sampler="exact",
                                      draws=1000, chains=2, random_seed=3, progressbar=False,
                                      log_likelihood=True).fit(X, y)
        assert curve[k] == pytest.approx(az.loo(refit.idata_).elpd_loo, rel=1e-12)
    at_choice = int(np.argmin(np.abs(np.log(scales / choice.scale))))
    assert curve[at_choice] == pytest.approx(choice.details["elpd_loo"], rel=1e-6)
    # a learned sigma has no closed-form posterior: only the chosen scale is scored
    learned = br.choose_scale(X, y, br.Normal(scale=1.0), "cv", scales=scales, report_loo=True,
                              draws=500, chains=2, random_seed=3)
    assert "elpd_loo_scales" not in learned.details and np.isfinite(learned.details["elpd_loo"])


def test_report_loo_for_every_method(all_three, small_gaussian):
    import arviz as az

    X, y = small_gaussian
    choices = br.choose_scale(X, y, br.Normal(scale=1.0), "all", sigma=1.0, sampler="nutpie",
                              draws=500, tune=500, random_seed=4, report_loo=True)
    for name, choice in choices.items():
        assert choice.scale == pytest.approx(all_three[name].scale, rel=1e-12)
        model = choice.details["loo_model"]
        assert choice.details["elpd_loo"] == pytest.approx(az.loo(model.idata_).elpd_loo, rel=1e-12)
    # the hierarchical LOO is that of its own posterior, not a refit
    assert choices["hierarchical"].details["loo_model"] is choices["hierarchical"].details["model"]
    with pytest.raises(TypeError, match="report_loo must be True or False"):
        br.choose_scale(X, y, br.Normal(scale=1.0), report_loo="yes")
