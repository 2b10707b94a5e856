"""Draws from the Gaussian conditional of the coefficients, all chains at once (numpy).

``N(Q^{-1} b, Q^{-1})`` by a Cholesky factor of ``Q`` (Rue 2001) when ``p`` is
small against ``n``, by the ``n x n`` system of Bhattacharya, Chakraborty &
Mallick (2016) when ``p > n``.
"""

from __future__ import annotations

import numpy as np

#: Floor on the prior variances given to the coefficient draw. Horseshoe local
#: variances of noise coefficients can drift below 1e-308, and BLAS on subnormal
#: numbers runs ~100x slower; a prior sd of 1e-100 is zero to working precision.
VARIANCE_FLOOR = 1e-200
#: Largest condition number bound of Bhattacharya's n x n system accepted (p > n);
#: beyond it (columns on wildly different scales) the p x p draw is used instead.
MAX_BHATTACHARYA_CONDITION = 1e10


def draw_gaussian_rue(precision, linear, rng):
    """``N(Q^{-1} b, Q^{-1})`` per chain via ``Q = L L^T``: ``Q^{-1}(b + L z)``."""
    chol = np.linalg.cholesky(precision)
    z = rng.standard_normal(linear.shape)
    rhs = linear + np.matmul(chol, z[..., None])[..., 0]
    return np.linalg.solve(precision, rhs[..., None])[..., 0]


def draw_gaussian_bhattacharya(phi, alpha, variances, rng, system=None):
    r"""``N(\mu, \Sigma)`` with :math:`\Sigma = (\Phi^\top\Phi + V^{-1})^{-1}`, :math:`\mu = \Sigma\Phi^\top\alpha`.

    Bhattacharya, Chakraborty & Mallick (2016): ``u ~ N(0, V)``, ``d ~ N(0, I_n)``,
    solve :math:`(\Phi V \Phi^\top + I) r = \alpha - (\Phi u + d)`, return
    :math:`u + V \Phi^\top r`. Costs ``O(n^2 p)`` instead of ``O(p^3)``.
    ``phi`` is ``(chains, n, p)``; ``alpha`` ``(chains, n)``; ``variances`` ``(chains, p)``;
    ``system`` the matrix :math:`\Phi V \Phi^\top + I` when the caller has it already.
    """
    chains, n, p = phi.shape
    # The n x n system I + M M^T (M = Phi V^1/2) has eigenvalues in [1, 1 + tr(M M^T)].
    # A column on a far larger scale than the others (x 1e8) makes it singular to
    # working precision; those chains take the p x p draw, whose Cholesky factor
    # is unaffected by how the columns are scaled.
    condition_bound = 1.0 + np.einsum("cij,cij,cj->c", phi, phi, variances)
    dense = condition_bound > MAX_BHATTACHARYA_CONDITION
    if dense.any():
        out = np.empty((chains, p))
        out[dense] = draw_gaussian_dense(phi[dense], alpha[dense], variances[dense], rng)
        fast = ~dense
        if fast.any():
            out[fast] = draw_gaussian_bhattacharya(
                phi[fast], alpha[fast], variances[fast], rng, None if system is None else system[fast]
            )
        return out
    u = np.sqrt(variances) * rng.standard_normal((chains, p))
    d = rng.standard_normal((chains, n))
    phi_v = phi * variances[:, None, :]
    if system is None:
        system = np.matmul(phi_v, np.swapaxes(phi, 1, 2))
        system[:, np.arange(n), np.arange(n)] += 1.0
    r = np.linalg.solve(system, (alpha - np.matmul(phi, u[..., None])[..., 0] - d)[..., None])
    return u + np.matmul(np.swapaxes(phi_v, 1, 2), r)[..., 0]


def draw_gaussian_dense(phi, alpha, variances, rng):
    r"""The same draw as :func:`draw_gaussian_bhattacharya` by a ``p x p`` Cholesky factor (Rue)."""
    precision = add_to_diagonal(np.matmul(np.swapaxes(phi, 1, 2), phi), 1.0 / variances)
    return draw_gaussian_rue(precision, np.matmul(np.swapaxes(phi, 1, 2), alpha[..., None])[..., 0], rng)


def batched_cholesky(matrices):
    """Lower Cholesky factors and a mask of the matrices that are not numerically PD (identity there)."""
    try:
        return np.linalg.cholesky(matrices), np.zeros(matrices.shape[0], dtype=bool)
    except np.linalg.LinAlgError:
        chol, failed = np.empty_like(matrices), np.zeros(matrices.shape[0], dtype=bool)
        for c, matrix in enumerate(matrices):
            try:
                chol[c] = np.linalg.cholesky(matrix)
            except np.linalg.LinAlgError:
                chol[c], failed[c] = np.eye(matrix.shape[0]), True
        return chol, failed


def add_to_diagonal(matrices, values):
    idx = np.arange(matrices.shape[-1])
    matrices[..., idx, idx] += values
    return matrices
