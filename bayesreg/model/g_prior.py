r"""Zellner's g-prior: a Normal prior whose covariance is that of least squares.

.. math::

    w \mid \sigma \sim N\!\left(0,\; g\,\sigma^2 (X_c^\top X_c)^{-1}\right), \qquad
    p(b_0) \propto 1

(Zellner 1986; Liang, Paulo, Molina, Clyde & Berger 2008), with :math:`X_c` the
centred design. The prior is conjugate: the posterior is drawn exactly
(:mod:`bayesreg.posterior.g_prior_draws`), and its MAP is least squares shrunk by
:math:`g/(1+g)` -- a ridge whose penalty is not diagonal (see docs/maths.md).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import priors as _base_families  # noqa: F401 (defined first: the widgets list the
from .prior_base import Prior  # families in definition order, Normal/Laplace/ElasticNet first)
from .scales import check_positive_scale

__all__ = ["GPrior"]


@dataclass(frozen=True)
class GPrior(Prior):
    r"""Zellner's g-prior (Gaussian likelihood only): conjugate, drawn exactly.

    .. math::

        w \mid \sigma \sim N\!\left(0, g\,\sigma^2 (X_c^\top X_c)^{-1}\right), \qquad
        \mathrm{penalty}(w) = \frac{w^\top X_c^\top X_c\, w}{2 g \sigma^2}

    **MAP**: a ridge with the non-diagonal penalty above; its normal equations
    :math:`(1 + 1/g) X_c^\top X_c\, w = X_c^\top y_c` give

    .. math:: \hat w_{\text{MAP}} = \frac{g}{1+g}\,\hat w_{\text{OLS}}

    whatever sigma is (it cancels). No library's lambda/alpha equals it (the
    penalty couples the coefficients through the data), so ``to_penalty`` refuses it.

    **Posterior** (``sampler="exact"``): with sigma fixed,
    :math:`w \mid y \sim N\big(\tfrac{g}{1+g}\hat w_{\text{OLS}},
    \tfrac{g}{1+g}\sigma^2 (X_c^\top X_c)^{-1}\big)`; with sigma learned
    (the package's ``HalfNormal(sd(y))``), :math:`\sigma^2 \mid y` is a generalized
    inverse Gaussian and is drawn exactly too (Jeffreys' :math:`1/\sigma` would
    give an inverse gamma: :func:`bayesreg.posterior.g_prior_draws.g_prior_posterior`).
    NUTS and Gibbs are not offered: the exact draws are independent and cost nothing.

    The prior needs :math:`X_c^\top X_c` invertible: ``n - 1 >= p`` (``n >= p``
    without an intercept) and linearly independent columns.

    Parameters
    ----------
    g : float
        Prior variance relative to that of least squares (``g = n``: the unit
        information prior; larger ``g``: less shrinkage).
    """

    g: float
    #: The widgets offer it with its MAP and its exact posterior: the slider moves ``g``.
    kind = "gprior"
    label = "Zellner g-prior (ridge, X'X penalty)"
    conjugate_scheme = "g_prior"
    is_convex = False  # no L1/L2 penalty weights: a data-dependent quadratic penalty instead
    penalty_uses_data = True
    #: The prior covariance (Xc'Xc)^-1 couples the coefficients: no product of one-coefficient
    #: densities (no PSIS reweighting by ``logpdf``; the explorer draws it by its exact sampler).
    independent_coefficients = False

    def __post_init__(self):
        object.__setattr__(self, "g", check_positive_scale(self.g, "g", "GPrior"))

    @property
    def shrinkage(self):
        """The factor ``g / (1 + g)`` by which the posterior mean and the MAP shrink least squares."""
        return self.g / (1.0 + self.g)

    def with_scale(self, scale):
        r"""The same prior at another ``g``: the number a slider or a grid moves.

        The g-prior has no per-coefficient scale (its covariance is
        :math:`g\sigma^2 (X_c^\top X_c)^{-1}`); ``g`` is the one number that sets
        how much it shrinks, so :func:`bayesreg.map_path` and the explorer's
        slider move it.
        """
        return GPrior(g=scale)

    @classmethod
    def from_controls(cls, scale, l1_ratio=0.5):
        """The prior a widget's scale slider describes: ``GPrior(g=scale)`` (``l1_ratio`` ignored)."""
        return cls(g=scale)

    @property
    def reference_scale(self):
        """The number a widget's scale slider sets (:attr:`control_scale`): ``g``."""
        return self.g

    def at_reference_scale(self):
        return self

    def penalty_formulas(self, *, n_samples, sigma, y_sd, sklearn=None, glmnet=None, logistic=None):
        """The widgets' readout: the penalty, why no library's lambda/alpha equals it, and the MAP."""
        noise = "sigma" if sigma is None else f"sigma^2 = {sigma**2:.4g}"
        return [
            f"penalty w' Xc'Xc w / (2 g sigma^2), g = {self.g:.4g}, {noise}: not diagonal (it "
            "couples the coefficients through the data), so no scikit-learn alpha, glmnet "
            "lambda or LogisticRegression C equals it (they penalise each coefficient alone)",
            f"MAP = g/(1+g) x least squares = {self.shrinkage:.4g} x OLS (sigma cancels): "
            "the normal equations (1 + 1/g) Xc'Xc w = Xc'yc",
        ]

    # -------------------------------------------------------- samplers
    def samplers(self, likelihood, sigma_fixed, gibbs_scheme=None):
        """``("exact",)`` with the Gaussian likelihood (sigma fixed or learned); none otherwise."""
        return ("exact",) if likelihood == "gaussian" else ()

    def has_conjugate_posterior(self, likelihood, sigma_fixed):
        return likelihood == "gaussian"

    def gibbs_refusal(self, likelihood):
        return ("is not offered for the g-prior: its posterior has a closed form, drawn exactly "
                "by sampler='exact' (or 'auto').")

    def nuts_refusal(self):
        return ("is not offered for the g-prior: its posterior has a closed form, drawn exactly "
                "by sampler='exact' (or 'auto'), and its prior covariance is built from X and "
                "sigma, which bayesreg's PyMC model does not write.")

    def pymc_data(self):
        raise ValueError(f"sampler='nutpie' {self.nuts_refusal()}")

    def create_variable(self, name, data, dims):
        raise ValueError(f"sampler='nutpie' {self.nuts_refusal()}")

    # -------------------------------------------------------- the penalty needs the data
    def quadratic_penalty_matrix(self, X_centred, sigma):
        r""":math:`Q = X_c^\top X_c / (g \sigma^2)`, the penalty being :math:`w^\top Q w / 2`."""
        if sigma is None:
            raise ValueError(
                "GPrior: the g-prior w ~ N(0, g sigma^2 (Xc'Xc)^-1) needs the noise scale sigma "
                "of a Gaussian likelihood; use it with MAPRegressor / PosteriorRegressor."
            )
        return check_design(X_centred) / (self.g * sigma**2)

    def _needs_data(self, what):
        raise ValueError(
            f"GPrior has no {what} of one coefficient: its prior covariance g sigma^2 (Xc'Xc)^-1 "
            "couples the coefficients through the data. Its MAP is g/(1+g) times least squares "
            "(MAPRegressor(GPrior(g=...)) computes it); its density is "
            "GPrior.log_density(w, X_centred, sigma)."
        )

    @property
    def penalty_weights(self):
        self._needs_data("lambda/alpha equivalent (penalty weights)")

    def penalty_weights_at(self, scale, data=None):
        self._needs_data("lambda/alpha equivalent (penalty weights)")

    def logpdf(self, w):
        self._needs_data("density")

    def penalty(self, w):
        self._needs_data("penalty")

    def prox(self, z, step=1.0):
        self._needs_data("proximal map")

    def sample(self, rng, size=None):
        self._needs_data("draws")

    def sample_prior(self, rng, n_features):
        self._needs_data("draws without the data")

    def log_density(self, w, X_centred, sigma):
        r"""Joint log density :math:`\log N(w; 0, g\sigma^2 (X_c^\top X_c)^{-1})` of the coefficient vector."""
        precision = self.quadratic_penalty_matrix(np.asarray(X_centred, dtype=float), sigma)
        w = np.asarray(w, dtype=float)
        sign, log_det = np.linalg.slogdet(precision)
        return float(-0.5 * w @ precision @ w + 0.5 * log_det - 0.5 * w.size * np.log(2 * np.pi))


def check_design(X_centred):
    """``X_c' X_c``, after checking it is invertible (else the g-prior is not defined)."""
    gram = X_centred.T @ X_centred
    n, p = X_centred.shape
    if p > 0 and (n < p or np.linalg.matrix_rank(gram) < p):
        raise ValueError(
            f"GPrior: the g-prior needs Xc'Xc invertible (at least p + 1 samples with an "
            f"intercept, linearly independent columns); got n={n}, p={p} with rank "
            f"{np.linalg.matrix_rank(gram)}. Drop redundant columns, or use a Normal or "
            "Laplace prior, which need neither."
        )
    return gram
