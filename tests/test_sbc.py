"""A reduced simulation-based calibration (validation/sbc.py) in the test suite.

Uniform ranks are the reference (Talts et al. 2018): a chi-square test of the
binned ranks, with fixed seeds, so each assertion is deterministic; thresholds
are stated per test.  A deliberately wrong posterior checks that the test has
the power to fail.
"""

import warnings

import pytest
from scipy import stats

import bayesreg as br
from validation import sbc

P_MIN = 0.001  # per parameter; Bonferroni over the K parameters of the configuration


def assert_uniform(result, bins):
    pvalues = {name: sbc.rank_pvalue(r, result["rank_draws"], bins) for name, r in result["ranks"].items()}
    assert min(pvalues.values()) * len(pvalues) > P_MIN, pvalues


@pytest.mark.slow
def test_exact_sampler_is_calibrated():
    """Normal prior, fixed sigma: closed-form draws, 300 simulations, 20 bins of ranks."""
    result = sbc.run_config(sbc.CONFIGS["normal-gauss-fixed"], simulations=300, sampler="exact",
                            draws=500, chains=2, seed=1)
    assert result["compiles"] == {"model": 0, "nutpie": 0}
    assert_uniform(result, bins=20)


@pytest.mark.slow
def test_sbc_detects_a_wrong_posterior(monkeypatch):
    """Fitting with prior scale 0.3 data drawn with scale 1 must fail the same test (100 simulations)."""
    real = sbc.make_estimator

    def too_narrow(config, *args, **kwargs):
        model = real(config, *args, **kwargs)
        return model.set_params(prior=br.Normal(0.3))

    monkeypatch.setattr(sbc, "make_estimator", too_narrow)
    result = sbc.run_config(sbc.CONFIGS["normal-gauss-fixed"], simulations=100, sampler="exact",
                            draws=500, chains=2, seed=1)
    pvalues = [sbc.rank_pvalue(r, result["rank_draws"], 20) for r in result["ranks"].values()]
    assert max(pvalues) < 1e-6


@pytest.mark.slow
def test_nutpie_hierarchical_lasso_is_calibrated_and_compiles_once():
    """Laplace(HalfCauchy(1)) scale, learned sigma, nutpie: 30 simulations, 5 bins (6 per bin expected)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # run_config records diagnostics itself
        result = sbc.run_config(sbc.CONFIGS["laplace-hc-gauss-learned"], simulations=30,
                                sampler="nutpie", draws=300, chains=2, seed=2)
    assert result["compiles"]["nutpie"] <= 1  # refits with new data reuse the compiled model
    assert set(result["ranks"]) == {"coef[0]", "coef[1]", "coef[2]", "coef[3]", "scale", "sigma"}
    assert_uniform(result, bins=5)


@pytest.mark.slow
def test_nutpie_poisson_normal_prior_is_calibrated_and_compiles_once():
    """Poisson likelihood (log link), Normal(1) prior, nutpie: 30 simulations, 5 bins."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # run_config records diagnostics itself
        result = sbc.run_config(sbc.CONFIGS["normal-poisson"], simulations=30, sampler="nutpie",
                                draws=300, chains=2, seed=4)
    assert result["compiles"]["nutpie"] <= 1
    assert set(result["ranks"]) == {"coef[0]", "coef[1]", "coef[2]", "coef[3]"}
    assert_uniform(result, bins=5)


def test_rank_pvalue_on_known_histograms():
    """Perfectly uniform ranks give p = 1; all ranks in one bin give p ~ 0."""
    uniform = list(range(100)) * 2
    assert sbc.rank_pvalue(uniform, 99, 20) == pytest.approx(1.0)
    assert sbc.rank_pvalue([0] * 200, 99, 20) < 1e-100
    with pytest.raises(ValueError, match="equal bins"):
        sbc.rank_pvalue(uniform, 99, 7)


def test_prior_draws_follow_the_priors():
    """The SBC's own prior sampler against scipy.stats (Kolmogorov-Smirnov)."""
    import numpy as np
    from scipy import stats

    rng = np.random.default_rng(0)
    draws = sbc._elastic_net(rng, 1.5, 0.5, 20000)
    # the density exp(-a|w| - b w^2) / Z, CDF by quadrature of the library-independent formula
    a, b = 0.5 / 1.5, 0.5 / (2 * 1.5**2)
    grid = np.linspace(-15, 15, 60001)
    dens = np.exp(-a * np.abs(grid) - b * grid**2)
    cdf = np.cumsum(dens) / dens.sum()
    assert stats.kstest(draws, lambda x: np.interp(x, grid, cdf)).pvalue > 0.01
    hc = sbc._half_cauchy(rng, 2.0, 20000)
    assert stats.kstest(hc, stats.halfcauchy(scale=2.0).cdf).pvalue > 0.01


@pytest.mark.parametrize(
    "family, reference",
    [
        (br.Normal(2.0), stats.norm(scale=2.0)),
        (br.Laplace(0.5), stats.laplace(scale=0.5)),
        (br.HalfNormal(3.0), stats.halfnorm(scale=3.0)),
        (br.HalfCauchy(0.7), stats.halfcauchy(scale=0.7)),
    ],
    ids=["Normal", "Laplace", "HalfNormal", "HalfCauchy"],
)
def test_every_family_draws_from_its_own_density(family, reference):
    """Each family's sampler (which SBC asks) against scipy.stats (Kolmogorov-Smirnov)."""
    import numpy as np

    draws = family.sample(np.random.default_rng(3), 20000)
    assert stats.kstest(draws, reference.cdf).pvalue > 0.01


def test_hierarchical_and_horseshoe_prior_draws_report_their_hyperparameters():
    """A learned scale is drawn from its hyperprior and used for the coefficients; the
    horseshoe reports tau. Checked by the scale-mixture identity: coef / scale ~ Laplace(1)."""
    import numpy as np
    from scipy import stats

    rng = np.random.default_rng(4)
    ratios, scales = [], []
    for _ in range(4000):
        coef, hyper = br.Laplace(br.HalfNormal(2.0)).sample_prior(rng, 3)
        scales.append(hyper["scale"])
        ratios.extend(coef / hyper["scale"])
    assert stats.kstest(scales, stats.halfnorm(scale=2.0).cdf).pvalue > 0.01
    assert stats.kstest(ratios, stats.laplace.cdf).pvalue > 0.01
    coef, hyper = br.Horseshoe(0.5).sample_prior(rng, 5)
    assert set(hyper) == {"tau"} and coef.shape == (5,)


def test_each_likelihood_simulates_its_own_y():
    import numpy as np
    from scipy import stats
    from scipy.special import expit

    from bayesreg.model.likelihoods import get_likelihood

    rng = np.random.default_rng(5)
    eta = np.linspace(-2.0, 2.0, 20000)
    y = get_likelihood("gaussian").simulate(eta, 0.5, rng)
    assert stats.kstest((y - eta) / 0.5, stats.norm.cdf).pvalue > 0.01
    labels = get_likelihood("bernoulli").simulate(eta, None, rng)
    assert set(np.unique(labels)) == {0, 1}
    # P(y = 1) = expit(eta): the count is Poisson-binomial, within 4 of its sds
    mean, sd = expit(eta).sum(), np.sqrt((expit(eta) * (1 - expit(eta))).sum())
    assert abs(labels.sum() - mean) < 4 * sd
