"""The in-place lower Cholesky factor shared by the compiled Gibbs sweep and its independence step.

Written as numba loops (not ``numpy.linalg.cholesky``) because the callers are
``@njit`` kernels that factor a p x p matrix once per sweep, with p in the tens:
a call into LAPACK from there would cost more than the factorisation.
"""

from __future__ import annotations

import math

from numba import njit

__all__ = ["cholesky_in_place"]


@njit(cache=True)
def cholesky_in_place(a):
    """Overwrite the lower triangle of ``a`` with its lower Cholesky factor L (A = L L^T).

    Only the lower triangle of ``a`` is read (the upper one is left as it was).
    Returns False, leaving ``a`` part-factored, as soon as a pivot is not
    positive: ``a`` is not (numerically) positive definite.
    """
    p = a.shape[0]
    for j in range(p):
        s = a[j, j]
        for k in range(j):
            s -= a[j, k] ** 2
        if not s > 0.0:
            return False
        a[j, j] = math.sqrt(s)
        for i in range(j + 1, p):
            s = a[i, j]
            for k in range(j):
                s -= a[i, k] * a[j, k]
            a[i, j] = s / a[j, j]
    return True
