r"""glmnet's convention of the penalty (``to_penalty(..., convention="glmnet")``).

glmnet (``family="gaussian"``, ``standardize=FALSE``) is *not*
scikit-learn's objective with the same numbers: it divides y by its standard
deviation :math:`d = \mathrm{sd}_n(y)` (divisor n), fits :math:`y/d` with the
penalty strength :math:`\lambda/d`, and multiplies the coefficients by
:math:`d`.  Substituting :math:`w/d` into its objective and multiplying by
:math:`d^2`, it minimises, on the original scale,

.. math::

    \frac{1}{2n}\lVert y - b_0 - Xw\rVert^2 + \lambda a_g \lVert w\rVert_1
        + \frac{\lambda(1-a_g)}{2d}\lVert w\rVert_2^2

(:math:`a_g` is glmnet's ``alpha``): the L1 weight is :math:`\lambda a_g`, the L2
weight :math:`\lambda(1-a_g)/d`.  Matching with scikit-learn's form
(:mod:`bayesreg.model.mapping`), :math:`\lambda a_g = \sigma^2 a/n` and
:math:`\lambda(1-a_g)/d = \sigma^2 b/n`, so

.. math::

    \lambda = \frac{\sigma^2}{n}(a + d\,b), \qquad a_g = \frac{a}{a + d\,b}.

Only the lasso (:math:`b = 0`) is free of :math:`d`; there :math:`\lambda` is
scikit-learn's ``alpha``.  So glmnet's lambda is not on the scale of the
standardised y either: its largest useful value is
:math:`\lambda_{\max} = \max_j |x_j^\top(y - \bar y)| / (n a_g)`, in the units of y.
``to_penalty``/``from_penalty`` therefore need ``y_sd`` = :math:`d`
(``numpy.std(y)``, not R's ``sd(y)``) for a glmnet Gaussian penalty with an L2
part.  With ``standardize=TRUE`` glmnet also rescales the columns of X: this
mapping assumes ``standardize=FALSE``.

glmnet ``family="binomial"`` does not rescale y: it minimises
:math:`-\frac1n\log L + \lambda\bigl(a_g\lVert w\rVert_1 + \frac{1-a_g}2\lVert w\rVert^2\bigr)`,
so :math:`\lambda = (a + b)/n = 1/(nC)` and :math:`a_g = \rho`.  Both are the
same rule with :math:`d = 1` for a likelihood whose y glmnet does not
standardise (:attr:`~bayesreg.model.likelihoods.Likelihood.glmnet_standardizes_y`).
"""

from __future__ import annotations


from ._checks import check_positive_number

__all__ = ["check_y_sd", "glmnet_penalty", "glmnet_weights"]


def check_y_sd(y_sd, likelihood, convention, needed):
    """``sd_n(y)``, which only glmnet's penalty of a y-standardising family with an L2 part needs."""
    if y_sd is not None and not (likelihood.glmnet_standardizes_y and convention == "glmnet"):
        raise ValueError(
            "y_sd only enters glmnet's Gaussian convention (glmnet standardises y); "
            f"leave it as None for likelihood={likelihood.name!r}, convention={convention!r}."
        )
    if y_sd is None:
        if needed:
            raise ValueError(
                "y_sd is required for glmnet's Gaussian penalty with an L2 part: glmnet "
                "standardises y, so its L2 weight is lambda*(1-alpha)/sd(y). Pass "
                "y_sd=numpy.std(y) (divisor n, not R's sd(y)) of the y given to glmnet."
            )
        return None
    return check_positive_number(y_sd, "y_sd (numpy.std(y) of a non-constant y)",
                                 "to_penalty/from_penalty")


def glmnet_weights(weights, y_sd):
    r"""The penalty weights glmnet sees: :math:`(a, d\,b)` (:math:`d` = ``y_sd``, 1 if None)."""
    a, b = weights
    if y_sd is None:
        return a, b
    return a, (b * y_sd if b > 0 else 0.0)


def glmnet_penalty(weights, y_sd, strength, n, likelihood):
    r"""glmnet's ``lambda = total / n`` and ``alpha`` = :math:`a/(a + d b)`.

    ``strength`` is :func:`~bayesreg.model.mapping.penalty_strength` of
    :func:`glmnet_weights`.
    """
    alpha = strength.l1_ratio
    if y_sd is not None:
        a, b = weights
        # 1 / (1 + b sd / a) = a / (a + b sd), safe when b * sd underflows
        alpha = 1.0 / (1.0 + (b / a) * y_sd) if a > 0 and b > 0 else float(b == 0)
    return {"estimator": "glmnet", "family": likelihood.glmnet_family,
            "lambda": strength.total / n, "alpha": alpha}
