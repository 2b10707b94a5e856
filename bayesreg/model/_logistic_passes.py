r"""The logistic likelihood's passes over Dask rows: what one pass computes, block by block.

The Bernoulli-logit likelihood has no fixed-size sufficient statistics, but
each step of its fits needs only p x p numbers computed from the rows at the
current coefficients. :class:`~bayesreg.model.likelihoods.BernoulliLogit`
offers these passes (``rows_summary``, ``newton_pass``, ``polya_gamma_pass``);
each is one tree reduction of :class:`~bayesreg.model._dask_passes.DaskRows`.

All passes after the first work on the columns centred at the first pass's
column means ``c`` and divided by ``d``: the design
:math:`A = [1, (X - c)/d]` (without the leading 1 when there is no intercept),
formed block by block on the workers. The centring is what keeps the
cross-products stable (a column with mean 1e6 and sd 1 gives entries of order
1, not 1e12 that cancel), and it is the design of the in-memory proximal Newton
solver (:mod:`bayesreg.map._logistic`), so the two solve the same problem.

* **summary** (first pass): n, the column means and centred sums of squares
  (merged by Chan, Golub & LeVeque's update), and the count of each label.
* **Newton** (one per outer iteration of the MAP): at :math:`\theta`, with
  :math:`p_i = \operatorname{expit}(a_i^\top\theta)` and :math:`w_i = p_i(1-p_i)`,
  the loss :math:`\sum_i \log(1+e^{\eta_i}) - y_i\eta_i`, its gradient
  :math:`A^\top(p - y)` and the weighted cross-products :math:`A^\top W A`.
  (IRLS's :math:`A^\top W z`, :math:`z = \eta + (y - p)/w`, is
  :math:`A^\top W A\,\theta - A^\top(p - y)`: formed on the client, never
  dividing by a weight that underflows.)
* **Polya-Gamma** (one per Gibbs sweep): :math:`\omega_i \sim PG(1, \eta_i)`
  drawn on the worker from a generator seeded by (seed, sweep, block), and
  :math:`A^\top\Omega A`, :math:`A^\top\kappa` with :math:`\kappa = y - 1/2`.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from scipy import special

__all__ = ["RowsSummary", "newton_pass", "polya_gamma_pass", "rows_summary"]


class RowsSummary(NamedTuple):
    """The first pass over Dask rows: what every later pass and the penalty need."""

    n_samples: int
    x_mean: np.ndarray  #: column means
    column_sd: np.ndarray  #: column sd (divisor n), what standardize=True divides by
    labels: dict  #: count of each label of y
    classes: np.ndarray  #: the two labels, sorted; classes[1] is the "positive" one
    y_mean: float  #: the share of classes[1]


# ---------------------------------------------------------------- block tasks (on the workers)
def _summary_block(X, y, index, owner):
    if not np.all(np.isfinite(X)):
        raise ValueError(f"{owner}.fit: row block {index} of X contains NaN or infinity; "
                         "drop or impute those rows (e.g. X.dropna() on a dask DataFrame).")
    if len(y) != len(X):
        raise ValueError(f"{owner}.fit: row block {index} has {len(X)} rows of X but {len(y)} of y; "
                         "pass y split like X.")
    mean = X.mean(axis=0)
    labels, counts = np.unique(y, return_counts=True)
    return (X.shape[0], mean, np.sum((X - mean) ** 2, axis=0),
            dict(zip(labels.tolist(), counts.tolist())))


def _merge_summaries(a, b):
    """Chan, Golub & LeVeque's merge of (n, mean, centred sum of squares); label counts added."""
    n_a, mean_a, m2_a, labels_a = a
    n_b, mean_b, m2_b, labels_b = b
    n = n_a + n_b
    delta = mean_b - mean_a
    labels = dict(labels_a)
    for label, count in labels_b.items():
        labels[label] = labels.get(label, 0) + count
    return n, mean_a + delta * (n_b / n), m2_a + m2_b + delta**2 * (n_a * n_b / n), labels


def _design(X, centre, scale, fit_intercept):
    Z = (X - centre) / scale
    return np.column_stack([np.ones(len(Z)), Z]) if fit_intercept else Z


def _newton_block(X, y, index, positive, centre, scale, fit_intercept, theta):
    A = _design(X, centre, scale, fit_intercept)
    y01 = (y == positive).astype(np.float64)
    eta = A @ theta
    prob = special.expit(eta)
    loss = np.sum(np.logaddexp(0.0, eta) - y01 * eta)
    hess = (A.T * (prob * (1.0 - prob))) @ A
    return np.concatenate([[loss], A.T @ (prob - y01), hess.ravel()])


def _polya_gamma_block(X, y, index, positive, centre, scale, fit_intercept, theta, seed, sweep):
    """Every chain's ``A' Omega A`` (theta is (chains, size)), then ``A' kappa``, packed."""
    from polyagamma import random_polyagamma

    A = _design(X, centre, scale, fit_intercept)
    kappa = (y == positive) - 0.5
    rng = np.random.default_rng([seed, sweep, index])  # reproducible wherever the block runs
    omega = random_polyagamma(1.0, theta @ A.T, random_state=rng)  # (chains, rows)
    precision = [((A.T * w) @ A).ravel() for w in omega]
    return np.concatenate([*precision, A.T @ kappa])


# ---------------------------------------------------------------- the passes (on the client)
def rows_summary(likelihood, rows, owner):
    """The first pass: :class:`RowsSummary`, the labels checked by ``likelihood.check_target``."""
    root = rows.reduce(_summary_block, owner, merge_fn=_merge_summaries)
    if root is None:
        raise ValueError(f"{owner}.fit: X and y have no rows (all {rows.n_blocks} block(s) are empty).")
    n, mean, m2, labels = root
    _, classes = likelihood.check_target(np.asarray(sorted(labels)), owner)
    return RowsSummary(int(n), mean, np.sqrt(m2 / n), labels, classes,
                       labels[classes[1].item()] / n)


def newton_pass(rows, summary, centre, scale, fit_intercept, theta):
    """``(loss, gradient, hessian)`` of the loss at ``theta`` on the design ``[1, (X - centre)/scale]``."""
    size = theta.size
    packed = rows.reduce(_newton_block, summary.classes[1], centre, scale, fit_intercept, theta)
    return packed[0], packed[1:size + 1], packed[size + 1:].reshape(size, size)


def polya_gamma_pass(rows, summary, centre, scale, fit_intercept, theta, seed, sweep):
    r"""One sweep's pass for every chain: ``(A' Omega A`` of shape (chains, size, size), ``A' kappa)``.

    ``theta`` (chains, size); :math:`\omega_i \sim PG(1, a_i^\top\theta_c)` drawn on
    the workers from generators seeded by ``(seed, sweep, block)``.
    """
    chains, size = theta.shape
    packed = rows.reduce(_polya_gamma_block, summary.classes[1], centre, scale, fit_intercept,
                         theta, int(seed), int(sweep))
    return packed[:chains * size * size].reshape(chains, size, size), packed[chains * size * size:]
