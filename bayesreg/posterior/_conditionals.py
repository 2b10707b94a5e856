r"""Exact draws from the full conditionals the Gibbs sampler needs (numpy: the reference).

:mod:`._gibbs_kernel` draws from the same conditionals, compiled, and takes its
variates from the ``numpy.random.Generator`` in the same order as these
functions given one chain: for one chain the two produce the same numbers
(tests/test_gibbs_oracle.py). Each draw therefore takes its variates in blocks:
all of one kind for every entry, then the next kind.

Every conditional of a prior variance ``v`` (a squared scale) in these models
has the form

.. math::

    p(v \mid \cdot) \propto v^{-k} e^{-b/v} \, \pi(v),

where ``v^{-k} e^{-b/v}`` collects the Gaussian (or exponential) terms the
variance governs and ``pi`` is the prior of ``v`` implied by the hyperprior on
the scale ``sqrt(v)``; the hyperprior names its update
(:attr:`bayesreg.model.hyperpriors.Hyperprior.gibbs_variance_update`):

* ``"auxiliary_inverse_gamma"`` (half-Cauchy(beta)), via the auxiliary variable of
  Makalic & Schmidt (2016): ``v | xi ~ InvGamma(1/2, 1/xi)``, ``xi ~ InvGamma(1/2, 1/beta^2)``.
  Then ``v | xi, . ~ InvGamma(k + 1/2, b + 1/xi)`` and ``xi | v ~ InvGamma(1, 1/v + 1/beta^2)``.
* ``"rejection_inverse_gamma"`` (half-normal(beta)): ``pi(v) \propto v^{-1/2} e^{-v/(2 beta^2)}``,
  so the conditional is a generalised inverse Gaussian: an ``InvGamma(k - 1/2, b)``
  proposal accepted with probability ``exp(-v / (2 beta^2))`` (exact rejection
  sampling). Where 50 proposals are all rejected (far in the tails), or the
  proposal is improper (``k <= 1/2``), Metropolis steps on ``log v`` from the
  current value leave the same conditional invariant; with ``b = 0`` and
  ``k < 1/2`` the conditional is ``Gamma(1/2 - k, rate 1/(2 beta^2))``, drawn exactly.
* ``"conjugate_inverse_gamma"`` (``InverseGamma(a, beta)`` on ``v``, ``Gamma(a, beta)``
  on ``1/v``: the same law; Jeffreys' ``pi(v) \propto 1/v`` is ``a = beta = 0``):
  ``pi(v) \propto v^{-a-1} e^{-beta/v}``, so the conditional is ``InvGamma(k + a, b + beta)``,
  drawn exactly. Park & Casella's ``lambda^2 = 1/s^2 ~ Gamma(a, beta)`` under the
  exponential mixture (``k = p``, ``b = sum v_j / 2``) gives their
  ``lambda^2 | . ~ Gamma(a + p, beta + sum v_j / 2)``.
"""

from __future__ import annotations

import numpy as np

from ..model.hyperpriors import Hyperprior

__all__ = ["draw_half_cauchy_scale_of_scale", "draw_horseshoe_local_precision", "draw_inverse_gamma",
           "draw_laplace_variance", "draw_variance"]

MAX_REJECTION_ROUNDS = 50
METROPOLIS_STEPS = 20


def draw_inverse_gamma(shape, rate, rng):
    """``InvGamma(shape, rate)`` draws (density proportional to ``v^(-shape-1) exp(-rate/v)``)."""
    return rate / rng.standard_gamma(shape, size=np.shape(rate))


def laplace_variance_from(abs_coef, scale, z2, u):
    """The Laplace mixture's variance given the variates ``z2 = z^2`` and ``u`` (see below)."""
    a = scale * abs_coef
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        r = z2 * scale / (2.0 * abs_coef)
        v1 = a + 0.5 * z2 * scale**2 * (1.0 + np.sqrt(1.0 + 2.0 / r))
    v1 = np.where(z2 > 0, v1, a)  # z = 0: both roots are a
    return np.where(u * (v1 + a) < v1, v1, a * (a / v1))


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
    z2 = rng.standard_normal(abs_coef.shape) ** 2
    u = rng.random(abs_coef.shape)
    return laplace_variance_from(abs_coef, scale, z2, u)


def draw_variance(k, b, hyperprior, beta, xi, rng, current=None):
    """Draw ``v`` from ``v^{-k} exp(-b/v) pi(v)`` (see the module docstring).

    Parameters
    ----------
    k : float
        Exponent collected from the terms the variance governs.
    b : ndarray
        Rate collected from them (one per chain, or per chain and feature).
    hyperprior : Hyperprior or str
        Prior of ``sqrt(v)`` (or its class name, e.g. ``"HalfCauchy"``); it names its update.
    beta : float or tuple
        Its numbers (``Hyperprior.gibbs_parameters``): the scale of a half-Cauchy or
        half-normal, ``(a, b)`` of a Gamma or inverse gamma.
    xi : ndarray or None
        The auxiliary variable of the ``"auxiliary_inverse_gamma"`` update (else ignored).
    current : ndarray, optional
        The current ``v``, where a Metropolis fallback starts.

    Returns
    -------
    v, xi : ndarray
        The new variance and the new auxiliary variable (None where there is none).
    """
    if isinstance(hyperprior, str):
        cls = Hyperprior.class_named(hyperprior)
        hyperprior = cls(*beta) if isinstance(beta, tuple) else cls(beta)
    return VARIANCE_UPDATES[hyperprior.gibbs_variance_update](k, b, beta, xi, rng, current)


def _auxiliary_inverse_gamma(k, b, beta, xi, rng, current):
    v = draw_inverse_gamma(k + 0.5, b + 1.0 / xi, rng)
    xi = draw_inverse_gamma(1.0, 1.0 / v + 1.0 / beta**2, rng)
    return v, xi


def _rejection_inverse_gamma(k, b, beta, xi, rng, current):
    b = np.array(b, dtype=float, ndmin=1)
    shape = k - 0.5
    v = np.empty_like(b)
    todo = np.ones(b.shape, dtype=bool)
    if shape > 0:
        for _ in range(MAX_REJECTION_ROUNDS):
            proposal = draw_inverse_gamma(shape, b[todo], rng)
            accept = rng.random(proposal.shape) < np.exp(-proposal / (2.0 * beta**2))
            idx = np.flatnonzero(todo)[accept]
            v.flat[idx] = proposal[accept]
            todo.flat[idx] = False
            if not todo.any():
                return v, xi
    degenerate = todo & (b <= 0)  # b = 0 (e.g. n = 1: no residual): Gamma(-shape, rate 1/(2 beta^2))
    if degenerate.any():
        if shape >= 0:
            raise ValueError("improper conditional: no data informs this variance")
        v[degenerate] = 2.0 * beta**2 * rng.standard_gamma(-shape, size=int(degenerate.sum()))
        todo &= ~degenerate
    if todo.any():
        start = b[todo] / (k + 1.0) if current is None else np.broadcast_to(current, b.shape)[todo]
        v[todo] = metropolis_variance(k, b[todo], beta, start, rng)
    return v, xi


def _conjugate_inverse_gamma(k, b, beta, xi, rng, current):
    a, rate = beta
    shape = k + a
    if shape <= 0 or np.any(np.asarray(b) + rate <= 0):
        raise ValueError("improper conditional: no data informs this variance "
                         "(Jeffreys' prior needs a residual degree of freedom and a non-zero residual)")
    return draw_inverse_gamma(shape, np.asarray(b, dtype=float) + rate, rng), xi


def _log_halfnormal_variance_target(log_v, k, b, beta):
    v = np.exp(log_v)  # density of log v: v^-(k-1/2) exp(-b/v - v/(2 beta^2))
    return -(k - 0.5) * log_v - b / v - v / (2.0 * beta**2)


def metropolis_variance(k, b, beta, current, rng):
    """``METROPOLIS_STEPS`` random-walk steps on ``log v`` that keep the half-normal conditional."""
    log_v = np.log(current)
    step = 1.0 / np.sqrt(k + 1.0)
    logp = _log_halfnormal_variance_target(log_v, k, b, beta)
    for _ in range(METROPOLIS_STEPS):
        proposal = log_v + step * rng.standard_normal(log_v.shape)
        logq = _log_halfnormal_variance_target(proposal, k, b, beta)
        accept = np.log(rng.random(log_v.shape)) < logq - logp
        log_v, logp = np.where(accept, proposal, log_v), np.where(accept, logq, logp)
    return np.exp(log_v)


#: The variance updates by the name a hyperprior gives (``Hyperprior.gibbs_variance_update``).
VARIANCE_UPDATES = {
    "auxiliary_inverse_gamma": _auxiliary_inverse_gamma,
    "rejection_inverse_gamma": _rejection_inverse_gamma,
    "conjugate_inverse_gamma": _conjugate_inverse_gamma,
}


def draw_horseshoe_local_precision(m, rng):
    r"""Exact draws of :math:`\eta = 1/\lambda^2` given :math:`m = w^2 / (2\tau^2)`.

    With :math:`\lambda \sim C^+(0, 1)` and :math:`w \mid \lambda \sim N(0, \lambda^2\tau^2)`,

    .. math::

        p(\eta \mid m) \propto \frac{e^{-m\eta}}{1 + \eta}, \quad\text{i.e.}\quad
        t = 1 + \eta \text{ has density} \propto e^{-mt}/t \text{ on } t \ge 1

    (no auxiliary variable, unlike Makalic & Schmidt's, so one fewer Gibbs lag).
    Rejection from a two-piece envelope, with :math:`T = \max(1/m, 1)`: :math:`1/t`
    on :math:`[1, T]` (``t = T^u``, accepted with probability :math:`e^{-mt}`) and
    :math:`e^{-mt}/T` beyond (``t = T + Exp(m)``, accepted with probability
    :math:`T/t`), chosen in proportion to their masses :math:`\log T` and
    :math:`e^{-mT}/(mT)`. The acceptance rate is above 0.51 for every ``m``
    (for ``m > 1`` this is ``Exp(m)`` proposals accepted with probability ``1/(1+eta)``).
    Each round takes three uniforms per entry not yet accepted: all choices, then
    all proposals, then all acceptances (the compiled sweep's order).
    """
    m = np.maximum(np.asarray(m, dtype=float), 1e-300)  # w = 0 exactly: the prior's tail, not 1/0
    flat, out = m.ravel(), np.empty(m.size)
    edge = np.maximum(1.0 / flat, 1.0)
    log_edge, tail_mass = np.log(edge), np.exp(-flat * edge) / (flat * edge)
    todo = np.arange(flat.size)
    while todo.size:
        choice, u, a = rng.random(todo.size), rng.random(todo.size), rng.random(todo.size)
        mt, et, lt = flat[todo], edge[todo], log_edge[todo]
        first = choice * (lt + tail_mass[todo]) < lt
        eta = np.where(first, np.expm1(u * lt), (et - 1.0) - np.log1p(-u) / mt)
        ratio = np.where(first, np.exp(-mt * (1.0 + eta)), et / (1.0 + eta))
        accept = a < ratio
        out[todo[accept]] = eta[accept]
        todo = todo[~accept]
    return out.reshape(m.shape)


def draw_half_cauchy_scale_of_scale(local, rng):
    r"""Exact draws of :math:`E = \eta^2` given :math:`L = \lambda^2`, where
    :math:`\eta \sim C^+(0, 1)` and :math:`\lambda \mid \eta \sim C^+(0, \eta)` (the horseshoe+).

    .. math::

        p(\eta \mid \lambda) \propto \frac{1}{1 + \eta^2}\,\frac{1}{\eta (1 + \lambda^2/\eta^2)}
        \quad\Rightarrow\quad p(E \mid L) \propto \frac{1}{(1 + E)(E + L)}, \qquad
        F(x) = \frac{\log\bigl(L (1 + x) / (x + L)\bigr)}{\log L}

    (partial fractions), inverted in closed form: with :math:`\ell = \log L` and
    :math:`u \sim U(0, 1)`,

    .. math::

        E = F^{-1}(u) = L\,\frac{\operatorname{expm1}(u\ell)}{e^{u\ell}\,\operatorname{expm1}((1-u)\ell)},

    which tends to :math:`u / (1 - u)` as :math:`L \to 1` (density :math:`1/(1+E)^2`).
    One uniform per entry.
    """
    log_local = np.log(np.maximum(np.asarray(local, dtype=float), 1e-300))
    u = rng.random(log_local.shape)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        near_one = np.abs(log_local) < 1e-10
        safe = np.where(near_one, 1.0, log_local)
        # E = L expm1(u l) / (e^{u l} expm1((1 - u) l)), written as exp of logs where it can
        # overflow: L e^{-u l} = e^{(1 - u) l}
        ratio = np.expm1(u * safe) / np.expm1((1.0 - u) * safe)
        out = np.exp((1.0 - u) * safe) * ratio
    return np.where(near_one, u / (1.0 - u), out)
