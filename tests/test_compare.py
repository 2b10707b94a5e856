"""compare(): the table against the fitted models, the flags, and the errors."""

import arviz as az
import numpy as np
import pandas as pd
import pytest
from scipy import optimize
from scipy.special import log_expit
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LinearRegression

import bayesreg as br
from bayesreg.workflow.compare import (
    COLUMNS,
    FLAG_MAP_NONZERO_POSTERIOR_NEAR_ZERO,
    FLAG_MAP_ZERO_POSTERIOR_AWAY,
)

from .conftest import SIGMA_DIABETES


@pytest.fixture(scope="module")
def laplace_map(diabetes):
    X, y = diabetes
    return br.MAPRegressor(br.Laplace(scale=1.0), sigma=SIGMA_DIABETES).fit(X, y)


@pytest.fixture(scope="module")
def normal_pair(diabetes):
    """A ridge MAP and its exact conjugate posterior on diabetes."""
    X, y = diabetes
    prior = br.Normal(scale=2.0)
    map_model = br.MAPRegressor(prior, sigma=SIGMA_DIABETES).fit(X, y)
    posterior = br.PosteriorRegressor(
        prior, sigma=SIGMA_DIABETES, sampler="exact", draws=2000, chains=2, random_seed=5
    ).fit(X, y)
    return map_model, posterior


@pytest.fixture(scope="module")
def logistic_problem():
    rng = np.random.default_rng(7)
    X = rng.normal(size=(150, 3))
    y = rng.random(150) < 1.0 / (1.0 + np.exp(-(0.3 + X @ np.array([1.2, -0.8, 0.0]))))
    return X, np.where(y, "yes", "no")


@pytest.fixture(scope="module")
def logistic_pair(logistic_problem):
    X, y = logistic_problem
    prior = br.Normal(scale=1.5)
    map_model = br.MAPClassifier(prior).fit(X, y)
    posterior = br.PosteriorClassifier(
        prior, sampler="nutpie", draws=400, tune=400, chains=2, random_seed=3, progressbar=False
    ).fit(X, y)
    return map_model, posterior


def _draws(posterior):
    coef = posterior.idata_.posterior["coef"].values
    return coef.reshape(-1, coef.shape[-1])


def test_table_matches_the_fitted_models(diabetes, laplace_map, laplace_posterior):
    X, y = diabetes
    result = br.compare(laplace_map, laplace_posterior, hdi_prob=0.9, practical_zero=2.0)
    table = result.table
    draws = _draws(laplace_posterior)
    assert tuple(table.columns) == COLUMNS
    assert list(table.index) == list(X.columns)
    np.testing.assert_array_equal(table["map"], laplace_map.coef_)
    np.testing.assert_allclose(table["mean"], draws.mean(axis=0), rtol=1e-12)
    np.testing.assert_allclose(table["median"], np.median(draws, axis=0), rtol=1e-12)
    np.testing.assert_allclose(table["sd"], np.std(draws, axis=0, ddof=1), rtol=1e-12)
    hdi = az.hdi(laplace_posterior.idata_, hdi_prob=0.9, var_names=["coef"])["coef"].values
    np.testing.assert_allclose(table[["hdi_low", "hdi_high"]], hdi, rtol=1e-12)
    np.testing.assert_allclose(table["p_positive"], (draws > 0).sum(axis=0) / len(draws))
    np.testing.assert_allclose(table["p_practical_zero"], (abs(draws) < 2.0).sum(axis=0) / len(draws))
    ols = LinearRegression().fit(X, y).coef_
    np.testing.assert_allclose(table["shrinkage"], 1 - draws.mean(axis=0) / ols, rtol=1e-8)
    assert result.hdi_prob == 0.9


def test_default_practical_zero_is_a_tenth_of_a_standardised_unit(diabetes, laplace_map, laplace_posterior):
    X, y = diabetes
    result = br.compare(laplace_map, laplace_posterior)
    expected = 0.1 * np.std(y) / np.std(X.to_numpy(), axis=0)
    np.testing.assert_allclose(result.practical_zero, expected, rtol=1e-12)
    draws = _draws(laplace_posterior)
    np.testing.assert_allclose(result.table["p_practical_zero"], np.mean(abs(draws) < expected, axis=0))


def test_lasso_zeros_with_posterior_mass_away_from_zero_are_flagged(laplace_map, laplace_posterior):
    # a narrow practical-zero band: the Bayesian lasso's posterior has no atom at 0
    table = br.compare(laplace_map, laplace_posterior, practical_zero=0.05).table
    zero = laplace_map.coef_ == 0
    assert zero.sum() >= 3  # the lasso drops several diabetes features at this scale
    draws = _draws(laplace_posterior)
    away = np.mean(abs(draws) < 0.05, axis=0) < 0.5
    expected = np.where(zero & away, FLAG_MAP_ZERO_POSTERIOR_AWAY, "")
    np.testing.assert_array_equal(table["flag"].to_numpy(dtype=str), expected)
    assert (table["flag"] == FLAG_MAP_ZERO_POSTERIOR_AWAY).sum() >= 3


def test_ridge_coefficient_with_posterior_near_zero_is_flagged():
    # feature 1 has no effect and n is large: its posterior sits inside the band
    rng = np.random.default_rng(0)
    X = rng.normal(size=(400, 2))
    y = 2.0 * X[:, 0] + rng.normal(size=400)
    prior = br.Normal(scale=1.0)
    map_model = br.MAPRegressor(prior, sigma=1.0).fit(X, y)
    posterior = br.PosteriorRegressor(prior, sigma=1.0, sampler="exact", draws=4000, random_seed=1).fit(X, y)
    result = br.compare(map_model, posterior, practical_zero=0.2)
    assert map_model.coef_[1] != 0
    assert list(result.table["flag"]) == ["", FLAG_MAP_NONZERO_POSTERIOR_NEAR_ZERO]
    assert list(result.flagged.index) == ["x1"]


def test_classifier_pair(logistic_problem, logistic_pair):
    X, y = logistic_problem
    map_model, posterior = logistic_pair
    table = br.compare(map_model, posterior).table
    draws = _draws(posterior)
    np.testing.assert_array_equal(table["map"], map_model.coef_)
    np.testing.assert_allclose(table["mean"], draws.mean(axis=0), rtol=1e-12)
    np.testing.assert_allclose(table["p_positive"], np.mean(draws > 0, axis=0))
    expected_zero = 0.1 * np.pi / np.sqrt(3) / X.std(axis=0)
    np.testing.assert_allclose(table["p_practical_zero"], np.mean(abs(draws) < expected_zero, axis=0))
    # the unpenalized MLE, found independently by minimising the negative log likelihood
    s = np.where(y == "yes", 1.0, -1.0)

    def nll(theta):
        return -np.sum(log_expit(s * (theta[0] + X @ theta[1:])))

    mle = optimize.minimize(nll, np.zeros(4), method="BFGS", options={"gtol": 1e-9}).x[1:]
    implied_mle = table["mean"] / (1 - table["shrinkage"])
    np.testing.assert_allclose(implied_mle, mle, rtol=1e-5)


def test_shrinkage_is_nan_without_least_squares(wide_problem):
    X, y, _ = wide_problem
    prior = br.Normal(scale=0.5)
    map_model = br.MAPRegressor(prior, sigma=1.0).fit(X, y)
    posterior = br.PosteriorRegressor(prior, sigma=1.0, sampler="exact", draws=1000, random_seed=0).fit(X, y)
    assert br.compare(map_model, posterior).table["shrinkage"].isna().all()


def test_plot_method_returns_the_forest_axes(normal_pair):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ax = br.compare(*normal_pair).plot()
    assert ax.get_yticklabels()[0].get_text() != ""
    plt.close(ax.figure)


# ---------------------------------------------------------------------- bad input
def test_unfitted_models_are_named(diabetes, laplace_map, laplace_posterior):
    with pytest.raises(NotFittedError, match="map_model .*not fitted"):
        br.compare(br.MAPRegressor(br.Laplace(1.0)), laplace_posterior)
    with pytest.raises(NotFittedError, match="posterior_model .*not fitted"):
        br.compare(laplace_map, br.PosteriorRegressor(br.Laplace(1.0)))


def test_models_fitted_on_different_data_are_rejected(diabetes, laplace_posterior):
    X, y = diabetes
    prior = br.Laplace(scale=1.0)
    fewer_rows = br.MAPRegressor(prior, sigma=SIGMA_DIABETES).fit(X.iloc[:-5], y.iloc[:-5])
    with pytest.raises(ValueError, match="different data"):
        br.compare(fewer_rows, laplace_posterior)
    other_y = br.MAPRegressor(prior, sigma=SIGMA_DIABETES).fit(X, y[::-1].to_numpy())
    with pytest.raises(ValueError, match="different data"):
        br.compare(other_y, laplace_posterior)


def test_models_fitted_on_different_features_are_rejected(diabetes, laplace_posterior):
    X, y = diabetes
    prior = br.Laplace(scale=1.0)
    fewer = br.MAPRegressor(prior, sigma=SIGMA_DIABETES).fit(X.iloc[:, :9], y)
    with pytest.raises(ValueError, match="different features"):
        br.compare(fewer, laplace_posterior)
    renamed = br.MAPRegressor(prior, sigma=SIGMA_DIABETES).fit(X.rename(columns={"age": "AGE"}), y)
    with pytest.raises(ValueError, match="different feature names"):
        br.compare(renamed, laplace_posterior)
    as_array = br.MAPRegressor(prior, sigma=SIGMA_DIABETES).fit(X.to_numpy(), y)
    with pytest.raises(ValueError, match="different feature names"):
        br.compare(as_array, laplace_posterior)


def test_mismatched_pair_and_likelihood_are_rejected(laplace_map, laplace_posterior, logistic_pair):
    with pytest.raises(TypeError, match="MAPRegressor or MAPClassifier"):
        br.compare(laplace_posterior, laplace_posterior)
    with pytest.raises(TypeError, match="PosteriorClassifier"):
        br.compare(logistic_pair[0], laplace_posterior)
    with pytest.raises(ValueError, match="hdi_prob"):
        br.compare(laplace_map, laplace_posterior, hdi_prob=1.5)


def test_different_priors_warn_but_compare(diabetes, laplace_posterior):
    X, y = diabetes
    other = br.MAPRegressor(br.Laplace(scale=3.0), sigma=SIGMA_DIABETES).fit(X, y)
    with pytest.warns(UserWarning, match="not of the same model.*Laplace\\(scale=3.0\\)"):
        table = br.compare(other, laplace_posterior).table
    np.testing.assert_array_equal(table["map"], other.coef_)
    estimated_sigma = br.MAPRegressor(br.Laplace(scale=1.0)).fit(X, y)
    with pytest.warns(UserWarning, match="noise sd"):
        br.compare(estimated_sigma, laplace_posterior)


def test_classifier_labels_must_match(logistic_problem, logistic_pair):
    X, y = logistic_problem
    other = br.MAPClassifier(br.Normal(scale=1.5)).fit(X, np.where(y == "yes", "a", "b"))
    with pytest.raises(ValueError, match="different labels"):
        br.compare(other, logistic_pair[1])
    flipped = br.MAPClassifier(br.Normal(scale=1.5)).fit(X, y[::-1])
    with pytest.raises(ValueError, match="different data"):
        br.compare(flipped, logistic_pair[1])
    assert isinstance(br.compare(*logistic_pair).table, pd.DataFrame)


@pytest.mark.parametrize("hdi_prob", [np.float32(0.9), np.float64(0.9), 0.9])
def test_hdi_prob_accepts_any_real_number_in_the_unit_interval(laplace_map, laplace_posterior,
                                                               hdi_prob):
    # issue 12: a numpy float32 was rejected; the intervals are arviz's at the same probability
    result = br.compare(laplace_map, laplace_posterior, hdi_prob=hdi_prob, practical_zero=2.0)
    hdi = az.hdi(laplace_posterior.idata_, hdi_prob=float(hdi_prob), var_names=["coef"])
    np.testing.assert_allclose(result.table[["hdi_low", "hdi_high"]], hdi["coef"].values,
                               rtol=1e-12)
    assert type(result.hdi_prob) is float and result.hdi_prob == pytest.approx(0.9, rel=1e-6)


@pytest.mark.parametrize("hdi_prob", [0.0, 1.0, 1.5, np.float32(-0.1), float("nan"), True, "0.9"])
def test_hdi_prob_outside_the_unit_interval_is_named(laplace_map, laplace_posterior, hdi_prob):
    with pytest.raises(ValueError, match=r"hdi_prob must be a number in \(0, 1\)"):
        br.compare(laplace_map, laplace_posterior, hdi_prob=hdi_prob)


def test_practical_zero_of_the_wrong_length_names_both_lengths(laplace_map, laplace_posterior):
    # issue 12: was a raw numpy broadcast error
    p = laplace_map.n_features_in_
    with pytest.raises(ValueError, match=rf"has length 3, but the models have {p} features.*"
                                         rf"array of length {p}"):
        br.compare(laplace_map, laplace_posterior, practical_zero=np.full(3, 0.5))
    with pytest.raises(ValueError, match=r"has shape \(2, 5\)"):
        br.compare(laplace_map, laplace_posterior, practical_zero=np.ones((2, 5)))
    # the right length is used feature by feature
    bands = np.linspace(0.5, 5.0, p)
    result = br.compare(laplace_map, laplace_posterior, practical_zero=bands)
    draws = _draws(laplace_posterior)
    np.testing.assert_allclose(result.table["p_practical_zero"],
                               np.mean(abs(draws) < bands, axis=0))
