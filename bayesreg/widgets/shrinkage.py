"""ShrinkageDemo1D: one coefficient, its likelihood, prior and exact posterior."""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np

from ..plots.shrinkage import plot_one_coefficient, plot_shrinkage_curves
from ..teaching.shrinkage import one_coefficient_posterior, prior_variance, with_variance
from ..model.priors import Laplace, Normal
from ._base import FigureView, describe_error, image_widget, message_html
from ._prior_choice import has_l1_ratio, make_prior, prior_form, prior_kind, prior_options

__all__ = ["ShrinkageDemo1D"]


class ShrinkageDemo1D(widgets.VBox):
    r"""One coefficient, exactly: soft thresholding vs linear shrinkage in one picture.

    A coefficient with least-squares estimate ``z`` and standard error ``se``
    (a Gaussian likelihood) and a Normal, Laplace or elastic-net prior of
    scale ``scale``.  The left figure is
    :func:`bayesreg.plots.plot_one_coefficient` of
    :func:`bayesreg.teaching.shrinkage.one_coefficient_posterior`: likelihood, prior and
    posterior curves with the MAP, posterior mean and median marked.  The
    right figure is :func:`bayesreg.plots.plot_shrinkage_curves` for a Normal
    and a Laplace prior of the same variance as the chosen one, with the
    current ``z`` marked: the Laplace MAP is exactly 0 while
    :math:`|z| \le \mathrm{se}^2/s` (soft thresholding), the Normal MAP is
    :math:`z\,t^2/(t^2 + \mathrm{se}^2)` (linear shrinkage), and no posterior
    mean is ever exactly 0.

    Controls (:attr:`controls`): ``"estimate"`` (z), ``"se"`` (its standard
    error: the data's precision is ``1/se**2``), ``"scale"`` (log slider),
    ``"prior"`` and ``"l1_ratio"``.  :attr:`state` holds ``z``, ``se``,
    ``prior``, ``map``, ``mean``, ``median`` and ``sd`` (all exact).

    Parameters
    ----------
    z : float, default=1.5
    se : float, default=1.0
    prior : {"normal", "laplace", "elasticnet"}, default="laplace"
        Or a Normal/Laplace/ElasticNet instance (its family is used).  Anything
        else, the horseshoe included (it has no MAP), is a ValueError; so is a
        prior scaled by sigma (the one coefficient has a standard error ``se`` but
        no noise scale sigma to scale by: pass ``scale = sigma * s``) and one with
        per-feature scales (there is one coefficient: pass its scale).
    scale : float, default=1.0
    l1_ratio : float, default=0.5
    """

    def __init__(self, z=1.5, se=1.0, prior="laplace", scale=1.0, l1_ratio=0.5):
        _refuse_form(prior)
        prior = prior_kind(prior)  # a clear ValueError before any widget is built
        if make_prior(prior, 1.0).penalty_uses_data:
            raise ValueError(
                f"ShrinkageDemo1D shows one coefficient, and the {prior!r} prior is built from "
                "the design X (its penalty couples the coefficients through X'X), so it has no "
                "one-coefficient form. Explore it with PriorScaleExplorer(X, y, prior=...) or "
                "CoefficientComparison(X, y, prior=...).")
        super().__init__()
        self.add_class("bayesreg-shrinkage-demo")
        self.state = {}
        self.message = widgets.HTML()
        self.message.add_class("bayesreg-message")
        style = {"description_width": "110px"}
        width = widgets.Layout(width="420px")
        self.controls = {
            "estimate": widgets.FloatSlider(value=z, min=-6.0, max=6.0, step=0.05,
                                            description="estimate z", style=style, layout=width,
                                            continuous_update=False),
            "se": widgets.FloatLogSlider(value=se, base=10, min=-1, max=0.7, step=0.02,
                                         description="std. error se", style=style, layout=width,
                                         readout_format=".3g", continuous_update=False),
            "scale": widgets.FloatLogSlider(value=scale, base=10, min=-1.5, max=1.5, step=0.02,
                                            description="prior scale", style=style, layout=width,
                                            readout_format=".3g", continuous_update=False),
            "prior": widgets.Dropdown(options=prior_options(one_coefficient=True), value=prior,
                                      description="prior", style=style),
            "l1_ratio": widgets.FloatSlider(value=l1_ratio, min=0.0, max=1.0, step=0.05,
                                            description="l1_ratio", style=style,
                                            continuous_update=False),
        }
        for name, control in self.controls.items():
            control.add_class(f"bayesreg-{name.replace('_', '-')}")
            control.observe(self._on_change, names="value")
        self.posterior_image = image_widget("bayesreg-one-coefficient-figure")
        self.curves_image = image_widget("bayesreg-shrinkage-curves-figure")
        self._posterior_view = FigureView(figsize=(6.4, 3.8))
        self._curves_view = FigureView(figsize=(5.2, 3.8))
        self.children = [
            widgets.HBox([widgets.VBox([self.controls["estimate"], self.controls["se"],
                                        self.controls["scale"]]),
                          widgets.VBox([self.controls["prior"], self.controls["l1_ratio"]])]),
            widgets.HBox([self.posterior_image, self.curves_image]),
            self.message,
        ]
        self._update()

    def _on_change(self, change):
        self._update()

    def _prior(self):
        return make_prior(self.controls["prior"].value, self.controls["scale"].value,
                          self.controls["l1_ratio"].value)

    def _update(self):
        try:
            self.controls["l1_ratio"].layout.display = (
                None if has_l1_ratio(self.controls["prior"].value) else "none")
            z, se = self.controls["estimate"].value, self.controls["se"].value
            prior = self._prior()
            result = one_coefficient_posterior(z, se, prior)
            variance = prior_variance(prior)
            pair = (with_variance(Normal(scale=1.0), variance),
                    with_variance(Laplace(scale=1.0), variance))
            self.posterior_image.value = self._posterior_view.redraw(
                lambda ax: plot_one_coefficient(result, ax=ax))
            self.curves_image.value = self._curves_view.redraw(
                lambda ax: _curves_with_marker(se, pair, z, ax))
            self.state = {"z": z, "se": se, "prior": prior, "map": result.map,
                          "mean": result.mean, "median": result.median, "sd": result.sd,
                          "result": result}
            self.message.value = ""
        except Exception as exc:
            self.message.value = message_html(describe_error(exc))


def _refuse_form(prior):
    """One coefficient with a known ``se``: no sigma to scale by, no other features."""
    form = prior_form(prior)
    if form is None:
        return
    scaled_by_sigma, relative = form
    if scaled_by_sigma:
        raise ValueError(
            f"ShrinkageDemo1D shows one coefficient whose likelihood is given by its standard "
            f"error se, with no noise scale sigma, so {prior!r} (scaled by sigma) has no scale "
            "here. Pass the prior in today's form at scale = sigma * s (e.g. "
            f"{type(prior).__name__}(scale=sigma * s)); PriorScaleExplorer and "
            "CoefficientComparison take it as it is.")
    raise ValueError(
        f"ShrinkageDemo1D shows one coefficient, so {prior!r}'s per-feature scales have no "
        "meaning here. Pass the one scale of the coefficient you want to see (scale=s_j); "
        "PriorScaleExplorer and CoefficientComparison take per-feature scales.")


def _curves_with_marker(se, priors, z, ax):
    half_width = max(6.0, 5.0 * se)  # the whole range of the estimate slider
    plot_shrinkage_curves(se, priors=priors, estimates=np.linspace(-half_width, half_width, 241),
                          ax=ax)
    ax.axvline(z, color="0.3", lw=1.0, ls="-", alpha=0.6, zorder=0)
