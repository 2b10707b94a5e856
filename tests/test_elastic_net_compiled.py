"""The elastic net in the compiled Gibbs sweep (issue 21): which path runs, and what it draws.

The compiled sweep (bayesreg/posterior/_gibbs_kernel.py) now runs the elastic
net's Gaussian-likelihood chains; tests/test_gibbs_oracle.py shows that it
reaches the numpy sweep's next state from every state. Here: that a fit takes
the compiled path wherever it can (and the numpy sweep only where the compiled
one cannot go), and that what the compiled path draws is the posterior, by
quadrature that does not use the sampler (the helpers of
tests/test_elastic_net_gibbs.py): sigma learned under a conjugate prior (integrated
out in closed form), and a Gamma hyperprior on 1/s^2 (the scale integrated on a grid).
Tolerances are K_MCSE = 4 Monte Carlo standard errors, fixed seeds.
"""

import math

import numpy as np
import pytest
from scipy import special, stats

import bayesreg as br
from bayesreg.posterior import gibbs as gibbs_module

from .test_elastic_net_gibbs import (
    _assert_coef_moments,
    _grid_moments,
    _log_enet_unnormalised,
    _log_z1,
    _problem,
)
from .test_posterior import K_MCSE, mcse_mean


@pytest.fixture
def paths(monkeypatch):
    """Records which sampling loop each fit ran: "compiled" (numba) or "numpy"."""
    ran = []
    compiled, vectorised = gibbs_module._sample_compiled, gibbs_module._sample_vectorised

    def spy_compiled(*args, **kwargs):
        ran.append("compiled")
        return compiled(*args, **kwargs)

    def spy_vectorised(*args, **kwargs):
        ran.append("numpy")
        return vectorised(*args, **kwargs)

    monkeypatch.setattr(gibbs_module, "_sample_compiled", spy_compiled)
    monkeypatch.setattr(gibbs_module, "_sample_vectorised", spy_vectorised)
    return ran


def _fit(estimator, prior, X, y, **kwargs):
    options = {"sampler": "gibbs", "fit_intercept": False, "chains": 4, "progressbar": False, **kwargs}
    return estimator(prior, **options).fit(X, y)


# ------------------------------------------------------------------ which path runs
@pytest.mark.filterwarnings("ignore::bayesreg.SamplingWarning")  # 2 x 100 draws: a routing test
@pytest.mark.parametrize("prior, sigma, sigma_prior", [
    (br.ElasticNet(0.5, 0.5), 1.0, None),
    (br.ElasticNet(0.5, 0.0), None, None),
    (br.ElasticNet(br.HalfCauchy(1.0), 0.3), None, None),
    (br.ElasticNet(br.HalfNormal(1.0), 0.7), 1.0, None),
    (br.ElasticNet(br.Gamma(2.0, 1.0), 0.5), None, br.InverseGamma(2.0, 1.0)),
    (br.ElasticNet(br.InverseGamma(2.0, 1.0), 0.5), None, br.Jeffreys()),
    (br.ElasticNet((0.5, 1.0), 0.5), 1.0, None),  # per-feature scales
], ids=repr)
def test_gaussian_elastic_net_fits_run_the_compiled_sweep(paths, prior, sigma, sigma_prior):
    X, y = _problem(0)
    _fit(br.PosteriorRegressor, prior, X, y, sigma=sigma, sigma_prior=sigma_prior, draws=100, tune=50, chains=2,
         random_seed=1)
    assert paths == ["compiled"]


@pytest.mark.filterwarnings("ignore::bayesreg.SamplingWarning")
@pytest.mark.parametrize("case", ["p > n", "logistic", "scale_by_sigma", "half-Cauchy sigma prior"])
def test_the_numpy_sweep_runs_only_where_the_compiled_one_cannot_go(paths, case):
    """Bhattacharya's p > n draw, the Polya-Gamma sweep, the sigma-scaled sweep and the
    half-Cauchy noise prior's auxiliary variable are numpy only (docs/gibbs.md)."""
    X, y = _problem(1, n=30)
    prior, estimator, kwargs = br.ElasticNet(0.5, 0.5), br.PosteriorRegressor, {"sigma": None}
    if case == "p > n":
        X = np.column_stack([X] * 20)
    elif case == "logistic":
        estimator, kwargs, y = br.PosteriorClassifier, {}, (y > 0).astype(int)
    elif case == "scale_by_sigma":
        prior = br.ElasticNet(0.5, 0.5, scale_by_sigma=True)
    else:
        kwargs["sigma_prior"] = br.HalfCauchy(1.0)
    _fit(estimator, prior, X, y, draws=60, tune=30, chains=2, random_seed=2, **kwargs)
    assert paths == ["numpy"]


# ------------------------------------------------------------------ what it draws
@pytest.mark.parametrize("l1_ratio", [0.0, 0.5, 1.0])
def test_compiled_sweep_with_sigma_learned_matches_quadrature(paths, l1_ratio):
    """ElasticNet(0.5, r), sigma^2 ~ InverseGamma(a, b), no intercept: sigma^2 integrates out
    in closed form, p(w | y) ~ (b + RSS(w)/2)^-(a + n/2) prior(w), a 2-D density; and
    E[sigma | w, y] = sqrt(b + RSS/2) Gamma(a + n/2 - 1/2) / Gamma(a + n/2)."""
    X, y = _problem(2, n=25)
    scale, a, b = 0.5, 2.0, 1.0
    shape = a + len(y) / 2

    def rate(w):
        return b + 0.5 * np.sum((y[None] - w @ X.T) ** 2, axis=1)

    def log_post(w):
        return -shape * np.log(rate(w)) + _log_enet_unnormalised(w, scale, l1_ratio).sum(axis=1)

    mean, sd, grid, weight = _grid_moments(log_post, [0.4, -0.1], [2.0, 2.0])
    mean_sigma = weight @ (np.sqrt(rate(grid)) * math.exp(special.gammaln(shape - 0.5) - special.gammaln(shape)))
    model = _fit(br.PosteriorRegressor, br.ElasticNet(scale, l1_ratio), X, y, sigma=None,
                 sigma_prior=br.InverseGamma(a, b), draws=4000, random_seed=3)
    assert paths == ["compiled"]
    _assert_coef_moments(model, mean, sd)
    sigma = model.idata_.posterior["sigma"].values[..., None]
    assert abs(sigma.mean() - mean_sigma) < K_MCSE * mcse_mean(sigma)[0], (sigma.mean(), mean_sigma)


def test_gamma_hyperprior_on_the_scale_matches_quadrature(paths):
    """ElasticNet(Gamma(a, b), r): Gamma(a, rate b) on 1/s^2 (scipy.stats.gamma), sigma fixed.
    Quadrature over (w1, w2) and log s of lik(w) pi(s) prod_j exp(-penalty(w_j; s)) / (s Z(1)),
    with pi(log s) = gamma.pdf(s^-2) * 2 s^-2 (the Jacobian of 1/s^2 in log s)."""
    X, y = _problem(4, n=20)
    l1_ratio, sigma, a, b = 0.6, 1.0, 2.0, 1.0
    log_s = np.linspace(math.log(1e-3), math.log(1e3), 400)  # pi(s) ~ s^-(2a+1) far out: s > 1e3 is nil
    s = np.exp(log_s)
    log_prior_s = stats.gamma(a, scale=1 / b).logpdf(s**-2) + math.log(2.0) - 2 * log_s
    log_z1 = _log_z1(l1_ratio)

    def joint(w):  # (grid points, s grid) log density
        pen = _log_enet_unnormalised(w[:, :, None], s[None, None, :], l1_ratio).sum(axis=1)
        return pen - 2 * (log_s + log_z1) + log_prior_s

    kept = {}

    def log_post(w):
        lik = -0.5 * np.sum((y[None] - w @ X.T) ** 2, axis=1) / sigma**2
        kept["joint"] = joint(w)  # reused for E[s | w] below
        return lik + special.logsumexp(kept["joint"], axis=1)

    mean, sd, _, weight = _grid_moments(log_post, [0.6, -0.2], [2.5, 2.5], points=161)
    js = kept["joint"]
    post_s = np.exp(js - special.logsumexp(js, axis=1, keepdims=True)) @ s  # E[s | w]
    mean_scale = weight @ post_s
    model = _fit(br.PosteriorRegressor, br.ElasticNet(br.Gamma(a, b), l1_ratio), X, y, sigma=sigma,
                 draws=5000, random_seed=5)
    assert paths == ["compiled"]
    _assert_coef_moments(model, mean, sd)
    scale = model.idata_.posterior["scale"].values[..., None]
    assert abs(scale.mean() - mean_scale) < K_MCSE * mcse_mean(scale)[0], (scale.mean(), mean_scale)


@pytest.mark.slow
def test_gibbs_with_a_gamma_hyperprior_is_calibrated():
    """ElasticNet(Gamma(2, 1), 0.5) with sigma learned (compiled sweep): simulation-based
    calibration of the coefficients, sigma and the scale (60 simulations, 5 bins of ranks)."""
    import warnings

    from validation import sbc

    from .test_sbc import assert_uniform

    config = sbc.Config("elasticnet-gamma-gauss-learned", br.ElasticNet(br.Gamma(2.0, 1.0), 0.5),
                        "gaussian-learned", 40, 4)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # run_config records diagnostics itself
        result = sbc.run_config(config, simulations=60, sampler="gibbs", draws=400, chains=2, seed=9)
    assert {"scale", "sigma"} <= set(result["ranks"])
    assert_uniform(result, bins=5)
