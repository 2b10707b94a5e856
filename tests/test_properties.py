"""Property tests (hypothesis): the mapping, MAP invariances, finite output, bad input.

Each property is checked against arithmetic written out here or against
scikit-learn, never against a second call of the code under test alone.
Example counts are sized so that the whole file runs in a few seconds.
"""

import math
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from scipy.linalg import LinAlgWarning
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import ElasticNet as SkElasticNet
from sklearn.linear_model import Ridge

import bayesreg as br

# derandomize: the same examples on every run, so CI is deterministic (300 random
# examples per test also passed when this file was written)
FAST = settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
SLOWER = settings(max_examples=15, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])

positive = st.floats(min_value=1e-3, max_value=1e3, allow_nan=False, allow_infinity=False)
ratios = st.floats(min_value=0.0, max_value=1.0)
seeds = st.integers(min_value=0, max_value=2**32 - 1)


@st.composite
def map_priors(draw, scale=positive):
    """A fixed-scale prior with a finite MAP: Normal, Laplace or ElasticNet."""
    kind = draw(st.sampled_from(["Normal", "Laplace", "ElasticNet"]))
    s = draw(scale)
    if kind == "Normal":
        return br.Normal(scale=s)
    if kind == "Laplace":
        return br.Laplace(scale=s)
    return br.ElasticNet(scale=s, l1_ratio=draw(ratios))


def weights(prior):
    """(a, b) of penalty(w) = a |w| + b w^2 / 2, written out from DESIGN.md's table."""
    if isinstance(prior, br.Normal):
        return 0.0, 1.0 / prior.scale**2
    if isinstance(prior, br.Laplace):
        return 1.0 / prior.scale, 0.0
    r, s = prior.l1_ratio, prior.scale
    return r / s, (1.0 - r) / s**2


# ------------------------------------------------------------------ mapping
@FAST
@given(
    prior=map_priors(),
    n=st.integers(min_value=1, max_value=10**6),
    sigma=positive,
    likelihood=st.sampled_from(["gaussian", "bernoulli"]),
    convention=st.sampled_from(["sklearn", "glmnet"]),
    y_sd=positive,
)
def test_mapping_round_trip(prior, n, sigma, likelihood, convention, y_sd):
    """from_penalty(to_penalty(prior)) has the prior's penalty weights, for every convention."""
    sigma = sigma if likelihood == "gaussian" else None
    # sd(y) enters only glmnet's Gaussian convention (glmnet standardises y)
    y_sd = y_sd if likelihood == "gaussian" and convention == "glmnet" else None
    penalty = br.to_penalty(prior, n_samples=n, sigma=sigma, likelihood=likelihood,
                            convention=convention, y_sd=y_sd)
    params = {k: v for k, v in penalty.items() if k != "estimator"}
    back = br.from_penalty(penalty["estimator"], n_samples=n, sigma=sigma, likelihood=likelihood,
                           y_sd=y_sd, **params)
    assert type(back) is type(prior) or isinstance(prior, br.ElasticNet)
    a, b = weights(prior)
    a2, b2 = weights(back)
    scale = max(a, b)
    assert a2 == pytest.approx(a, rel=1e-9, abs=1e-12 * scale)
    assert b2 == pytest.approx(b, rel=1e-9, abs=1e-12 * scale)


@FAST
@given(prior=map_priors(), n=st.integers(min_value=1, max_value=10**6), sigma=positive, y_sd=positive)
def test_mapping_equals_the_written_out_table(prior, n, sigma, y_sd):
    """The Gaussian and Bernoulli mappings equal DESIGN.md's formulas, evaluated by hand.

    glmnet (gaussian, standardize=FALSE) has L1 weight lambda*alpha and L2 weight
    lambda*(1-alpha)/sd_n(y) (DESIGN.md; checked against R in test_glmnet_reference.py).
    """
    a, b = weights(prior)
    gauss = br.to_penalty(prior, n_samples=n, sigma=sigma)
    glmnet = br.to_penalty(prior, n_samples=n, sigma=sigma, convention="glmnet", y_sd=y_sd)
    logistic = br.to_penalty(prior, likelihood="bernoulli")
    if isinstance(prior, br.Normal):
        assert gauss == {"estimator": "Ridge", "alpha": pytest.approx(sigma**2 / prior.scale**2, rel=1e-12)}
    else:
        assert gauss["alpha"] == pytest.approx(sigma**2 / n * (a + b), rel=1e-12)
    assert glmnet["lambda"] * glmnet["alpha"] == pytest.approx(sigma**2 / n * a, rel=1e-12, abs=1e-300)
    assert glmnet["lambda"] * (1 - glmnet["alpha"]) / y_sd == pytest.approx(
        sigma**2 / n * b, rel=1e-9, abs=1e-12 * sigma**2 / n * (a + b))
    assert logistic["C"] == pytest.approx(1.0 / (a + b), rel=1e-12)
    assert logistic["l1_ratio"] == pytest.approx(a / (a + b), rel=1e-12, abs=1e-15)


# ------------------------------------------------------------------ MAP invariances
def regression_data(seed, n, p):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, p)) * rng.uniform(0.5, 2.0, size=p)
    coef = rng.normal(size=p) * (rng.uniform(size=p) < 0.6)
    y = 0.7 + X @ coef + rng.normal(size=n)
    return X, y


def assert_close(actual, expected, rtol=1e-6):
    actual, expected = np.asarray(actual, float), np.asarray(expected, float)
    atol = rtol * max(1.0, float(np.abs(expected).max(initial=0.0)))
    np.testing.assert_allclose(actual, expected, rtol=rtol, atol=atol)


def with_scale(prior, factor):
    """The same prior family with its scale multiplied by ``factor``."""
    if isinstance(prior, br.ElasticNet):
        return br.ElasticNet(scale=prior.scale * factor, l1_ratio=prior.l1_ratio)
    return type(prior)(scale=prior.scale * factor)


@FAST
@given(
    seed=seeds, n=st.integers(8, 40), p=st.integers(1, 5),
    prior=map_priors(st.floats(0.05, 5.0)), sigma=st.floats(0.2, 5.0), c=st.floats(1e-3, 1e3),
)
def test_rescaling_y_sigma_and_scale_rescales_the_map(seed, n, p, prior, sigma, c):
    r"""y -> c y, sigma -> c sigma, scale -> c scale gives coef -> c coef, intercept -> c intercept.

    With w = c v: (1/(2 c^2 sigma^2)) ||c y - X c v||^2 + pen_{cs}(c v)
    = (1/(2 sigma^2)) ||y - X v||^2 + pen_s(v), since every prior here has
    pen_{cs}(c v) = pen_s(v) (a |w| / s and w^2 / (2 s^2) terms alike).
    """
    X, y = regression_data(seed, n, p)
    base = br.MAPRegressor(prior, sigma=sigma).fit(X, y)
    scaled = br.MAPRegressor(with_scale(prior, c), sigma=c * sigma).fit(X, c * y)
    assert_close(scaled.coef_, c * base.coef_)
    assert scaled.intercept_ == pytest.approx(c * base.intercept_, rel=1e-6, abs=1e-6 * c)
    # in sklearn's alpha, the L1 part (sigma^2 r / (n s)) moves by exactly c and the
    # L2 part (sigma^2 (1 - r) / (n s^2), or Ridge's sigma^2 / t^2) does not move
    def parts(penalty):
        rho = {"Ridge": 0.0, "Lasso": 1.0}.get(penalty["estimator"], penalty.get("l1_ratio"))
        return penalty["alpha"] * rho, penalty["alpha"] * (1.0 - rho)

    (l1, l2), (l1_scaled, l2_scaled) = parts(base.penalty_), parts(scaled.penalty_)
    assert l1_scaled == pytest.approx(c * l1, rel=1e-12)
    assert l2_scaled == pytest.approx(l2, rel=1e-12)


@FAST
@given(seed=seeds, n=st.integers(8, 40), p=st.integers(2, 6), prior=map_priors(st.floats(0.05, 5.0)))
def test_permuting_features_permutes_the_coefficients(seed, n, p, prior):
    X, y = regression_data(seed, n, p)
    perm = np.random.default_rng(seed + 1).permutation(p)
    base = br.MAPRegressor(prior, sigma=1.0).fit(X, y)
    permuted = br.MAPRegressor(prior, sigma=1.0).fit(X[:, perm], y)
    assert_close(permuted.coef_, base.coef_[perm])
    assert permuted.intercept_ == pytest.approx(base.intercept_, rel=1e-6, abs=1e-6)


@SLOWER
@given(seed=seeds, n=st.integers(30, 60), p=st.integers(2, 4), prior=map_priors(st.floats(0.2, 5.0)))
def test_classifier_permuting_features_permutes_the_coefficients(seed, n, p, prior):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, p))
    y = (rng.uniform(size=n) < 1 / (1 + np.exp(-X @ rng.normal(size=p)))).astype(int)
    assume(0 < y.sum() < n)
    perm = rng.permutation(p)
    base = br.MAPClassifier(prior).fit(X, y)
    permuted = br.MAPClassifier(prior).fit(X[:, perm], y)
    assert_close(permuted.coef_, base.coef_[perm], rtol=1e-5)


@FAST
@given(seed=seeds, n=st.integers(8, 40), p=st.integers(1, 5), prior=map_priors(st.floats(0.05, 5.0)))
def test_duplicating_rows_equals_doubling_n_in_the_mapping(seed, n, p, prior):
    r"""Stacking the data twice doubles the likelihood term.

    (1/(2 sigma^2)) 2 ||y - Xw||^2 = (1/(2 (sigma/sqrt 2)^2)) ||y - Xw||^2, and for
    scikit-learn (1/(2 . 2n)) 2 ||y - Xw||^2 = (1/(2n)) ||y - Xw||^2: the doubled
    fit is sklearn's ElasticNet on the *original* data at alpha = to_penalty(n=2n).
    """
    X, y = regression_data(seed, n, p)
    sigma = 1.3
    doubled = br.MAPRegressor(prior, sigma=sigma).fit(np.vstack([X, X]), np.concatenate([y, y]))
    a, b = weights(prior)
    alpha = sigma**2 / (2 * n) * (a + b)  # the mapping with n doubled, written out
    if a > 1e-9 * (a + b):
        reference = SkElasticNet(alpha=alpha, l1_ratio=a / (a + b), tol=1e-14, max_iter=1_000_000)
    else:  # no L1 part to speak of: Ridge's ||y - Xw||^2 + alpha ||w||^2, halved for 2n rows
        reference = Ridge(alpha=sigma**2 * b / 2)
    reference.fit(X, y)
    assert_close(doubled.coef_, reference.coef_, rtol=1e-5)
    # ... which is the original data with the noise variance halved
    halved = br.MAPRegressor(prior, sigma=sigma / math.sqrt(2)).fit(X, y)
    assert_close(doubled.coef_, halved.coef_)
    assert doubled.intercept_ == pytest.approx(halved.intercept_, rel=1e-6, abs=1e-6)


@SLOWER
@given(seed=seeds, n=st.integers(20, 50), p=st.integers(1, 3), scale=st.floats(0.2, 3.0))
def test_classifier_duplicating_rows_equals_doubling_c(seed, n, p, scale):
    """Duplicated rows double the log likelihood: C -> 2C, i.e. Normal(t) -> Normal(t sqrt 2)."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, p))
    y = (rng.uniform(size=n) < 1 / (1 + np.exp(-X @ rng.normal(size=p)))).astype(int)
    assume(0 < y.sum() < n)
    doubled = br.MAPClassifier(br.Normal(scale)).fit(np.vstack([X, X]), np.concatenate([y, y]))
    wider = br.MAPClassifier(br.Normal(scale * math.sqrt(2))).fit(X, y)
    assert_close(doubled.coef_, wider.coef_, rtol=1e-6)


# ------------------------------------------------------------------ finite output
finite = st.floats(min_value=-1e3, max_value=1e3, allow_nan=False, allow_subnormal=False)


@st.composite
def small_data(draw):
    n = draw(st.integers(1, 8))
    p = draw(st.integers(1, 4))
    X = draw(hnp.arrays(np.float64, (n, p), elements=finite))
    y = draw(hnp.arrays(np.float64, (n,), elements=finite))
    return X, y


def fit_or_clear_error(estimator, X, y):
    """Fit, ignoring advisory warnings; a ValueError that says what to do is acceptable."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # sigma floor, MAP-not-fitted notes
        warnings.simplefilter("ignore", ConvergenceWarning)
        # sklearn's Newton-Cholesky falls back to L-BFGS on a near-singular Hessian
        # (e.g. identical large columns) and says so; the fit is still finite
        warnings.simplefilter("ignore", LinAlgWarning)
        try:
            return estimator.fit(X, y)
        except ValueError as exc:  # too few samples to estimate sigma: the documented refusal
            assert "Pass sigma=" in str(exc), exc
            return None


@FAST
@given(data=small_data(), prior=map_priors(st.floats(0.01, 100.0)), sigma=st.one_of(st.none(), st.floats(0.01, 100.0)))
def test_map_regressor_never_returns_nan(data, prior, sigma):
    X, y = data
    model = fit_or_clear_error(br.MAPRegressor(prior, sigma=sigma), X, y)
    if model is None:
        assert sigma is None
        return
    assert np.all(np.isfinite(model.coef_)) and math.isfinite(model.intercept_)
    assert np.all(np.isfinite(model.predict(X)))


@FAST
@given(data=small_data(), prior=map_priors(st.floats(0.01, 100.0)))
def test_map_classifier_never_returns_nan(data, prior):
    X, y = data
    labels = (y > np.median(y)).astype(int)
    assume(0 < labels.sum() < len(labels))
    model = fit_or_clear_error(br.MAPClassifier(prior), X, labels)
    assert model is not None
    assert np.all(np.isfinite(model.coef_)) and math.isfinite(model.intercept_)
    assert np.all(np.isfinite(model.predict_proba(X)))


@FAST
@given(data=small_data(), scale=st.floats(0.01, 100.0), sigma=st.floats(0.01, 100.0))
def test_exact_posterior_never_returns_nan(data, scale, sigma):
    X, y = data
    model = br.PosteriorRegressor(
        br.Normal(scale), sigma=sigma, sampler="exact", draws=20, chains=2, random_seed=0,
        progressbar=False,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", br.SamplingWarning)  # 40 draws are too few for ESS > 400
        model.fit(X, y)
    assert np.all(np.isfinite(model.coef_)) and math.isfinite(model.intercept_)
    mean, sd = model.predict(X, return_std=True)
    assert np.all(np.isfinite(mean)) and np.all(np.isfinite(sd))


# ------------------------------------------------------------------ bad input
BAD_KINDS = [
    "X 1-D", "X 3-D", "y 2-D", "length mismatch", "NaN in X", "inf in y", "strings in X",
    "complex X", "None in X", "no samples", "no features", "scalar X", "dict X",
]


@st.composite
def bad_data(draw):
    """(kind, X, y) with exactly one defect."""
    kind = draw(st.sampled_from(BAD_KINDS))
    n, p = draw(st.integers(3, 10)), draw(st.integers(1, 4))
    rng = np.random.default_rng(draw(seeds))
    X, y = rng.normal(size=(n, p)), rng.normal(size=n)
    if kind == "X 1-D":
        X = X[:, 0]
    elif kind == "X 3-D":
        X = X[..., None]
    elif kind == "y 2-D":
        y = np.column_stack([y, y])
    elif kind == "length mismatch":
        y = y[: draw(st.integers(0, n - 1))]
    elif kind == "NaN in X":
        X[draw(st.integers(0, n - 1)), draw(st.integers(0, p - 1))] = np.nan
    elif kind == "inf in y":
        y[draw(st.integers(0, n - 1))] = draw(st.sampled_from([np.inf, -np.inf]))
    elif kind == "strings in X":
        X = X.astype(str)
        X[0, 0] = "abc"
    elif kind == "complex X":
        X = X + 1j
    elif kind == "None in X":
        X = X.astype(object)
        X[0, 0] = None
    elif kind == "no samples":
        X, y = X[:0], y[:0]
    elif kind == "no features":
        X = X[:, :0]
    elif kind == "scalar X":
        X = 3.0
    elif kind == "dict X":
        X = {"a": list(X[:, 0])}
    return kind, X, y


def make_estimators():
    return [
        br.MAPRegressor(br.Laplace(1.0), sigma=1.0),
        br.MAPRegressor(br.Normal(1.0)),
        br.MAPClassifier(br.Laplace(1.0)),
        br.PosteriorRegressor(br.Normal(1.0), sigma=1.0, sampler="exact", draws=10, progressbar=False),
    ]


@FAST
@given(case=bad_data())
def test_bad_data_raises_value_or_type_error(case):
    kind, X, y = case
    for estimator in make_estimators():
        target = y
        if isinstance(estimator, br.MAPClassifier) and kind != "inf in y" and np.ndim(y) == 1:
            target = (y > 0).astype(int)
        with pytest.raises((ValueError, TypeError)):
            estimator.fit(X, target)


@FAST
@given(
    bad=st.sampled_from(["wrong width", "1-D", "strings", "NaN"]),
    width=st.integers(1, 6),
    seed=seeds,
)
def test_bad_predict_input_raises_value_or_type_error(fitted_estimators, bad, width, seed):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(4, 3))
    if bad == "wrong width":
        assume(width != 3)
        X = rng.normal(size=(4, width))
    elif bad == "1-D":
        X = X[0]
    elif bad == "strings":
        X = np.full((4, 3), "x")
    else:
        X[1, 1] = np.nan
    for estimator in fitted_estimators:
        with pytest.raises((ValueError, TypeError)):
            estimator.predict(X)


def not_a_sampler(name):
    return name not in ("auto", "nutpie", "pymc", "numpyro", "exact", "gibbs")


@st.composite
def bad_params(draw):
    """A parameter that is wrong by type or by value, and the estimator it goes to."""
    return draw(st.sampled_from([
        ("MAPRegressor", {"prior": "laplace"}),
        ("MAPRegressor", {"prior": None}),
        ("MAPRegressor", {"prior": br.Horseshoe()}),
        ("MAPRegressor", {"prior": br.Laplace(br.HalfCauchy(1.0))}),
        ("MAPRegressor", {"prior": br.Laplace(), "sigma": draw(st.sampled_from(["1", -1.0, 0.0, np.nan, np.inf, True]))}),
        ("MAPClassifier", {"prior": draw(st.sampled_from([1.0, "normal", br.Horseshoe()]))}),
        ("PosteriorRegressor", {"prior": br.Laplace(), "draws": draw(st.sampled_from([0, -3, 1.5, "10"]))}),
        ("PosteriorRegressor", {"prior": br.Laplace(), "sampler": draw(st.text(max_size=8).filter(not_a_sampler))}),
        ("PosteriorRegressor", {"prior": br.Laplace(), "sigma": draw(st.sampled_from(["x", -2.0]))}),
    ]))


@FAST
@given(case=bad_params())
def test_bad_parameters_raise_value_or_type_error(case):
    name, kwargs = case
    rng = np.random.default_rng(0)
    X = rng.normal(size=(10, 2))
    y = (X[:, 0] > 0).astype(int) if name == "MAPClassifier" else X[:, 0] + rng.normal(size=10)
    with pytest.raises((ValueError, TypeError)):
        getattr(br, name)(**kwargs).fit(X, y)


@pytest.fixture(scope="module")
def fitted_estimators():
    rng = np.random.default_rng(5)
    X = rng.normal(size=(20, 3))
    y = X @ [1.0, 0.0, -1.0] + rng.normal(size=20)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", br.SamplingWarning)
        return [
            br.MAPRegressor(br.Laplace(1.0), sigma=1.0).fit(X, y),
            br.MAPClassifier(br.Normal(1.0)).fit(X, (y > 0).astype(int)),
            br.PosteriorRegressor(br.Normal(1.0), sigma=1.0, sampler="exact", draws=50,
                                  progressbar=False).fit(X, y),
        ]
