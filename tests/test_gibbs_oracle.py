"""The numpy Gibbs sweep is the test oracle of the compiled one: same state, same variates, same next state.

Both sweeps take the same conditionals in the same order and draw their
variates from a ``numpy.random.Generator`` in the same order (numba's Generator
gives numpy's numbers), so from one state and one seed they must reach the same
next state, up to the rounding of two Cholesky solves. A drifted conditional,
a different auxiliary-variable scheme or a different order of updates breaks
the equality at once; tolerance 1e-10 relative.
"""

import numpy as np
import pytest

import bayesreg as br
from bayesreg.posterior import _gibbs_kernel as kernel
from bayesreg.posterior import gibbs as gibbs_module
from bayesreg.posterior._conditionals import (
    draw_horseshoe_local_precision,
    draw_laplace_variance,
    draw_variance,
)
from bayesreg.posterior._gibbs_state import GibbsState, SweepWork
from bayesreg.posterior._mixtures import MIXTURES
from bayesreg.posterior._sweeps import SWEEPS

PRIORS = [
    br.Normal(0.7),
    br.Normal(br.HalfCauchy(2.0)),
    br.Normal(br.HalfNormal(1.5)),
    br.Laplace(0.5),
    br.Laplace(br.HalfCauchy(0.5)),
    br.Laplace(br.HalfNormal(0.3)),
    br.Horseshoe(1.0),
    br.Horseshoe(0.1),
    # the elastic net (issue 21): Laplace mixture plus ridge, from l1_ratio 0 (no mixture) to 1
    br.ElasticNet(0.5, 0.5),
    br.ElasticNet(0.7, 0.0),
    br.ElasticNet(0.5, 1.0),
    br.ElasticNet(br.HalfCauchy(0.5), 0.3),
    br.ElasticNet(br.HalfNormal(0.3), 0.8),
    br.ElasticNet(br.Gamma(2.0, 1.0), 0.5),
    br.ElasticNet(br.InverseGamma(3.0, 2.0), 0.0),
]


def _start(prior, sigma, seed, n=30, p=6):
    """The numpy sweep and prior variances of one chain, at a random state (not their own start)."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, p)) * rng.uniform(0.5, 3.0, p)
    y = 1.0 + X[:, :2] @ np.array([1.5, -0.8]) + rng.normal(size=n)
    sweep = SWEEPS[br.model.likelihoods.get_likelihood("gaussian").gibbs_augmentation].build(
        X, y, sigma, True, 1, rng)
    state = GibbsState(coef=np.zeros((1, p)), local=np.ones((1, p)), scale2=np.ones(1), xi=np.ones(1),
                       sigma2=sweep.sigma2)
    mixture = MIXTURES[prior.gibbs_mixture](prior, state, rng)
    # a state spanning both branches of every draw: tiny and large coefficients (horseshoe
    # m <= 1 and m > 1), local variances over decades, a learned scale off its prior's centre
    state.coef[:] = rng.normal(size=p) * np.logspace(-3, 0.5, p)
    without_mixture = np.isinf(state.local).all()  # an elastic net without L1 part has no v_j
    state.local[:] = np.inf if without_mixture else np.exp(rng.uniform(-3, 3, p))
    state.scale2[:] = np.exp(rng.uniform(-2, 1))
    state.xi[:] = np.exp(rng.uniform(-1, 1))
    if sigma is None:
        state.sigma2[:] = np.exp(rng.uniform(-1, 1))
    return sweep, mixture, state


@pytest.mark.parametrize("sigma", [1.0, None], ids=["sigma fixed", "sigma learned"])
@pytest.mark.parametrize("prior", PRIORS, ids=repr)
def test_the_compiled_sweep_reaches_the_numpy_sweeps_next_state(prior, sigma):
    sweep, mixture, state = _start(prior, sigma, seed=50)
    compiled_state = GibbsState(*(a.copy() for a in state))
    data, codes = gibbs_module.chain_inputs(sweep, mixture)
    work = SweepWork.for_features(state.coef.shape[1])
    for step in range(25):  # each sweep from the same state with the same seed; the states then move on
        previous = GibbsState(*(a.copy() for a in state))
        gibbs_module.gibbs_sweep(sweep, mixture, np.random.default_rng([51, step]))
        kernel.gibbs_sweep(data, codes, compiled_state, np.random.default_rng([51, step]), work)
        for name, expected, actual in zip(GibbsState._fields, state, compiled_state):
            np.testing.assert_allclose(actual, expected, rtol=1e-10, atol=0, err_msg=f"{name}, sweep {step}")
        assert not np.array_equal(previous.coef, state.coef)  # the sweep moved
        for a, b in zip(compiled_state, state):  # the next sweep starts from exactly one state
            a[...] = b


# ------------------------------------------------------------------ each conditional alone
def test_halfnormal_variance_draws_agree_including_the_metropolis_fallback():
    """b/k >> beta^2: every proposal rejected, so both fall back to the same Metropolis steps."""
    for k, b, beta in ((3.0, 2.0, 0.7), (3.0, 1e4, 1.0), (0.5, 0.3, 1.0), (0.0, 0.0, 2.0)):
        expected, _ = draw_variance(k, np.array([b]), br.HalfNormal(beta), beta, None,
                                    np.random.default_rng(52), current=np.array([50.0]))
        actual, _ = kernel._variance(np.random.default_rng(52), k, b, kernel.HALF_NORMAL, beta, 1.0, 50.0)
        np.testing.assert_allclose(actual, expected[0], rtol=1e-12)


def test_halfcauchy_variance_draws_agree():
    v, xi = draw_variance(2.5, np.array([1.5]), br.HalfCauchy(0.4), 0.4, np.array([0.8]), np.random.default_rng(53))
    compiled = kernel._variance(np.random.default_rng(53), 2.5, 1.5, kernel.HALF_CAUCHY, 0.4, 0.8, 1.0)
    np.testing.assert_allclose(compiled, (v[0], xi[0]), rtol=1e-12)


def test_laplace_and_horseshoe_local_draws_agree():
    coef = np.array([1e-300, 1e-9, 0.01, 0.4, 3.0, -7.0, 0.0])
    work = SweepWork.for_features(coef.size)
    out = np.empty(coef.size)
    kernel._laplace_variances(np.random.default_rng(54), coef, 0.6, work.buffer, out)
    np.testing.assert_allclose(out, draw_laplace_variance(np.abs(coef), 0.6, np.random.default_rng(54)),
                               rtol=1e-12)
    m = np.array([1e-8, 0.05, 0.9, 1.0, 1.1, 40.0, 0.0])
    kernel._horseshoe_local_precision(np.random.default_rng(55), m, out, work.variances, work.index)
    np.testing.assert_allclose(out, draw_horseshoe_local_precision(m, np.random.default_rng(55)), rtol=1e-10)


# ------------------------------------------------------------------ what the families report
@pytest.mark.filterwarnings("ignore::bayesreg.SamplingWarning")  # 2 x 150 draws: too few for the ESS check
def test_each_draw_of_a_learned_scale_reports_its_penalty_by_the_closed_form():
    """Ridge alpha = sigma^2 / t^2 (no 1/n); LogisticRegression C = 1 / (1/s) = s for the Laplace."""
    rng = np.random.default_rng(56)
    X = rng.normal(size=(60, 3))
    eta = X @ np.array([1.0, -0.5, 0.0])
    common = {"sampler": "gibbs", "draws": 150, "tune": 150, "chains": 2, "random_seed": 57, "progressbar": False}
    ridge = br.PosteriorRegressor(br.Normal(br.HalfCauchy(1.0)), **common).fit(X, eta + rng.normal(size=60))
    post = ridge.idata_.posterior
    np.testing.assert_allclose(post["alpha"], post["sigma"] ** 2 / post["scale"] ** 2, rtol=1e-12)
    lasso = br.PosteriorClassifier(br.Laplace(br.HalfNormal(1.0)), **common).fit(X, eta + rng.logistic(size=60) > 0)
    post = lasso.idata_.posterior
    np.testing.assert_allclose(post["C"], post["scale"], rtol=1e-12)
