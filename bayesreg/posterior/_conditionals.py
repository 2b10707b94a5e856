r"""Exact draws from the full conditionals the Gibbs sampler needs.

Every conditional of a prior variance ``v`` (a squared scale) in these models
has the form

.. math::

    p(v \mid \cdot) \propto v^{-k} e^{-b/v} \, \pi(v),

where ``v^{-k} e^{-b/v}`` collects the Gaussian (or exponential) terms the
variance governs and ``pi`` is the prior of ``v`` implied by a half-Cauchy or
half-normal prior on the scale ``sqrt(v)``.

* Half-Cauchy(beta), via the auxiliary variable of Makalic & Schmidt (2016):
  ``v | xi ~ InvGamma(1/2, 1/xi)``, ``xi ~ InvGamma(1/2, 1/beta^2)``. Then
  ``v | xi, . ~ InvGamma(k + 1/2, b + 1/xi)`` and ``xi | v ~ InvGamma(1, 1/v + 1/beta^2)``.
* Half-normal(beta): ``pi(v) \propto v^{-1/2} e^{-v/(2 beta^2)}``, so the conditional
  is a generalised inverse Gaussian: an ``InvGamma(k - 1/2, b)`` proposal accepted
  with probability ``exp(-v / (2 beta^2))`` (exact rejection sampling), with
  scipy's ``geninvgauss`` for what rejection does not settle quickly.
"""

from __future__ import annotations

import numpy as np
from scipy import special, stats

__all__ = ["draw_horseshoe_local_precision", "draw_inverse_gamma", "draw_laplace_variance", "draw_variance"]

_MAX_REJECTION_ROUNDS = 30
_NEWTON_STEPS = 100


def draw_inverse_gamma(shape, rate, rng):
    """``InvGamma(shape, rate)`` draws (density proportional to ``v^(-shape-1) exp(-rate/v)``)."""
    return rate / rng.gamma(shape, size=np.shape(rate))


def draw_laplace_variance(abs_coef, scale, rng):
    r"""The Laplace mixture's variance ``v | w``, where ``1/v ~ InverseGaussian(1/(s|w|), 1/s^2)``.

    The inverse-Gaussian draw of Michael, Schucany & Haas (1976), written for
    ``v`` itself so that it stays exact where ``numpy``'s ``wald`` fails: when
    ``|w|`` is tiny against ``s`` the mean ``1/(s|w|)`` is huge, ``wald``'s
    ``mu + ... - sqrt(...)`` cancels to 0 and ``1/0`` follows. With
    :math:`a = s|w|`, :math:`z \sim N(0, 1)` and :math:`r = z^2 s / (2|w|)`,
    the two roots in ``v`` are

    .. math::

        v_1 = a + \frac{z^2 s^2}{2}\bigl(1 + \sqrt{1 + 2/r}\bigr), \qquad v_2 = a^2 / v_1,

    and ``v_1`` is taken with probability ``v_1 / (v_1 + a)``. No term
    cancels or overflows; as ``w -> 0`` the draw tends to ``s^2 z^2``, the
    exact conditional ``Gamma(1/2, rate 1/(2 s^2))`` given ``w = 0``.

    Parameters
    ----------
    abs_coef : ndarray
        ``|w_j|`` (any shape).
    scale : ndarray or float
        The Laplace scale ``s``, broadcastable against ``abs_coef``.

    Returns
    -------
    ndarray
        One draw of ``v_j`` per entry, finite and > 0 wherever ``|w_j| > 0``.
    """
    abs_coef = np.maximum(np.asarray(abs_coef, dtype=float), 1e-300)
    scale = np.broadcast_to(np.asarray(scale, dtype=float), abs_coef.shape)
    a = scale * abs_coef
    z2 = rng.standard_normal(abs_coef.shape) ** 2
    with np.errstate(divide="ignore", over="ignore"):
        r = z2 * scale / (2.0 * abs_coef)
        v1 = a + 0.5 * z2 * scale**2 * (1.0 + np.sqrt(1.0 + 2.0 / r))
    v1 = np.where(z2 > 0, v1, a)  # z = 0: both roots are a
    take_first = rng.random(abs_coef.shape) * (v1 + a) < v1
    return np.where(take_first, v1, a * (a / v1))


def draw_variance(k, b, hyperprior, beta, xi, rng):
    """Draw ``v`` from ``v^{-k} exp(-b/v) pi(v)`` (see the module docstring).

    Parameters
    ----------
    k : float
        Exponent collected from the terms the variance governs.
    b : ndarray
        Rate collected from them (one per chain, or per chain and feature).
    hyperprior : {"HalfCauchy", "HalfNormal"}
        Prior of ``sqrt(v)``.
    beta : float
        Its scale.
    xi : ndarray or None
        The half-Cauchy's auxiliary variable (ignored for half-normal).

    Returns
    -------
    v, xi : ndarray
        The new variance and the new auxiliary variable (None for half-normal).
    """
    if hyperprior == "HalfCauchy":
        v = draw_inverse_gamma(k + 0.5, b + 1.0 / xi, rng)
        xi = draw_inverse_gamma(1.0, 1.0 / v + 1.0 / beta**2, rng)
        return v, xi
    return _draw_halfnormal_variance(k, b, beta, rng), None


def _draw_halfnormal_variance(k, b, beta, rng):
    b = np.asarray(b, dtype=float)
    shape = k - 0.5
    v = np.empty_like(b)
    todo = np.ones(b.shape, dtype=bool)
    if shape > 0:
        for _ in range(_MAX_REJECTION_ROUNDS):
            proposal = draw_inverse_gamma(shape, b[todo], rng)
            accept = rng.random(proposal.shape) < np.exp(-proposal / (2.0 * beta**2))
            idx = np.flatnonzero(todo)[accept]
            v.flat[idx] = proposal[accept]
            todo.flat[idx] = False
            if not todo.any():
                return v
    # GIG(lambda=-shape, chi=2b, psi=1/beta^2): v = sqrt(chi/psi) * geninvgauss(lambda, sqrt(chi psi))
    degenerate = todo & (b <= 0)  # b = 0 (e.g. n = 1: no residual): Gamma(-shape, rate 1/(2 beta^2))
    if degenerate.any():
        if shape >= 0:
            raise ValueError("improper conditional: no data informs this variance")
        v[degenerate] = rng.gamma(-shape, 2.0 * beta**2, size=int(degenerate.sum()))
        todo &= ~degenerate
    if todo.any():
        chi, psi = 2.0 * b[todo], 1.0 / beta**2
        v[todo] = np.sqrt(chi / psi) * stats.geninvgauss.rvs(
            -shape, np.sqrt(chi * psi), random_state=rng
        )
    return v


def draw_horseshoe_local_precision(m, rng):
    r"""Exact draws of :math:`\eta = 1/\lambda^2` given :math:`m = w^2 / (2\tau^2)`.

    With :math:`\lambda \sim C^+(0, 1)` and :math:`w \mid \lambda \sim N(0, \lambda^2\tau^2)`,

    .. math::

        p(\eta \mid m) \propto \frac{e^{-m\eta}}{1 + \eta}, \qquad
        F(x) = 1 - \frac{E_1(m(1 + x))}{E_1(m)}

    (no auxiliary variable, unlike Makalic & Schmidt's, so one fewer Gibbs lag).
    For ``m > 1``: ``Exp(m)`` proposals accepted with probability ``1/(1+eta)``
    (acceptance above 0.59); otherwise the inverse CDF, solving
    :math:`\log E_1(z) = \log(1-u) + \log E_1(m)` by Newton's method from
    :math:`z = m` (monotone: :math:`\log E_1` is convex and decreasing).
    """
    m = np.asarray(m, dtype=float)
    flat, out = m.ravel(), np.empty(m.size)
    todo = np.flatnonzero(flat > 1.0)
    while todo.size:
        proposal = rng.exponential(1.0 / flat[todo])
        accept = rng.random(todo.size) < 1.0 / (1.0 + proposal)
        out[todo[accept]] = proposal[accept]
        todo = todo[~accept]
    small = np.flatnonzero(flat <= 1.0)
    if small.size:
        ms = flat[small]
        target = np.log1p(-rng.random(small.size)) + np.log(special.exp1(ms))
        z = ms.copy()
        active = np.arange(z.size)
        for _ in range(_NEWTON_STEPS):  # only the entries not yet converged
            za = z[active]
            e1 = special.exp1(za)
            step = (np.log(e1) - target[active]) * za * e1 * np.exp(za)
            z[active] = za + step
            active = active[np.abs(step) > 1e-12 * za]
            if not active.size:
                break
        out[small] = (z - ms) / ms
    return out.reshape(m.shape)
