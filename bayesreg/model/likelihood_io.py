"""A regressor's ``likelihood`` parameter as plain data, and back (save/load).

Importable from :mod:`bayesreg.model.likelihoods` as well.
"""

from __future__ import annotations

import dataclasses

from .likelihood_base import _registry

__all__ = ["likelihood_from_dict", "likelihood_to_dict"]


def likelihood_to_dict(likelihood):
    """A regressor's ``likelihood`` parameter as plain data (for saving).

    A name stays a name; an object becomes ``{"type": "StudentT", "df": 4.0}``,
    with hyperpriors nested as :func:`~bayesreg.model.registry.prior_to_dict` writes them.
    """
    from .registry import prior_to_dict

    if isinstance(likelihood, str):
        return likelihood
    if type(likelihood).__name__ not in _classes() or not dataclasses.is_dataclass(likelihood):
        raise TypeError(f"not a bayesreg likelihood: {likelihood!r}")
    out = {"type": type(likelihood).__name__}
    for field in dataclasses.fields(likelihood):
        value = getattr(likelihood, field.name)
        out[field.name] = value if _is_plain(value) else prior_to_dict(value)
    return out


def likelihood_from_dict(data):
    """Rebuild :func:`likelihood_to_dict` output; only bayesreg's own classes."""
    from .registry import family_from_dict

    if isinstance(data, str):
        return data
    return family_from_dict(data, _classes(), "likelihood")


def _is_plain(value):
    return value is None or isinstance(value, (bool, int, float, str))


def _classes():
    return {type(lik).__name__: type(lik) for lik in _registry().values()}
