r"""Per-feature prior scales: one scale :math:`s_j` per coefficient.

``Laplace(scale=np.array([...]))`` (also ``Normal`` and ``ElasticNet``) puts
:math:`w_j \sim \mathrm{Laplace}(s_j)`. The scales are stored as a tuple of
floats, so the prior stays immutable, hashable and comparable, and
``eval(repr(prior)) == prior``.

**The reference scale and the relative scales.**  A scale vector is read as a
*reference scale* :math:`s_{\mathrm{ref}}` times *relative scales*
:math:`c_j = s_j / s_{\mathrm{ref}}`. The reference is the power mean whose
penalty weight is the mean of the features' weights,
:math:`s_{\mathrm{ref}} = \bigl(\tfrac1p\sum_j s_j^{-k}\bigr)^{-1/k}` with
:math:`k` = :attr:`reference_power` (1 for the Laplace and the elastic net:
the harmonic mean; 2 for the Normal: :math:`1/t_{\mathrm{ref}}^2` is the mean of
:math:`1/t_j^2`). Then glmnet's ``penalty.factor`` of the prior,
:math:`c_j^{-k}`, sums to p, which is exactly the normalisation glmnet applies
to the factors it is given, and glmnet's ``lambda`` is that of the scalar prior
at :math:`s_{\mathrm{ref}}` (see :mod:`bayesreg.model.mapping`).

**A slider or a grid moves the reference scale.** ``with_scale(number)`` keeps
the relative scales and sets the reference: every :math:`s_j` is multiplied by
the same factor, as glmnet's ``lambda`` moves with its penalty factors fixed.
So ``map_path``, ``choose_scale`` and the explorer's slider work on the
reference scale; ``prior.with_scale(prior.reference_scale) == prior`` (up to
rounding) and ``with_scale`` is idempotent. ``with_scale(vector)`` replaces the
vector.

**Rescaled columns.** Every family here is a scale family,
:math:`p(w_j) = f(w_j/s_j)/s_j`, so with :math:`w_j = c_j v_j` the model
:math:`y \sim X w`, :math:`w_j \sim F(s_j)` is the model
:math:`y \sim \tilde X v`, :math:`v_j \sim F(s_{\mathrm{ref}})` on the columns
:math:`\tilde x_j = c_j x_j`: the penalty :math:`\mathrm{pen}_{s_j}(c_j v_j) =
\mathrm{pen}_{s_{\mathrm{ref}}}(v_j)`, and the Jacobian of the linear change of
variables is constant. The MAP solver and the Gibbs sampler use exactly this:
they solve (sample) the common-scale prior on the rescaled columns and
multiply the coefficients by :math:`c_j`.
"""

from __future__ import annotations

import dataclasses
import numbers

import numpy as np

from .scales import check_scale_vector

__all__ = ["PerFeatureScales", "check_scale_or_vector"]


def check_scale_or_vector(value, owner, check_scalar, name="scale"):
    """A per-feature scale vector (as a tuple), or ``check_scalar(value, owner)`` for anything else."""
    if isinstance(value, (list, tuple, np.ndarray)) and not np.ndim(value) == 0:
        return check_scale_vector(value, name, owner)
    if isinstance(value, np.ndarray):  # a 0-d array is a number
        value = value.item()
    return check_scalar(value, owner)


class PerFeatureScales:
    """What every prior answers about per-feature scales (a scalar-scale prior has none)."""

    __slots__ = ()

    #: k of the reference scale's power mean (``penalty weight ~ scale^-k``); see the module.
    reference_power = 1

    @property
    def has_per_feature_scale(self):
        """True when the prior has one fixed scale per feature (a scale vector)."""
        return isinstance(getattr(self, "scale", None), tuple)

    @property
    def scale_values(self):
        """The fixed scale as a number, or the per-feature scales as a float array."""
        scale = self.scale
        return np.asarray(scale, dtype=float) if isinstance(scale, tuple) else scale

    @property
    def reference_scale(self):
        """The scalar a slider or grid moves: the scale itself, or the power mean of the vector."""
        if not self.has_per_feature_scale:
            return self.scale
        k = self.reference_power
        return float(np.mean(self.scale_values ** -k) ** (-1.0 / k))

    @property
    def relative_scales(self):
        """:math:`c_j = s_j / s_{ref}` (an array), or None for a scalar scale."""
        if not self.has_per_feature_scale:
            return None
        return self.scale_values / self.reference_scale

    def at_reference_scale(self):
        """The same family with the one scalar scale :math:`s_{ref}` (itself for a scalar scale)."""
        if not self.has_per_feature_scale:
            return self
        return dataclasses.replace(self, scale=self.reference_scale)

    def _with_scale(self, scale):
        """``with_scale``: a number on a per-feature prior sets the reference scale (see the module)."""
        if self.has_per_feature_scale and isinstance(scale, numbers.Real) and not isinstance(scale, bool):
            return dataclasses.replace(self, scale=self.relative_scales * float(scale))
        return dataclasses.replace(self, scale=scale)

    @property
    def form(self):
        """What a view keeps while its controls move the scale or switch the family.

        ``(scale_by_sigma, relative scales as a tuple or None)``: hashable, so a
        view can key its caches on it. :meth:`in_form` puts another prior (or the
        same family at another scale) in this form.
        """
        relative = self.relative_scales
        return (bool(getattr(self, "scale_by_sigma", False)),
                None if relative is None else tuple(float(c) for c in relative))

    def in_form(self, form, owner="in_form"):
        """This prior at its reference scale, in ``form`` (another prior's :attr:`form`).

        The flag ``scale_by_sigma`` is set, and the relative scales :math:`c_j`
        are put around this prior's reference scale (renormalised to this
        family's power mean, so the reference scale, the number a slider shows,
        is unchanged). ``None`` or ``(False, None)`` is today's scalar form.

        Raises
        ------
        ValueError
            If the family has no ``scale_by_sigma`` or no per-feature scales.
        """
        if form is None:
            return self
        scale_by_sigma, relative = form
        names = {f.name for f in dataclasses.fields(self)}
        if scale_by_sigma and "scale_by_sigma" not in names:
            raise ValueError(
                f"{owner}: {type(self).__name__} has no form scaled by sigma (no scale_by_sigma "
                "field); choose a family that has one (Normal, Laplace, ElasticNet) or a prior "
                "with scale_by_sigma=False."
            )
        reference = self.reference_scale
        prior = self.at_reference_scale()
        if relative is not None:
            try:
                prior = dataclasses.replace(prior, scale=np.asarray(relative) * reference)
            except (TypeError, ValueError) as exc:
                raise ValueError(
                    f"{owner}: {type(self).__name__} takes no per-feature scales ({exc}); "
                    "choose a family that does (Normal, Laplace, ElasticNet) or one scale for "
                    "every feature."
                ) from None
            prior = prior.with_scale(reference)
        if "scale_by_sigma" in names and prior.scale_by_sigma != bool(scale_by_sigma):
            prior = dataclasses.replace(prior, scale_by_sigma=bool(scale_by_sigma))
        return prior

    def check_n_features(self, n_features, owner="fit"):
        """Raise a clear ValueError unless a per-feature scale has one entry per feature."""
        if self.has_per_feature_scale and len(self.scale) != n_features:
            raise ValueError(
                f"{owner}: {type(self).__name__} has {len(self.scale)} per-feature scales but X has "
                f"{n_features} features (columns); give exactly one scale per column of X."
            )
