"""The horseshoe+ and the regularized horseshoe sampled: SBC, Gibbs vs nutpie, compare, save/load.

One compiled model per prior: every nutpie fit here uses the SBC configuration's
structure (Gaussian likelihood, sigma fixed at 1, no intercept, four unnamed
features), so the session fixtures and the SBC runs share the compiled graph
(the refits swap ``pm.Data``). References: uniform SBC ranks (Talts et al.
2018), and between the two samplers their Monte Carlo standard errors.
"""

import warnings

import arviz as az
import numpy as np
import pytest

import bayesreg as br
from validation import sbc

P_MIN = 0.001  # per parameter, Bonferroni over the configuration's parameters (as tests/test_sbc.py)


def config(name, prior):
    return sbc.Config(name, prior, "gaussian-fixed", 40, 4)


PLUS = config("horseshoeplus-gauss-fixed", br.HorseshoePlus(global_scale=1.0))
REGULARIZED = config("regularized-horseshoe-gauss-fixed", br.RegularizedHorseshoe(global_scale=1.0))


def assert_uniform(result, bins):
    pvalues = {name: sbc.rank_pvalue(r, result["rank_draws"], bins) for name, r in result["ranks"].items()}
    assert min(pvalues.values()) * len(pvalues) > P_MIN, pvalues


@pytest.fixture(scope="session")
def sparse_data():
    rng = np.random.default_rng(18)
    X = rng.standard_normal((40, 4))
    y = X @ np.array([2.0, 0.0, 0.0, -0.7]) + rng.standard_normal(40)
    return X, y


def _fit(prior, sampler, data, draws):
    model = br.PosteriorRegressor(prior, sigma=1.0, fit_intercept=False, sampler=sampler, draws=draws,
                                  tune=1000, chains=4, random_seed=7, progressbar=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", br.SamplingWarning)  # diagnostics are asserted where needed
        return model.fit(*data)


@pytest.fixture(scope="session")
def plus_nutpie(sparse_data):
    return _fit(PLUS.prior, "nutpie", sparse_data, 1000)


@pytest.fixture(scope="session")
def plus_gibbs(sparse_data):
    return _fit(PLUS.prior, "gibbs", sparse_data, 10000)


@pytest.fixture(scope="session")
def regularized_nutpie(sparse_data):
    return _fit(REGULARIZED.prior, "nutpie", sparse_data, 1000)


@pytest.mark.slow
def test_horseshoe_plus_gibbs_agrees_with_nutpie(plus_gibbs, plus_nutpie):
    """Posterior means of coef within 4 combined MCSEs: sqrt(mcse_gibbs^2 + mcse_nutpie^2)."""
    assert plus_gibbs.sampler_ == "gibbs" and plus_nutpie.sampler_ == "nutpie"
    g, n = plus_gibbs.idata_.posterior["coef"], plus_nutpie.idata_.posterior["coef"]
    mcse = np.hypot(az.mcse(g.to_dataset(name="x"))["x"].values, az.mcse(n.to_dataset(name="x"))["x"].values)
    diff = np.abs(g.mean(("chain", "draw")).values - n.mean(("chain", "draw")).values)
    assert np.all(diff < 4 * mcse), (diff, mcse)
    # the global scale is heavy-tailed (its mean is a poor check): P(tau < 0.5) within 4 MCSEs
    g, n = (m.idata_.posterior["tau"] < 0.5 for m in (plus_gibbs, plus_nutpie))
    mcse = float(np.hypot(az.mcse(g.astype(float).to_dataset(name="x"))["x"], az.mcse(n.astype(float).to_dataset(name="x"))["x"]))
    assert abs(float(g.mean()) - float(n.mean())) < 4 * mcse
    assert plus_gibbs.diagnostics_["max_r_hat"] < 1.01


@pytest.mark.slow
def test_regularized_horseshoe_samples_without_divergences(regularized_nutpie):
    post = regularized_nutpie.idata_.posterior
    assert {"coef", "tau", "lambda", "c"} <= set(post.data_vars)
    assert not any(name.startswith("_") for name in post.data_vars)  # sampler internals dropped
    assert regularized_nutpie.diagnostics_["divergences"] == 0
    assert regularized_nutpie.diagnostics_["max_r_hat"] < 1.01


@pytest.mark.slow
def test_regularized_horseshoe_refuses_gibbs_with_the_reason(sparse_data):
    with pytest.raises(ValueError, match="no exact Gibbs scheme exists. Use sampler='nutpie'"):
        br.PosteriorRegressor(REGULARIZED.prior, sampler="gibbs").fit(*sparse_data)


@pytest.mark.slow
@pytest.mark.parametrize("which", ["plus_gibbs", "regularized_nutpie"])
def test_compare_and_save_load_work_unchanged(which, request, sparse_data, tmp_path):
    """compare() and save/load ask the prior only what every family answers."""
    model = request.getfixturevalue(which)
    X, y = sparse_data
    map_model = br.MAPRegressor(br.Laplace(1.0), sigma=1.0, fit_intercept=False).fit(X, y)
    with pytest.warns(UserWarning, match="not of the same model"):  # no MAP of its own: a Laplace one
        table = br.compare(map_model, model).table
    np.testing.assert_allclose(table["mean"], model.coef_)
    path = tmp_path / "fit.nc"
    model.save(path)
    loaded = br.PosteriorRegressor.load(path)
    assert loaded.prior == model.prior
    np.testing.assert_array_equal(loaded.coef_, model.coef_)
    np.testing.assert_array_equal(loaded.predict(X[:5]), model.predict(X[:5]))


@pytest.mark.slow
def test_horseshoe_plus_gibbs_is_calibrated():
    """Gibbs (slice update of log lambda, then the two exact blocks): 100 simulations, 5 bins (20 per bin expected).

    Each fit runs 10 chains x 100 draws after 100 burn-in sweeps: L = 99 ranks thinned from
    1000 draws, as 2 x 500 would give, at a fifth of the sweeps (the numpy sweep costs about
    the same for 10 chains as for 2). The bulk ESS of tau is ~55 per 1000 draws either way
    (measured over simulated data sets), of the coefficients ~900. The same setting at 400
    simulations gave uniform ranks (smallest p 0.06 at 5 bins, 0.08 at 20; seed 77). The
    full-size run lives in ``validation/``: ``python -m validation.sbc --sampler gibbs
    --simulations 200 --draws 2000 --configs horseshoeplus-gauss-fixed`` (2 x 2000 draws,
    20 bins), results in ``validation/results/sbc_gibbs.json`` and docs/validation_results.md.
    """
    result = sbc.run_config(PLUS, simulations=100, sampler="gibbs", draws=100, chains=10, seed=3)
    assert set(result["ranks"]) == {"coef[0]", "coef[1]", "coef[2]", "coef[3]", "tau"}
    assert_uniform(result, bins=5)


@pytest.mark.slow
@pytest.mark.parametrize("cfg", [REGULARIZED], ids=lambda c: c.name)
def test_nutpie_is_calibrated_and_compiles_once(cfg, regularized_nutpie):
    """nutpie, 30 simulations, 5 bins (6 per bin expected); the fixture compiled the model already.

    The horseshoe+ under nutpie is not simulated here: its funnels made this one
    SBC the slowest test of CI (about 150 s on a quiet machine). Its CI checks are
    the Gibbs SBC above and :func:`test_horseshoe_plus_gibbs_agrees_with_nutpie`;
    its nutpie SBC runs in ``validation/`` (``python -m validation.sbc --sampler
    nutpie --configs horseshoeplus-gauss-fixed``), results in
    ``validation/results/sbc_nutpie.json``.
    """
    result = sbc.run_config(cfg, simulations=30, sampler="nutpie", draws=300, chains=2, seed=4)
    assert result["compiles"]["nutpie"] == 0  # every refit reuses the session's compiled model
    assert_uniform(result, bins=5)
