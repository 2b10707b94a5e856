"""exposure= / offset= through map_path, choose_scale and posterior_path (Poisson).

References: glum's GeneralizedLinearRegressor with ``offset`` at the mapped
glmnet penalty (an independent Poisson solver), scikit-learn's
``mean_poisson_deviance`` for the held-out loss, and KFold splits written out.
"""

import warnings

import numpy as np
import pytest
from sklearn.metrics import mean_poisson_deviance
from sklearn.model_selection import KFold

import bayesreg as br

glum = pytest.importorskip("glum")


@pytest.fixture(scope="module")
def counts():
    rng = np.random.default_rng(23)
    n = 120
    X = rng.normal(size=(n, 4))
    exposure = rng.uniform(0.5, 5.0, size=n)
    y = rng.poisson(exposure * np.exp(0.3 + X @ np.array([0.5, -0.3, 0.0, 0.2]))).astype(float)
    return X, y, exposure


def _glum_map(prior, X, y, offset):
    pen = br.to_penalty(prior, n_samples=len(y), likelihood="poisson", convention="glmnet")
    reference = glum.GeneralizedLinearRegressor(
        family="poisson", alpha=pen["lambda"], l1_ratio=pen["alpha"], gradient_tol=1e-12,
        max_iter=1000, solver="irls-cd",
    )
    with warnings.catch_warnings():
        # at gradient_tol 1e-12 glum's line search may stall at the optimum and say so
        warnings.filterwarnings("ignore", message="Line search failed")
        return reference.fit(X, y, offset=offset)


SCALES = np.array([0.02, 0.1, 0.5])


def test_map_path_with_exposure_is_glum_with_the_offset_at_each_scale(counts):
    X, y, exposure = counts
    path = br.map_path(X, y, br.Laplace(1.0), SCALES, likelihood="poisson", exposure=exposure)
    same = br.map_path(X, y, br.Laplace(1.0), SCALES, likelihood="poisson", offset=np.log(exposure))
    np.testing.assert_array_equal(path.coefs, same.coefs)
    for row, scale in enumerate(SCALES):
        reference = _glum_map(br.Laplace(scale), X, y, np.log(exposure))
        np.testing.assert_allclose(path.coefs[row], reference.coef_, atol=1e-6)
        assert path.intercepts[row] == pytest.approx(reference.intercept_, abs=1e-6)
    without = br.map_path(X, y, br.Laplace(1.0), SCALES, likelihood="poisson")
    assert not np.allclose(without.intercepts, path.intercepts)  # the offset was used


def test_choose_scale_cv_with_exposure_is_a_hand_cv_with_glum(counts):
    X, y, exposure = counts
    scales = np.geomspace(0.01, 1.0, 6)
    choice = br.choose_scale(X, y, br.Laplace(1.0), likelihood="poisson", scales=scales, cv=4,
                             random_seed=3, exposure=exposure)
    folds = KFold(n_splits=4, shuffle=True, random_state=3)
    offset = np.log(exposure)
    losses = np.empty((4, scales.size))
    for k, (train, test) in enumerate(folds.split(X)):
        for j, scale in enumerate(scales):
            fit = _glum_map(br.Laplace(scale), X[train], y[train], offset[train])
            mu = exposure[test] * np.exp(fit.intercept_ + X[test] @ fit.coef_)
            losses[k, j] = mean_poisson_deviance(y[test], mu)
    np.testing.assert_allclose(choice.details["cv_loss"], losses, rtol=1e-6)
    assert choice.scale == pytest.approx(scales[np.argmin(losses.mean(axis=0))])


@pytest.mark.parametrize("function", ["map_path", "choose_scale", "posterior_path"])
def test_workflow_functions_validate_exposure_as_fit_does(counts, function):
    X, y, exposure = counts
    call = getattr(br, function)
    args = (X, y, br.Laplace(1.0)) + ((SCALES,) if function != "choose_scale" else ())
    bad = exposure.copy()
    bad[3] = np.nan
    with pytest.raises(ValueError, match=f"{function}: exposure has non-finite values"):
        call(*args, likelihood="poisson", exposure=bad)
    with pytest.raises(ValueError, match=f"{function}: pass exposure= or offset="):
        call(*args, likelihood="poisson", exposure=exposure, offset=np.log(exposure))
    with pytest.raises(ValueError, match=f"{function}: the Gaussian likelihood takes no exposure"):
        call(*args, exposure=exposure)
    with pytest.raises(ValueError, match=f"{function}: exposure must be > 0"):
        call(*args, likelihood="poisson", exposure=-exposure)


@pytest.mark.slow
def test_posterior_path_with_exposure_uses_it_and_its_map_is_the_map(counts):
    X, y, exposure = counts
    scales = np.array([0.1, 0.5])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # short chains may warn about their ESS
        path = br.posterior_path(X, y, br.Normal(1.0), scales, likelihood="poisson",
                                 exposure=exposure, draws=400, tune=400, chains=2)
    for row, scale in enumerate(scales):
        reference = _glum_map(br.Normal(scale), X, y, np.log(exposure))
        np.testing.assert_allclose(path.map_coef[row], reference.coef_, atol=1e-6)
        # the posterior is centred near its MAP (n = 120 counts): within 4 posterior sds
        assert np.all(np.abs(path.mean[row] - reference.coef_) < 4 * path.sd[row])
