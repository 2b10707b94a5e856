r"""The Gaussian MAP from sufficient statistics: p x p work, whatever n.

The least-squares part of the objective depends on the data only through
:math:`G = X_c^\top X_c` and :math:`c = X_c^\top y_c`:

.. math::

    \tfrac12\lVert y_c - X_c w\rVert^2 = \tfrac12 w^\top G w - w^\top c + \text{const}.

Any p x p "square-root data" :math:`R` with :math:`R^\top R = G` and :math:`z`
with :math:`R^\top z = c` give :math:`\tfrac12\lVert z - R w\rVert^2` the same
value up to a constant, so the MAP on :math:`(R, z)` is the MAP on the rows.
scikit-learn's objective divides by the number of rows, which is now p, so its
alpha is rescaled: ``alpha = total / p`` instead of ``total / n``.

:math:`R = D^{1/2} V^\top` and :math:`z = D^{-1/2} V^\top c` from the
eigendecomposition :math:`G = V D V^\top`: it exists for a singular :math:`G`
too (collinear columns, p > n), where :math:`c`, lying in the range of
:math:`X_c^\top`, has no part along the null directions (set to 0).
The route's other shortcuts (exact zeros, closed-form ridge, the exact signed
normal equations for a nearly flat L1 prior) are those of the rows' route,
written on :math:`G` and :math:`c`.
"""

from __future__ import annotations

import numpy as np
from scipy import linalg

from ..model.mapping import penalty_strength
from ._solvers import (
    l1_is_negligible,
    least_squares_weights,
    make_enet,
    small_l1_from_gram,
)

__all__ = ["least_squares_from_statistics", "square_root_data"]


def square_root_data(gram, xty):
    r"""``(R, z)`` with :math:`R^\top R = G` and :math:`R^\top z = c` (see the module docstring)."""
    eigenvalues, vectors = linalg.eigh(gram)
    top = max(float(eigenvalues[-1]), 0.0) if eigenvalues.size else 0.0
    # directions of G below rounding are its null space: c has (up to rounding) nothing there
    kept = eigenvalues > top * gram.shape[0] * np.finfo(float).eps
    root = np.sqrt(np.where(kept, eigenvalues, 0.0))
    R = root[:, None] * vectors.T
    z = np.zeros(gram.shape[0])
    z[kept] = (vectors.T @ xty)[kept] / root[kept]
    return R, z


def ridge_from_gram(gram, xty, alpha):
    r""":math:`(G + \alpha I)^{-1} c`; by the eigendecomposition when that is singular to working precision."""
    p = xty.shape[0]
    system = gram.copy()
    system.flat[:: p + 1] += alpha
    try:
        return linalg.solve(system, xty, assume_a="pos")
    except (linalg.LinAlgError, linalg.LinAlgWarning):
        eigenvalues, vectors = linalg.eigh(gram)
        shrunk = eigenvalues + alpha
        factors = np.divide(1.0, shrunk, out=np.zeros_like(shrunk), where=shrunk > 0)
        return vectors @ (factors * (vectors.T @ xty))


def least_squares_from_statistics(stats, weights, likelihood, sigma, fit_intercept, tol, max_iter,
                                  order):
    """The least-squares route of :func:`bayesreg.map.solve.solve_map` on statistics.

    Returns ``(coefs, intercepts, n_iter)`` for each ``(l1, l2)`` of ``weights``;
    ``order`` is the warm-start order (strongest penalty first).
    """
    import warnings

    gram, xty, _, x_mean, y_mean, n = stats.cross_products(fit_intercept)
    p = xty.shape[0]
    coefs = np.zeros((len(weights), p))
    n_iter = np.ones(len(weights), dtype=int)
    largest = np.max(np.abs(xty), initial=0.0)
    solver, square_root = None, None
    for i in order:
        l1, l2 = weights[i]
        a1, a2 = least_squares_weights(l1, l2, sigma)
        if np.isinf(a1) or np.isinf(a2) or (a1 > 0.0 and a1 >= largest):  # KKT: zero is the MAP
            continue
        if l1_is_negligible(l1, l2):
            with warnings.catch_warnings():
                warnings.simplefilter("error", linalg.LinAlgWarning)
                coefs[i] = ridge_from_gram(gram, xty, a2)
            continue
        small = small_l1_from_gram(gram, xty, n, a1, a2)
        if small is not None:
            coefs[i] = small
            continue
        if square_root is None:
            square_root = square_root_data(gram, xty)
        strength = penalty_strength(weights[i], likelihood.dispersion(sigma))
        if solver is None:
            solver = make_enet(1.0, 1.0, tol, max_iter, warm_start=True)
        # scikit-learn divides the squared error by its number of rows: p here, n on the rows
        solver.set_params(alpha=strength.total / p, l1_ratio=strength.l1_ratio)
        coefs[i] = solver.fit(*square_root).coef_ + 0.0
        n_iter[i] = solver.n_iter_
    return coefs, y_mean - coefs @ x_mean, n_iter
