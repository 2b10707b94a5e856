"""Per-feature prior scales in the posterior: exact, nutpie and Gibbs (issue 18).

References: the closed-form Gaussian posterior with the diagonal prior covariance
``diag(t_j^2)`` (written out here), the two samplers against each other within
Monte Carlo error, and simulation-based calibration (uniform ranks, Talts et al. 2018).
Fixed seeds; tolerances in Monte Carlo standard errors.
"""

import warnings

import arviz as az
import numpy as np
import pytest

import bayesreg as br
from bayesreg.posterior import samplers
from bayesreg.posterior.diagnostics import SamplingWarning
from validation.sbc_ranks import rank_pvalue

SCALES = np.array([0.1, 1.0, 3.0])


@pytest.fixture(scope="module")
def problem():
    rng = np.random.default_rng(1818)
    X = rng.normal(size=(40, 3))
    y = 0.5 + X @ np.array([0.4, -1.0, 2.0]) + rng.normal(size=40)
    return X, y


def closed_form(X, y, scales, sigma):
    """Mean and covariance of w | y with w ~ N(0, diag(scales^2)), a flat intercept, fixed sigma."""
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    cov = np.linalg.inv(Xc.T @ Xc / sigma**2 + np.diag(1.0 / scales**2))
    return cov @ Xc.T @ yc / sigma**2, cov


def assert_moments_within_mcse(coef_draws, mean, sd, mean_mcse, sd_mcse, k=4.0):
    np.testing.assert_array_less(np.abs(coef_draws.mean(axis=(0, 1)) - mean), k * mean_mcse)
    np.testing.assert_array_less(np.abs(coef_draws.std(axis=(0, 1)) - sd), k * sd_mcse)


def test_exact_sampler_matches_the_closed_form_with_per_feature_scales(problem):
    X, y = problem
    model = br.PosteriorRegressor(br.Normal(scale=SCALES), sigma=1.0, sampler="exact", draws=2000,
                                  chains=2, random_seed=1).fit(X, y)
    mean, cov = closed_form(X, y, SCALES, 1.0)
    sd, n = np.sqrt(np.diag(cov)), 4000  # independent draws: MCSE sd/sqrt(n), sd/sqrt(2n)
    draws = model.idata_.posterior["coef"].values
    assert_moments_within_mcse(draws, mean, sd, sd / np.sqrt(n), sd / np.sqrt(2 * n))
    # the tight scale of feature 0 shrinks it: not the posterior of any one common scale
    common = closed_form(X, y, np.full(3, br.Normal(scale=SCALES).reference_scale), 1.0)[0]
    assert abs(common[0] - mean[0]) > 10 * sd[0] / np.sqrt(n)


def test_per_feature_posterior_saves_and_loads(problem, tmp_path):
    X, y = problem
    model = br.PosteriorRegressor(br.Laplace(scale=SCALES), sigma=1.0, sampler="gibbs", draws=1000,
                                  tune=200, chains=2, random_seed=2, progressbar=False).fit(X, y)
    model.save(tmp_path / "model.nc")
    loaded = br.PosteriorRegressor.load(tmp_path / "model.nc")
    assert loaded.prior == br.Laplace(scale=SCALES) and loaded.prior.has_per_feature_scale
    np.testing.assert_array_equal(loaded.coef_, model.coef_)


def _mcse(idata):
    """MCSE of each coefficient's posterior mean and sd, from effective sample sizes (ArviZ's ess).

    mean: sd / sqrt(ess(w)); sd: the MCSE of the variance, sd((w - m)^2) / sqrt(ess((w - m)^2)),
    over 2 sd (the delta method).
    """
    draws = idata.posterior["coef"].values  # (chain, draw, feature)
    mean_mcse, sd_mcse = [], []
    for j in range(draws.shape[2]):
        w = draws[:, :, j]
        sq = (w - w.mean()) ** 2
        mean_mcse.append(w.std() / np.sqrt(az.ess(w)))
        sd_mcse.append(sq.std() / np.sqrt(az.ess(sq)) / (2 * w.std()))
    return np.array(mean_mcse), np.array(sd_mcse)


@pytest.mark.slow
def test_nutpie_per_feature_normal_matches_the_closed_form_and_compiles_once(problem):
    """The scale vector is a pm.Data: a second vector of the same length reuses the compiled model."""
    X, y = problem
    fits = []
    for scales in (SCALES, SCALES[::-1]):
        before = dict(samplers.compile_counts)
        model = br.PosteriorRegressor(br.Normal(scale=scales), sigma=1.0, sampler="nutpie", draws=1000,
                                      chains=2, random_seed=3, progressbar=False).fit(X, y)
        fits.append((scales, model, before, dict(samplers.compile_counts)))
    assert fits[1][3]["nutpie"] == fits[1][2]["nutpie"]  # no new compilation for the second vector
    for scales, model, _, _ in fits:
        mean, cov = closed_form(X, y, scales, 1.0)
        mean_mcse, sd_mcse = _mcse(model.idata_)
        assert_moments_within_mcse(model.idata_.posterior["coef"].values, mean, np.sqrt(np.diag(cov)),
                                   mean_mcse, sd_mcse)


@pytest.mark.slow
def test_gibbs_per_feature_laplace_agrees_with_nutpie(problem):
    X, y = problem
    prior = br.Laplace(scale=[0.05, 0.5, 2.0])
    kwargs = dict(sigma=1.0, draws=2000, chains=2, random_seed=4, progressbar=False)
    gibbs = br.PosteriorRegressor(prior, sampler="gibbs", tune=500, **kwargs).fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a divergence report is not what this test is about
        nuts = br.PosteriorRegressor(prior, sampler="nutpie", **kwargs).fit(X, y)
    (gm, gs), (nm, ns) = _mcse(gibbs.idata_), _mcse(nuts.idata_)
    g, n = gibbs.idata_.posterior["coef"].values, nuts.idata_.posterior["coef"].values
    np.testing.assert_array_less(np.abs(g.mean(axis=(0, 1)) - n.mean(axis=(0, 1))), 4 * np.hypot(gm, nm))
    np.testing.assert_array_less(np.abs(g.std(axis=(0, 1)) - n.std(axis=(0, 1))), 4 * np.hypot(gs, ns))
    # the tight scale of feature 0 pulls it far below its least-squares value 0.4
    assert abs(gibbs.coef_[0]) < 0.2


def _sbc_ranks(prior, sampler, simulations, seed, thin=1, tune=0, fit_prior=None):
    """Ranks of the true coefficients among 99 posterior draws, over simulations from the prior."""
    fit_prior = prior if fit_prior is None else fit_prior
    rng = np.random.default_rng(seed)
    ranks = []
    for _ in range(simulations):
        X = rng.normal(size=(25, len(prior.scale)))
        coef = prior.sample(rng, len(prior.scale))
        y = X @ coef + rng.normal(size=25)  # sigma = 1 (fixed), intercept 0 (flat prior)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", SamplingWarning)  # one short chain: ESS is not checked here
            model = br.PosteriorRegressor(fit_prior, sigma=1.0, sampler=sampler, draws=99 * thin, tune=tune,
                                          chains=1, random_seed=int(rng.integers(2**31)),
                                          progressbar=False).fit(X, y)
        draws = model.idata_.posterior["coef"].values[0, ::thin]
        ranks.append(np.sum(draws < coef, axis=0))
    return np.array(ranks)


@pytest.mark.parametrize("prior, sampler, thin, tune", [
    (br.Normal(scale=[0.2, 1.0, 3.0]), "exact", 1, 0),
    (br.Laplace(scale=[0.2, 1.0, 3.0]), "gibbs", 5, 100),
], ids=["normal-exact", "laplace-gibbs"])
def test_per_feature_posterior_is_calibrated(prior, sampler, thin, tune):
    """A small SBC: 100 simulations, ranks in 0..99 in 10 bins; Bonferroni over the 3 coefficients."""
    ranks = _sbc_ranks(prior, sampler, simulations=100, seed=18, thin=thin, tune=tune)
    pvalues = [rank_pvalue(ranks[:, j], 99, 10) for j in range(ranks.shape[1])]
    assert min(pvalues) * len(pvalues) > 0.001, pvalues


def test_sbc_detects_a_posterior_that_ignores_the_per_feature_scales():
    """Power: data from scales (0.2, 1, 3), fitted with their common reference scale, fail the same test."""
    prior = br.Normal(scale=[0.2, 1.0, 3.0])
    ranks = _sbc_ranks(prior, "exact", simulations=100, seed=18, fit_prior=prior.at_reference_scale())
    pvalues = [rank_pvalue(ranks[:, j], 99, 10) for j in range(ranks.shape[1])]
    assert min(pvalues) < 1e-6, pvalues
