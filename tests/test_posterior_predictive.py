"""sample_posterior_predictive: replicates of the training y, checked against the closed form."""

import arviz as az
import matplotlib
import numpy as np
import pytest

import bayesreg as br

matplotlib.use("Agg")

SIGMA, SCALE, DRAWS, CHAINS = 0.8, 1.5, 2000, 2


@pytest.fixture(scope="module")
def fitted():
    rng = np.random.default_rng(11)
    X = rng.normal(size=(30, 3))
    y = X @ np.array([1.0, -0.5, 0.25]) + SIGMA * rng.normal(size=30)
    model = br.PosteriorRegressor(br.Normal(SCALE), sigma=SIGMA, fit_intercept=False, sampler="exact",
                                  draws=DRAWS, chains=CHAINS, random_seed=5, progressbar=False)
    return X, y, model.fit(X, y)


def test_replicates_have_the_closed_form_predictive_mean_and_variance(fitted):
    X, y, model = fitted
    # conjugate posterior of w written out: N(m, V), V = (X'X/s2 + I/scale2)^-1, m = V X'y/s2
    V = np.linalg.inv(X.T @ X / SIGMA**2 + np.eye(3) / SCALE**2)
    m = V @ X.T @ y / SIGMA**2
    mean = X @ m
    var = np.einsum("ij,jk,ik->i", X, V, X) + SIGMA**2
    reps = model.sample_posterior_predictive().posterior_predictive["y"].values.reshape(-1, 30)
    S = reps.shape[0]  # independent draws: MCSE of the mean sqrt(var/S), of the variance var*sqrt(2/(S-1))
    z_mean = (reps.mean(axis=0) - mean) / np.sqrt(var / S)
    z_var = (reps.var(axis=0, ddof=1) - var) / (var * np.sqrt(2 / (S - 1)))
    assert np.max(np.abs(z_mean)) < 4.0 and np.max(np.abs(z_var)) < 4.0


# ArviZ 0.x's plot_ppc still calls a helper matplotlib 3.11 deprecated (not ours to fix)
@pytest.mark.filterwarnings("ignore:Passing a dict or None as alias_mapping")
def test_the_group_sits_beside_the_observed_y_and_plot_ppc_draws_it(fitted):
    _, y, model = fitted
    idata = model.sample_posterior_predictive(random_seed=1)
    assert idata.posterior_predictive["y"].dims == ("chain", "draw", "obs")
    assert idata.posterior_predictive["y"].shape == (CHAINS, DRAWS, len(y))
    np.testing.assert_array_equal(idata.posterior_predictive["obs"], idata.observed_data["obs"])
    az.plot_ppc(idata, num_pp_samples=20)


def test_the_same_seed_gives_the_same_replicates_and_a_second_call_replaces_the_group(fitted):
    _, _, model = fitted
    first = model.sample_posterior_predictive(random_seed=3).posterior_predictive["y"].values.copy()
    other = model.sample_posterior_predictive(random_seed=4).posterior_predictive["y"].values.copy()
    again = model.sample_posterior_predictive(random_seed=3).posterior_predictive["y"].values
    np.testing.assert_array_equal(first, again)
    assert not np.array_equal(first, other)
    assert list(model.idata_.groups()).count("posterior_predictive") == 1


def test_classifier_replicates_are_labels_with_the_posterior_probability():
    rng = np.random.default_rng(2)
    X = rng.normal(size=(40, 2))
    y = (rng.uniform(size=40) < 1 / (1 + np.exp(-(X @ np.array([1.5, -1.0]))))).astype(int)
    model = br.PosteriorClassifier(br.Normal(1.0), sampler="gibbs", draws=1000, chains=2,
                                   random_seed=0, progressbar=False).fit(X, y)
    reps = model.sample_posterior_predictive().posterior_predictive["y"].values.reshape(-1, 40)
    assert set(np.unique(reps)) <= {0, 1}
    # given the draws, each replicate label is Bernoulli(p_draw); its mean is the mean of p over
    # the draws (predict_proba), with MC error at most sqrt(0.25 / S) per row
    p1 = model.predict_proba(X)[:, 1]
    assert np.max(np.abs(reps.mean(axis=0) - p1) / np.sqrt(0.25 / reps.shape[0])) < 4.0
