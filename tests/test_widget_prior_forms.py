"""The views carry a prior's form: ``scale_by_sigma=True`` and per-feature scales (issue 18).

The slider moves the overall (reference) scale; the flag and the relative
per-feature scales stay.  References are independent of the widgets: the
mapping's closed forms (the sigma-scaled lasso's alpha = sigma / (n s)),
scikit-learn on rescaled columns, the conjugate posterior in numpy, and a
Park & Casella Gibbs sampler written here in numpy.
"""

import numpy as np
import pytest
from scipy import stats
from sklearn.linear_model import Lasso

import bayesreg as br
from bayesreg.widgets import CoefficientComparison, PriorScaleExplorer, ShrinkageDemo1D
from bayesreg.widgets.scale_explorer import ScaleExplorer

from .conftest import SIGMA_DIABETES as SIGMA

N = 442  # diabetes rows
#: relative scales of the diabetes columns (any positive numbers; not all equal)
MULTIPLIERS = np.array([1.0, 0.5, 2.0, 2.0, 0.25, 1.0, 1.5, 0.5, 3.0, 1.0])


def _harmonic_mean(v):
    return 1.0 / np.mean(1.0 / v)


def _lasso_coef(X, y, alpha, column_scale=None):
    """scikit-learn's lasso, on the columns X_j * c_j when a column scale is given."""
    c = np.ones(X.shape[1]) if column_scale is None else np.asarray(column_scale)
    fit = Lasso(alpha=alpha, tol=1e-12, max_iter=200_000).fit(np.asarray(X) * c, y)
    return fit.coef_ * c


def _conjugate(X, y, t, sigma):
    """Posterior mean and sd, w ~ N(0, diag(t_j^2)) (t a number or one per feature), flat intercept."""
    X, y = np.asarray(X, float), np.asarray(y, float)
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    t = np.broadcast_to(np.asarray(t, float), (X.shape[1],))
    cov = np.linalg.inv(Xc.T @ Xc / sigma**2 + np.diag(1.0 / t**2))
    return cov @ Xc.T @ yc / sigma**2, np.sqrt(np.diag(cov))


def _park_casella_gibbs(X, y, laplace_scale, sigma, *, draws, chains, seed):
    r"""Draws of w under w_j ~ Laplace(b), y ~ N(b0 + X w, sigma^2) with sigma fixed, flat b0.

    Park & Casella (2008) at a fixed sigma: w_j | tau_j^2 ~ N(0, tau_j^2),
    tau_j^2 ~ Exp(1 / (2 b^2)); 1/tau_j^2 | w_j ~ InvGauss(1 / (b |w_j|), 1 / b^2) and
    w | tau, y ~ N(P^{-1} X_c'y_c / sigma^2, P^{-1}), P = X_c'X_c / sigma^2 + diag(1/tau^2)
    (the flat intercept integrates out: centred data).  Written here, not bayesreg's sampler.
    """
    X, y = np.asarray(X, float), np.asarray(y, float)
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    gram, xty = Xc.T @ Xc / sigma**2, Xc.T @ yc / sigma**2
    lam = 1.0 / laplace_scale
    rng = np.random.default_rng(seed)
    out = np.empty((chains, draws, X.shape[1]))
    for chain in range(chains):
        w = np.linalg.solve(gram + np.eye(len(xty)) * lam**2, xty)
        for i in range(-500, draws):  # 500 warm-up sweeps
            inv_tau2 = rng.wald(lam / np.maximum(np.abs(w), 1e-12), lam**2)
            chol = np.linalg.cholesky(gram + np.diag(inv_tau2))
            mean = np.linalg.solve(chol.T, np.linalg.solve(chol, xty))
            w = mean + np.linalg.solve(chol.T, rng.standard_normal(len(xty)))
            if i >= 0:
                out[chain, i] = w
    return out


# ---------------------------------------------------------------- scaled by sigma
def test_explorer_keeps_the_sigma_scaling_and_maps_alpha_sigma_over_n_s(diabetes):
    """Laplace(1, scale_by_sigma=True): at every slider scale s the prior is still scaled by
    sigma, the readout's alpha (and glmnet's lambda) is sigma / (n s), the MAP equals
    MAPRegressor of that prior (1e-10) and scikit-learn's Lasso at that alpha."""
    X, y = diabetes
    view = PriorScaleExplorer(X, y, prior=br.Laplace(1.0, scale_by_sigma=True), sigma=SIGMA,
                              sampler="nutpie")  # no live posterior here: the MAP part only
    assert "error" not in view.state, view.message.value
    for scale in (0.02, 0.2):
        view.controls["scale"].value = scale
        state = view.state
        s = state["scale"]
        assert state["prior"] == br.Laplace(s, scale_by_sigma=True)
        alpha = SIGMA / (N * s)  # docs/maths.md: the sigma-scaled lasso's alpha
        assert state["alpha"] == pytest.approx(alpha, rel=1e-12)
        assert state["glmnet_lambda"] == pytest.approx(alpha, rel=1e-12)
        assert state["logistic_C"] is None  # no sigma in a logistic model: no such form
        direct = br.MAPRegressor(br.Laplace(s, scale_by_sigma=True), sigma=SIGMA).fit(X, y)
        np.testing.assert_allclose(state["map_coef"], direct.coef_, rtol=0, atol=1e-10)
        np.testing.assert_allclose(state["map_coef"], _lasso_coef(X, y, alpha), atol=1e-6)
        assert f"{alpha:.4g}" in view.readout.value
        assert "scaled by sigma" in view.readout.value
    assert view.message.value == ""


@pytest.mark.slow  # ~25 s on a loaded machine (12000 numpy Gibbs sweeps and the live fit)
def test_explorer_live_posterior_of_a_sigma_scaled_laplace_equals_park_casella(diabetes):
    """The live (Gibbs) posterior of the sigma-scaled Laplace at the slider's scale equals a
    Park & Casella Gibbs sampler written in numpy at Laplace scale sigma * s (4 MCSE)."""
    X, y = diabetes
    view = PriorScaleExplorer(X, y, prior=br.Laplace(0.5, scale_by_sigma=True), sigma=SIGMA)
    assert view.wait(240)
    state = view.state
    assert state["posterior_source"] == "gibbs", view.message.value
    assert state["prior"].scale_by_sigma
    draws = _park_casella_gibbs(X, y, SIGMA * state["scale"], SIGMA, draws=3000, chains=4,
                                seed=20261203)
    import arviz as az

    ess_ref = float(np.min(az.ess(az.convert_to_dataset(draws)).to_array().values))
    flat = draws.reshape(-1, draws.shape[-1])
    sd = flat.std(axis=0)
    table = state["posterior"]
    mcse_mean = np.sqrt(sd**2 / state["ess"] + sd**2 / ess_ref)
    np.testing.assert_array_less(np.abs(table["mean"].to_numpy() - flat.mean(axis=0)),
                                 4 * mcse_mean)
    kurtosis = stats.kurtosis(flat, axis=0, fisher=False)
    mcse_sd = sd * np.sqrt((kurtosis - 1) / 4 * (1 / state["ess"] + 1 / ess_ref))
    np.testing.assert_array_less(np.abs(table["sd"].to_numpy() - sd), 4 * mcse_sd)


def test_explorer_exact_posterior_of_a_sigma_scaled_normal(diabetes):
    """Normal(t, scale_by_sigma=True) with a fixed sigma: the exact posterior is the conjugate
    one at prior sd sigma * t (numpy closed form); Ridge alpha = 1 / t^2 (free of sigma)."""
    X, y = diabetes
    view = PriorScaleExplorer(X, y, prior=br.Normal(0.1, scale_by_sigma=True), sigma=SIGMA)
    state = view.state
    assert state["posterior_source"] == "exact"
    t = state["scale"]
    assert state["alpha"] == pytest.approx(1.0 / t**2, rel=1e-12)
    mean, sd = _conjugate(X, y, SIGMA * t, SIGMA)
    np.testing.assert_allclose(state["posterior"]["mean"], mean, rtol=1e-8)
    np.testing.assert_allclose(state["posterior"]["sd"], sd, rtol=1e-8)


# ---------------------------------------------------------------- per-feature scales
def test_explorer_per_feature_scales_keep_their_ratios_and_match_rescaled_sklearn(diabetes):
    """Laplace(scale=s * c): the slider moves s (the harmonic mean of the scales); the
    relative scales c stay; the MAP is scikit-learn's lasso on the columns X_j c_j at
    alpha = sigma^2 / (n s) times c; glmnet's penalty.factor is (1/c) / mean(1/c)."""
    X, y = diabetes
    prior = br.Laplace(scale=2.0 * MULTIPLIERS)
    view = PriorScaleExplorer(X, y, prior=prior, sigma=SIGMA, sampler="nutpie")
    relative = MULTIPLIERS / _harmonic_mean(MULTIPLIERS)
    assert view.controls["scale"].value == pytest.approx(2.0 * _harmonic_mean(MULTIPLIERS),
                                                         rel=1e-3)
    for scale in (0.3, 3.0):
        view.controls["scale"].value = scale
        state = view.state
        s = state["scale"]
        np.testing.assert_allclose(state["prior"].scale_values, s * relative, rtol=1e-12)
        alpha = SIGMA**2 / (N * s)
        assert state["alpha"] == pytest.approx(alpha, rel=1e-12)
        np.testing.assert_allclose(state["penalties"]["sklearn"]["column_scale"], relative,
                                   rtol=1e-12)
        factor = (1 / relative) / np.mean(1 / relative)
        np.testing.assert_allclose(state["penalties"]["glmnet"]["penalty_factor"], factor,
                                   rtol=1e-12)
        np.testing.assert_allclose(state["map_coef"], _lasso_coef(X, y, alpha, relative),
                                   atol=1e-6)
        assert "penalty.factor" in view.readout.value
    # the family switch keeps the form: the Normal keeps the ratios s_j / s_k
    view.controls["prior"].value = "normal"
    normal = view.state["prior"]
    assert type(normal).kind == "normal" and normal.has_per_feature_scale
    np.testing.assert_allclose(normal.scale_values / normal.scale_values[0],
                               MULTIPLIERS / MULTIPLIERS[0], rtol=1e-12)
    assert normal.reference_scale == pytest.approx(view.state["scale"], rel=1e-12)


def test_explorer_exact_posterior_with_per_feature_normal_scales(diabetes):
    """Normal(scale=t_j) with a fixed sigma: the exact posterior is the conjugate one with
    prior variances t_j^2 (numpy closed form), at every slider scale."""
    X, y = diabetes
    view = PriorScaleExplorer(X, y, prior=br.Normal(scale=10.0 * MULTIPLIERS), sigma=SIGMA)
    view.controls["scale"].value = 5.0
    state = view.state
    assert state["posterior_source"] == "exact"
    t = state["prior"].scale_values
    np.testing.assert_allclose(t / t[0], MULTIPLIERS / MULTIPLIERS[0], rtol=1e-12)
    mean, sd = _conjugate(X, y, t, SIGMA)
    np.testing.assert_allclose(state["posterior"]["mean"], mean, rtol=1e-8)
    np.testing.assert_allclose(state["posterior"]["sd"], sd, rtol=1e-8)


# ---------------------------------------------------------------- the other views
def test_comparison_keeps_the_sigma_scaling_and_the_per_feature_scales(diabetes):
    """CoefficientComparison: the MAP of the sigma-scaled Laplace at the slider's s is the
    Lasso at sigma / (n s); with per-feature scales it is the lasso on rescaled columns."""
    X, y = diabetes
    view = CoefficientComparison(X, y, prior=br.Laplace(1.0, scale_by_sigma=True),
                                 sigma=SIGMA, scale=0.1)
    assert view.wait(240)
    state = view.state
    assert state["prior"] == br.Laplace(0.1, scale_by_sigma=True), view.message.value
    assert state["penalty"]["alpha"] == pytest.approx(SIGMA / (N * 0.1), rel=1e-12)
    np.testing.assert_allclose(state["map_coef"], _lasso_coef(X, y, SIGMA / (N * 0.1)),
                               atol=1e-6)
    assert state["posterior_source"] == "gibbs"

    view = CoefficientComparison(X, y, prior=br.Laplace(MULTIPLIERS), sigma=SIGMA, scale=2.0)
    assert view.wait(240)
    state = view.state
    relative = MULTIPLIERS / _harmonic_mean(MULTIPLIERS)
    np.testing.assert_allclose(state["prior"].scale_values, 2.0 * relative, rtol=1e-12)
    np.testing.assert_allclose(state["map_coef"],
                               _lasso_coef(X, y, SIGMA**2 / (N * 2.0), relative), atol=1e-6)


def test_shrinkage_demo_refuses_the_forms_it_cannot_show_with_the_reason():
    """One coefficient with a known se: no sigma to scale by, no other features to be relative to."""
    with pytest.raises(ValueError, match="no noise scale sigma.*scale = sigma \\* s"):
        ShrinkageDemo1D(prior=br.Laplace(1.0, scale_by_sigma=True))
    with pytest.raises(ValueError, match="one coefficient.*per-feature scales"):
        ShrinkageDemo1D(prior=br.Laplace(np.array([1.0, 2.0])))
    assert ShrinkageDemo1D(prior=br.Laplace(1.0)).state["prior"] == br.Laplace(1.0)


# ---------------------------------------------------------------- bad input
def test_a_scale_vector_of_the_wrong_length_is_refused_clearly(diabetes):
    X, y = diabetes
    wrong = br.Laplace(np.ones(3))
    view = PriorScaleExplorer(X, y, prior=wrong, sigma=SIGMA)
    assert "3 per-feature scales but X has 10 features" in view.state["error"]
    assert "one scale per column" in view.message.value
    with pytest.raises(ValueError, match="3 per-feature scales but X has 10"):
        ScaleExplorer(X, y, wrong, sigma=SIGMA)
    view = CoefficientComparison(X, y, prior=wrong, sigma=SIGMA)
    assert "3 per-feature scales but X has 10 features" in view.state["error"]


def test_a_sigma_scaled_prior_without_a_noise_scale_is_refused_clearly():
    rng = np.random.default_rng(17)
    X = rng.normal(size=(80, 3))
    y = (rng.uniform(size=80) < 1 / (1 + np.exp(-X[:, 0]))).astype(int)
    with pytest.raises(ValueError, match="no noise scale|none of"):
        ScaleExplorer(X, y, br.Laplace(1.0, scale_by_sigma=True), likelihood="bernoulli")
    view = CoefficientComparison(X, y, prior=br.Laplace(1.0, scale_by_sigma=True),
                                 likelihood="bernoulli")
    assert "scale_by_sigma=False" in view.state["error"]


def test_a_seed_posterior_of_another_form_is_refused(diabetes):
    """A seed posterior is cached under the explorer's form: another form is a clear error,
    the same form (rounding aside) is taken."""
    X, y = diabetes
    seed = br.PosteriorRegressor(br.Normal(0.3, scale_by_sigma=True), sigma=SIGMA,
                                 sampler="exact", draws=2000, chains=2, random_seed=0).fit(X, y)
    with pytest.raises(ValueError, match="not in the explorer's form"):
        ScaleExplorer(X, y, "normal", sigma=SIGMA, posterior=seed)
    explorer = ScaleExplorer(X, y, br.Normal(1.0, scale_by_sigma=True), sigma=SIGMA,
                             posterior=seed)
    assert explorer.form == (True, None)
