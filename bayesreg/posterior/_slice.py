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

import numpy as np

__all__ = ["slice_sample", "slice_sample_array"]


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


def slice_sample_array(log_density, x0, rng, width=1.0, max_steps=32):
    """One slice-sampling update of every entry of ``x0`` at once (independent targets).

    The same update as :func:`slice_sample`, entry by entry, for a
    ``log_density`` that maps an array of points to the array of their
    (separate) log densities: entry ``i`` of the result depends on entry ``i``
    of ``x0`` and of the evaluations only. Each loop evaluates the whole array
    and keeps the entries still stepping out or shrinking.

    Parameters
    ----------
    log_density : callable
        ``log f(x)`` entrywise, up to a constant per entry.
    x0 : numpy.ndarray
        The current points (every ``log f(x0)`` finite).
    rng : numpy.random.Generator
    width : float, default=1.0
    max_steps : int, default=32
    """
    x0 = np.asarray(x0, dtype=float)
    shape = x0.shape
    log_height = log_density(x0) - rng.exponential(size=shape)
    left = x0 - width * rng.uniform(size=shape)
    right = left + width
    steps_left = np.floor(max_steps * rng.uniform(size=shape))
    steps_right = max_steps - 1 - steps_left
    growing = (steps_left > 0) & (log_density(left) > log_height)
    while growing.any():
        left = np.where(growing, left - width, left)
        steps_left -= growing
        growing &= (steps_left > 0) & (log_density(left) > log_height)
    growing = (steps_right > 0) & (log_density(right) > log_height)
    while growing.any():
        right = np.where(growing, right + width, right)
        steps_right -= growing
        growing &= (steps_right > 0) & (log_density(right) > log_height)
    out = np.array(x0)
    pending = np.ones(shape, dtype=bool)
    while pending.any():
        x1 = left + (right - left) * rng.uniform(size=shape)
        inside = pending & (log_density(x1) > log_height)
        out[inside] = x1[inside]
        pending &= ~inside
        below = pending & (x1 < x0)
        left = np.where(below, x1, left)
        right = np.where(pending & ~below, x1, right)
    return out
