r"""The horseshoe+'s local scale with its auxiliary scale integrated out (numpy).

Under the horseshoe+ :math:`\lambda_j = \eta_j \nu_j` with :math:`\eta_j, \nu_j`
independent :math:`C^+(0, 1)`, whose product has the density
(Bhadra et al. 2017) :math:`p(\lambda) = \frac{4}{\pi^2}\frac{\log\lambda}{\lambda^2 - 1}`.
On :math:`u = \log\lambda` (Jacobian :math:`\lambda`) that is
:math:`\frac{2}{\pi^2}\,\frac{u}{\sinh u}`, and with
:math:`w_j \mid \lambda_j, \tau \sim N(0, \lambda_j^2\tau^2)`

.. math::

    \log p(u \mid w_j, \tau) = -u - m\,e^{-2u} + \log\frac{u}{\sinh u} + \text{const},
    \qquad m = \frac{w_j^2}{2\tau^2}.

The Gibbs sweep draws :math:`u` from this law by one slice-sampling update per
sweep (:func:`._slice.slice_sample_array`): no :math:`\eta_j` lag, which the
two-block update :math:`\lambda_j \mid \eta_j`, :math:`\eta_j \mid \lambda_j` carries
(its chain mixed the 1000 local scales of the p = 1000 benchmark to R-hat 1.016
only; docs/performance.md). The two exact blocks follow it in the sweep.
"""

from __future__ import annotations

import numpy as np

from ._slice import slice_sample_array

__all__ = ["log_local_density", "slice_log_local"]

#: Step of the slice sampler's stepping out on log lambda (the conditional's sd is ~0.5-2).
SLICE_WIDTH = 2.0


def log_u_over_sinh_u(u):
    r""":math:`\log(u / \sinh u)`, even in ``u``, stable at 0 and for large ``|u|``."""
    a = np.abs(np.asarray(u, dtype=float))
    small = a < 1e-4
    safe = np.where(small, 1.0, a)
    # log sinh a = a + log1p(-e^{-2a}) - log 2
    large = np.log(safe) - safe - np.log1p(-np.exp(-2.0 * safe)) + np.log(2.0)
    return np.where(small, -a * a / 6.0, large)


def log_local_density(u, m):
    r"""``log p(u | m)`` up to a constant, :math:`u = \log\lambda_j`, :math:`m = w_j^2 / (2\tau^2)`."""
    with np.errstate(over="ignore"):
        tilt = m * np.exp(np.minimum(-2.0 * u, 700.0))
    return -u - tilt + log_u_over_sinh_u(u)


def slice_log_local(log_local, m, rng):
    """One slice update of every ``u = log lambda_j`` (array of any shape) given ``m`` (same shape)."""
    m = np.maximum(m, 1e-300)  # m = 0 (w_j = 0 exactly) would leave the density improper at -inf
    return slice_sample_array(lambda u: log_local_density(u, m), log_local, rng, width=SLICE_WIDTH)
