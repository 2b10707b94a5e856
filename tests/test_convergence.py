"""The vectorised R-hat and ESS against ArviZ's own, scalar by scalar."""

import warnings

import arviz as az
import numpy as np
import pytest

from bayesreg.posterior._convergence import ess_bulk, ess_tail, rank_diagnostics, rhat_rank


def ar1_chains(rng, chains, draws, k, phi, offsets=None):
    x = np.empty((chains, draws, k))
    x[:, 0] = rng.normal(size=(chains, k))
    for t in range(1, draws):
        x[:, t] = phi * x[:, t - 1] + rng.normal(size=(chains, k))
    return x if offsets is None else x + offsets[:, None, None]


def cases():
    rng = np.random.default_rng(0)
    yield "independent", rng.normal(size=(4, 500, 3))
    yield "autocorrelated", ar1_chains(rng, 4, 400, 3, 0.9)
    yield "chains disagree", ar1_chains(rng, 4, 300, 2, 0.5, offsets=np.array([0.0, 0.0, 0.0, 3.0]))
    yield "near random walk, short", ar1_chains(rng, 4, 40, 2, 0.999)
    yield "odd length, one chain", ar1_chains(rng, 1, 41, 2, 0.7)
    yield "rounded (ties at the quantiles)", np.round(ar1_chains(rng, 2, 17, 2, 0.3), 1)
    yield "antithetic", ar1_chains(rng, 2, 301, 2, -0.6)
    yield "discrete", rng.integers(0, 3, size=(4, 200, 2)).astype(float)
    yield "one chain", rng.normal(size=(1, 200, 2))
    yield "constant column", np.concatenate([rng.normal(size=(4, 100, 1)), np.ones((4, 100, 1))], axis=-1)


@pytest.mark.parametrize("name, draws", list(cases()), ids=[c[0] for c in cases()])
def test_matches_arviz(name, draws):
    k = draws.shape[-1]
    with warnings.catch_warnings():  # ArviZ divides 0 by 0 on the constant column
        warnings.simplefilter("ignore", RuntimeWarning)
        expected = _arviz(draws, k)
    with np.errstate(all="ignore"):
        got = {"rhat": rhat_rank(draws), "bulk": ess_bulk(draws), "tail": ess_tail(draws)}
    for key in expected:
        np.testing.assert_allclose(got[key], expected[key], rtol=1e-10, equal_nan=True, err_msg=key)


def _arviz(draws, k):
    return {
        "rhat": [float(az.rhat(draws[..., j])) for j in range(k)],
        "bulk": [float(az.ess(draws[..., j], method="bulk")) for j in range(k)],
        "tail": [float(az.ess(draws[..., j], method="tail")) for j in range(k)],
    }


def test_too_few_draws_gives_nan():
    x = np.zeros((2, 3, 2))
    assert np.isnan(rhat_rank(x)).all() and np.isnan(ess_bulk(x)).all() and np.isnan(ess_tail(x)).all()


@pytest.mark.parametrize("name, draws", list(cases()), ids=[c[0] for c in cases()])
def test_one_pass_matches_arviz(name, draws):
    """rank_diagnostics (one sort, one FFT for all three) equals ArviZ scalar by scalar."""
    k = draws.shape[-1]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        expected = _arviz(draws, k)
    with np.errstate(all="ignore"):
        got = dict(zip(("rhat", "bulk", "tail"), rank_diagnostics(draws)))
    for key in expected:
        np.testing.assert_allclose(got[key], expected[key], rtol=1e-10, equal_nan=True, err_msg=key)


def test_one_pass_across_variables_of_different_kinds():
    """Columns of different kinds side by side (ties, constants, discrete, continuous)
    give each column's own ArviZ values: nothing leaks between columns of one pass."""
    rng = np.random.default_rng(5)
    columns = [
        rng.normal(size=(4, 60, 1)),
        ar1_chains(rng, 4, 60, 1, 0.95),
        np.round(rng.normal(size=(4, 60, 1)), 1),
        rng.integers(0, 2, size=(4, 60, 1)).astype(float),
        np.full((4, 60, 1), 2.5),
        ar1_chains(rng, 4, 60, 1, 0.5, offsets=np.array([0.0, 0.0, 0.0, 4.0])),
    ]
    draws = np.concatenate(columns, axis=-1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        expected = _arviz(draws, draws.shape[-1])
    with np.errstate(all="ignore"):
        got = dict(zip(("rhat", "bulk", "tail"), rank_diagnostics(draws)))
    for key in expected:
        np.testing.assert_allclose(got[key], expected[key], rtol=1e-10, equal_nan=True, err_msg=key)


def test_one_pass_too_few_draws_gives_nan():
    assert all(np.isnan(v).all() for v in rank_diagnostics(np.zeros((2, 3, 2))))


def even_cases():
    """The finite, even-length cases: those rank_diagnostics sends to the compiled pass."""
    return [(name, draws) for name, draws in cases() if draws.shape[1] % 2 == 0 and np.isfinite(draws).all()]


@pytest.mark.parametrize("name, draws", even_cases(), ids=[c[0] for c in even_cases()])
def test_compiled_pass_matches_arviz_and_numpy_median(name, draws):
    """The compiled pass (folded draws ordered by merging, lags on demand) against ArviZ,
    and its median against np.median over chains and draws."""
    from bayesreg.posterior._convergence import compiled_rank_diagnostics

    k = draws.shape[-1]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        expected = _arviz(draws, k)
    with np.errstate(all="ignore"):
        r_hat, bulk, tail, median = compiled_rank_diagnostics(draws)
    for key, got in (("rhat", r_hat), ("bulk", bulk), ("tail", tail)):
        np.testing.assert_allclose(got, expected[key], rtol=1e-10, equal_nan=True, err_msg=key)
    np.testing.assert_array_equal(median, np.median(draws.reshape(-1, k), axis=0))


def test_compiled_pass_with_ties_at_the_median():
    """Draws tied at and around the median (the folded merge meets equal values from both sides)."""
    from bayesreg.posterior._convergence import compiled_rank_diagnostics

    rng = np.random.default_rng(9)
    draws = np.round(ar1_chains(rng, 4, 100, 3, 0.6), 0) + np.array([0.0, 0.5, 2.0])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        expected = _arviz(draws, 3)
    got = dict(zip(("rhat", "bulk", "tail"), compiled_rank_diagnostics(draws)[:3]))
    for key in expected:
        np.testing.assert_allclose(got[key], expected[key], rtol=1e-10, equal_nan=True, err_msg=key)
