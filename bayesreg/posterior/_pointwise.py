"""Per-draw, per-row quantities computed a block of rows at a time.

``S`` draws times ``n`` rows does not fit in memory for large ``n`` (4000 draws
x 1e6 rows is 32 GB), yet predictions and the pointwise log-likelihood only
need one block of rows at a time. Everything here keeps at most
``S x block`` numbers alive, with ``block`` chosen from :data:`BLOCK_BYTES`.
"""

from __future__ import annotations

import numpy as np

__all__ = ["BLOCK_BYTES", "linear_predictor_blocks", "pointwise_log_likelihood"]

#: Memory budget of one block of the (draws x rows) linear predictor.
BLOCK_BYTES = 32 * 2**20


def _block_rows(n_draws, n_rows):
    return max(1, min(n_rows, BLOCK_BYTES // (8 * max(n_draws, 1))))


def linear_predictor_blocks(coef, intercept, X):
    """Yield ``(rows, eta)``: ``eta = intercept + X[rows] @ coef.T`` of shape (S, len(rows)).

    Parameters
    ----------
    coef : ndarray of shape (S, p)
    intercept : ndarray of shape (S,) or float
    X : ndarray of shape (n, p)
    """
    intercept = np.asarray(intercept, dtype=float).reshape(-1, 1)
    n = X.shape[0]
    step = _block_rows(coef.shape[0], n)
    for start in range(0, n, step):
        rows = slice(start, min(start + step, n))
        eta = coef @ X[rows].T
        eta += intercept
        yield rows, eta


def pointwise_log_likelihood(likelihood, coef, intercept, sigma, X, y):
    """Log likelihood of every row under every draw, shape (S, n), filled block by block.

    The result itself is S x n (it is what ``arviz.loo`` needs); only the
    temporaries are bounded by :data:`BLOCK_BYTES`.
    """
    out = np.empty((coef.shape[0], X.shape[0]))
    for rows, eta in linear_predictor_blocks(coef, intercept, X):
        out[:, rows] = likelihood.pointwise_loglik(y[rows], eta, sigma)
    return out
