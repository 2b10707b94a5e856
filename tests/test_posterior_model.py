"""The PyMC model: log densities against scipy/our priors, and find_MAP against the MAP."""

import numpy as np
import pymc as pm
import pytest
from scipy import stats

import bayesreg as br
from bayesreg.model.priors import elastic_net_logp
from bayesreg.posterior.model import ModelSpec, build_model, model_data


def _model(prior, X, y, sigma=None, likelihood="gaussian", names=None):
    names = names or [f"x{j}" for j in range(X.shape[1])]
    spec = ModelSpec.create(likelihood, prior, sigma, True, names)
    return build_model(spec, model_data(spec, prior, sigma, X, y))


@pytest.mark.parametrize("scale, r", [(1.0, 0.5), (0.3, 0.9), (4.0, 0.1), (2.0, 0.0), (0.5, 1.0)])
def test_elastic_net_logp_equals_prior_logpdf(scale, r):
    w = np.array([-3.0, -0.2, 0.0, 0.7, 5.0])
    ours = elastic_net_logp(w, scale, r).eval()
    # PyTensor's erfcx is good to ~3e-8 relative (SciPy's to ~1e-15): a constant offset in log Z
    np.testing.assert_allclose(ours, br.ElasticNet(scale, r).logpdf(w), rtol=1e-7)


def test_gaussian_laplace_model_logp_matches_scipy(small_gaussian):
    """The model's joint log density, written independently with scipy.stats."""
    X, y = small_gaussian
    model = _model(br.Laplace(0.7), X, y, sigma=1.3)
    point = {"_intercept_centered": np.array(1.2), "coef": np.array([0.4, -0.1, 0.9])}
    resid = y - (1.2 + (X - X.mean(0)) @ point["coef"])
    expected = stats.laplace(scale=0.7).logpdf(point["coef"]).sum() + stats.norm(scale=1.3).logpdf(resid).sum()
    assert model.compile_logp()(point) == pytest.approx(expected, rel=1e-12)


def test_elastic_net_model_logp_and_hierarchical_alpha(small_gaussian):
    X, y = small_gaussian
    model = _model(br.ElasticNet(br.HalfNormal(2.0), 0.3), X, y)
    point = {
        "_intercept_centered": np.array(0.5), "coef": np.array([0.34, -1.7, 0.17]),
        "scale_log__": np.log(1.7), "sigma_log__": np.log(0.8),
    }
    coef = point["coef"]
    resid = y - (0.5 + (X - X.mean(0)) @ coef)
    expected = (
        br.ElasticNet(1.7, 0.3).logpdf(coef).sum()
        + stats.halfnorm(scale=2.0).logpdf(1.7) + np.log(1.7)  # + log-Jacobian
        + stats.halfnorm(scale=np.std(y)).logpdf(0.8) + np.log(0.8)
        + stats.norm(scale=0.8).logpdf(resid).sum()
    )
    assert model.compile_logp()(point) == pytest.approx(expected, rel=1e-9)
    alpha = model["alpha"].eval({model["scale"]: 1.7, model["sigma"]: 0.8})
    a, b = 0.3 / 1.7, 0.7 / 1.7**2
    assert alpha == pytest.approx(0.8**2 / len(y) * (a + b), rel=1e-12)
    ratio = model["penalty_l1_ratio"].eval({model["scale"]: 1.7})
    assert ratio == pytest.approx(a / (a + b), rel=1e-12)


def test_bernoulli_model_logp_matches_scipy():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 2))
    y = (rng.uniform(size=40) < 0.5).astype(float)
    model = _model(br.Normal(2.0), X, y, likelihood="bernoulli")
    point = {"_intercept_centered": np.array(-0.3), "coef": np.array([1.0, -2.0])}
    eta = -0.3 + (X - X.mean(0)) @ point["coef"]
    expected = stats.norm(scale=2.0).logpdf(point["coef"]).sum() + stats.bernoulli(1 / (1 + np.exp(-eta))).logpmf(y).sum()
    assert model.compile_logp()(point) == pytest.approx(expected, rel=1e-10)


@pytest.mark.parametrize("prior", [br.Normal(5.0), br.Normal(0.5)], ids=repr)
def test_find_map_equals_map_regressor(diabetes, prior):
    """PyMC's optimiser ignores the Jacobian, so it lands on the penalized optimum."""
    X, y = diabetes
    model = _model(prior, X.to_numpy(), y.to_numpy(), sigma=54.0, names=list(X.columns))
    optimum = pm.find_MAP(model=model, progressbar=False, maxeval=50_000, tol=1e-12)
    ours = br.MAPRegressor(prior, sigma=54.0).fit(X, y)
    np.testing.assert_allclose(optimum["coef"], ours.coef_, rtol=1e-5, atol=1e-6)
    assert optimum["intercept"] == pytest.approx(ours.intercept_, rel=1e-7)


def test_find_map_equals_map_classifier():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(200, 3))
    y = (rng.uniform(size=200) < 1 / (1 + np.exp(-(0.5 + X @ [1.0, -1.0, 0.0])))).astype(int)
    model = _model(br.Normal(0.8), X, y.astype(float), likelihood="bernoulli")
    optimum = pm.find_MAP(model=model, progressbar=False, maxeval=50_000, tol=1e-12)
    ours = br.MAPClassifier(br.Normal(0.8)).fit(X, y)
    np.testing.assert_allclose(optimum["coef"], ours.coef_, rtol=1e-5, atol=1e-6)
    assert optimum["intercept"] == pytest.approx(ours.intercept_, rel=1e-5)


# ------------------------------------------------------------------ the families build the model
@pytest.mark.parametrize(
    "prior, likelihood, penalty",
    [
        # the closed forms of the DESIGN table at scale t = 1.7, sigma = 0.8, n = 60
        (br.Normal(br.HalfCauchy(1.0)), "gaussian", {"alpha": 0.8**2 / 1.7**2}),
        (br.Laplace(br.HalfNormal(1.0)), "gaussian", {"alpha": 0.8**2 / (60 * 1.7)}),
        (br.Normal(br.HalfNormal(1.0)), "bernoulli", {"C": 1.7**2}),
        (br.Laplace(br.HalfCauchy(1.0)), "bernoulli", {"C": 1.7}),
        (br.ElasticNet(br.HalfCauchy(1.0), 0.4), "bernoulli",
         {"C": 1 / (0.4 / 1.7 + 0.6 / 1.7**2), "penalty_l1_ratio": (0.4 / 1.7) / (0.4 / 1.7 + 0.6 / 1.7**2)}),
    ],
    ids=repr,
)
def test_learned_scale_reports_the_closed_form_penalty(small_gaussian, prior, likelihood, penalty):
    X, y = small_gaussian
    if likelihood == "bernoulli":
        y = (y > np.median(y)).astype(float)
    model = _model(prior, X, y, likelihood=likelihood)
    values = {model["scale"]: 1.7}
    if "sigma" in model.named_vars:
        values[model["sigma"]] = 0.8
    assert len(y) == 60
    for name, expected in penalty.items():
        assert model[name].eval(values) == pytest.approx(expected, rel=1e-12)
    assert ("penalty_l1_ratio" in model.named_vars) == ("penalty_l1_ratio" in penalty)


def test_the_cache_key_is_the_structure_and_one_graph_serves_every_number(small_gaussian):
    """Scales, l1_ratio and hyperprior scales are pm.Data; the families and sigma's role are the key."""
    X, y = small_gaussian
    names = ["a", "b", "c"]
    first, second = br.ElasticNet(br.HalfNormal(2.0), 0.3), br.ElasticNet(br.HalfNormal(0.5), 0.8)
    spec = ModelSpec.create("gaussian", first, None, True, names)
    assert spec == ModelSpec.create("gaussian", second, None, True, names)
    assert hash(spec) == hash(ModelSpec.create(br.model.likelihoods.get_likelihood("gaussian"), second,
                                               None, True, names))
    for other in [ModelSpec.create("gaussian", br.ElasticNet(br.HalfCauchy(2.0), 0.3), None, True, names),
                  ModelSpec.create("gaussian", br.ElasticNet(2.0, 0.3), None, True, names),
                  ModelSpec.create("gaussian", br.Laplace(br.HalfNormal(2.0)), None, True, names),
                  ModelSpec.create("bernoulli", first, None, True, names),
                  ModelSpec.create("gaussian", first, 1.0, True, names)]:
        assert other != spec
    model = build_model(spec, model_data(spec, first, None, X, y))
    with model:
        pm.set_data(model_data(spec, second, None, X, y))
    a, b = 0.8 / 1.7, 0.2 / 1.7**2
    ratio = model["penalty_l1_ratio"].eval({model["scale"]: 1.7})
    assert ratio == pytest.approx(a / (a + b), rel=1e-12)  # the second prior's l1_ratio, not the first's
    point = {"_intercept_centered": np.array(0.5), "coef": np.array([0.34, -1.7, 0.17]),
             "scale_log__": np.log(1.7), "sigma_log__": np.log(0.8)}
    expected = (br.ElasticNet(1.7, 0.8).logpdf(point["coef"]).sum()
                + stats.halfnorm(scale=0.5).logpdf(1.7) + np.log(1.7)
                + stats.halfnorm(scale=np.std(y)).logpdf(0.8) + np.log(0.8)
                + stats.norm(scale=0.8).logpdf(y - (0.5 + (X - X.mean(0)) @ point["coef"])).sum())
    assert model.compile_logp()(point) == pytest.approx(expected, rel=1e-9)


def test_horseshoe_builds_its_own_non_centred_variables(small_gaussian):
    X, y = small_gaussian
    model = _model(br.Horseshoe(0.3), X, y, sigma=1.0)
    assert {"tau", "lambda", "_z", "coef"} <= set(model.named_vars)
    assert "scale" not in model.named_vars and "alpha" not in model.named_vars
    assert model["global_scale"].get_value() == pytest.approx(0.3)


@pytest.mark.parametrize(
    "prior, expected",
    [(br.Normal(1.0), 0.8), (br.Laplace(br.HalfCauchy(1.0)), 0.95), (br.Horseshoe(1.0), 0.99)],
    ids=repr,
)
def test_nuts_target_accept_comes_from_the_prior(prior, expected):
    assert br.PosteriorRegressor(prior)._target_accept() == expected
    assert br.PosteriorRegressor(prior, target_accept=0.7)._target_accept() == 0.7
