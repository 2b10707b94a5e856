"""Spike-and-slab prior: Gibbs with collapsed indicator updates, checked against exact enumeration.

References independent of the sampler: the posterior inclusion probabilities of
all 2^p models enumerated here from the closed-form marginal likelihood (a dense
n x n Gaussian density from scipy.stats, not the sampler's Cholesky/Woodbury
form) and the Beta-binomial model prior; simulation-based calibration (ranks of
the truth uniform); scipy.stats for the Beta density and quadrature for the
marginal prior of one coefficient.
"""

import itertools
import warnings

import arviz as az
import numpy as np
import pytest
from scipy import integrate, special, stats

import bayesreg as br
from bayesreg.posterior.spike_and_slab_gibbs import sample_spike_and_slab

SIGMA, SLAB = 1.0, 1.0


def _data(n=40, p=8, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, p))
    X[:, 1] = X[:, 0] + 0.6 * rng.normal(size=n)  # correlated pair: the PIPs interact
    coef = np.zeros(p)
    coef[0] = 0.6
    coef[min(3, p - 1)] = 0.45
    coef[min(5, p - 1)] += 0.25  # weak: an intermediate inclusion probability
    y = 0.5 + X @ coef + SIGMA * rng.normal(size=n)
    return X, y


def _fit(model, X, y):
    """Fit, ignoring R-hat warnings: the accuracy is checked against the exact answer in MCSEs."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", br.SamplingWarning)
        return model.fit(X, y)


def _enumerated_inclusion(X, y, slab, sigma, a, b):
    """P(gamma_j = 1 | y) over all 2^p models (sigma fixed; intercept flat, so data centred).

    With the flat intercept integrated out, y_c given gamma is Gaussian on the centred
    subspace; projecting onto an orthonormal basis H of that subspace (H' 1 = 0) gives a
    full-rank (n-1)-dim Gaussian: H'y ~ N(0, sigma^2 I + slab^2 H'X_g X_g' H).
    """
    n, p = X.shape
    H = np.linalg.svd(np.eye(n) - 1.0 / n, hermitian=True)[0][:, : n - 1]  # basis of 1-perp
    z, Z = H.T @ y, H.T @ X
    log_post = []
    models = list(itertools.product([0, 1], repeat=p))
    for gamma in models:
        idx = np.flatnonzero(gamma)
        cov = sigma**2 * np.eye(n - 1) + slab**2 * Z[:, idx] @ Z[:, idx].T
        k = len(idx)
        log_prior = special.betaln(a + k, b + p - k) - special.betaln(a, b)
        log_post.append(stats.multivariate_normal(np.zeros(n - 1), cov).logpdf(z) + log_prior)
    log_post = np.array(log_post)
    weights = np.exp(log_post - special.logsumexp(log_post))
    return weights @ np.array(models, dtype=float)


@pytest.mark.parametrize("a, b", [(1.0, 1.0), (2.0, 5.0)])
def test_inclusion_probabilities_equal_exact_enumeration(a, b):
    """p = 8 (256 models): every PIP within 4 Monte Carlo standard errors (+ 1e-3) of the enumeration."""
    X, y = _data()
    prior = br.SpikeAndSlab(slab_scale=SLAB, inclusion=br.Beta(a, b))
    exact = _enumerated_inclusion(X, y, SLAB, SIGMA, a, b)
    assert np.any((exact > 0.2) & (exact < 0.8))  # the test has intermediate PIPs to get right
    model = _fit(br.PosteriorRegressor(prior, sigma=SIGMA, draws=1500, tune=100, chains=2,
                                       random_seed=3, progressbar=False), X, y)
    assert model.sampler_ == "gibbs"
    inclusion = model.idata_.posterior["inclusion"]
    assert set(np.unique(inclusion.values)) <= {0, 1}
    estimate = inclusion.mean(("chain", "draw")).values
    ess = _ess(inclusion.values)  # effective draws per indicator
    mcse = np.sqrt(exact * (1 - exact) / ess)
    np.testing.assert_array_less(np.abs(estimate - exact), 4 * mcse + 1e-3)
    # summary() and the ranking report the same numbers
    table = model.summary()
    np.testing.assert_allclose(table.loc[[f"coef[x{j}]" for j in range(8)], "p_inclusion"], estimate)
    by_rank = table.dropna(subset=["rank"]).sort_values("rank")["p_inclusion"].to_numpy()
    assert np.all(np.diff(by_rank) <= 0)  # the rank follows the inclusion probability first


def test_learned_sigma_matches_enumeration_given_the_sigma_draws():
    """Learned sigma: the Gibbs PIPs average the fixed-sigma enumeration over sigma's posterior.

    Reference: enumerate the joint posterior over (gamma, sigma) on a sigma grid, with the
    package's HalfNormal(sd(y)) prior on sigma.
    """
    X, y = _data(n=30, p=5, seed=4)
    a = b = 1.0
    grid = np.linspace(0.3, 3.2, 100)
    n, p = X.shape
    H = np.linalg.svd(np.eye(n) - 1.0 / n, hermitian=True)[0][:, : n - 1]
    z, Z = H.T @ y, H.T @ X
    models = np.array(list(itertools.product([0, 1], repeat=p)), dtype=float)
    log_joint = np.empty((len(grid), len(models)))
    for i, s in enumerate(grid):
        for m, gamma in enumerate(models):
            idx = np.flatnonzero(gamma)
            cov = s**2 * np.eye(n - 1) + SLAB**2 * Z[:, idx] @ Z[:, idx].T
            k = len(idx)
            log_joint[i, m] = (stats.multivariate_normal(np.zeros(n - 1), cov).logpdf(z)
                               + special.betaln(a + k, b + p - k)
                               + stats.halfnorm(scale=np.std(y)).logpdf(s))
    weights = np.exp(log_joint - special.logsumexp(log_joint))
    assert weights[[0, -1]].sum() < 1e-6  # the grid covers sigma's posterior
    exact = weights.sum(axis=0) @ models
    exact_sigma = weights.sum(axis=1) @ grid
    model = _fit(br.PosteriorRegressor(br.SpikeAndSlab(SLAB), draws=1500, tune=100, chains=2,
                                       random_seed=5, progressbar=False), X, y)
    inclusion = model.idata_.posterior["inclusion"]
    estimate = inclusion.mean(("chain", "draw")).values
    ess = _ess(inclusion.values)
    np.testing.assert_array_less(np.abs(estimate - exact), 4 * np.sqrt(exact * (1 - exact) / ess) + 2e-3)
    sigma = model.idata_.posterior["sigma"]
    mcse = float(az.mcse(model.idata_, var_names=["sigma"])["sigma"])
    assert abs(float(sigma.mean()) - exact_sigma) < 4 * mcse + (grid[1] - grid[0]) / 2


def _ess(draws):
    """ArviZ's effective sample size of each feature's (chain, draw) indicators; all draws if constant."""
    values = np.asarray(draws, dtype=float)
    out = np.array([az.ess(values[:, :, j]) for j in range(values.shape[2])], dtype=float)
    return np.where(np.isfinite(out), out, values.shape[0] * values.shape[1])


def _rank(draws, truth, rng):
    """Rank of the truth among the draws, ties broken uniformly at random (discrete and atom parts)."""
    below, ties = np.sum(draws < truth), np.sum(draws == truth)
    return below + rng.integers(0, ties + 1)


@pytest.mark.slow
def test_gibbs_sampler_passes_simulation_based_calibration():
    """Small SBC (Talts et al. 2018): 80 data sets from the prior, p = 3, n = 15, sigma fixed.

    Ranks of coef[0], coef[2], the number of included features and pi among 39 draws
    thinned by 2; 5 bins (16 per bin expected), chi-square p-value > 0.001 / 4
    (Bonferroni) for each.
    """
    rng = np.random.default_rng(11)
    prior = br.SpikeAndSlab(slab_scale=1.0, inclusion=br.Beta(1.0, 1.0))
    n, p, sims, keep, thin = 15, 3, 80, 39, 2
    ranks = {"coef[0]": [], "coef[2]": [], "n_included": [], "pi": []}
    for sim in range(sims):
        coef, hyper = prior.sample_prior(rng, p)
        X = rng.normal(size=(n, p))
        y = 0.3 + X @ coef + rng.normal(size=n)
        post = sample_spike_and_slab(prior, 1.0, X, y, fit_intercept=True, draws=keep * thin, tune=30,
                                     chains=1, random_seed=sim, feature_names=["a", "b", "c"])
        pick = slice(thin - 1, None, thin)
        draws = {
            "coef[0]": post["coef"].values[0, pick, 0],
            "coef[2]": post["coef"].values[0, pick, 2],
            "n_included": post["inclusion"].values[0, pick].sum(axis=1),
            "pi": post["inclusion_probability"].values[0, pick],
        }
        truth = {"coef[0]": coef[0], "coef[2]": coef[2], "n_included": hyper["inclusion"].sum(),
                 "pi": hyper["inclusion_probability"]}
        for name in ranks:
            ranks[name].append(_rank(draws[name], truth[name], rng))
    bins = 5
    for name, r in ranks.items():
        counts = np.bincount(np.asarray(r) * bins // (keep + 1), minlength=bins)
        pvalue = stats.chisquare(counts).pvalue
        assert pvalue * len(ranks) > 0.001, (name, counts, pvalue)


@pytest.mark.slow
def test_sbc_detects_a_wrong_slab():
    """Power check: data drawn with slab sd 5 and fitted with slab sd 0.1 fail the same rank test."""
    rng = np.random.default_rng(12)
    wide, narrow = br.SpikeAndSlab(5.0), br.SpikeAndSlab(0.1)
    ranks = []
    for sim in range(80):
        coef, _ = wide.sample_prior(rng, 2)
        X = rng.normal(size=(15, 2))
        y = X @ coef + rng.normal(size=15)
        post = sample_spike_and_slab(narrow, 1.0, X, y, fit_intercept=True, draws=39, tune=20, chains=1,
                                     random_seed=sim, feature_names=["a", "b"])
        ranks.append(_rank(post["coef"].values[0, :, 0], coef[0], rng))
    counts = np.bincount(np.asarray(ranks) * 5 // 40, minlength=5)
    assert stats.chisquare(counts).pvalue < 0.001 / 4  # the calibration test's threshold


# ---------------------------------------------------------------- densities
@pytest.mark.parametrize("a, b", [(1.0, 1.0), (0.5, 0.5), (2.0, 7.5), (1.0, 3.0)])
def test_beta_density_matches_scipy(a, b):
    x = np.array([-0.1, 0.0, 1e-6, 0.2, 0.5, 0.93, 1.0, 1.3])
    got = br.Beta(a, b).logpdf(x)
    want = stats.beta(a, b).logpdf(x)
    np.testing.assert_allclose(got, want, rtol=1e-12)
    total, _ = integrate.quad(lambda t: np.exp(br.Beta(a, b).logpdf(t)), 0, 1, limit=200)
    assert abs(total - 1) < 1e-8
    assert np.isnan(br.Beta(a, b).logpdf(np.nan))
    assert br.Beta(a, b).mean == pytest.approx(stats.beta(a, b).mean(), rel=1e-14)


def test_beta_rejects_bad_shapes():
    with pytest.raises(ValueError, match="a must be finite and > 0"):
        br.Beta(0.0, 1.0)
    assert eval(repr(br.Beta(2.0, 3.0)), {"Beta": br.Beta}) == br.Beta(2.0, 3.0)


@pytest.mark.parametrize("slab, a, b", [(1.0, 1.0, 1.0), (0.3, 2.0, 6.0)])
def test_marginal_prior_is_a_point_mass_plus_a_normal_slab(slab, a, b):
    """Continuous part integrates to a/(a+b) (quadrature); it is that times scipy's Normal density."""
    prior = br.SpikeAndSlab(slab_scale=slab, inclusion=br.Beta(a, b))
    w = np.array([-2.0, -0.1, 1e-9, 0.7, 3.0])
    np.testing.assert_allclose(prior.logpdf(w), np.log(a / (a + b)) + stats.norm(0, slab).logpdf(w),
                               rtol=1e-12)
    assert prior.logpdf(0.0) == np.inf  # the point mass
    mass = sum(integrate.quad(lambda t: np.exp(prior.logpdf(t)), lo, hi, epsabs=0, epsrel=1e-12)[0]
               for lo, hi in ((-np.inf, 0), (0, np.inf)))
    assert abs(mass - a / (a + b)) < 1e-8
    assert prior.inclusion_mass == pytest.approx(a / (a + b))
    # draws: the share of exact zeros is the point mass (binomial sd: 4 of them)
    draws = prior.sample(np.random.default_rng(0), 40_000)
    zero_share = np.mean(draws == 0)
    assert abs(zero_share - b / (a + b)) < 4 * np.sqrt(zero_share * (1 - zero_share) / draws.size)


# ---------------------------------------------------------------- what is refused, and why
def test_no_map_and_no_nuts_with_clear_reasons():
    X, y = _data(n=20, p=3)
    prior = br.SpikeAndSlab(1.0)
    with pytest.raises(ValueError, match="no MAP"):
        br.MAPRegressor(prior).fit(X, y)
    with pytest.raises(ValueError, match="discrete"):
        br.PosteriorRegressor(prior, sampler="nutpie").fit(X, y)
    with pytest.raises(ValueError, match="Gaussian"):
        br.PosteriorClassifier(prior, progressbar=False).fit(X, y > np.median(y))
    assert prior.samplers("gaussian", True) == ("gibbs",)
    with pytest.raises(TypeError, match="Beta"):
        br.SpikeAndSlab(1.0, inclusion=br.HalfCauchy(1.0))
    assert eval(repr(prior), {"SpikeAndSlab": br.SpikeAndSlab, "Beta": br.Beta}) == prior


# ---------------------------------------------------------------- the rest of the package
@pytest.fixture(scope="module")
def fitted():
    X, y = _data(n=40, p=5, seed=2)
    model = _fit(br.PosteriorRegressor(br.SpikeAndSlab(1.0, inclusion=br.Beta(1, 2)), sigma=1.0,
                                       draws=300, tune=50, chains=2, random_seed=0, progressbar=False), X, y)
    return X, y, model


def test_save_and_load_keep_the_prior_and_the_indicators(fitted, tmp_path):
    X, _, model = fitted
    model.save(tmp_path / "ss.nc")
    loaded = br.PosteriorRegressor.load(tmp_path / "ss.nc")
    assert loaded.prior == model.prior
    np.testing.assert_array_equal(loaded.idata_.posterior["inclusion"].values,
                                  model.idata_.posterior["inclusion"].values)
    np.testing.assert_allclose(loaded.predict(X), model.predict(X))
    np.testing.assert_allclose(loaded.summary()["p_inclusion"].dropna(), model.summary()["p_inclusion"].dropna())


def test_compare_table_and_plot_show_inclusion_probabilities(fitted):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    X, y, model = fitted
    map_model = br.MAPRegressor(br.Normal(1.0), sigma=1.0).fit(X, y)
    with pytest.warns(UserWarning, match="not of the same model"):
        table = br.compare(map_model, model).table
    pip = model.idata_.posterior["inclusion"].mean(("chain", "draw")).values
    np.testing.assert_allclose(table["p_inclusion"].values, pip)
    fig, ax = plt.subplots()
    from bayesreg.plots import plot_inclusion_probabilities

    out = plot_inclusion_probabilities(model, ax=ax)
    assert out is ax
    bars = [patch.get_width() for patch in ax.patches]
    np.testing.assert_allclose(sorted(bars), sorted(pip))
    plt.close(fig)


def test_widgets_prior_choice_leaves_it_out_with_the_reason():
    from bayesreg.model.registry import prior_classes, prior_families
    from bayesreg.widgets._prior_choice import prior_kind, prior_options

    assert "SpikeAndSlab" in prior_classes() and "Beta" in prior_classes()  # found by the registry
    assert all(cls is not br.SpikeAndSlab for cls in prior_families().values())
    assert ("Normal (ridge)", "normal") in prior_options()
    with pytest.raises(ValueError, match="no MAP estimate"):
        prior_kind(br.SpikeAndSlab(1.0))


def test_diagnostics_do_not_warn_for_an_always_excluded_feature():
    """A feature never included has constant (zero) coef draws: no spurious warning."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 3))
    y = 3 * X[:, 0] + 0.3 * rng.normal(size=60)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model = br.PosteriorRegressor(br.SpikeAndSlab(2.0, inclusion=br.Beta(1, 20)), sigma=0.3,
                                      draws=200, tune=50, chains=2, random_seed=1, progressbar=False).fit(X, y)
        table = model.summary()
    assert not [w for w in caught if not issubclass(w.category, br.SamplingWarning)]
    assert np.isfinite(model.diagnostics_["max_r_hat"])
    assert table.loc["coef[x2]", "p_inclusion"] < 0.2
