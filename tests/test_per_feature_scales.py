"""Per-feature prior scales: the model, the MAP and the mapping (issue 18).

References, none of them bayesreg itself:

* densities: ``scipy.stats`` (Laplace, Normal) and quadrature (elastic net);
* MAP: scikit-learn on rescaled columns. With :math:`w_j = c_j v_j` and
  :math:`c_j = s_j / s_0` for ANY reference :math:`s_0` (the tests take
  :math:`s_0 = 1`, not bayesreg's power-mean reference), the penalty
  :math:`\\mathrm{pen}_{s_j}(w_j) = \\mathrm{pen}_{s_0}(v_j)` and
  :math:`Xw = (X \\operatorname{diag} c) v`, so scikit-learn at the scalar mapping of
  :math:`s_0` on the columns :math:`c_j x_j` gives :math:`v`, and :math:`w = c v`;
  also the lasso's KKT conditions checked directly;
* glmnet: the ``*_pf`` and ``*_pfpos`` fits of ``validation/glmnet/glmnet_reference.json``,
  recorded by ``validation/glmnet/record_glmnet.R`` (R 4.2.2, glmnet 4.1-6 of Debian 12,
  ``thresh=1e-24``) with ``penalty.factor``; the tests never call R.
"""

import json
import math
from pathlib import Path

import numpy as np
import pytest
from scipy import integrate, optimize, stats
from sklearn.linear_model import ElasticNet as SkElasticNet
from sklearn.linear_model import Lasso, LogisticRegression, Ridge

import bayesreg as br
from bayesreg.model.registry import prior_from_dict, prior_to_dict

HERE = Path(__file__).resolve().parents[1] / "validation" / "glmnet"
REFERENCE = json.loads((HERE / "glmnet_reference.json").read_text())
FITS = {fit["id"]: fit for fit in REFERENCE["fits"]}
POSITIVE_PF = [f for f in REFERENCE["fits"] if f["id"].endswith("_pfpos")]
SIGMA = 3.0
SCALES = np.array([0.5, 2.0, 1.0, 4.0])


@pytest.fixture(scope="module")
def data():
    X, y = br.datasets.load_diabetes()
    return X.to_numpy(), y.to_numpy(), (y > y.median()).astype(int).to_numpy()


@pytest.fixture(scope="module")
def small():
    rng = np.random.default_rng(18)
    X = rng.normal(size=(80, 4)) * np.array([1.0, 2.0, 0.5, 1.0])
    y = 1.0 + X @ np.array([1.5, -0.3, 0.8, 0.0]) + rng.normal(size=80)
    return X, y


# ------------------------------------------------------------------ the model
@pytest.mark.parametrize("family", [br.Normal, br.Laplace, br.ElasticNet])
def test_scale_vector_is_immutable_comparable_and_round_trips(family):
    prior = family(scale=SCALES)
    assert prior.scale == (0.5, 2.0, 1.0, 4.0) and isinstance(prior.scale, tuple)
    assert prior == family(scale=list(SCALES)) and hash(prior) == hash(family(scale=tuple(SCALES)))
    assert prior != family(scale=SCALES * 2)
    assert eval(repr(prior), vars(br)) == prior
    saved = json.loads(json.dumps(prior_to_dict(prior)))  # what io.save writes
    assert prior_from_dict(saved) == prior
    assert family(scale=np.array(2.0)) == family(scale=2.0)  # a 0-d array is a number


@pytest.mark.parametrize("bad, message", [
    ([1.0, -1.0], "entry 1 is -1.0"), ([1.0, np.inf], "entry 1 is inf"), ([0.0], "entry 0 is 0.0"),
    ([np.nan, 1.0], "entry 0 is nan"), ([[1.0, 2.0]], "shape \\(1, 2\\)"), ([], "shape \\(0,\\)"),
])
def test_bad_scale_vectors_are_refused_with_the_entry(bad, message):
    with pytest.raises(ValueError, match=message):
        br.Laplace(scale=bad)


def test_other_scales_refuse_an_array_with_the_reason():
    with pytest.raises(TypeError, match="Normal, Laplace and ElasticNet"):
        br.Horseshoe(global_scale=np.array([1.0, 2.0]))
    with pytest.raises(TypeError, match="one positive number"):
        br.HalfCauchy([1.0, 2.0])


def test_densities_are_per_coordinate_against_scipy_and_quadrature():
    w = np.array([0.3, -1.2, 2.5, -0.1])
    np.testing.assert_allclose(br.Laplace(scale=SCALES).logpdf(w),
                               stats.laplace(scale=SCALES).logpdf(w), rtol=1e-12)
    np.testing.assert_allclose(br.Normal(scale=SCALES).logpdf(w),
                               stats.norm(scale=SCALES).logpdf(w), rtol=1e-12)
    enet = br.ElasticNet(scale=SCALES, l1_ratio=0.3)
    for j, s in enumerate(SCALES):  # each coordinate a normalised density of its own scale
        one = br.ElasticNet(scale=float(s), l1_ratio=0.3)
        total, _ = integrate.quad(lambda v: math.exp(one.logpdf(v)), -np.inf, np.inf, epsabs=1e-13)
        assert total == pytest.approx(1.0, abs=1e-8)
        assert enet.logpdf(w)[j] == pytest.approx(one.logpdf(w[j]), rel=1e-14)


def test_penalty_and_prox_are_per_coordinate():
    w = np.array([0.3, -1.2, 2.5, -0.1])
    assert br.Laplace(scale=SCALES).penalty(w) == pytest.approx(np.sum(np.abs(w) / SCALES))
    assert br.Normal(scale=SCALES).penalty(w) == pytest.approx(np.sum(w**2 / (2 * SCALES**2)))
    prox = br.Laplace(scale=SCALES).prox(w, step=0.5)
    np.testing.assert_allclose(prox, np.sign(w) * np.maximum(np.abs(w) - 0.5 / SCALES, 0.0))


def test_with_scale_moves_the_reference_scale_and_keeps_the_ratios():
    laplace = br.Laplace(scale=SCALES)
    assert laplace.reference_scale == pytest.approx(len(SCALES) / np.sum(1 / SCALES))  # harmonic mean
    normal = br.Normal(scale=SCALES)
    assert normal.reference_scale == pytest.approx(np.mean(SCALES**-2) ** -0.5)
    moved = laplace.with_scale(3.0)
    assert moved.reference_scale == pytest.approx(3.0)
    np.testing.assert_allclose(np.array(moved.scale) / SCALES, 3.0 / laplace.reference_scale)
    assert moved.with_scale(3.0) == moved  # idempotent: the slider's value is the reference
    np.testing.assert_allclose(laplace.with_scale(laplace.reference_scale).scale, SCALES)
    assert laplace.with_scale([1.0, 1.0]) == br.Laplace(scale=[1.0, 1.0])  # a vector replaces


def test_n_features_is_checked_at_fit_naming_both_numbers(small):
    X, y = small
    with pytest.raises(ValueError, match="3 per-feature scales but X has 4 features"):
        br.MAPRegressor(br.Laplace(scale=[1.0, 2.0, 3.0]), sigma=1.0).fit(X, y)
    with pytest.raises(ValueError, match="5 per-feature scales but X has 4 features"):
        br.PosteriorRegressor(br.Normal(scale=np.ones(5)), sigma=1.0, sampler="exact").fit(X, y)


# ------------------------------------------------------------------ MAP = scikit-learn on rescaled columns
def _sklearn_on_rescaled_columns(prior, X, y, sigma):
    """scikit-learn at the reference s0 = 1 on the columns c_j x_j, c_j = s_j (written out here)."""
    c, n = np.asarray(prior.scale), len(y)
    if isinstance(prior, br.Laplace):  # alpha = sigma^2 / (n s0)
        model = Lasso(alpha=sigma**2 / n, tol=1e-14, max_iter=1_000_000)
    elif isinstance(prior, br.Normal):  # Ridge alpha = sigma^2 / t0^2
        model = Ridge(alpha=sigma**2)
    else:  # alpha = (sigma^2/n)(r/s0 + (1-r)/s0^2) = sigma^2/n, l1_ratio = r
        model = SkElasticNet(alpha=sigma**2 / n, l1_ratio=prior.l1_ratio, tol=1e-14, max_iter=1_000_000)
    model.fit(X * c, y)
    return model.coef_ * c, model.intercept_


@pytest.mark.parametrize("prior", [
    br.Laplace(scale=[0.05, 0.4, 1.0, 0.02, 0.3, 0.1, 2.0, 0.5, 0.08, 0.6]),
    br.Normal(scale=[0.1, 1.0, 5.0, 0.3, 0.2, 0.05, 1.0, 3.0, 0.5, 0.7]),
    br.ElasticNet(scale=[0.05, 0.4, 1.0, 0.02, 0.3, 0.1, 2.0, 0.5, 0.08, 0.6], l1_ratio=0.4),
], ids=["laplace", "normal", "elasticnet"])
def test_map_equals_sklearn_on_rescaled_columns(prior, data):
    X, y, _ = data
    sigma = 54.0  # about the diabetes noise sd: the per-feature L1 parts zero some coefficients
    model = br.MAPRegressor(prior, sigma=sigma, tol=1e-14).fit(X, y)
    coef, intercept = _sklearn_on_rescaled_columns(prior, X, y, sigma)
    np.testing.assert_allclose(model.coef_, coef, atol=1e-8, rtol=0)
    assert model.intercept_ == pytest.approx(intercept, abs=1e-8)
    if not isinstance(prior, br.Normal):
        assert np.any(model.coef_ == 0.0)  # the per-feature L1 part zeroes some coefficients


def test_map_classifier_equals_logistic_regression_on_rescaled_columns(data):
    X, _, y01 = data
    prior = br.Normal(scale=[0.1, 1.0, 0.5, 0.3, 0.2, 0.05, 1.0, 3.0, 0.5, 0.7])
    model = br.MAPClassifier(prior, tol=1e-12).fit(X, y01)
    c = np.asarray(prior.scale)  # reference t0 = 1: C = t0^2 = 1 on the columns c_j x_j
    sk = LogisticRegression(C=1.0, l1_ratio=0.0, tol=1e-12, max_iter=100_000).fit(X * c, y01)
    np.testing.assert_allclose(np.ravel(model.coef_), np.ravel(sk.coef_) * c, atol=1e-6)


def test_lasso_map_satisfies_the_per_feature_kkt_conditions(small):
    """An independent optimality check: |x_j'(y - Xw)| / sigma^2 <= 1/s_j, with equality and the sign of w_j off zero."""
    X, y = small
    scales = np.array([0.05, 0.002, 0.5, 0.01])
    model = br.MAPRegressor(br.Laplace(scale=scales), sigma=1.0).fit(X, y)
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    gradient = Xc.T @ (yc - Xc @ model.coef_)
    active = model.coef_ != 0
    assert active.any() and (~active).any()
    np.testing.assert_allclose(gradient[active], np.sign(model.coef_[active]) / scales[active], rtol=1e-7)
    assert np.all(np.abs(gradient[~active]) <= 1 / scales[~active] + 1e-9)


# ------------------------------------------------------------------ glmnet penalty.factor
def _glmnet_prior(fit, y, penalty_factor):
    params = {"lambda": fit["lambda"], "alpha": fit["alpha"], "family": fit["family"]}
    if fit["family"] == "binomial":
        return br.from_penalty("glmnet", n_samples=y.size, penalty_factor=penalty_factor, **params)
    y_sd = float(np.std(y)) if fit["alpha"] < 1 else None
    return br.from_penalty("glmnet", n_samples=y.size, sigma=SIGMA, y_sd=y_sd,
                           penalty_factor=penalty_factor, **params)


@pytest.mark.parametrize("fit", POSITIVE_PF, ids=lambda f: f["id"])
def test_map_under_the_penalty_factor_prior_is_glmnets_fit(fit, data):
    """Recorded R glmnet fits with penalty.factor = (0.25, 1, 1, 2, 1, 1, 0.5, 1, 1, 3) (record_glmnet.R)."""
    X, y, y01 = data
    prior = _glmnet_prior(fit, y, fit["penalty_factor"])
    assert type(prior) is (br.Laplace if fit["alpha"] == 1 else br.Normal) and prior.has_per_feature_scale
    if fit["family"] == "binomial":
        model = br.MAPClassifier(prior).fit(X, y01)
    else:
        model = br.MAPRegressor(prior, sigma=SIGMA).fit(X, y)
    np.testing.assert_allclose(np.ravel(model.coef_), fit["coef"], atol=1e-8)
    np.testing.assert_allclose(np.ravel(model.intercept_)[0], fit["intercept"], atol=1e-8)
    np.testing.assert_array_equal(np.ravel(model.coef_) == 0, np.asarray(fit["coef"]) == 0)


@pytest.mark.parametrize("fit", POSITIVE_PF, ids=lambda f: f["id"])
def test_to_penalty_gives_back_glmnets_lambda_and_rescaled_factors(fit, data):
    """glmnet rescales penalty.factor to sum to p: to_penalty reports those factors, and any multiple
    of the factors is the same glmnet fit, so the same prior."""
    _, y, _ = data
    factors = np.asarray(fit["penalty_factor"])
    prior = _glmnet_prior(fit, y, factors)
    assert _glmnet_prior(fit, y, 7.0 * factors) == prior
    kwargs = ({"likelihood": "bernoulli"} if fit["family"] == "binomial"
              else {"sigma": SIGMA, "y_sd": float(np.std(y)) if fit["alpha"] < 1 else None})
    back = br.to_penalty(prior, n_samples=y.size, convention="glmnet", **kwargs)
    assert back["lambda"] == pytest.approx(fit["lambda"], rel=1e-12)
    assert back["alpha"] == fit["alpha"]
    np.testing.assert_allclose(back["penalty_factor"], factors * factors.size / factors.sum(), rtol=1e-12)
    assert back["penalty_factor"].sum() == pytest.approx(factors.size)


def test_glmnet_zero_factor_is_the_limit_of_a_huge_scale(data):
    """The recorded gaussian_lasso_l1_pf fit has factor 0 (no penalty) on age: a Laplace scale of 1e12
    there is its limit (the L1 weight sigma^2/(n s) ~ 1e-14 moves nothing at 1e-8)."""
    X, y, _ = data
    fit = FITS["gaussian_lasso_l1_pf"]
    factors = np.asarray(fit["penalty_factor"])
    rescaled = factors * factors.size / factors.sum()  # glmnet's rescaling, over the zero too
    with np.errstate(divide="ignore"):
        scales = np.where(rescaled > 0, SIGMA**2 / (y.size * fit["lambda"] * rescaled), 1e12)
    model = br.MAPRegressor(br.Laplace(scale=scales), sigma=SIGMA).fit(X, y)
    np.testing.assert_allclose(model.coef_, fit["coef"], atol=1e-8)
    with pytest.raises(ValueError, match="factor of 0 leaves that coefficient unpenalized"):
        _glmnet_prior(fit, y, factors)


def test_elastic_net_has_no_penalty_factor_and_says_why(data):
    _, y, _ = data
    fit = FITS["gaussian_enet05_l1_pf"]
    with pytest.raises(ValueError, match="multiplies the L1 and L2 parts alike"):
        _glmnet_prior(fit, y, np.asarray(fit["penalty_factor"]) + 0.5)
    with pytest.raises(ValueError, match="no glmnet penalty.factor"):
        br.to_penalty(br.ElasticNet(scale=SCALES, l1_ratio=0.5), n_samples=100, sigma=1.0,
                      convention="glmnet", y_sd=2.0)
    with pytest.raises(TypeError, match="penalty_factor is glmnet's argument"):
        br.from_penalty("Lasso", n_samples=100, sigma=1.0, alpha=0.1, penalty_factor=[1.0, 2.0])


def test_to_penalty_sklearn_describes_the_rescaled_columns(data):
    """to_penalty's column_scale recipe, followed with scikit-learn, is the MAP (glmnet's lasso too)."""
    X, y, _ = data
    prior = br.Laplace(scale=[0.05, 0.4, 1.0, 0.02, 0.3, 0.1, 2.0, 0.5, 0.08, 0.6]).with_scale(20.0)
    pen = br.to_penalty(prior, n_samples=y.size, sigma=SIGMA)
    assert pen["estimator"] == "Lasso" and pen["alpha"] == pytest.approx(SIGMA**2 / (y.size * 20.0))
    lasso = Lasso(alpha=pen["alpha"], tol=1e-14, max_iter=1_000_000).fit(X * pen["column_scale"], y)
    model = br.MAPRegressor(prior, sigma=SIGMA).fit(X, y)
    np.testing.assert_allclose(model.coef_, lasso.coef_ * pen["column_scale"], atol=1e-8)
    glmnet = br.to_penalty(prior, n_samples=y.size, sigma=SIGMA, convention="glmnet")
    assert glmnet["lambda"] == pytest.approx(pen["alpha"])  # the lasso: glmnet's lambda is sklearn's alpha
    np.testing.assert_allclose(glmnet["penalty_factor"], 1.0 / pen["column_scale"])


# ------------------------------------------------------------------ paths and scale choice
def test_map_path_multiplies_the_whole_scale_vector(small):
    X, y = small
    prior = br.Laplace(scale=[0.05, 0.002, 0.5, 0.01])
    grid = np.array([0.005, 0.02, 0.1])
    path = br.map_path(X, y, prior, grid, sigma=1.0)
    for k, s in enumerate(grid):
        at = prior.with_scale(s)
        np.testing.assert_allclose(np.array(at.scale) / np.array(prior.scale), s / prior.reference_scale)
        coef, _ = _sklearn_on_rescaled_columns(at, X, y, 1.0)
        np.testing.assert_allclose(path.coefs[k], coef, atol=1e-8)


def test_empirical_bayes_with_per_feature_scales_maximises_the_marginal_likelihood(small):
    """Independent: y ~ N(0, sigma^2 I + X diag(t_j^2) X') (no intercept), maximised over the reference."""
    X, y = small
    y = y - 1.0
    prior = br.Normal(scale=[1.0, 0.2, 2.0, 0.5])
    choice = br.choose_scale(X, y, prior, "empirical_bayes", sigma=1.0, fit_intercept=False)
    c = prior.relative_scales

    def minus_log_marginal(log_t):
        cov = np.eye(len(y)) + (X * (c * math.exp(log_t)) ** 2) @ X.T
        return -stats.multivariate_normal(np.zeros(len(y)), cov).logpdf(y)

    best = optimize.minimize_scalar(minus_log_marginal, bounds=(-5, 5), method="bounded",
                                    options={"xatol": 1e-9})
    assert choice.scale == pytest.approx(math.exp(best.x), rel=1e-4)
    assert choice.prior.reference_scale == pytest.approx(choice.scale)
    np.testing.assert_allclose(choice.prior.relative_scales, c, rtol=1e-12)
    with pytest.raises(ValueError, match="learns one scale"):
        br.choose_scale(X, y, prior, "hierarchical", sigma=1.0)
