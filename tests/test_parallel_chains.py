"""Gibbs chains run in parallel threads (issue 21): the draws do not depend on the cores,
a failing chain raises, and the parallel sampler still draws the closed-form posterior."""

import numpy as np
import pytest

import bayesreg as br
from bayesreg.posterior import _parallel_chains

from .test_posterior import assert_matches, closed_form


@pytest.fixture(scope="module")
def regression():
    rng = np.random.default_rng(21)
    X = rng.normal(size=(80, 5))
    y = 1.0 + X @ np.array([1.0, -0.5, 0.0, 0.0, 2.0]) + rng.normal(size=80)
    return X, y


def draws(monkeypatch, cores, prior, X, y, **kwargs):
    monkeypatch.setattr(_parallel_chains, "available_cores", lambda: cores)
    model = br.PosteriorRegressor(prior, sampler="gibbs", draws=400, tune=100, chains=3,
                                  random_seed=5, progressbar=False, **kwargs).fit(X, y)
    return model.idata_.posterior


@pytest.mark.filterwarnings("ignore::bayesreg.SamplingWarning")  # 3 x 400 draws: not a mixing test
@pytest.mark.parametrize("prior, sigma", [(br.Laplace(0.5), 1.0), (br.Horseshoe(1.0), None),
                                          (br.ElasticNet(0.5, 0.5), 1.0),
                                          (br.ElasticNet(br.Gamma(2.0, 1.0), 0.5), None)], ids=repr)
def test_same_seed_same_draws_on_one_core_or_several(monkeypatch, regression, prior, sigma):
    """Each chain has its own spawned stream: one thread or three give identical draws."""
    one = draws(monkeypatch, 1, prior, *regression, sigma=sigma)
    three = draws(monkeypatch, 3, prior, *regression, sigma=sigma)
    for name in one.data_vars:
        np.testing.assert_array_equal(one[name].values, three[name].values, err_msg=name)
    # and the chains are not copies of each other
    assert not np.allclose(one["coef"].values[0], one["coef"].values[1])


def test_a_failing_chain_raises_after_all_chains_stop(monkeypatch):
    monkeypatch.setattr(_parallel_chains, "available_cores", lambda: 2)
    finished = []

    def run(c):
        if c == 1:
            raise ValueError("chain 1 failed")
        finished.append(c)

    with pytest.raises(ValueError, match="chain 1 failed"):
        _parallel_chains.run_chains(run, 4)
    assert sorted(finished) == [0, 2, 3]


def test_parallel_chains_draw_the_closed_form_posterior(monkeypatch, regression):
    """Normal prior, sigma fixed: the compiled chains in threads match the conjugate
    posterior's mean and sd within Monte Carlo error (test_posterior.assert_matches)."""
    monkeypatch.setattr(_parallel_chains, "available_cores", lambda: 2)
    X, y = regression
    model = br.PosteriorRegressor(br.Normal(1.0), sigma=1.0, sampler="gibbs", draws=1500, chains=4,
                                  random_seed=7, progressbar=False).fit(X, y)
    assert_matches(model, *closed_form(X, y, 1.0, 1.0))
