"""The elastic net's Gibbs scheme (issue 21): against quadrature, nutpie and SBC.

The references do not use the sampler: with two coefficients (no intercept) the
posterior is a two-dimensional density whose moments quadrature on a fine grid
gives to ~1e-4, far below the Monte Carlo error; the prior's normaliser is
computed here by ``scipy.integrate.quad`` from the density
:math:`e^{-r|w|/s - (1-r)w^2/(2s^2)}` (DESIGN.md), not by the family.
Tolerances are K_MCSE = 4 Monte Carlo standard errors (test_posterior.py).
"""

import math
import warnings

import numpy as np
import pytest
from scipy import integrate, special

import bayesreg as br
from validation import sbc

from .test_gibbs import _maybe_divergences, assert_same_posterior
from .test_posterior import K_MCSE, mcse_mean, mcse_sd
from .test_sbc import assert_uniform


def _log_enet_unnormalised(w, scale, l1_ratio):
    return -l1_ratio * np.abs(w) / scale - (1 - l1_ratio) * w**2 / (2 * scale**2)


def _log_z1(l1_ratio):
    """log of the elastic net's normaliser at scale 1 (it is s * Z(1) at scale s)."""
    value, _ = integrate.quad(lambda w: math.exp(_log_enet_unnormalised(w, 1.0, l1_ratio)), -np.inf, np.inf,
                              epsabs=0, epsrel=1e-12)
    return math.log(value)


def _grid_moments(log_density, centre, half_width, points=401):
    """Mean and sd of a 2-D density given as log values on a grid around ``centre``."""
    axes = [np.linspace(c - h, c + h, points) for c, h in zip(centre, half_width)]
    w1, w2 = np.meshgrid(*axes, indexing="ij")
    grid = np.stack([w1.ravel(), w2.ravel()], axis=1)
    logp = log_density(grid)
    weight = np.exp(logp - logp.max())
    weight /= weight.sum()
    mean = weight @ grid
    return mean, np.sqrt(weight @ (grid - mean) ** 2), grid, weight


def _problem(seed, n=30, logistic=False):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 2))
    eta = X @ np.array([1.0, -0.3])
    if logistic:
        return X, (rng.uniform(size=n) < special.expit(eta)).astype(int)
    return X, eta + rng.normal(size=n)


def _assert_coef_moments(model, mean, sd):
    draws = model.idata_.posterior["coef"].values
    est_mean, est_sd = draws.mean(axis=(0, 1)), draws.std(axis=(0, 1))
    assert np.all(np.abs(est_mean - mean) < K_MCSE * mcse_mean(draws)), (est_mean, mean)
    assert np.all(np.abs(est_sd - sd) < K_MCSE * mcse_sd(draws)), (est_sd, sd)


def _gibbs(estimator, prior, **kwargs):
    return estimator(prior, sampler="gibbs", fit_intercept=False, chains=4, progressbar=False, **kwargs)


@pytest.mark.parametrize("l1_ratio", [0.0, 0.3, 0.9, 1.0])
def test_fixed_scale_gaussian_matches_quadrature(l1_ratio):
    """sigma fixed: the posterior mean and sd of both coefficients, l1_ratio from Normal to Laplace."""
    X, y = _problem(0)
    scale, sigma = 0.5, 1.0

    def log_post(w):
        return (-0.5 * np.sum((y[None] - w @ X.T) ** 2, axis=1) / sigma**2
                + _log_enet_unnormalised(w, scale, l1_ratio).sum(axis=1))

    mean, sd, _, _ = _grid_moments(log_post, [0.3, -0.1], [2.0, 2.0])
    model = _gibbs(br.PosteriorRegressor, br.ElasticNet(scale, l1_ratio), sigma=sigma, draws=4000,
                   random_seed=1).fit(X, y)
    assert model.sampler_ == "gibbs"
    _assert_coef_moments(model, mean, sd)


def test_learned_scale_matches_quadrature():
    """ElasticNet(HalfCauchy(1), 0.4), sigma fixed: the coefficients and the scale, by quadrature
    over (w1, w2) and log s of  lik(w) HalfCauchy(s) prod_j exp(-penalty(w_j; s)) / (s Z(1))."""
    X, y = _problem(1, n=20)
    l1_ratio, sigma = 0.4, 1.0
    log_s = np.linspace(math.log(1e-4), math.log(1e4), 600)
    s = np.exp(log_s)
    log_prior_s = np.log(2 / math.pi) - np.log1p(s**2) + log_s  # HalfCauchy(1) on the log s grid
    log_z1 = _log_z1(l1_ratio)

    def joint(w):  # (grid points, s grid) log density
        pen = _log_enet_unnormalised(w[:, :, None], s[None, None, :], l1_ratio).sum(axis=1)
        return pen - 2 * (log_s + log_z1) + log_prior_s

    def log_post(w):
        lik = -0.5 * np.sum((y[None] - w @ X.T) ** 2, axis=1) / sigma**2
        return lik + special.logsumexp(joint(w), axis=1)

    mean, sd, grid, weight = _grid_moments(log_post, [0.6, -0.2], [2.5, 2.5], points=161)
    # the scale's posterior mean: E[s | w] under each grid point, averaged with its weight
    js = joint(grid)
    post_s = np.exp(js - special.logsumexp(js, axis=1, keepdims=True)) @ s
    mean_scale = weight @ post_s
    model = _gibbs(br.PosteriorRegressor, br.ElasticNet(br.HalfCauchy(1.0), l1_ratio), sigma=sigma,
                   draws=5000, random_seed=2).fit(X, y)
    _assert_coef_moments(model, mean, sd)
    scale = model.idata_.posterior["scale"].values[..., None]
    assert abs(scale.mean() - mean_scale) < K_MCSE * mcse_mean(scale)[0], (scale.mean(), mean_scale)
    post = model.idata_.posterior  # alpha of each draw, as the PyMC model reports it
    a, b = l1_ratio / post["scale"], (1 - l1_ratio) / post["scale"] ** 2
    np.testing.assert_allclose(post["alpha"], sigma**2 / len(y) * (a + b), rtol=1e-12)


def test_logistic_matches_quadrature():
    """Bernoulli-logit (Polya-Gamma sweep), fixed scale: quadrature of the exact posterior."""
    X, y = _problem(3, n=60, logistic=True)
    scale, l1_ratio = 1.0, 0.5

    def log_post(w):
        eta = w @ X.T
        return (np.sum(y[None] * eta - np.logaddexp(0.0, eta), axis=1)
                + _log_enet_unnormalised(w, scale, l1_ratio).sum(axis=1))

    mean, sd, _, _ = _grid_moments(log_post, [0.8, -0.2], [3.0, 3.0])
    model = _gibbs(br.PosteriorClassifier, br.ElasticNet(scale, l1_ratio), draws=3000, random_seed=4).fit(X, y)
    assert model.sampler_ == "gibbs"
    _assert_coef_moments(model, mean, sd)


def test_auto_and_the_widgets_see_the_scheme():
    """sampler="auto" picks Gibbs for the elastic net (no closed form), the explorer draws it live."""
    from bayesreg.posterior.samplers import resolve_sampler
    from bayesreg.widgets._live_posterior import live_sampler

    for prior in (br.ElasticNet(1.0, 0.5), br.ElasticNet(br.HalfNormal(1.0), 0.5)):
        for likelihood, sigma_fixed in (("gaussian", True), ("gaussian", False), ("bernoulli", False)):
            assert resolve_sampler("auto", prior, likelihood, sigma_fixed) == "gibbs"
            assert live_sampler(prior, likelihood, sigma_fixed, "auto") == "gibbs"


# ------------------------------------------------------------------ against nutpie (same model)
@pytest.mark.slow
@pytest.mark.parametrize("prior, sigma", [(br.ElasticNet(1.0, 0.5), 1.0),
                                          (br.ElasticNet(br.HalfCauchy(1.0), 0.5), None)], ids=repr)
def test_gibbs_matches_nutpie(small_gaussian, prior, sigma):
    """With the intercept, sigma fixed and (with a learned scale) learned."""
    X, y = small_gaussian
    common = {"sigma": sigma, "draws": 3000, "random_seed": 6, "progressbar": False}
    model = br.PosteriorRegressor(prior, sampler="gibbs", **common).fit(X, y)
    reference = br.PosteriorRegressor(prior, sampler="nutpie", **common)
    with _maybe_divergences():
        reference.fit(X, y)
    names = ["coef", "intercept"] + (["sigma", "scale"] if sigma is None else [])
    assert_same_posterior(model, reference, names)


# ------------------------------------------------------------------ simulation-based calibration
def _sbc(config, simulations, seed):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # run_config records diagnostics itself
        return sbc.run_config(config, simulations=simulations, sampler="gibbs", draws=400, chains=2,
                              seed=seed)


@pytest.mark.slow
@pytest.mark.parametrize("name", ["elasticnet-gauss-fixed", "elasticnet-gauss-learned", "elasticnet-bernoulli"])
def test_gibbs_is_calibrated(name):
    """The validation configurations (n = 40 or 100, p = 4): 60 simulations, 5 bins of ranks."""
    result = _sbc(sbc.CONFIGS[name], 60, seed=7)
    assert result["compiles"] == {"model": 0, "nutpie": 0}
    assert_uniform(result, bins=5)


@pytest.mark.slow
def test_gibbs_with_a_learned_scale_is_calibrated():
    """ElasticNet(HalfNormal(1), 0.5) with sigma learned: the scale's ranks too."""
    config = sbc.Config("elasticnet-hn-gauss-learned", br.ElasticNet(br.HalfNormal(1.0), 0.5),
                        "gaussian-learned", 40, 4)
    result = _sbc(config, 60, seed=8)
    assert {"scale", "sigma"} <= set(result["ranks"])
    assert_uniform(result, bins=5)
