r"""The Student-t likelihood's degrees of freedom :math:`\nu` learned with a Gamma prior.

Juarez & Steel (2010) put :math:`\nu \sim \mathrm{Gamma}(2, \text{rate } 0.1)` on it
(mean 20, mode 10; ``br.Gamma(2, 0.1)``). Three functions of :math:`\nu` serve
the samplers and the MAP:

* :func:`df_log_conditional`: the Gibbs full conditional of :math:`\nu` given the
  gamma weights :math:`u_i \sim \mathrm{Gamma}(\nu/2, \text{rate }\nu/2)` of the
  scale mixture,

  .. math::

      \log p(\nu \mid u) = n\left[\tfrac\nu2\log\tfrac\nu2 - \log\Gamma(\tfrac\nu2)\right]
          + \tfrac\nu2 \sum_i (\log u_i - u_i) + \log p(\nu) + \mathrm{const},

  log-concave for a Gamma prior with shape :math:`a \ge 1` (each term is);
* :func:`df_conditional_mode`: :math:`\arg\max_\nu \sum_i \log t_\nu(r_i/\sigma) + \log p(\nu)`,
  the MAP's update of :math:`\nu` at fixed coefficients and scale;
* :func:`df_and_scale_from_residuals`: the ``sigma=None`` rule of the MAP with a learned
  :math:`\nu` (the scale that makes the median absolute residual the noise's
  median, jointly with the :math:`\nu` that maximises the profile).
"""

from __future__ import annotations

import math

import numpy as np
from scipy import optimize, special, stats

__all__ = ["DF_BOUNDS", "df_and_scale_from_residuals", "df_conditional_mode", "df_log_conditional",
           "df_log_conditional_marginal"]

#: The interval searched for a mode of the degrees of freedom (wide: 0.01 is far
#: heavier-tailed than the Cauchy, 1e4 is the Gaussian to four digits).
DF_BOUNDS = (1e-2, 1e4)


def df_log_conditional(df, n, sum_log_u_minus_u, prior):
    r"""Log full conditional of :math:`\nu` given the weights, up to a constant.

    Parameters
    ----------
    df : float or ndarray
        Values of :math:`\nu` (``-inf`` where not > 0).
    n : int
        The number of weights.
    sum_log_u_minus_u : float
        :math:`\sum_i (\log u_i - u_i)`, all the weights enter through.
    prior : Gamma
        The prior of :math:`\nu` (its ``logpdf``).
    """
    df = np.asarray(df, dtype=float)
    positive = df > 0
    half = np.where(positive, 0.5 * df, 1.0)
    out = n * (half * np.log(half) - special.gammaln(half)) + half * sum_log_u_minus_u
    return np.where(positive, out + prior.logpdf(np.where(positive, df, 1.0)), -np.inf)


def df_log_conditional_marginal(df, standardized_resid, prior):
    r""":math:`\sum_i \log t_\nu(z_i) + \log p(\nu)`: the log conditional of :math:`\nu` given
    the coefficients and scale with the weights integrated out (up to a constant).

    ``z`` are the residuals over the scale; ``-inf`` where ``df`` is not > 0.
    """
    if not df > 0:
        return -np.inf
    z = np.asarray(standardized_resid, dtype=float)
    # sum_i log t_df(z_i), written out: scipy.stats.t.logpdf costs more per call than
    # the sum itself at the sizes of a Gibbs sweep's slice steps
    log_norm = special.gammaln(0.5 * (df + 1.0)) - special.gammaln(0.5 * df) - 0.5 * math.log(df * math.pi)
    loglik = z.size * log_norm - 0.5 * (df + 1.0) * float(np.sum(np.log1p(z * z / df)))
    return loglik + float(prior.logpdf(df))


def _maximise_over_log_df(objective):
    """``argmax`` of ``objective(df)`` over :data:`DF_BOUNDS`, searched on ``log df``."""
    lo, hi = np.log(DF_BOUNDS)
    result = optimize.minimize_scalar(lambda t: -objective(math.exp(t)), bounds=(lo, hi),
                                      method="bounded", options={"xatol": 1e-10})
    return math.exp(result.x)


def df_conditional_mode(standardized_resid, prior):
    r""":math:`\arg\max_\nu \sum_i \log t_\nu(z_i) + \log p(\nu)` for residuals :math:`z_i = r_i/\sigma`.

    The ``- n log(sigma)`` of the likelihood does not depend on :math:`\nu`, so
    this is the mode in :math:`\nu` of the log posterior at fixed coefficients
    and scale. A bounded 1-D search (``scipy.optimize.minimize_scalar``).
    """
    z = np.asarray(standardized_resid, dtype=float)
    return _maximise_over_log_df(lambda df: df_log_conditional_marginal(df, z, prior))


def _scale_at(df, median_abs):
    return median_abs / stats.t.ppf(0.75, df)


def df_and_scale_from_residuals(abs_resid, prior):
    r"""The pair :math:`(\hat\nu, \hat\sigma)` of the MAP's ``sigma=None`` rule with a learned ``df``.

    For each :math:`\nu` the robust scale :math:`\sigma(\nu) = \mathrm{median}|r_i| / t_\nu^{-1}(3/4)`
    (the rule of a fixed :math:`\nu`); :math:`\hat\nu` maximises
    :math:`\sum_i \log t_\nu(r_i; \sigma(\nu)) + \log p(\nu)` along that curve, and
    :math:`\hat\sigma = \sigma(\hat\nu)`. The scale is not maximised jointly
    with :math:`\nu` on purpose: that likelihood is unbounded as
    :math:`\sigma \to 0` when a residual is zero and :math:`\nu` small
    (Fernández & Steel 1999).
    """
    abs_resid = np.asarray(abs_resid, dtype=float)
    median_abs = float(np.median(abs_resid))
    if not median_abs > 0:
        return float(prior.mean), 0.0  # the caller floors a zero scale (and warns)

    def profile(df):
        scale = _scale_at(df, median_abs)
        return float(np.sum(stats.t.logpdf(abs_resid / scale, df)) - abs_resid.size * math.log(scale)
                     + prior.logpdf(df))

    df = _maximise_over_log_df(profile)
    return df, float(_scale_at(df, median_abs))
