"""The prior <-> penalty mapping: closed forms, round trips, and errors."""

import math

import numpy as np
import pytest

from bayesreg import ElasticNet, HalfCauchy, Horseshoe, Laplace, Normal, from_penalty, to_penalty

from .conftest import MAP_PRIORS

N, SIGMA = 250, 3.5


def test_closed_forms_of_design_table():
    """The table of DESIGN.md, written out by hand."""
    t, s, r = 2.0, 0.8, 0.3
    assert to_penalty(Normal(t), n_samples=N, sigma=SIGMA) == {
        "estimator": "Ridge", "alpha": pytest.approx(SIGMA**2 / t**2)
    }
    assert to_penalty(Laplace(s), n_samples=N, sigma=SIGMA) == {
        "estimator": "Lasso", "alpha": pytest.approx(SIGMA**2 / (N * s))
    }
    a, b = r / s, (1 - r) / s**2
    assert to_penalty(ElasticNet(s, r), n_samples=N, sigma=SIGMA) == {
        "estimator": "ElasticNet",
        "alpha": pytest.approx(SIGMA**2 / N * (a + b)),
        "l1_ratio": pytest.approx(a / (a + b)),
    }
    assert to_penalty(Normal(t), likelihood="bernoulli") == {
        "estimator": "LogisticRegression", "C": pytest.approx(t**2), "l1_ratio": 0.0
    }
    assert to_penalty(Laplace(s), likelihood="bernoulli") == {
        "estimator": "LogisticRegression", "C": pytest.approx(s), "l1_ratio": 1.0
    }
    C = 1 / (a + b)
    assert to_penalty(ElasticNet(s, r), likelihood="bernoulli") == {
        "estimator": "LogisticRegression", "C": pytest.approx(C), "l1_ratio": pytest.approx(C * r / s)
    }


def test_glmnet_gaussian_lambda_has_sd_y_on_its_l2_part():
    """glmnet standardises y: L1 weight lambda*alpha, L2 weight lambda*(1-alpha)/sd_n(y).

    (DESIGN.md; checked against R glmnet fits in tests/test_glmnet_reference.py.)
    Only the lasso's lambda equals scikit-learn's alpha.
    """
    y_sd = 7.0
    # the lasso: lambda = sklearn alpha, no sd(y) needed
    gl = to_penalty(Laplace(0.8), n_samples=N, sigma=SIGMA, convention="glmnet")
    assert gl == {"estimator": "glmnet", "family": "gaussian",
                  "lambda": pytest.approx(SIGMA**2 / (N * 0.8)), "alpha": 1.0}
    # ElasticNet(s, r): lambda*alpha = sigma^2 r/(n s), lambda*(1-alpha) = sd(y) sigma^2 (1-r)/(n s^2)
    s, r = 1.3, 0.6
    gl = to_penalty(ElasticNet(s, r), n_samples=N, sigma=SIGMA, convention="glmnet", y_sd=y_sd)
    l1, l2 = SIGMA**2 * r / (N * s), y_sd * SIGMA**2 * (1 - r) / (N * s**2)
    assert gl["lambda"] == pytest.approx(l1 + l2, rel=1e-12)
    assert gl["alpha"] == pytest.approx(l1 / (l1 + l2), rel=1e-12)
    # The Normal prior in glmnet form: lambda = sigma^2 sd(y) / (n t^2), alpha = 0
    gl = to_penalty(Normal(2.0), n_samples=N, sigma=SIGMA, convention="glmnet", y_sd=y_sd)
    assert gl == {"estimator": "glmnet", "family": "gaussian",
                  "lambda": pytest.approx(SIGMA**2 * y_sd / (N * 4.0)), "alpha": 0.0}


@pytest.mark.parametrize(
    "call",
    [
        lambda: to_penalty(Normal(2.0), n_samples=N, sigma=SIGMA, convention="glmnet"),
        lambda: to_penalty(ElasticNet(1.0, 0.5), n_samples=N, sigma=SIGMA, convention="glmnet"),
        lambda: from_penalty("glmnet", n_samples=N, sigma=SIGMA, **{"lambda": 0.1, "alpha": 0.5}),
        lambda: from_penalty("glmnet", n_samples=N, sigma=SIGMA, **{"lambda": 0.1, "alpha": 0.0}),
    ],
)
def test_glmnet_gaussian_with_l2_part_requires_y_sd(call):
    with pytest.raises(ValueError, match=r"y_sd is required.*numpy\.std\(y\)"):
        call()


@pytest.mark.parametrize(
    "call",
    [
        lambda: to_penalty(Normal(2.0), n_samples=N, sigma=SIGMA, y_sd=3.0),
        lambda: to_penalty(Normal(2.0), n_samples=N, likelihood="bernoulli", convention="glmnet", y_sd=3.0),
        lambda: from_penalty("Ridge", sigma=SIGMA, alpha=1.0, y_sd=3.0),
        lambda: from_penalty("glmnet", n_samples=N, family="binomial", y_sd=3.0, **{"lambda": 0.1, "alpha": 0.5}),
    ],
)
def test_y_sd_outside_glmnet_gaussian_is_refused(call):
    with pytest.raises(ValueError, match="y_sd only enters glmnet's Gaussian convention"):
        call()


@pytest.mark.parametrize("y_sd, error", [(0.0, ValueError), (-1.0, ValueError), (math.inf, ValueError),
                                         (1e200, ValueError), ("1", TypeError)])
def test_bad_y_sd_is_refused(y_sd, error):
    with pytest.raises(error, match="y_sd"):
        to_penalty(Normal(2.0), n_samples=N, sigma=SIGMA, convention="glmnet", y_sd=y_sd)


def test_glmnet_binomial_lambda_is_one_over_n_c():
    gl = to_penalty(Laplace(0.5), n_samples=N, likelihood="bernoulli", convention="glmnet")
    assert gl["lambda"] == pytest.approx(1 / (N * 0.5)) and gl["alpha"] == 1.0


@pytest.mark.parametrize("prior", MAP_PRIORS, ids=repr)
@pytest.mark.parametrize("likelihood", ["gaussian", "bernoulli"])
@pytest.mark.parametrize("convention", ["sklearn", "glmnet"])
def test_round_trip_prior_penalty_prior(prior, likelihood, convention):
    sigma = SIGMA if likelihood == "gaussian" else None
    y_sd = 7.0 if likelihood == "gaussian" and convention == "glmnet" else None
    params = to_penalty(prior, n_samples=N, sigma=sigma, likelihood=likelihood, convention=convention,
                        y_sd=y_sd)
    kind = params.pop("estimator")
    back = from_penalty(kind, n_samples=N, sigma=sigma, y_sd=y_sd, **params)
    assert type(back) is type(prior)
    assert back.scale == pytest.approx(prior.scale, rel=1e-12)
    if isinstance(prior, ElasticNet):
        assert back.l1_ratio == pytest.approx(prior.l1_ratio, rel=1e-12)


@pytest.mark.parametrize(
    "kind, params",
    [
        ("Ridge", {"alpha": 0.37}),
        ("Lasso", {"alpha": 0.02}),
        ("ElasticNet", {"alpha": 0.5, "l1_ratio": 0.3}),
        ("ElasticNet", {"alpha": 0.5, "l1_ratio": 1.0}),
        ("LogisticRegression", {"C": 0.2, "l1_ratio": 0.7}),
        ("LogisticRegression", {"C": 3.0}),
        ("glmnet", {"lambda": 0.1, "alpha": 0.5}),
        ("glmnet", {"lambda": 0.1, "alpha": 0.5, "family": "binomial"}),
    ],
)
def test_round_trip_penalty_prior_penalty(kind, params):
    likelihood = "bernoulli" if kind == "LogisticRegression" or params.get("family") == "binomial" else "gaussian"
    sigma = SIGMA if likelihood == "gaussian" else None
    convention = "glmnet" if kind == "glmnet" else "sklearn"
    y_sd = 7.0 if likelihood == "gaussian" and convention == "glmnet" else None
    prior = from_penalty(kind, n_samples=N, sigma=sigma, y_sd=y_sd, **params)
    again = to_penalty(prior, n_samples=N, sigma=sigma, likelihood=likelihood, convention=convention,
                       y_sd=y_sd)
    expected = {"l1_ratio": 0.0, **params} if kind == "LogisticRegression" else params
    for key, value in expected.items():
        if key == "family":
            continue
        assert again[key] == pytest.approx(value, rel=1e-12), key


@pytest.mark.parametrize("seed", range(5))
def test_round_trip_random_parameters(seed):
    rng = np.random.default_rng(seed)
    for _ in range(50):
        prior = ElasticNet(scale=float(np.exp(rng.uniform(-6, 6))), l1_ratio=float(rng.uniform()))
        n, sigma = int(rng.integers(1, 10_000)), float(np.exp(rng.uniform(-4, 4)))
        params = to_penalty(prior, n_samples=n, sigma=sigma)
        kind = params.pop("estimator")
        back = from_penalty(kind, n_samples=n, sigma=sigma, **params)
        assert back.scale == pytest.approx(prior.scale, rel=1e-9)
        assert back.l1_ratio == pytest.approx(prior.l1_ratio, rel=1e-9, abs=1e-12)


def test_glmnet_round_trip_with_y_sd_recovers_the_penalty_weights():
    """from_penalty("glmnet") inverts lambda*alpha = sigma^2 a / n, lambda*(1-alpha)/sd(y) = sigma^2 b / n."""
    lam, mix, y_sd = 0.7, 0.25, 7.0
    prior = from_penalty("glmnet", n_samples=N, sigma=SIGMA, y_sd=y_sd, **{"lambda": lam, "alpha": mix})
    a, b = prior.penalty_weights
    assert a == pytest.approx(N * lam * mix / SIGMA**2, rel=1e-12)
    assert b == pytest.approx(N * lam * (1 - mix) / (y_sd * SIGMA**2), rel=1e-12)


def test_endpoints_of_logistic_and_glmnet_give_the_pure_priors():
    assert from_penalty("LogisticRegression", C=2.0, l1_ratio=1.0) == Laplace(2.0)
    assert from_penalty("LogisticRegression", C=4.0) == Normal(2.0)
    assert from_penalty("glmnet", n_samples=N, sigma=SIGMA, **{"lambda": 0.1, "alpha": 1.0}) == Laplace(
        SIGMA**2 / (N * 0.1)
    )


SCALES = np.geomspace(1e-6, 1e6, 61)


@pytest.mark.parametrize("family", [Laplace, Normal])
@pytest.mark.parametrize(
    "likelihood, convention",
    [("gaussian", "sklearn"), ("gaussian", "glmnet"), ("bernoulli", "sklearn"), ("bernoulli", "glmnet")],
)
def test_round_trip_keeps_laplace_and_normal_exactly(family, likelihood, convention):
    """Laplace -> penalty -> prior is a Laplace again (not ElasticNet(l1_ratio=0.9999999999998)).

    The mixing weight of the penalty is exactly 1 (Laplace) or 0 (Normal) in every
    convention, for every scale.
    """
    sigma = SIGMA if likelihood == "gaussian" else None
    y_sd = 7.0 if likelihood == "gaussian" and convention == "glmnet" else None
    for scale in SCALES:
        prior = family(scale=float(scale))
        params = to_penalty(prior, n_samples=N, sigma=sigma, likelihood=likelihood,
                            convention=convention, y_sd=y_sd)
        mixing = params.get("l1_ratio", params.get("alpha") if convention == "glmnet" else None)
        if mixing is not None:
            assert mixing == (1.0 if family is Laplace else 0.0)
        kind = params.pop("estimator")
        back = from_penalty(kind, n_samples=N, sigma=sigma, likelihood=likelihood, y_sd=y_sd, **params)
        assert type(back) is family, (prior, params, back)
        assert back.scale == pytest.approx(prior.scale, rel=1e-12)


@pytest.mark.parametrize("l1_ratio", [0.0, 0.3, 1.0])
@pytest.mark.parametrize(
    "likelihood, convention",
    [("gaussian", "sklearn"), ("gaussian", "glmnet"), ("bernoulli", "sklearn"), ("bernoulli", "glmnet")],
)
def test_round_trip_of_elasticnet_prior_in_every_convention(l1_ratio, likelihood, convention):
    """An ElasticNet prior comes back with its penalty weights; at l1_ratio 0 or 1 it may come
    back as the Normal or Laplace prior with the same penalty (sklearn's ElasticNet keeps the family)."""
    sigma = SIGMA if likelihood == "gaussian" else None
    y_sd = 7.0 if likelihood == "gaussian" and convention == "glmnet" else None
    for scale in SCALES:
        prior = ElasticNet(scale=float(scale), l1_ratio=l1_ratio)
        params = to_penalty(prior, n_samples=N, sigma=sigma, likelihood=likelihood,
                            convention=convention, y_sd=y_sd)
        kind = params.pop("estimator")
        back = from_penalty(kind, n_samples=N, sigma=sigma, likelihood=likelihood, y_sd=y_sd, **params)
        r, s = l1_ratio, float(scale)
        a, b = back.penalty_weights
        # the mixing weight carries the split: 1 - l1_ratio loses digits relative to a + b
        total = r / s + (1 - r) / s**2
        assert a == pytest.approx(r / s, rel=1e-12, abs=1e-12 * total)
        assert b == pytest.approx((1 - r) / s**2, rel=1e-12, abs=1e-12 * total)
        if 0 < l1_ratio < 1:
            assert type(back) is ElasticNet


def test_docstring_examples():
    assert to_penalty(Laplace(scale=0.5), n_samples=100, sigma=2.0) == {"estimator": "Lasso", "alpha": 0.08}
    assert from_penalty("Lasso", n_samples=100, sigma=2.0, alpha=0.08) == Laplace(scale=0.5)
    assert to_penalty(Normal(scale=2.0), n_samples=100, sigma=2.0, convention="glmnet", y_sd=10.0) == {
        "estimator": "glmnet", "family": "gaussian", "lambda": pytest.approx(0.1, rel=1e-15), "alpha": 0.0}
    assert math.isclose(from_penalty("Ridge", sigma=2.0, alpha=4.0).scale, 1.0)


@pytest.mark.parametrize(
    "call, error, match",
    [
        (lambda: to_penalty(Horseshoe(), n_samples=N, sigma=1.0), ValueError, "no finite minimum"),
        (lambda: to_penalty(Laplace(HalfCauchy(1.0)), n_samples=N, sigma=1.0), ValueError, "hyperprior"),
        (lambda: to_penalty("lasso", n_samples=N, sigma=1.0), TypeError, "bayesreg prior"),
        (lambda: to_penalty(Laplace(), n_samples=N), ValueError, "sigma is required"),
        (lambda: to_penalty(Laplace(), sigma=1.0), ValueError, "n_samples is required"),
        (lambda: to_penalty(Laplace(), n_samples=0, sigma=1.0), ValueError, "positive integer"),
        (lambda: to_penalty(Laplace(), n_samples=2.5, sigma=1.0), TypeError, "positive integer"),
        (lambda: to_penalty(Laplace(), n_samples=N, sigma=-1.0), ValueError, "sigma must be finite and > 0"),
        (lambda: to_penalty(Laplace(), n_samples=N, sigma=1.0, likelihood="poisson"), ValueError, "likelihood"),
        (lambda: to_penalty(Laplace(), sigma=1.0, likelihood="bernoulli"), ValueError, "no role"),
        (lambda: to_penalty(Laplace(), n_samples=N, sigma=1.0, convention="R"), ValueError, "convention"),
        (lambda: from_penalty("Lasso", n_samples=N, sigma=1.0, alpha=0.0), ValueError, "flat"),
        (lambda: from_penalty("Lasso", n_samples=N, sigma=1.0, C=1.0), TypeError, "unexpected"),
        (lambda: from_penalty("Lasso", n_samples=N, sigma=1.0), TypeError, "needs the parameter alpha"),
        (lambda: from_penalty("ElasticNet", n_samples=N, sigma=1.0, alpha=1.0, l1_ratio=2.0), ValueError, r"\[0, 1\]"),
        (lambda: from_penalty("SVR", alpha=1.0), ValueError, "kind must be one of"),
        (lambda: from_penalty("LogisticRegression", C=1.0, likelihood="gaussian"), ValueError, "implies"),
        (lambda: from_penalty("Lasso", n_samples=N, alpha=1.0, likelihood="bernoulli"), ValueError, "Gaussian"),
    ],
)
def test_bad_input_gives_clear_errors(call, error, match):
    with pytest.raises(error, match=match):
        call()
