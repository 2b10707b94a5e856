"""Every prior family, found from the classes, and priors as plain data (for saving).

A family is added by writing its class in a module of :mod:`bayesreg.model`:
the registry imports every module of the package before it lists the
subclasses of :class:`~bayesreg.model.priors.Prior` and
:class:`~bayesreg.model.hyperpriors.Hyperprior`, so nothing else names the new
family (see the docs page "Adding a prior").
"""

from __future__ import annotations

import dataclasses
import functools
import importlib
import pkgutil

from .hyperpriors import Hyperprior
from .prior_base import Prior

__all__ = ["family_from_dict", "import_family_modules", "prior_classes", "prior_families", "prior_from_dict", "prior_to_dict"]


@functools.cache
def import_family_modules():
    """Import every module of bayesreg.model once, so each family class is defined."""
    package = importlib.import_module(__package__)
    for module in pkgutil.iter_modules(package.__path__):
        importlib.import_module(f"{__package__}.{module.name}")


def _subclasses(base):
    import_family_modules()
    found, todo = [], list(base.__subclasses__())
    while todo:
        cls = todo.pop(0)
        found.append(cls)
        todo.extend(cls.__subclasses__())
    return found


def prior_classes():
    """Every concrete prior and hyperprior class by name, from the class hierarchy."""
    return {cls.__name__: cls for cls in _subclasses(Prior) + _subclasses(Hyperprior)
            if dataclasses.is_dataclass(cls)}




def prior_families(map_only=True):
    """The coefficient-prior families the widgets offer, by :attr:`Prior.kind`, in definition order.

    A family is offered when its class sets ``kind``; with ``map_only`` (the
    default: the views that show the MAP beside the posterior) only if it also
    has a MAP. ``map_only=False`` adds the posterior-only families (the
    horseshoe-type priors), which the prior-scale explorer shows without a MAP.
    """
    return {cls.kind: cls for cls in _subclasses(Prior)
            if cls.kind and (cls.has_map or not map_only)}


def prior_to_dict(prior):
    """A prior as nested plain data: ``{"type": "Laplace", "scale": 1.0}``."""
    if type(prior).__name__ not in prior_classes():
        raise TypeError(f"not a bayesreg prior: {prior!r}")
    out = {"type": type(prior).__name__}
    for field in dataclasses.fields(prior):
        value = getattr(prior, field.name)
        out[field.name] = prior_to_dict(value) if isinstance(value, (Prior, Hyperprior)) else value
    return out


def prior_from_dict(data):
    """Rebuild a prior from :func:`prior_to_dict` output; only bayesreg's own classes."""
    return family_from_dict(data, prior_classes(), "prior")


def family_from_dict(data, classes, what):
    """Rebuild ``{"type": name, field: value, ...}`` as ``classes[name](...)``.

    Only the classes given (bayesreg's own families); nested dicts are priors or
    hyperpriors (:func:`prior_from_dict`). ``what`` names the kind in the errors.
    """
    if not isinstance(data, dict) or data.get("type") not in classes:
        raise ValueError(f"not a saved bayesreg {what}: {data!r}")
    cls = classes[data["type"]]
    names = {field.name for field in dataclasses.fields(cls)}
    kwargs = {}
    for key, value in data.items():
        if key == "type":
            continue
        if key not in names:
            raise ValueError(f"unknown parameter {key!r} for {cls.__name__} in a saved {what}")
        kwargs[key] = prior_from_dict(value) if isinstance(value, dict) else value
    return cls(**kwargs)
