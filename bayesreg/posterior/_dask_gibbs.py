r"""The Polya-Gamma Gibbs posterior of a logistic regression on Dask rows: one pass per sweep.

Polson, Scott & Windle's augmentation makes the coefficients conditionally
Gaussian given :math:`\omega_i \sim PG(1, \eta_i)`:

.. math::

    \theta \mid \omega \sim N(Q^{-1} A^\top\kappa, Q^{-1}), \qquad
    Q = A^\top \Omega A + \operatorname{diag}(0, V^{-1}), \qquad \kappa = y - 1/2.

Each sweep is ONE distributed pass (``likelihood.polya_gamma_pass``): the
workers draw every row's :math:`\omega_i` for every chain at the chains'
current coefficients and reduce :math:`A^\top\Omega A` and
:math:`A^\top\kappa`; the client draws :math:`\theta` (p+1 numbers per chain)
and the prior's variances as the in-memory sampler does. Exact -- the same
update as :class:`._sweeps._LogisticSweep`'s joint draw, on a centred design -- but O(n) work
per sweep: ``tune + draws`` passes over the rows.

The design is :math:`A = [1, (X - \bar x) c]` (columns centred at their means,
multiplied by the per-feature/standardize factors ``c``): the flat prior on
the intercept makes centring a change of variables with Jacobian 1, and it
keeps the cross-products stable. Random numbers on the workers come from
generators seeded by (seed, sweep, block), the seed drawn from the fit's
``random_state``: the same ``random_seed`` gives the same draws on any cluster.
"""

from __future__ import annotations

import numpy as np

from ._gaussian_draws import VARIANCE_FLOOR, add_to_diagonal, draw_gaussian_rue

__all__ = ["DaskLogisticRows"]


class DaskLogisticRows:
    """Dask rows standing in for X in :func:`~bayesreg.posterior.gibbs.sample_gibbs` (y is None).

    Parameters
    ----------
    likelihood : Likelihood
        One with ``has_distributed_passes`` (its ``polya_gamma_pass``).
    rows : DaskRows
    summary : RowsSummary
        The first pass over ``rows`` (``likelihood.rows_summary``).
    multiplier : ndarray of shape (n_features,) or None
        The column factors of the design (None: 1).
    """

    def __init__(self, likelihood, rows, summary, multiplier=None):
        self.likelihood, self.rows, self.summary = likelihood, rows, summary
        self.multiplier = np.ones(rows.n_features) if multiplier is None else np.asarray(multiplier, float)

    @property
    def shape(self):
        return (self.summary.n_samples, self.rows.n_features)

    @property
    def column_sd(self):
        """The sd of each column of the design (divisor n): what ``standardize`` divides by."""
        return self.summary.column_sd * np.abs(self.multiplier)

    def scale_columns(self, factors):
        """The same rows with column j multiplied by ``factors[j]``."""
        return DaskLogisticRows(self.likelihood, self.rows, self.summary, self.multiplier * factors)

    def build_sweep(self, fit_intercept, chains, rng):
        """The sweep object :func:`~bayesreg.posterior.gibbs.sample_gibbs` drives."""
        return _DaskPolyaGammaSweep(self, fit_intercept, chains, rng)


class _DaskPolyaGammaSweep:
    """One Polya-Gamma Gibbs sweep of every chain: one pass over the Dask rows."""

    has_compiled_sweep = False
    collapses_global_scale = False

    def __init__(self, data, fit_intercept, chains, rng):
        self.data, self.fit_intercept = data, fit_intercept
        n, p = data.shape
        self.n, self.p = n, p
        self.centre = data.summary.x_mean if fit_intercept else np.zeros(p)
        self.seed = int(rng.integers(2**63))  # the workers' generators: (seed, sweep, block)
        self.sweeps = 0
        self.theta = np.zeros((chains, p + int(fit_intercept)))
        self.intercept = np.zeros(chains)
        self.sigma2 = np.ones(chains)  # no noise variance: a placeholder in the chains' state
        self.coef = np.zeros((chains, p))

    def draw_coef(self, variances, rng):
        variances = np.maximum(variances, VARIANCE_FLOOR)
        chains = variances.shape[0]
        data = self.data
        scale = 1.0 / data.multiplier  # the pass's design divides by its scale
        gram, linear = data.likelihood.polya_gamma_pass(
            data.rows, data.summary, self.centre, scale, self.fit_intercept, self.theta,
            self.seed, self.sweeps)
        self.sweeps += 1
        prior_precision = 1.0 / variances
        if self.fit_intercept:
            prior_precision = np.column_stack([np.zeros(chains), prior_precision])
        precision = add_to_diagonal(gram, prior_precision)
        self.theta = draw_gaussian_rue(precision, np.broadcast_to(linear, prior_precision.shape), rng)
        k = int(self.fit_intercept)
        self.coef = self.theta[:, k:]
        if self.fit_intercept:  # back from the centred design: b0 = b0' - (c * x_mean) @ w
            self.intercept = self.theta[:, 0] - self.coef @ (self.centre * data.multiplier)
        return self.coef

    def update_noise(self, coef, rng):
        pass

    def record(self, coef, rng):
        return {"intercept": self.intercept.copy()} if self.fit_intercept else {}
