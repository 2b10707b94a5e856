"""The robust likelihoods downstream: choose_scale, posterior_path, compare, save/load.

choose_scale's cross-validated Laplace-likelihood losses are checked against
scikit-learn's QuantileRegressor at the mapped alpha on the same folds
(an independent solver and scorer).
"""

import warnings

import numpy as np
from sklearn.linear_model import QuantileRegressor
from sklearn.model_selection import KFold

import bayesreg as br
from bayesreg.likelihoods import StudentT


def _data(seed=0, n=50):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, 3))
    y = 1.0 + X @ np.array([1.0, -2.0, 0.0]) + rng.standard_t(3, n)
    y[:3] += 20.0  # gross outliers
    return X, y


def test_choose_scale_laplace_cv_is_quantile_regressor_cv():
    X, y = _data()
    b, scales = 1.2, [0.05, 0.3, 3.0]
    choice = br.choose_scale(X, y, br.Laplace(1.0), likelihood="laplace", sigma=b,
                             scales=scales, cv=3, random_seed=4)
    folds = KFold(n_splits=3, shuffle=True, random_state=4)
    expected = np.empty((3, len(scales)))
    for k, (train, test) in enumerate(folds.split(X, y)):
        for j, s in enumerate(scales):
            alpha = b / (2 * len(train) * s)  # the mapping of docs/maths.md on the training fold
            fit = QuantileRegressor(quantile=0.5, alpha=alpha, solver="highs").fit(X[train], y[train])
            expected[k, j] = np.mean(np.abs(y[test] - fit.predict(X[test])))
    np.testing.assert_allclose(choice.details["cv_log_loss"], expected, atol=1e-6)
    assert choice.scale == scales[int(np.argmin(expected.mean(axis=0)))]


def test_choose_scale_student_t_uses_the_deviance():
    X, y = _data(1)
    choice = br.choose_scale(X, y, br.Normal(1.0), likelihood=StudentT(df=3.0), sigma=1.0,
                             scales=[0.01, 1.0], cv=3, random_seed=0)
    losses = choice.details["cv_log_loss"]
    assert choice.scale == 1.0 and np.all(losses[:, 1] < losses[:, 0])
    # the deviance at sigma = 1: a held-out mean of -log t_3 density, > -log t_3(0) = 0.69
    assert np.all(losses > 0.69)


def test_posterior_path_uses_the_likelihood():
    """posterior_path fitted the Gaussian whatever ``likelihood`` said; now the robust one."""
    X, y = _data(2)
    kwargs = {"sigma": 1.0, "sampler": "gibbs", "draws": 300, "chains": 2, "random_seed": 3}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # short chains warn about ESS
        path = br.posterior_path(X, y, br.Laplace(1.0), [1.0], likelihood="laplace", **kwargs)
        direct = br.PosteriorRegressor(br.Laplace(1.0), likelihood="laplace", progressbar=False,
                                       **kwargs).fit(X, y)
    np.testing.assert_allclose(path.mean[0], direct.coef_)


def test_compare_and_save_load_round_trip(tmp_path):
    X, y = _data(3)
    lik = StudentT(df=4)
    map_model = br.MAPRegressor(br.Laplace(1.0), likelihood=lik, sigma=1.0).fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        post = br.PosteriorRegressor(br.Laplace(1.0), likelihood=lik, sigma=1.0, sampler="gibbs",
                                     draws=300, chains=2, random_seed=0, progressbar=False).fit(X, y)
    table = br.compare(map_model, post).table
    np.testing.assert_allclose(table["map"].values, map_model.coef_)
    path = tmp_path / "robust.nc"
    post.save(path)
    back = br.PosteriorRegressor.load(path)
    assert back.likelihood == StudentT(df=4.0)
    np.testing.assert_allclose(back.predict(X), post.predict(X))
    _, std = back.predict(X[:2], return_std=True)
    # predictive sd^2 = var of the posterior mean of eta + E[sigma^2] df/(df - 2)
    assert np.all(std**2 > 1.0 * 4.0 / 2.0)


def test_auto_sampler_is_gibbs_not_exact_for_robust_likelihoods():
    """The Normal prior's closed form is for the Gaussian likelihood only."""
    from bayesreg.posterior.samplers import resolve_sampler

    for lik in ("student_t", "laplace", StudentT(df=2.5)):
        assert resolve_sampler("auto", br.Normal(1.0), lik, True) == "gibbs"
    assert resolve_sampler("auto", br.Normal(1.0), "gaussian", True) == "exact"
