r"""The exact translation between a prior scale and a library's penalty strength.

Derivation
----------
Write every fixed-scale prior's penalty as
:math:`\mathrm{pen}(w) = a\lVert w\rVert_1 + \tfrac b2 \lVert w\rVert_2^2`
(:attr:`~bayesreg.model.priors.Prior.penalty_weights`): Normal(t) has
:math:`(a, b) = (0, 1/t^2)`, Laplace(s) has :math:`(1/s, 0)` and
ElasticNet(s, r) has :math:`(r/s, (1-r)/s^2)`.

**Gaussian likelihood.**  The MAP minimises
:math:`\frac{1}{2\sigma^2}\lVert y - b_0 - Xw\rVert^2 + \mathrm{pen}(w)`.
Multiplying by :math:`\sigma^2/n` (which does not move the minimiser) gives
scikit-learn's ``ElasticNet`` objective

.. math::

    \frac{1}{2n}\lVert y - b_0 - Xw\rVert^2 + \alpha\rho \lVert w\rVert_1
        + \frac{\alpha(1-\rho)}{2}\lVert w\rVert_2^2
    \quad\text{with}\quad
    \alpha = \frac{\sigma^2}{n}(a + b), \qquad \rho = \frac{a}{a + b}.

So ``Lasso`` has :math:`\alpha = \sigma^2/(ns)` and the Normal prior, as an
``ElasticNet`` with :math:`\rho = 0`, has :math:`\alpha = \sigma^2/(nt^2)`.
``Ridge`` minimises :math:`\lVert y - b_0 - Xw\rVert^2 + \alpha\lVert w\rVert^2`
(no :math:`1/n`): multiplying by :math:`2\sigma^2` gives
:math:`\alpha_{\text{Ridge}} = \sigma^2 b = \sigma^2/t^2`.

**glmnet** standardises y (Gaussian family), so its L2 weight is divided by
:math:`\mathrm{sd}_n(y)`: :math:`\lambda = \frac{\sigma^2}{n}(a + d\,b)` and
:math:`a_g = a/(a + d\,b)`, derived in :mod:`bayesreg.model._glmnet`.

**Bernoulli-logit likelihood.**  The MAP minimises
:math:`\sum_i \log(1 + e^{-s_i\eta_i}) + \mathrm{pen}(w)`; scikit-learn's
``LogisticRegression`` minimises
:math:`C\sum_i \log(1 + e^{-s_i\eta_i}) + \rho\lVert w\rVert_1 + \frac{1-\rho}{2}\lVert w\rVert^2`.
Multiplying ours by :math:`C` and matching terms:

.. math::

    \frac1C = a + b, \qquad \rho = C a,

so :math:`C = t^2` (L2), :math:`C = s` (L1); glmnet's binomial
:math:`\lambda = (a + b)/n = 1/(nC)` and :math:`a_g = \rho`.  The mixing
weight is computed as :math:`a/(a + b)` (not :math:`Ca`), so it is exactly 1
for the Laplace prior and 0 for the Normal prior and the round trip gives back
the same family.

The noise scale enters only the Gaussian mapping, and linearly in
:math:`\sigma^2`: with a fixed ``sigma`` the mapping is exact; with an
estimated one it holds at the estimate.

**Priors scaled by sigma** (``scale_by_sigma=True``): today's prior at scale
:math:`\sigma s`, so :math:`\alpha = (\sigma a + b)/n`, :math:`\rho = \sigma a/(\sigma a + b)`
(:mod:`bayesreg.model.sigma_scaling`, docs/maths.md).

Every scale and ``sigma`` lies in :data:`bayesreg.model.priors.SCALE_RANGE`, so the
weights are finite; a mapped penalty can still overflow to ``inf`` (e.g.
:math:`\sigma^2/(ns)` with :math:`\sigma = 10^{150}` and :math:`s = 10^{-150}`),
which means "every coefficient is zero" and is returned as ``inf``, or
underflow to 0 (a vanishing penalty).  ``from_penalty`` refuses a penalty
whose prior scale would lie outside the range.

Inverting: given the weights :math:`(a, b)` back from a penalty, the prior is
Laplace when :math:`b = 0`, Normal when :math:`a = 0`, and otherwise the
elastic net with :math:`s = 2/(a + \sqrt{a^2 + 4b})` and :math:`r = a s`
(the positive root of :math:`b s^2 + a s - 1 = 0`).
"""

from __future__ import annotations

from typing import NamedTuple

from ._glmnet import check_y_sd, glmnet_penalty, glmnet_weights
from ._mapping_checks import check_n_samples, check_sigma
from ._penalty_factor import per_feature_penalty
from ._penalty_inverse import from_penalty
from .likelihoods import get_likelihood
from .priors import Prior
from .sigma_scaling import mapping_at_sigma

__all__ = ["PenaltyStrength", "from_penalty", "penalty_strength", "to_penalty"]

CONVENTIONS = ("sklearn", "glmnet")


class PenaltyStrength(NamedTuple):
    r"""The penalty of a prior in the libraries' form, for one likelihood.

    Divided by :math:`n/\phi` the MAP objective reads
    :math:`\mathrm{loss}/n + \frac{\text{total}}{n}\bigl(\rho\lVert w\rVert_1
    + \frac{1-\rho}{2}\lVert w\rVert_2^2\bigr)`, so every convention follows:
    scikit-learn's ``Lasso``/``ElasticNet`` ``alpha = total / n``, ``Ridge``
    ``alpha = total (1 - rho)``, ``LogisticRegression`` ``C = 1 / total``,
    glmnet binomial ``lambda = total / n``.
    """

    total: float  #: phi (a + b): n times the libraries' alpha/lambda, 1 / C
    l1_ratio: float  #: rho = a / (a + b), exactly 1 (0) when b (a) is 0


def penalty_strength(weights, dispersion):
    r"""The one formula from penalty weights to a penalty strength: :math:`\phi(a+b)` and :math:`a/(a+b)`.

    Parameters
    ----------
    weights : (float, float)
        The prior's :attr:`~bayesreg.model.priors.Prior.penalty_weights` ``(a, b)``
        (numbers, arrays or PyTensor variables alike).
    dispersion : float
        The likelihood's :meth:`~bayesreg.model.likelihoods.Likelihood.dispersion`
        :math:`\phi` (:math:`\sigma^2` for the Gaussian, 1 for the Bernoulli).

    Returns
    -------
    PenaltyStrength
    """
    a, b = weights
    total = a + b
    return PenaltyStrength(dispersion * total, a / total)


def _check_prior(prior):
    if not isinstance(prior, Prior):
        raise TypeError(
            f"prior must be a bayesreg prior such as Laplace(scale=1.0), got {prior!r}."
        )
    # raises the prior's own explanation for the horseshoe and for hyperpriors
    return prior.penalty_weights


def to_penalty(prior, *, n_samples=None, sigma=None, likelihood="gaussian", convention="sklearn",
               y_sd=None):
    """Translate a fixed-scale prior into a library's penalty parameters.

    See the module docstring for the derivation.

    Parameters
    ----------
    prior : Normal, Laplace or ElasticNet
        A prior with a fixed (numeric) scale.
    n_samples : int
        Number of observations ``n``.  Required for the Gaussian likelihood
        and for glmnet; the Bernoulli ``C`` does not depend on it.
    sigma : float
        Noise standard deviation (Gaussian likelihood only).
    likelihood : {"gaussian", "bernoulli"}, default="gaussian"
    convention : {"sklearn", "glmnet"}, default="sklearn"
        glmnet means ``glmnet(..., standardize=FALSE)`` in R.
    y_sd : float, optional
        ``numpy.std(y)`` (divisor n) of the y given to glmnet.  Required for
        the Gaussian glmnet convention when the prior has an L2 part (Normal,
        ElasticNet with ``l1_ratio < 1``), because glmnet standardises y;
        not allowed elsewhere.

    Returns
    -------
    dict
        For scikit-learn the estimator and its arguments:
        ``{"estimator": "Ridge", "alpha": ...}`` for the Normal prior,
        ``{"estimator": "Lasso", "alpha": ...}``,
        ``{"estimator": "ElasticNet", "alpha": ..., "l1_ratio": ...}``, or
        ``{"estimator": "LogisticRegression", "C": ..., "l1_ratio": ...}``.
        For glmnet ``{"estimator": "glmnet", "family": ..., "lambda": ..., "alpha": ...}``.
        A penalty too large for double precision is ``inf`` (all coefficients zero).
        A per-feature prior adds ``column_scale`` (scikit-learn) or ``penalty_factor``
        (glmnet, summing to p): :mod:`bayesreg.model._penalty_factor`.

    Examples
    --------
    >>> import bayesreg as br
    >>> br.to_penalty(br.Laplace(scale=0.5), n_samples=100, sigma=2.0)
    {'estimator': 'Lasso', 'alpha': 0.08}
    >>> br.to_penalty(br.Normal(scale=2.0), n_samples=100, sigma=2.0, convention="glmnet",
    ...               y_sd=10.0)
    {'estimator': 'glmnet', 'family': 'gaussian', 'lambda': 0.1, 'alpha': 0.0}
    """
    likelihood = get_likelihood(likelihood)
    prior, sigma = mapping_at_sigma(prior, sigma, likelihood)
    if convention not in CONVENTIONS:
        raise ValueError(f"convention must be one of {CONVENTIONS}, got {convention!r}.")
    _check_prior(prior)
    if prior.has_per_feature_scale:  # the reference scale's penalty, and the factors
        out = to_penalty(prior.at_reference_scale(), n_samples=n_samples, sigma=sigma,
                         likelihood=likelihood, convention=convention, y_sd=y_sd)
        return per_feature_penalty(out, prior, convention=convention, y_sd=y_sd, likelihood=likelihood)
    a, b = prior.penalty_weights
    sigma = check_sigma(sigma, likelihood)
    glmnet = convention == "glmnet"
    n = check_n_samples(n_samples, required=likelihood.has_sigma or glmnet)
    y_sd = check_y_sd(y_sd, likelihood, convention,
                      needed=b > 0 and likelihood.glmnet_standardizes_y and glmnet)
    dispersion = likelihood.dispersion(sigma)
    if glmnet:
        weights = glmnet_weights((a, b), y_sd)
        # b * y_sd may underflow to 0 (a Normal prior of a huge scale): a zero penalty
        strength = penalty_strength(weights, dispersion) if sum(weights) > 0 else PenaltyStrength(0.0, 0.0)
        return glmnet_penalty((a, b), y_sd, strength, n, likelihood)
    # the mixing weight as a / (a + b): exactly 1 (0) when b (a) is 0, so the
    # round trip through from_penalty gives back a Laplace (Normal) prior
    return likelihood.sklearn_penalty(prior, penalty_strength((a, b), dispersion), n)
