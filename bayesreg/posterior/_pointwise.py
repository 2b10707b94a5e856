"""Per-draw, per-row quantities computed a block of rows at a time.

``S`` draws times ``n`` rows does not fit in memory for large ``n`` (4000 draws
x 1e6 rows is 32 GB), yet predictions and the pointwise log-likelihood only
need one block of rows at a time. Everything here keeps at most
``S x block`` numbers alive, with ``block`` chosen from :data:`BLOCK_BYTES`.
"""

from __future__ import annotations

import numpy as np

__all__ = ["BLOCK_BYTES", "likelihood_at_draws", "linear_predictor_blocks", "linear_predictor_variance",
           "pointwise_log_likelihood"]

#: Memory budget of one block of the (draws x rows) linear predictor.
BLOCK_BYTES = 32 * 2**20


def _block_rows(n_draws, n_rows):
    return max(1, min(n_rows, BLOCK_BYTES // (8 * max(n_draws, 1))))


def likelihood_at_draws(likelihood, posterior):
    """``likelihood`` with its learned parameters (``likelihood.learned_parameters``) at their draws.

    Each becomes one value per draw, flattened over chains as the other draws
    here, so row s of every (S, m) block uses draw s's value (a Student-t's df).
    """
    names = likelihood.learned_parameters
    if not names:
        return likelihood
    return likelihood.at(**{name: posterior[name].values.reshape(-1) for name in names})


def linear_predictor_blocks(coef, intercept, X, offset=None):
    """Yield ``(rows, eta)``: ``eta = intercept + X[rows] @ coef.T`` of shape (S, len(rows)).

    Parameters
    ----------
    coef : ndarray of shape (S, p)
    intercept : ndarray of shape (S,) or float
    X : ndarray of shape (n, p)
    offset : ndarray of shape (n,) or None
        A known term added to every draw's eta (``log(exposure)``).
    """
    intercept = np.asarray(intercept, dtype=float).reshape(-1, 1)
    n = X.shape[0]
    step = _block_rows(coef.shape[0], n)
    for start in range(0, n, step):
        rows = slice(start, min(start + step, n))
        eta = coef @ X[rows].T
        eta += intercept
        if offset is not None:
            eta += offset[rows]
        yield rows, eta


def pointwise_log_likelihood(likelihood, coef, intercept, sigma, X, y, offset=None):
    """Log likelihood of every row under every draw, shape (S, n), filled block by block.

    The result itself is S x n (it is what ``arviz.loo`` needs); only the
    temporaries are bounded by :data:`BLOCK_BYTES`.
    """
    out = np.empty((coef.shape[0], X.shape[0]))
    for rows, eta in linear_predictor_blocks(coef, intercept, X, offset):
        out[:, rows] = likelihood.pointwise_loglik(y[rows], eta, sigma)
    return out


def linear_predictor_variance(coef, intercept, X):
    r"""Variance over the draws of ``intercept + X @ coef`` for every row, without S x n work.

    With :math:`\tilde x_i = (1, x_i)` and :math:`C` the covariance (divisor S,
    as ``numpy.var``) of the draws of :math:`(b_0, w)`,
    :math:`\operatorname{Var}_s[\eta_{si}] = \tilde x_i^\top C \tilde x_i`:
    O(n p^2) instead of O(S n p), X read a block of rows at a time.

    Returns
    -------
    ndarray of shape (n,)
    """
    S, p = coef.shape
    draws = np.column_stack([np.broadcast_to(np.asarray(intercept, dtype=float), (S,)), coef])
    centred = draws - draws.mean(axis=0)
    cov = centred.T @ centred / S
    n = X.shape[0]
    out = np.empty(n)
    step = max(1, min(n, BLOCK_BYTES // (8 * max(p, 1))))
    for start in range(0, n, step):
        block = X[start : start + step]
        quadratic = np.einsum("ij,ij->i", block @ cov[1:, 1:], block)
        out[start : start + step] = cov[0, 0] + 2.0 * (block @ cov[1:, 0]) + quadratic
    return np.maximum(out, 0.0)  # rounding may leave -1e-17 where the variance is 0
