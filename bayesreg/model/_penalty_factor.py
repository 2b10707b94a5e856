r"""Per-feature scales in the libraries' terms: rescaled columns and glmnet's ``penalty.factor``.

**scikit-learn has no per-feature penalty**, but every prior here is a scale
family (:mod:`bayesreg.model._per_feature`): with :math:`c_j = s_j/s_{\mathrm{ref}}`
and :math:`w_j = c_j v_j`, the MAP under the per-feature prior is the MAP under
the scalar prior at :math:`s_{\mathrm{ref}}` on the columns :math:`c_j x_j`. So
``to_penalty`` returns the estimator and its ``alpha``/``C`` at
:math:`s_{\mathrm{ref}}` plus ``column_scale`` = :math:`c`: fit the estimator on
``X * column_scale`` and multiply its ``coef_`` by ``column_scale``.

**glmnet's** ``penalty.factor`` :math:`f_j` multiplies the whole penalty of
coefficient j, :math:`\lambda f_j \bigl(a_g|w_j| + \tfrac{1-a_g}{2}w_j^2\bigr)`
(the L2 part divided by :math:`d = \mathrm{sd}_n(y)` in the Gaussian family, as
in :mod:`._glmnet`), after glmnet rescales the factors to sum to p:
:math:`f_j \leftarrow p f_j / \sum_k f_k`. A prior with weights
:math:`(a_j, b_j)` is such a penalty only when :math:`a_j/(a_j + d b_j)` is the
same for every j; then :math:`f_j = (a_j + d b_j)/\overline{(a + d b)}` (they
sum to p) and :math:`\lambda = \frac{\sigma^2}{n}\overline{(a + d b)}`. For the
Laplace prior :math:`f_j = s_{\mathrm{ref}}/s_j`, for the Normal
:math:`f_j = (t_{\mathrm{ref}}/t_j)^2`, and glmnet's ``lambda`` is the scalar
prior's at :math:`s_{\mathrm{ref}}`. The elastic net with per-feature scales is
*not* such a penalty (a scale divides the L1 part by :math:`s_j` and the L2 part
by :math:`s_j^2`; a factor multiplies both alike), so glmnet has no
``penalty.factor`` for it, and ``from_penalty("glmnet", alpha strictly between 0
and 1, penalty_factor=...)`` has no per-feature-scale prior: both say so.

Inverting (``from_penalty("glmnet", ..., penalty_factor=f)``): the scalar prior of
``lambda`` and ``alpha`` gives :math:`s`; then :math:`s_j = s/f_j` (Laplace) or
:math:`t_j = t/\sqrt{f_j}` (Normal) with the rescaled :math:`f_j`.
"""

from __future__ import annotations

import numpy as np

__all__ = ["per_feature_penalty", "prior_from_penalty_factor"]


def per_feature_penalty(out, prior, *, convention, y_sd, likelihood):
    """Add ``column_scale`` (scikit-learn) or ``penalty_factor`` (glmnet) to ``to_penalty``'s ``out``.

    ``out`` is ``to_penalty`` of ``prior.at_reference_scale()``.
    """
    if convention != "glmnet":
        return {**out, "column_scale": prior.relative_scales}
    a, b = (np.broadcast_to(np.asarray(v, dtype=float), (len(prior.scale),)) for v in prior.penalty_weights)
    d = y_sd if (y_sd is not None and likelihood.glmnet_standardizes_y) else 1.0
    total = a + d * b
    share = a / total
    if not np.allclose(share, share[0], rtol=1e-12, atol=1e-15):
        raise ValueError(
            f"{prior!r} has no glmnet penalty.factor: glmnet's factor multiplies the L1 and L2 "
            "parts of a coefficient's penalty alike, while a per-feature elastic-net scale "
            "divides the L1 part by s_j and the L2 part by s_j**2. Use convention='sklearn' "
            "(its column_scale describes it exactly), or one scale for every feature."
        )
    return {**out, "penalty_factor": total / total.mean()}


def _check_penalty_factor(penalty_factor):
    try:
        factor = np.asarray(penalty_factor, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"penalty_factor must be a 1-D array of positive numbers, got {penalty_factor!r}.") from None
    if factor.ndim != 1 or factor.size == 0:
        raise ValueError(f"penalty_factor must be a non-empty 1-D array (one per feature), got shape {factor.shape}.")
    bad = np.flatnonzero(~(np.isfinite(factor) & (factor > 0)))
    if bad.size:
        raise ValueError(
            f"penalty_factor must be finite and > 0; entry {int(bad[0])} is {float(factor[bad[0]])!r}. "
            "A factor of 0 leaves that coefficient unpenalized (a flat, improper prior), which no "
            "finite prior scale is; give it a small positive factor (a nearly flat prior) instead."
        )
    return factor


def prior_from_penalty_factor(prior, penalty_factor, kind="glmnet"):
    """The per-feature prior of glmnet's ``penalty.factor`` on top of the scalar ``prior`` of its lambda."""
    if kind != "glmnet":
        raise TypeError(
            f"penalty_factor is glmnet's argument; {kind} has none (a per-feature prior maps onto "
            "scikit-learn through rescaled columns: to_penalty(...)['column_scale'])."
        )
    factor = _check_penalty_factor(penalty_factor)
    factor = factor * (factor.size / factor.sum())  # glmnet's own rescaling: the factors sum to p
    a, b = (float(v) for v in prior.penalty_weights)
    if a > 0 and b > 0:
        raise ValueError(
            f"glmnet's penalty.factor with 0 < alpha < 1 is no per-feature-scale prior: the factor "
            f"multiplies the L1 and L2 parts alike, a scale divides them by s_j and s_j**2 ({prior!r}). "
            "Per-feature scales map onto glmnet's lasso (alpha=1) and ridge (alpha=0) only."
        )
    power = 1.0 if a > 0 else 2.0  # penalty weight ~ scale^-1 (Laplace) or scale^-2 (Normal)
    return prior.with_scale(prior.scale / factor ** (1.0 / power))
