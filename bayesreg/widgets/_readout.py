"""The prior-scale explorer's penalty readout: a prior as a penalty, in every convention."""

from __future__ import annotations

import numpy as np

from ..model.likelihoods import get_likelihood
from ..model.mapping import to_penalty

__all__ = ["penalty_readout"]


def _g4(value):
    return f"{value:.4g}"


def _numbers_only(sklearn, glmnet, logistic):
    """The readout of a family that states no formulas: the numbers of each convention."""
    lines = []
    if sklearn is not None:
        params = ", ".join(f"{k} = {_g4(v)}" for k, v in sklearn.items()
                           if k != "estimator" and np.ndim(v) == 0)  # column_scale: its own line
        lines.append(f"{sklearn['estimator']} {params}")
    if glmnet is not None:
        lines.append(f"glmnet lambda = {_g4(glmnet['lambda'])}, alpha = {_g4(glmnet['alpha'])}")
    if logistic is not None and (sklearn is None or sklearn["estimator"] != logistic["estimator"]):
        lines.append(f"LogisticRegression C = {_g4(logistic['C'])}, "
                     f"l1_ratio = {_g4(logistic['l1_ratio'])}")
    return lines


def _glmnet(prior, likelihood, n_samples, sigma, y_sd):
    """glmnet's lambda and alpha for ``prior`` with ``likelihood``, or None where glmnet has no
    family (or no ``penalty.factor`` for the prior's per-feature scales: the elastic net)."""
    if not likelihood.glmnet_family:
        return None
    try:
        return to_penalty(prior, n_samples=n_samples, sigma=sigma, likelihood=likelihood,
                          convention="glmnet",
                          y_sd=y_sd if likelihood.glmnet_standardizes_y else None)
    except ValueError:
        if prior.has_per_feature_scale:  # said in _form_lines
            return None
        raise


def _vector(values):
    return "[" + ", ".join(_g4(v) for v in values) + "]"


def _form_lines(prior, sigma, sklearn, glmnet):
    """What the readout says of a prior scaled by sigma or with per-feature scales."""
    lines = []
    if prior.scale_by_sigma:
        s = prior.reference_scale
        lines.append(
            f"prior scaled by sigma: w_j | sigma ~ prior(sigma * s), at sigma = {_g4(sigma)} "
            f"today's prior at scale sigma * s = {_g4(sigma)} * {_g4(s)} = {_g4(sigma * s)} "
            "(the formulas below use that scale; no LogisticRegression form: it has no sigma)")
    if prior.has_per_feature_scale:
        line = (f"per-feature scales s_j = s c_j, s = {_g4(prior.reference_scale)}, "
                f"c = {_vector(prior.relative_scales)}: scikit-learn on the columns X_j * c_j, "
                "coef_j * c_j")
        if glmnet is not None and "penalty_factor" in glmnet:
            line += f"; glmnet penalty.factor = {_vector(glmnet['penalty_factor'])}"
        elif glmnet is None:
            line += ("; glmnet: no penalty.factor (it multiplies the L1 and L2 parts alike, a "
                     "per-feature elastic-net scale does not)")
        lines.append(line)
    return lines


def penalty_readout(prior, *, n_samples, sigma, y_sd, likelihood="gaussian"):
    r"""The penalty equal to ``prior`` in every convention, with the formulas.

    Every number is :func:`bayesreg.to_penalty`'s (itself
    :func:`bayesreg.model.mapping.penalty_strength`); the formula text is the
    prior's own (:meth:`bayesreg.model.priors.Prior.penalty_formulas`), so a
    new family brings its own readout.

    Parameters
    ----------
    prior : Prior
        A fixed-scale prior with a MAP (Normal, Laplace, ElasticNet...).
    n_samples : int
    sigma : float or None
        Noise scale of the likelihood (None for one without: Poisson, Bernoulli).
    y_sd : float
        ``numpy.std(y)`` (divisor n): glmnet standardises y, so its lambda
        for a prior with an L2 part depends on it.
    likelihood : str or Likelihood, default="gaussian"
        The model's likelihood: the scikit-learn and glmnet penalties are its
        own (None where no library fits the pair, e.g. a Student-t or a
        Poisson lasso), and the prior's formulas, written for least squares with
        glmnet's standardised y, are shown for the Gaussian likelihood only.

    Returns
    -------
    dict
        ``"sklearn"``: ``to_penalty(prior, n_samples=n, sigma=sigma)`` (Ridge,
        Lasso or ElasticNet and its ``alpha``); ``"glmnet"``: the glmnet
        ``lambda`` and ``alpha`` (gaussian family, ``standardize=FALSE``, on
        this y); ``"logistic"``: ``C`` of scikit-learn's LogisticRegression
        with the same prior on a logistic model (no sigma, no n);
        ``"formulas"``: one line of text per convention, the formula with the
        numbers put in.  For a prior that is not an L1/L2 penalty
        (``prior.is_convex`` False) the three conventions are None and the one
        line says so; for a penalty built from the data (``prior.penalty_uses_data``:
        the g-prior) they are None and the lines are the prior's own.
    """
    if prior.penalty_uses_data:  # the g-prior: a quadratic penalty built from X, not diagonal
        return {"sklearn": None, "glmnet": None, "logistic": None,
                "formulas": list(prior.penalty_formulas(n_samples=n_samples, sigma=sigma,
                                                        y_sd=y_sd, sklearn=None, glmnet=None,
                                                        logistic=None))}
    if not prior.is_convex:  # e.g. a Student-t prior: its MAP has no lambda/alpha anywhere
        line = (f"no scikit-learn or glmnet penalty equals {prior!r}: its penalty is not "
                "L1/L2 (the MAP is found by majorize-minimize)")
        return {"sklearn": None, "glmnet": None, "logistic": None, "formulas": [line]}
    likelihood = get_likelihood(likelihood)
    sk = (to_penalty(prior, n_samples=n_samples, sigma=sigma, likelihood=likelihood)
          if likelihood.has_library_penalty(prior) else None)
    glm = _glmnet(prior, likelihood, n_samples, sigma, y_sd)
    # a prior scaled by sigma has no logistic form (Bernoulli has no sigma)
    logistic = None if prior.scale_by_sigma else to_penalty(prior, likelihood="bernoulli")
    header = _form_lines(prior, sigma, sk, glm)
    # the formulas of today's scalar prior with the same numbers: the prior at this sigma
    # (a prior scaled by sigma) at its reference scale (per-feature scales: the factors above)
    plain = prior.given_sigma(sigma).at_reference_scale() if header else prior
    lines = None
    # the prior's formulas are those of least squares with glmnet's standardised y
    if sk is not None and glm is not None and likelihood.glmnet_standardizes_y:
        plain_logistic = logistic if logistic is not None else to_penalty(plain,
                                                                          likelihood="bernoulli")
        lines = plain.penalty_formulas(n_samples=n_samples, sigma=sigma, y_sd=y_sd, sklearn=sk,
                                       glmnet=glm, logistic=plain_logistic)
        if lines is not None and logistic is None:  # not the prior's: drop it
            lines = [line for line in lines if not line.startswith("LogisticRegression")]
    if lines is None:
        lines = _numbers_only(sk, glm, logistic)
    return {"sklearn": sk, "glmnet": glm, "logistic": logistic, "formulas": header + list(lines)}
