"""The variance of one coefficient under a prior, and the prior of a given variance.

Every fixed-scale family is a scale family (``p(w) = f(w / s) / s``), so its
variance is :math:`s^2 V` with :math:`V` the variance at scale 1, integrated
once per family (and ``l1_ratio``) from the prior's own ``logpdf``: no family
is special-cased, and a new one needs nothing here.
"""

from __future__ import annotations

import functools
import math
import numbers

import numpy as np
from scipy import integrate

from ._checks import check_prior

__all__ = ["prior_variance", "with_variance"]


@functools.lru_cache(maxsize=64)
def _unit_variance(unit):
    """The variance of the (symmetric) prior ``unit`` at scale 1, by quadrature."""
    density = lambda u: u * u * math.exp(float(unit.logpdf(u)))
    half, _ = integrate.quad(density, 0.0, np.inf, epsabs=0.0, epsrel=1e-12)
    return 2.0 * half


def prior_variance(prior):
    r"""The variance of one coefficient under ``prior``.

    :math:`t^2` for ``Normal(scale=t)``, :math:`2s^2` for ``Laplace(scale=s)``,
    :math:`s^2 V(r)` for the elastic net: always :math:`s^2` times the variance
    at scale 1 (the penalty in :math:`u = w/s` does not depend on :math:`s`),
    integrated numerically from the prior's ``logpdf`` (relative error ~1e-12).
    """
    prior = check_prior(prior, "prior_variance")
    return prior.scale**2 * _unit_variance(prior.with_scale(1.0))


def with_variance(prior, variance):
    """The prior of the same family (and ``l1_ratio``) whose variance is ``variance``.

    Used to compare priors on an equal footing, e.g. the Normal, Laplace and
    elastic-net densities at variance 1.
    """
    if isinstance(variance, bool) or not isinstance(variance, numbers.Real):
        raise TypeError(f"with_variance: variance must be a positive number, got {variance!r}.")
    variance = float(variance)
    if not (math.isfinite(variance) and variance > 0):
        raise ValueError(f"with_variance: variance must be finite and > 0, got {variance!r}.")
    # the variance is proportional to scale**2 for every family (see the module docstring)
    ratio = variance / prior_variance(prior)
    return prior.with_scale(prior.scale * math.sqrt(ratio))
