r"""The posterior mean of y and its predictive sd at new rows, for any likelihood.

:math:`E[y \mid x, \text{data}] = E_s[m(\eta_s)]` with :math:`m` the likelihood's
mean and :math:`\eta_s` the linear predictor of draw :math:`s`, and

.. math::

    \operatorname{Var}[y \mid x, \text{data}] = \operatorname{Var}_s[m(\eta_s)]
        + E_s[v(m(\eta_s), \sigma_s)],

with :math:`v` the likelihood's ``noise_variance``, linear in the mean and in
:math:`\sigma^2` for every family here, so its posterior mean is :math:`v` at the
posterior means.  For the identity link (Gaussian) :math:`m(\eta) = \eta`, so
the mean needs only the posterior mean coefficients and the variance of
:math:`\eta` comes from their covariance (no draws x rows work at all).  For a
non-linear link (Poisson's :math:`e^\eta`) the mean of :math:`e^{\eta}` is not
:math:`e` to the mean, so both moments are computed over the draws a block of
rows at a time (:func:`~bayesreg.posterior._pointwise.linear_predictor_blocks`):
never a draws x rows array for all rows.
"""

from __future__ import annotations

import numpy as np

from ._pointwise import likelihood_at_draws, linear_predictor_variance

__all__ = ["predictive_moments"]


def predictive_moments(estimator, X, offset=None, return_std=False):
    """``y_mean`` (and ``y_std`` with ``return_std``) of a fitted posterior regressor at ``X``.

    Parameters
    ----------
    estimator : PosteriorRegressor
        Fitted; its ``_likelihood``, posterior draws and posterior means are read.
    X : ndarray of shape (n, p), validated
    offset : ndarray of shape (n,) or None
    return_std : bool
    """
    likelihood = estimator._likelihood
    posterior = estimator._posterior()  # not the whole idata_ (assembled on first access)
    intercept = estimator._draws("intercept") if "intercept" in posterior else 0.0
    if likelihood.identity_link and offset is None:
        y_mean = likelihood.mean(X @ estimator.coef_ + estimator.intercept_)  # eta itself
        mean_var = (linear_predictor_variance(estimator._draws("coef"), intercept, X)
                    if return_std else None)
    else:
        y_mean, mean_var = np.empty(X.shape[0]), np.empty(X.shape[0])
        for rows, eta in estimator._linear_predictor_blocks(X, offset):
            mean = likelihood.mean(eta)
            y_mean[rows] = mean.mean(axis=0)
            if return_std:
                mean_var[rows] = mean.var(axis=0)
    if not return_std:
        return y_mean
    sigma = estimator._draws("sigma") if "sigma" in posterior else estimator.sigma_
    # E_s of the noise variance: linear in the mean, and in sigma**2 where no other
    # parameter is learned (then at the root mean square sigma): exact
    likelihood = likelihood_at_draws(likelihood, posterior)
    noise_var = likelihood.mean_noise_variance(y_mean, sigma)
    return y_mean, np.sqrt(mean_var + noise_var)
