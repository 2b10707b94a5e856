r"""Univariate slice sampling (Neal 2003, section 4): stepping out, then shrinkage.

One update leaves any density :math:`f` invariant: draw the height
:math:`y \sim U(0, f(x_0))`, find an interval around :math:`x_0` by stepping
out in steps of ``width`` (at most ``max_steps`` of them, split at random
between the two sides), then draw uniformly from it, shrinking it towards
:math:`x_0` after each point outside the slice :math:`\{x: f(x) > y\}`.  No
tuning and no rejection: every update moves.  The Gibbs sampler draws the
Student-t likelihood's degrees of freedom with it, on :math:`\log\nu`.
"""

from __future__ import annotations

import math

__all__ = ["slice_sample"]


def slice_sample(log_density, x0, rng, width=1.0, max_steps=32):
    """One slice-sampling update of a scalar; returns the new point.

    Parameters
    ----------
    log_density : callable
        ``log f(x)`` up to a constant (``-inf`` outside the support).
    x0 : float
        The current point (``log f(x0)`` finite).
    rng : numpy.random.Generator
    width : float, default=1.0
        The step of the stepping out (fixed: it must not depend on ``x0``).
    max_steps : int, default=32
        The most steps of width ``width`` the interval may grow by.
    """
    log_height = log_density(x0) - rng.exponential()
    left = x0 - width * rng.uniform()
    right = left + width
    steps_left = math.floor(max_steps * rng.uniform())
    steps_right = max_steps - 1 - steps_left
    while steps_left > 0 and log_density(left) > log_height:
        left -= width
        steps_left -= 1
    while steps_right > 0 and log_density(right) > log_height:
        right += width
        steps_right -= 1
    while True:
        x1 = left + (right - left) * rng.uniform()
        if log_density(x1) > log_height:
            return x1
        if x1 < x0:
            left = x1
        else:
            right = x1
