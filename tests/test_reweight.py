"""PSIS reweighting and weighted summaries, against the conjugate closed form and numpy."""

import numpy as np
import pytest
from scipy import stats

import bayesreg as br
from bayesreg.posterior.exact import conjugate_posterior, sample_exact
from bayesreg.posterior.reweight import (
    KHAT_THRESHOLD,
    psis_reweight,
    weighted_hdi,
    weighted_quantile,
    weighted_summary,
)

SIGMA = 54.0
N_DRAWS = 4000


def _exact_draws(X, y, scale, seed):
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    ds = sample_exact(
        X, y, scale, SIGMA, fit_intercept=True, draws=N_DRAWS, chains=1, random_seed=seed,
        feature_names=[f"x{j}" for j in range(X.shape[1])],
    )
    return ds["coef"].values.reshape(N_DRAWS, -1)


def _closed_form(X, y, scale):
    mean, chol, _, _ = conjugate_posterior(X, y, scale, SIGMA)
    cov = np.linalg.inv(chol @ chol.T)
    return mean, np.sqrt(np.diag(cov))


@pytest.mark.parametrize("t_old, t_new", [(10.0, 8.0), (10.0, 13.0), (3.0, 3.3)])
def test_reweighted_mean_matches_conjugate_posterior(diabetes, t_old, t_new):
    """Normal prior: exact draws at t_old reweighted to t_new match the closed form at t_new."""
    X, y = diabetes
    X, y = X.to_numpy(), y.to_numpy()
    draws = _exact_draws(X, y, t_old, seed=1)
    rw = psis_reweight(draws, br.Normal(scale=t_old), br.Normal(scale=t_new))
    assert rw.reliable and rw.khat < 0.5
    mean_new, sd_new = _closed_form(X, y, t_new)
    est = rw.weights @ draws
    mcse = sd_new / np.sqrt(rw.ess)
    np.testing.assert_array_less(np.abs(est - mean_new), 4 * mcse)
    # and the shift is real: the old mean is many MC errors away for at least one coefficient
    mean_old, _ = _closed_form(X, y, t_old)
    assert np.max(np.abs(mean_old - mean_new) / mcse) > 4
    # the weighted sd too (sd of a sample sd ~ sd / sqrt(2 ess))
    sd_est = np.sqrt(rw.weights @ (draws - est) ** 2)
    np.testing.assert_array_less(np.abs(sd_est - sd_new), 5 * sd_new / np.sqrt(2 * rw.ess))


def test_khat_flags_a_far_move(diabetes):
    """Reweighting a wide posterior to a much narrower prior is flagged unreliable."""
    X, y = diabetes
    draws = _exact_draws(X, y, 20.0, seed=2)
    near = psis_reweight(draws, br.Normal(scale=20.0), br.Normal(scale=15.0))
    far = psis_reweight(draws, br.Normal(scale=20.0), br.Normal(scale=0.3))
    assert near.khat < 0.5 and near.reliable
    assert far.khat > KHAT_THRESHOLD and not far.reliable
    assert far.ess < near.ess
    # same prior: equal weights, k-hat far below any threshold
    same = psis_reweight(draws, br.Normal(scale=20.0), br.Normal(scale=20.0))
    np.testing.assert_allclose(same.weights, 1.0 / N_DRAWS)
    assert same.ess == pytest.approx(N_DRAWS)


def test_weighted_quantile_and_hdi_equal_weights_match_numpy_and_scipy():
    rng = np.random.default_rng(0)
    draws = rng.normal(size=(20001, 2)) * [1.0, 3.0] + [0.0, 5.0]
    np.testing.assert_allclose(
        weighted_quantile(draws, 0.3), np.quantile(draws, 0.3, axis=0, method="hazen"), atol=1e-12
    )
    hdi = weighted_hdi(draws, 0.9)
    z = stats.norm.ppf(0.95)
    np.testing.assert_allclose(hdi, [[-z, z], [5 - 3 * z, 5 + 3 * z]], atol=0.06 * 3)


def test_weighted_quantile_with_weights_matches_repeated_draws():
    """Integer weights act like repeated draws."""
    x = np.array([[0.0], [1.0], [2.0], [3.0]])
    w = np.array([1, 3, 0, 4], dtype=float)
    repeated = np.repeat(x[:, 0], w.astype(int))
    assert weighted_quantile(x, 0.5, w)[0] == pytest.approx(
        np.quantile(repeated, 0.5, method="hazen")
    )
    lo, hi = weighted_hdi(x, 0.5, w)[0]
    assert (lo, hi) == (3.0, 3.0)  # 4/8 of the mass sits at 3


def test_weighted_summary_layout():
    rng = np.random.default_rng(1)
    draws = rng.normal(size=(500, 3))
    table = weighted_summary(draws, map_coef=[1, 2, 3], feature_names=["a", "b", "c"])
    assert list(table.columns) == ["map", "mean", "median", "sd", "hdi_low", "hdi_high"]
    assert list(table.index) == ["a", "b", "c"]
    np.testing.assert_allclose(table["mean"], draws.mean(axis=0))
    np.testing.assert_allclose(table["sd"], draws.std(axis=0))
    with pytest.raises(ValueError, match="one weight per draw"):
        weighted_summary(draws, np.ones(3))
