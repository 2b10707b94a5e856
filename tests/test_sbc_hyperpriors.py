"""Simulation-based calibration of the Gibbs sampler under the Gamma / inverse-gamma hyperpriors.

As tests/test_sbc.py (Talts et al. 2018): true parameters drawn from the prior
(``Prior.sample_prior``; sigma from ``sigma_prior.sample_scale``), y simulated,
the posterior sampled, the rank of each truth among 99 thinned draws; uniform
ranks by a chi-square test per parameter, Bonferroni over the parameters,
fixed seeds (deterministic). Jeffreys' prior is improper, so it has no prior
draws and no SBC: tests/test_scale_hyperpriors.py checks it against the
closed-form posterior of sigma instead.
"""

import warnings

import numpy as np
import pytest

import bayesreg as br
from validation import sbc

P_MIN = 0.001


def _run(prior, sigma_prior, *, simulations, seed, n=40, p=4):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p))
    ranks = {}
    for _ in range(simulations):
        coef, truth = prior.sample_prior(rng, p)
        truth.update({f"coef[{j}]": c for j, c in enumerate(coef)})
        sigma = 1.0
        if sigma_prior is not None:
            sigma = float(sigma_prior.sample_scale(rng))
            truth["sigma"] = sigma
        y = X @ coef + sigma * rng.standard_normal(n)
        model = br.PosteriorRegressor(
            prior, sigma=None if sigma_prior is not None else 1.0, sigma_prior=sigma_prior,
            fit_intercept=False, sampler="gibbs", draws=1000, tune=300, chains=2,
            random_seed=int(rng.integers(2**31)), progressbar=False,
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # a rare low-ESS fit is part of the calibration
            model.fit(X, y)
        for name, value in truth.items():
            kept = sbc.thin(sbc.posterior_draws(model, name), sbc.RANK_DRAWS)
            ranks.setdefault(name, []).append(int(np.sum(kept < value)))
    return ranks


def _assert_uniform(ranks, bins):
    pvalues = {name: sbc.rank_pvalue(r, sbc.RANK_DRAWS, bins) for name, r in ranks.items()}
    assert min(pvalues.values()) * len(pvalues) > P_MIN, pvalues


@pytest.mark.slow
def test_gibbs_laplace_with_park_casella_gamma_prior_is_calibrated():
    """Laplace(scale=Gamma(2, 2)) (lambda^2 = 1/s^2 ~ Gamma(2, rate 2)), sigma fixed: 100 simulations, 10 bins."""
    ranks = _run(br.Laplace(br.Gamma(2.0, 2.0)), None, simulations=100, seed=11)
    assert set(ranks) == {"scale", "coef[0]", "coef[1]", "coef[2]", "coef[3]"}
    _assert_uniform(ranks, bins=10)


@pytest.mark.slow
def test_gibbs_with_an_inverse_gamma_noise_prior_is_calibrated():
    """Normal(scale=InverseGamma(3, 2)) with sigma_prior=InverseGamma(3, 2) on sigma^2: 100 simulations, 10 bins."""
    ranks = _run(br.Normal(br.InverseGamma(3.0, 2.0)), br.InverseGamma(3.0, 2.0), simulations=100, seed=12)
    assert {"scale", "sigma"} <= set(ranks)
    _assert_uniform(ranks, bins=10)


@pytest.mark.slow
def test_gibbs_with_a_half_cauchy_noise_prior_is_calibrated():
    """Laplace(0.7), sigma_prior=HalfCauchy(0.5) (the numpy sweep with sigma's auxiliary variable): 60 simulations, 5 bins."""
    ranks = _run(br.Laplace(0.7), br.HalfCauchy(0.5), simulations=60, seed=13)
    _assert_uniform(ranks, bins=5)


@pytest.mark.slow
def test_sbc_here_detects_a_wrong_hyperprior():
    """The same check has power: data drawn under Gamma(2, 2), fitted under Gamma(2, 20), must fail."""
    rng_prior = br.Laplace(br.Gamma(2.0, 2.0))
    wrong = br.Laplace(br.Gamma(2.0, 20.0))
    rng = np.random.default_rng(14)
    X = rng.standard_normal((40, 4))
    ranks = []
    for _ in range(60):
        coef, truth = rng_prior.sample_prior(rng, 4)
        y = X @ coef + rng.standard_normal(40)
        model = br.PosteriorRegressor(wrong, sigma=1.0, fit_intercept=False, sampler="gibbs", draws=500,
                                      tune=200, chains=2, random_seed=int(rng.integers(2**31)),
                                      progressbar=False)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model.fit(X, y)
        kept = sbc.thin(sbc.posterior_draws(model, "scale"), sbc.RANK_DRAWS)
        ranks.append(int(np.sum(kept < truth["scale"])))
    assert sbc.rank_pvalue(ranks, sbc.RANK_DRAWS, 10) < 1e-6
