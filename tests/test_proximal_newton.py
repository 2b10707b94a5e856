"""The one proximal-Newton loop shared by the logistic, Poisson and Dask logistic MAPs.

Its pieces against independent answers: the inner penalized quadratic against
scipy's bound-constrained minimiser on the split ``u = a - b`` (a, b >= 0), the
standardisation against its closed-form inverse, and the loop's warning when
``max_iter`` is too small for each loss.
"""

import numpy as np
import pytest
from scipy import optimize
from sklearn.exceptions import ConvergenceWarning

from bayesreg.map._logistic import logistic_map
from bayesreg.map._poisson import poisson_map
from bayesreg.map._proximal_newton import StandardisedDesign, penalized_quadratic_min


@pytest.mark.parametrize("seed", range(6))
def test_penalized_quadratic_min_equals_a_bound_constrained_solve(seed):
    rng = np.random.default_rng(seed)
    p = 6
    M = rng.normal(size=(p, p))
    Q = M @ M.T + 0.1 * np.eye(p)
    r = rng.normal(size=p) * 3
    lam = rng.choice([0.0, 0.5, 2.0], size=p)
    u = penalized_quadratic_min(Q, r, lam, np.zeros(p))

    def split(ab):  # u = a - b with a, b >= 0 makes |u| linear: a smooth problem for L-BFGS-B
        a, b = ab[:p], ab[p:]
        v = a - b
        value = 0.5 * v @ Q @ v - r @ v + lam @ (a + b)
        g = Q @ v - r
        return value, np.concatenate([g + lam, -g + lam])

    ref = optimize.minimize(split, np.zeros(2 * p), jac=True, method="L-BFGS-B",
                            bounds=[(0, None)] * (2 * p), options={"ftol": 1e-15, "gtol": 1e-12})
    np.testing.assert_allclose(u, ref.x[:p] - ref.x[p:], atol=1e-6)
    # exact zeros where the KKT conditions put them
    assert np.all(np.abs(r - Q @ u)[u == 0.0] <= lam[u == 0.0] * (1 + 1e-12))


def test_standardised_design_maps_a_warm_start_back_exactly():
    rng = np.random.default_rng(3)
    X = rng.normal(size=(40, 3)) * [1.0, 1e4, 1e-3] + [5.0, -2.0, 0.0]
    coef, intercept = np.array([0.7, -2e-4, 300.0]), 1.5
    for fit_intercept in (True, False):
        design = StandardisedDesign.of(X, 1.0, 0.5, fit_intercept)
        theta = design.start((coef, intercept), intercept_only=lambda: np.nan)
        # the linear predictor is unchanged by the change of variables
        eta = design.A @ theta
        np.testing.assert_allclose(eta, X @ coef + (intercept if fit_intercept else 0.0), rtol=1e-12)
        back_coef, back_intercept = design.to_original(theta)
        np.testing.assert_allclose(back_coef, coef, rtol=1e-14)
        if fit_intercept:
            assert back_intercept == pytest.approx(intercept, rel=1e-12)


def test_too_few_newton_steps_warn_for_each_loss():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 4))
    eta = X @ [1.0, -1.0, 0.5, 0.0]
    y01 = (rng.uniform(size=200) < 1 / (1 + np.exp(-eta))).astype(float)
    counts = rng.poisson(np.exp(0.5 * eta)).astype(float)
    with pytest.warns(ConvergenceWarning, match="logistic MAP did not converge in max_iter=1"):
        logistic_map(X, y01, 0.1, 0.0, True, 1e-10, 1)
    with pytest.warns(ConvergenceWarning, match="Poisson MAP did not converge in max_iter=1"):
        poisson_map(X, counts, 0.1, 0.0, True, 1e-10, 1)
