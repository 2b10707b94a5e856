r"""``standardize=True``: the prior on the coefficients of unit-sd columns, as glmnet does.

With ``standardize=True`` every entry point (the four estimators,
``map_path``, ``posterior_path``, ``choose_scale`` and the widgets) fits the
model on :math:`X / s`, where :math:`s_j` is the standard deviation of column
:math:`j` with divisor n (``numpy.std(X, axis=0)``, glmnet's), so the prior
applies to the coefficients :math:`w'_j` of the scaled columns.  Since

.. math:: b_0 + (X / s)\, w' = b_0 + X\, (w' / s),

everything is reported on the original scale: ``coef = w' / s`` (MAP
coefficients, every posterior draw of ``coef``), the intercept unchanged.
What belongs to the prior itself (the MAP ``penalty_``, a learned ``scale``
and its ``alpha``, the horseshoe's local scales) stays that of the
standardised problem.

A constant column (sd 0) is refused rather than given a zero coefficient as
glmnet does: dividing by its sd is undefined and its coefficient, with an
intercept, is not identified; the error names the column and says to drop it.

:class:`ColumnScaling` is the one place this happens; the entry points ask it
to scale X and to bring coefficients back.
"""

from __future__ import annotations

import numpy as np


__all__ = ["ColumnScaling"]


class ColumnScaling:
    """The column scales of ``standardize``: identity when False, the columns' sd when True.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features), float64, validated; or an object with ``column_sd``
        The training data (the scales are computed from it once), or a summary
        of them (SufficientStatistics; the first pass over Dask rows).
    standardize : bool
        Whether to divide the columns by their standard deviation.
    owner : str
        Who asks (the start of an error message).
    feature_names : sequence of str or None, default=None
        Column names for the error naming a constant column.

    Attributes
    ----------
    scales : ndarray of shape (n_features,) or None
        ``numpy.std(X, axis=0)`` (divisor n) when standardizing, else None.
    """

    def __init__(self, X, standardize, owner, feature_names=None):
        self.scales = None
        if not standardize:
            return
        # from SufficientStatistics (the centred diagonal of X'X) or a first pass over Dask
        # rows (RowsSummary): their column_sd; from rows: numpy's
        scales = X.column_sd if hasattr(X, "column_sd") else np.std(X, axis=0)
        constant = np.flatnonzero(~(scales > 0))
        if constant.size:
            j = int(constant[0])
            name = str(feature_names[j]) if feature_names is not None else f"column {j}"
            raise ValueError(
                f"{owner}: standardize=True divides each column by its standard deviation, "
                f"but {name!r} (index {j}) is constant (sd 0), so its coefficient is not "
                f"defined; {constant.size} constant column(s) in all. Drop the constant "
                "column(s) (the intercept already plays their part), or pass standardize=False."
            )
        self.scales = scales

    @property
    def active(self):
        """True when the columns are divided by their sd."""
        return self.scales is not None

    def transform(self, X):
        """``X / scales`` (X itself when not standardizing): the data the prior sees."""
        if self.scales is None:
            return X
        if hasattr(X, "scale_columns"):  # SufficientStatistics, or Dask rows for the Gibbs passes
            return X.scale_columns(1.0 / self.scales)
        return X / self.scales

    def to_original(self, coefs):
        """Coefficients of the scaled columns -> coefficients of X (last axis = features)."""
        return coefs if self.scales is None else np.asarray(coefs) / self.scales
