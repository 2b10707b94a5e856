"""Argument checks shared by the mapping and its inverse (:mod:`.mapping`, :mod:`._penalty_inverse`)."""

from __future__ import annotations

import numbers

from ._checks import check_positive_number

__all__ = ["check_n_samples", "check_sigma"]


def check_n_samples(n_samples, required):
    """``n_samples`` as an int >= 1; None allowed only where the convention does not scale by 1/n."""
    if n_samples is None:
        if required:
            raise ValueError(
                "n_samples is required: the penalty of this convention is scaled by 1/n."
            )
        return None
    if isinstance(n_samples, bool) or not isinstance(n_samples, numbers.Integral):
        raise TypeError(f"n_samples must be a positive integer, got {n_samples!r}.")
    if n_samples < 1:
        raise ValueError(f"n_samples must be a positive integer, got {n_samples!r}.")
    return int(n_samples)


def check_sigma(sigma, likelihood):
    """``sigma``: required (positive) for a likelihood with a noise scale, refused for one without."""
    if not likelihood.has_sigma:
        if sigma is not None:
            raise ValueError(
                f"sigma has no role in the {likelihood.label} likelihood; leave it as None."
            )
        return None
    if sigma is None:
        raise ValueError(
            f"sigma is required for the {likelihood.label} likelihood: alpha = sigma**2 * (...). "
            "Pass the noise standard deviation (e.g. a fitted MAPRegressor's sigma_)."
        )
    return check_positive_number(sigma, "sigma", "to_penalty/from_penalty")
