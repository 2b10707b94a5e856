"""Parameter checks shared by fit, save and load: one clear error per bad value, before any work.

Covers the seed (None, an int >= 0 or a numpy Generator), real booleans for
fit_intercept in every estimator and path function, and a learned sigma on a
constant y (an improper posterior) refused by every sampler before compiling.
"""

import warnings

import numpy as np
import pytest

import bayesreg as br
from bayesreg.posterior import samplers


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(41)
    X = rng.normal(size=(30, 3))
    return X, 0.5 + X @ [1.0, -1.0, 0.0] + rng.normal(size=30)


def exact(**kwargs):
    return br.PosteriorRegressor(br.Normal(1.0), sigma=1.0, sampler="exact", draws=2000, chains=2,
                                 progressbar=False, **kwargs)


# ------------------------------------------------------------------ random_seed
@pytest.mark.parametrize("seed, error", [("abc", TypeError), (-1, ValueError), (1.5, TypeError),
                                         (True, TypeError)], ids=["str", "negative", "float", "bool"])
@pytest.mark.parametrize("estimator", [br.PosteriorRegressor, br.PosteriorClassifier])
def test_bad_random_seed_names_the_valid_values(data, estimator, seed, error):
    X, y = data
    model = estimator(br.Normal(1.0), sampler="gibbs", random_seed=seed, progressbar=False)
    with pytest.raises(error, match=r"random_seed must be None, a non-negative integer, or a numpy"):
        model.fit(X, y > 0 if estimator is br.PosteriorClassifier else y)


def test_legacy_random_state_is_refused_at_fit_with_the_replacement(data):
    with pytest.raises(TypeError, match=r"RandomState.*default_rng"):
        exact(random_seed=np.random.RandomState(0)).fit(*data)


def test_generator_seed_fits_saves_and_loads(tmp_path, data):
    """A Generator is used by fit; its state is not stored, so the file records None."""
    model = exact(random_seed=np.random.default_rng(0)).fit(*data)
    model.save(tmp_path / "generator.nc")
    loaded = br.PosteriorRegressor.load(tmp_path / "generator.nc")
    assert loaded.random_seed is None
    np.testing.assert_array_equal(loaded.coef_, model.coef_)


def test_numpy_integer_seed_is_accepted(data):
    a = exact(random_seed=np.int64(3)).fit(*data)
    b = exact(random_seed=3).fit(*data)
    np.testing.assert_array_equal(a.coef_, b.coef_)


# ------------------------------------------------------------------ fit_intercept
def _estimators():
    return {
        "MAPRegressor": (lambda v: br.MAPRegressor(br.Laplace(1.0), fit_intercept=v), False),
        "MAPClassifier": (lambda v: br.MAPClassifier(br.Laplace(1.0), fit_intercept=v), True),
        "PosteriorRegressor": (lambda v: exact(fit_intercept=v), False),
        "PosteriorClassifier": (
            lambda v: br.PosteriorClassifier(br.Normal(1.0), sampler="gibbs", fit_intercept=v,
                                             progressbar=False), True),
    }


@pytest.mark.parametrize("value", ["no", "False", 0, 1, None], ids=repr)
@pytest.mark.parametrize("name", list(_estimators()))
def test_fit_intercept_must_be_a_real_bool(data, name, value):
    """"no" used to be truthy and fitted an intercept."""
    make, classifier = _estimators()[name]
    X, y = data
    with pytest.raises(TypeError, match=rf"{name}: fit_intercept must be True or False, got {value!r}"):
        make(value).fit(X, y > 0 if classifier else y)


@pytest.mark.parametrize("name", list(_estimators()))
def test_numpy_bool_fit_intercept_is_accepted(data, name):
    make, classifier = _estimators()[name]
    X, y = data
    target = y > 0 if classifier else y
    model = make(np.bool_(False)).fit(X, target)
    assert np.all(model.intercept_ == 0.0)


@pytest.mark.parametrize(
    "call",
    [
        lambda X, y: br.map_path(X, y, br.Laplace(1.0), [0.5, 1.0], fit_intercept="no"),
        lambda X, y: br.posterior_path(X, y, br.Normal(1.0), [0.5, 1.0], sigma=1.0, fit_intercept="no"),
        lambda X, y: br.choose_scale(X, y, br.Normal(1.0), method="empirical_bayes", sigma=1.0,
                                     fit_intercept="no"),
    ],
    ids=["map_path", "posterior_path", "choose_scale"],
)
def test_path_functions_require_a_real_bool_fit_intercept(data, call):
    with pytest.raises(TypeError, match="fit_intercept must be True or False"):
        call(*data)


# ------------------------------------------------------------------ constant y, sigma learned
@pytest.mark.parametrize("sampler", ["gibbs", "nutpie"])
@pytest.mark.parametrize("prior", [br.Normal(1.0), br.Laplace(1.0), br.Horseshoe(1.0)], ids=repr)
def test_constant_y_with_sigma_learned_is_refused_before_compiling(data, prior, sampler):
    """The model fits a constant y exactly, so p(sigma | y) ~ sigma^-(n-1-p) near 0: improper.
    The Gibbs sampler crashed on it; nutpie returned draws of an improper posterior."""
    X, _ = data
    compiled = dict(samplers.compile_counts)
    model = br.PosteriorRegressor(prior, sampler=sampler, progressbar=False)
    with pytest.raises(ValueError, match=r"y is constant.*improper.*sigma=<noise sd>"):
        model.fit(X, np.full(len(X), 2.5))
    assert samplers.compile_counts == compiled
    assert not hasattr(model, "idata_")


def test_all_zero_y_without_intercept_is_refused(data):
    X, _ = data
    with pytest.raises(ValueError, match="y is constant"):
        br.PosteriorRegressor(br.Laplace(1.0), sampler="gibbs", fit_intercept=False,
                              progressbar=False).fit(X, np.zeros(len(X)))


def test_constant_y_with_sigma_fixed_is_a_proper_posterior(data):
    """Fixed sigma: the closed form is proper; the posterior mean of coef is 0 (y - mean(y) = 0)."""
    X, _ = data
    model = exact(random_seed=0).fit(X, np.full(len(X), 2.5))
    assert np.all(np.abs(model.coef_) < 5 * model.coef_sd_ / np.sqrt(4000))


def test_constant_y_is_allowed_when_the_residual_has_no_free_dimension():
    """n - 1 = rank(X_c): sigma's posterior is its HalfNormal prior (proper), as for n = 1."""
    rng = np.random.default_rng(42)
    X = rng.normal(size=(3, 5))
    model = br.PosteriorRegressor(br.Normal(1.0), sampler="gibbs", draws=500, random_seed=43,
                                  progressbar=False)
    with pytest.warns(UserWarning):  # the MAP needs n > p to estimate sigma
        model.fit(X, np.full(3, 2.5))
    assert np.all(np.isfinite(model.idata_.posterior["sigma"]))


# ------------------------------------------------------------------ one table, one wording
#: A bad value of every parameter of the four estimators (JSON values: a file can hold them).
BAD_VALUES = [
    ("prior", "laplace"), ("sigma", -1.0), ("sigma", "1"), ("fit_intercept", "no"),
    ("sampler", "metropolis"), ("draws", 0), ("tune", -1), ("chains", 1.5),
    ("target_accept", 1.5), ("random_seed", -1), ("random_seed", "abc"), ("progressbar", "yes"),
    ("log_likelihood", 1), ("tol", 0.0), ("max_iter", 0), ("standardize", "yes"),
    ("likelihood", "cauchy"), ("likelihood", "bernoulli"), ("sigma_prior", "halfnormal"),
]


def _valid_estimators():
    return {
        "MAPRegressor": br.MAPRegressor(br.Laplace(1.0), sigma=1.0),
        "MAPClassifier": br.MAPClassifier(br.Laplace(1.0)),
        "PosteriorRegressor": br.PosteriorRegressor(br.Normal(1.0), sigma=1.0, sampler="exact",
                                                    draws=50, chains=1, random_seed=0,
                                                    progressbar=False),
        "PosteriorClassifier": br.PosteriorClassifier(br.Normal(1.0), sampler="gibbs", draws=50,
                                                      tune=50, chains=1, random_seed=0,
                                                      progressbar=False),
    }


def _cases():
    return [pytest.param(owner, name, value, id=f"{owner}-{name}={value!r}")
            for owner, model in _valid_estimators().items()
            for name, value in BAD_VALUES if name in model.get_params()]


def _error_of(call):
    with pytest.raises((TypeError, ValueError)) as info:
        call()
    return str(info.value)


def test_every_parameter_of_every_estimator_is_in_the_one_table():
    from bayesreg.model._params import PARAM_CHECKS

    for owner, model in _valid_estimators().items():
        assert set(model.get_params()) <= set(PARAM_CHECKS), owner
    assert {name for name, _ in BAD_VALUES} == set(PARAM_CHECKS)


@pytest.fixture(scope="module")
def saved_files(tmp_path_factory, data):
    """A valid saved model of each posterior estimator."""
    X, y = data
    paths = {}
    for owner in ("PosteriorRegressor", "PosteriorClassifier"):
        path = tmp_path_factory.mktemp("valid") / f"{owner}.nc"
        with warnings.catch_warnings():  # few draws: the diagnostics' warnings are not the point
            warnings.simplefilter("ignore")
            model = _valid_estimators()[owner].fit(X, y > 0 if "Classifier" in owner else y)
        model.save(path)
        paths[owner] = path
    return paths


@pytest.mark.parametrize("owner, name, value", _cases())
def test_a_bad_parameter_gets_the_same_words_from_fit_set_params_and_load(
        data, tmp_path, saved_files, owner, name, value):
    """One table of checks: the constructor's value and set_params' value are refused at fit
    (as in scikit-learn) with the same message, and a saved file edited to hold the value is
    refused by load with that message too. The MAP estimators used to accept tol=0 and
    max_iter=0, and the MAP and posterior estimators worded a bad prior differently."""
    X, y = data
    target = y > 0 if "Classifier" in owner else y
    model = _valid_estimators()[owner]
    from_constructor = _error_of(lambda: type(model)(**{**model.get_params(), name: value}).fit(X, target))
    from_set_params = _error_of(lambda: model.set_params(**{name: value}).fit(X, target))
    assert from_constructor == from_set_params
    assert from_constructor.startswith(f"{owner}: {name} must ") and repr(value) in from_constructor
    if owner in saved_files:
        import json

        import arviz as az

        idata = az.from_netcdf(saved_files[owner])
        meta = json.loads(idata.posterior.attrs["bayesreg"])
        meta["params"][name] = value
        idata.posterior.attrs["bayesreg"] = json.dumps(meta)
        idata.to_netcdf(str(tmp_path / "edited.nc"))
        from_load = _error_of(lambda: type(model).load(tmp_path / "edited.nc"))
        assert from_constructor in from_load


# ------------------------------------------------------------------ the shared checkers of model/_checks
@pytest.mark.parametrize(
    "value, error, words",
    [("1", TypeError, "se must be a positive number, got '1'"),
     (True, TypeError, "se must be a positive number, got True"),
     (0.0, ValueError, "se must be finite and > 0, got 0.0"),
     (float("nan"), ValueError, "se must be finite and > 0, got nan"),
     (1e200, ValueError, r"se must lie in \[1e-150, 1e\+150\]")],
    ids=["str", "bool", "zero", "nan", "huge"],
)
def test_check_positive_number_is_the_one_wording_of_a_positive_quantity(value, error, words):
    """The checker that sigma (here), y_sd (mapping) and se (teaching) share."""
    from bayesreg.model._checks import check_positive_number

    with pytest.raises(error, match=rf"^owner: {words}"):
        check_positive_number(value, "se", "owner")
    assert check_positive_number(np.float32(0.5), "se", "owner") == 0.5
    assert check_positive_number(None, "sigma", "owner", none_means="to estimate it") is None
    with pytest.raises(ValueError, match=r"sigma must be finite and > 0 \(or None to estimate it\)"):
        check_positive_number(-1, "sigma", "owner", none_means="to estimate it")


def test_check_unit_interval_names_what_the_ends_mean():
    from bayesreg.model._checks import check_unit_interval

    meaning = "0 is the Normal prior, 1 the Laplace prior"
    assert check_unit_interval(np.float64(0.25), "l1_ratio", "owner", meaning) == 0.25
    for value, error in [("0.5", TypeError), (True, TypeError), (1.5, ValueError), (float("nan"), ValueError)]:
        with pytest.raises(error, match=rf"owner: l1_ratio must .*\[0, 1\] \({meaning}\), got"):
            check_unit_interval(value, "l1_ratio", "owner", meaning)
