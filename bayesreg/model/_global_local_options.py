r"""Two options of every horseshoe-type prior: per-feature multipliers and scaling by sigma.

Each family (:class:`~bayesreg.model.horseshoe.Horseshoe`, ``HorseshoePlus``,
``RegularizedHorseshoe``) writes its coefficients in a *unit form* :math:`u_j`
(e.g. the horseshoe's :math:`u_j \mid \lambda_j, \tau \sim N(0, \lambda_j^2\tau^2)`);
the two options multiply it:

.. math::

    w_j = \sigma^{[\text{scale\_by\_sigma}]}\, c_j\, u_j, \qquad
    \text{so for the horseshoe}\quad
    w_j \mid \lambda_j, \tau, \sigma \sim N(0,\ \sigma^2 c_j^2 \lambda_j^2 \tau^2).

* ``local_scale`` :math:`c_j` (a positive number, default 1, or one per
  feature): fixed multipliers of the local scales, :math:`\lambda_j c_j` with
  :math:`\lambda_j \sim C^+(0, 1)` is :math:`C^+(0, c_j)`. As for the other
  families' per-feature scales (:mod:`._per_feature`) the model is the unit
  form on the rescaled columns :math:`c_j x_j` (a linear change of variables):
  the Gibbs sampler samples that and multiplies the draws by :math:`c_j`. The
  global scale :math:`\tau` is learned, so there is no reference scale to
  normalise: the :math:`c_j` are used as given (:attr:`relative_scales`).
* ``scale_by_sigma=True``: the prior is on the coefficients in units of the
  noise, the form of Carvalho, Polson & Scott (2010) and of Makalic &
  Schmidt's bayesreg. At a fixed :math:`\sigma` it is the family with
  multipliers :math:`\sigma c_j` (:meth:`given_sigma`); docs/maths.md derives
  the Gibbs sampler's :math:`\sigma^2` conditional (it gains p terms).

In the PyMC model the multipliers are a ``pm.Data`` named ``"local_scale"``
(a number, or a vector for per-feature multipliers), so one compiled graph
serves every value, and the coefficients stay non-centred.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from ._per_feature import check_scale_or_vector
from .scales import check_positive_scale
from .sigma_scaling import NOISE_SCALE, check_scale_by_sigma_flag, require_sigma

__all__ = ["LocalScaleOptions", "global_local_options"]


class LocalScaleOptions:
    """What a horseshoe-type prior answers about ``local_scale`` and ``scale_by_sigma``."""

    __slots__ = ()

    @property
    def has_per_feature_scale(self):
        """True when the local scales have one fixed multiplier per feature."""
        return isinstance(self.local_scale, tuple)

    @property
    def local_scale_values(self):
        """The multipliers :math:`c_j` as a float array (one per feature), or the one number."""
        c = self.local_scale
        return np.asarray(c, dtype=float) if isinstance(c, tuple) else float(c)

    @property
    def relative_scales(self):
        """The multipliers :math:`c_j` (the columns are multiplied by them), or None when all are 1."""
        if not self.has_per_feature_scale and self.local_scale == 1.0:
            return None
        return np.asarray(self.local_scale_values)

    def at_reference_scale(self):
        """The unit form: the same family with every multiplier 1 (``scale_by_sigma`` kept)."""
        return dataclasses.replace(self, local_scale=1.0)

    def check_n_features(self, n_features, owner="fit"):
        """Raise a clear ValueError unless per-feature multipliers have one entry per feature."""
        if self.has_per_feature_scale and len(self.local_scale) != n_features:
            raise ValueError(
                f"{owner}: {type(self).__name__} has {len(self.local_scale)} per-feature local "
                f"scales but X has {n_features} features (columns); give exactly one local_scale "
                "per column of X."
            )

    def given_sigma(self, sigma):
        """The prior at the noise scale ``sigma``: itself, or (scaled by sigma) multipliers ``sigma * c``.

        Raises
        ------
        ValueError
            If ``sigma`` is None (a likelihood without a noise scale) for a prior scaled by sigma.
        """
        if not self.scale_by_sigma:
            return self
        require_sigma(self, sigma)
        c = self.local_scale
        scaled = np.asarray(c) * sigma if isinstance(c, tuple) else c * sigma
        return dataclasses.replace(self, local_scale=scaled, scale_by_sigma=False)

    def _options_data(self):
        """The ``pm.Data`` of the multipliers (see the module)."""
        return {"local_scale": self.local_scale_values}

    def _scaled_coefficients(self, unit, data):
        """``sigma * c * unit`` in a PyMC model (``sigma`` only when scaled by sigma)."""
        coef = unit * data["local_scale"]
        return coef * data[NOISE_SCALE] if self.scale_by_sigma else coef


def global_local_options(cls):
    """Class decorator: check ``local_scale`` and ``scale_by_sigma``; show them in ``repr`` when set.

    The dataclass fields themselves are declared by each family (keyword only,
    ``repr=False``), so every repr of the default form is unchanged and
    ``eval(repr(prior)) == prior``.
    """
    plain_repr, plain_post_init = cls.__repr__, cls.__post_init__
    owner = cls.__name__

    def __post_init__(self):
        plain_post_init(self)
        local = check_scale_or_vector(self.local_scale, owner,
                                      lambda v, o: check_positive_scale(v, "local_scale", o),
                                      name="local_scale")
        object.__setattr__(self, "local_scale", local)
        check_scale_by_sigma_flag(
            self, owner, "w_j | sigma ~ N(0, sigma^2 tau^2 lambda_j^2), the form of Carvalho et al. "
            "and Makalic & Schmidt")

    def __repr__(self):
        text = plain_repr(self)[:-1]
        if self.local_scale != 1.0:
            text += f", local_scale={self.local_scale!r}"
        if self.scale_by_sigma:
            text += ", scale_by_sigma=True"
        return text + ")"

    cls.__post_init__, cls.__repr__ = __post_init__, __repr__
    return cls
