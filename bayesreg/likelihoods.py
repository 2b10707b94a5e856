"""Likelihoods: the data term of the objective.

Both are written for a linear predictor ``eta = b0 + X @ w``.  The intercept
``b0`` is never penalized (a flat prior), in the MAP and the posterior alike.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

__all__ = ["BernoulliLogit", "Gaussian", "LIKELIHOODS", "get_likelihood"]


@dataclass(frozen=True)
class Gaussian:
    r"""Gaussian likelihood :math:`y_i \sim N(\eta_i, \sigma^2)`.

    .. math::

        \log p(y_i \mid \eta_i, \sigma) = -\frac{(y_i - \eta_i)^2}{2\sigma^2}
            - \log \sigma - \tfrac12 \log 2\pi
    """

    name: str = "gaussian"

    def pointwise_loglik(self, y, eta, sigma):
        """Log likelihood of each observation; ``eta`` (..., n) and ``sigma`` (...) broadcast."""
        sigma = np.asarray(sigma, float)[..., None]
        z = (np.asarray(y, float) - eta) / sigma
        return -0.5 * z**2 - np.log(sigma) - 0.5 * math.log(2 * math.pi)


@dataclass(frozen=True)
class BernoulliLogit:
    r"""Bernoulli likelihood with the logit link, labels ``y`` in {0, 1}.

    .. math::

        \log p(y_i \mid \eta_i) = -\log(1 + e^{-s_i \eta_i}), \qquad s_i = 2y_i - 1
    """

    name: str = "bernoulli"

    def pointwise_loglik(self, y, eta, sigma=None):
        """Log likelihood of each observation; ``eta`` has shape (..., n)."""
        return -np.logaddexp(0.0, -(2 * np.asarray(y, float) - 1) * eta)


LIKELIHOODS = {"gaussian": Gaussian(), "bernoulli": BernoulliLogit()}


def get_likelihood(name):
    """Return the likelihood called ``name`` ("gaussian" or "bernoulli")."""
    try:
        return LIKELIHOODS[name]
    except (KeyError, TypeError):
        raise ValueError(
            f"likelihood must be one of {sorted(LIKELIHOODS)}, got {name!r}."
        ) from None
