"""ScaleExplorer (the explorer's computed state): the posterior band along the path.

References are independent of bayesreg: the conjugate Normal posterior written
out with numpy and its quantiles from scipy.stats; ArviZ's HDI of the draws.
"""

import arviz as az
import numpy as np
import pytest
from scipy import stats

from bayesreg.widgets.scale_explorer import ScaleExplorer

from .conftest import SIGMA_DIABETES as SIGMA


def _conjugate_interval(X, y, t, prob, sigma=SIGMA):
    """Central ``prob`` interval of each coefficient: Normal(0, t^2) prior, flat intercept."""
    X, y = np.asarray(X, float), np.asarray(y, float)
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    cov = np.linalg.inv(Xc.T @ Xc / sigma**2 + np.eye(X.shape[1]) / t**2)
    mean, sd = cov @ Xc.T @ yc / sigma**2, np.sqrt(np.diag(cov))
    return (stats.norm.ppf((1 - prob) / 2, mean, sd), stats.norm.ppf((1 + prob) / 2, mean, sd),
            mean)


@pytest.mark.parametrize("hdi_prob", [0.94, 0.9])
def test_band_of_the_normal_prior_is_the_conjugate_interval_at_every_grid_scale(diabetes,
                                                                                 hdi_prob):
    X, y = diabetes
    explorer = ScaleExplorer(X, y, prior="normal", sigma=SIGMA, n_path=25, hdi_prob=hdi_prob)
    band = explorer.posterior_band()
    np.testing.assert_array_equal(band.scales, explorer.path().scales)
    assert band.sampler == "exact" and band.hdi_prob == hdi_prob
    assert band.feature_names == list(X.columns)
    for k, t in enumerate(band.scales):
        low, high, mean = _conjugate_interval(X, y, t, hdi_prob)
        np.testing.assert_allclose(band.hdi_low[k], low, rtol=1e-8, atol=1e-10)
        np.testing.assert_allclose(band.hdi_high[k], high, rtol=1e-8, atol=1e-10)
        np.testing.assert_allclose(band.median[k], mean, rtol=1e-8, atol=1e-10)
    assert explorer.posterior_band() is band  # cached: a slider step does not recompute it


def test_band_without_a_closed_form_is_at_the_sampled_scales_only(diabetes, laplace_posterior):
    X, y = diabetes
    # sampler named: sampled on request (auto would draw the Laplace live, by Gibbs)
    explorer = ScaleExplorer(X, y, prior="laplace", sigma=SIGMA, sampler="nutpie")
    assert explorer.posterior_band() is None  # nothing sampled yet
    explorer.add_posterior(laplace_posterior)
    band = explorer.posterior_band()
    assert band.sampler == "sampled"
    np.testing.assert_array_equal(band.scales, [1.0])
    hdi = az.hdi(laplace_posterior.idata_, hdi_prob=0.94, var_names=["coef"])["coef"].values
    draws = laplace_posterior.idata_.posterior["coef"].values.reshape(-1, X.shape[1])
    # the narrowest interval holding 94% of the draws: it holds them, and it is as narrow
    # as arviz's (arviz counts floor(0.94 n) draws, so the two may differ by a draw or two
    # and, where the width is flat, sit a little apart)
    n = len(draws)
    inside = (draws >= band.hdi_low[0]) & (draws <= band.hdi_high[0])
    assert np.all(inside.mean(axis=0) >= 0.94) and np.all(inside.mean(axis=0) <= 0.94 + 3 / n)
    width, arviz_width = band.hdi_high[0] - band.hdi_low[0], hdi[:, 1] - hdi[:, 0]
    np.testing.assert_allclose(width, arviz_width, rtol=5e-3)
    np.testing.assert_allclose(band.median[0], np.median(draws, axis=0), rtol=1e-10)
    # another family has no posterior of its own
    explorer.set_family("elasticnet")
    assert explorer.posterior_band() is None
