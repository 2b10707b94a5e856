"""The prior families the views offer, from the registry: names, labels and constructors.

Nothing here lists a family: the choices are
:func:`bayesreg.model.registry.prior_families` (every prior class that sets a
``kind`` and has a MAP), and each question about a family (its label, whether
it has an ``l1_ratio``, how to build it from the controls) is asked of its class.
"""

from __future__ import annotations

from ..model.priors import Prior
from ..model.registry import prior_classes, prior_families

__all__ = ["family_key", "family_of", "family_prior", "has_l1_ratio", "make_prior", "prior_form",
           "prior_kind", "prior_options"]


def _normalised(name):
    return str(name).lower().replace("-", "").replace("_", "").replace(" ", "")


def prior_options(posterior_only=False, one_coefficient=False):
    """``[(label, kind), ...]``: the choices of a prior dropdown, in the registry's order.

    ``posterior_only``: also the families without a MAP (the explorer shows their
    posterior alone).  ``one_coefficient``: only the families whose prior is one of
    each coefficient alone (not the g-prior, whose penalty is built from the design X).
    """
    return [(cls.label, kind) for kind, cls in prior_families(not posterior_only).items()
            if not (one_coefficient and cls.penalty_uses_data)]


def _choices_text(families):
    classes = "/".join(cls.__name__ for cls in families.values())
    return f"one of {sorted(families)} (or a {classes} prior)"


def prior_kind(prior, posterior_only=False):
    """The views' name of ``prior``'s family: its class's ``kind`` ("laplace", ...).

    ``prior`` is a family's kind or class name (case, "-", "_" and spaces
    ignored) or a prior instance of an offered family.  Anything else is a
    ValueError that names the valid choices; a prior without a MAP (the
    horseshoe) is refused with the reason: the views show the MAP beside the
    posterior; ``posterior_only=True`` (the explorer) accepts it.
    """
    families = prior_families(not posterior_only)
    if isinstance(prior, Prior):
        name = type(prior).__name__
    elif isinstance(prior, str):
        name = prior
    else:
        raise ValueError(f"prior must be {_choices_text(families)}, got {prior!r}.")
    key = _normalised(name)
    for kind, cls in families.items():
        if key in (_normalised(kind), _normalised(cls.__name__)):
            return kind
    message = f"prior must be {_choices_text(families)}, got {prior!r}."
    refused = {_normalised(cls_name): cls for cls_name, cls in prior_classes().items()}.get(key)
    if refused is not None and issubclass(refused, Prior) and not refused.has_map:
        message += (
            f" The {refused.__name__} prior is not offered because it has no MAP estimate (its "
            "density is infinite at 0, so the penalized objective has no finite minimum), "
            "and these views compare the MAP with the posterior. Sample it with "
            f"bayesreg.PosteriorRegressor(bayesreg.{refused.__name__}(...)) instead."
        )
    raise ValueError(message)


def prior_form(prior):
    """The form a view keeps from ``prior`` (``Prior.form``: its ``scale_by_sigma`` and relative
    per-feature scales), or None (today's scalar form) for a family's name."""
    form = prior.form if isinstance(prior, Prior) else None
    return None if form == (False, None) else form  # one key for today's form


def make_prior(kind, scale, l1_ratio=0.5, form=None):
    """The fixed-scale prior of family ``kind`` at ``scale`` (``l1_ratio`` where it has one).

    ``scale`` is the overall (reference) scale a slider moves; ``form`` (a
    :func:`prior_form`) keeps the flag ``scale_by_sigma`` and the relative
    per-feature scales around it (``Prior.in_form``).

    Parameters
    ----------
    kind : str or Prior
        A family as :func:`prior_kind` accepts it ("normal", "laplace", "elasticnet", ...).
    scale : float
    l1_ratio : float, default=0.5
        Used only by a family with an ``l1_ratio`` (the elastic net).
    form : tuple or None, default=None

    Returns
    -------
    Prior
    """
    return prior_families(False)[prior_kind(kind, True)].from_controls(scale, l1_ratio).in_form(form)


def has_l1_ratio(kind):
    """Whether the family ``kind`` has an ``l1_ratio`` control (asked of its class)."""
    return prior_families(False)[prior_kind(kind, True)].has_l1_ratio


def family_of(prior):
    """The views' cache key of ``prior``'s family (see :func:`family_key`)."""
    kind = prior_kind(prior, True)
    return family_key((kind, prior.l1_ratio if type(prior).has_l1_ratio else None,
                       prior_form(prior)))


def family_key(current):
    """The cache key of ``(kind, l1_ratio[, form])``: ``l1_ratio`` only where the family has one,
    ``form`` (:func:`prior_form`) only where it is not today's scalar form."""
    kind, l1_ratio, form = (tuple(current) + (None,))[:3]
    key = kind, (l1_ratio if has_l1_ratio(kind) else None)
    return key if form is None else key + (form,)


def family_prior(family, scale):
    """The prior of the family key ``family`` at the overall scale ``scale``."""
    kind, l1_ratio, form = (tuple(family) + (None,))[:3]
    return make_prior(kind, float(scale), 0.5 if l1_ratio is None else l1_ratio, form)
