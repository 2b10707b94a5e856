"""CoefficientComparison: MAP vs posterior per coefficient, with the prior as a control."""

from __future__ import annotations

import threading
import time

import ipywidgets as widgets
import numpy as np

from ..workflow.compare import compare
from ..model._checks import check_bool
from ..plots.forest import plot_forest
from ._base import FigureView, describe_error, image_widget, message_html
from ._explorer_data import check_data, scale_key
from ._likelihood_choice import LIVE_SAMPLERS, check_likelihood, map_estimator, posterior_estimator
from ._live_worker import LatestWinsWorker
from ._prior_choice import has_l1_ratio, make_prior, prior_form, prior_kind, prior_options
from .._warnings import recording_warnings

__all__ = ["CoefficientComparison"]


class CoefficientComparison(widgets.VBox):
    """The forest plot of :func:`bayesreg.workflow.compare` with the prior and its scale as controls.

    Each setting fits :class:`bayesreg.MAPRegressor` and
    :class:`bayesreg.PosteriorRegressor` (by default ``sampler="auto"``: the
    exact sampler for a Normal prior with fixed ``sigma``, the Gibbs sampler
    for the Laplace, NUTS with its compiled model reused for the elastic net)
    in a background thread, so the notebook stays usable.  With the exact
    or Gibbs sampler both follow the slider live (tens of milliseconds on the
    diabetes data); the latest setting wins when the controls move during a
    fit (no queue of stale fits), and a fit for a setting the controls have
    left is never shown.  Results are cached per prior.  Coefficients with a teaching flag (the MAP is exactly zero
    while the posterior is away from zero, or the reverse) are highlighted
    by :func:`bayesreg.plots.plot_forest` and listed below it.

    Controls (:attr:`controls`): ``"prior"``, ``"scale"`` (log slider),
    ``"l1_ratio"``.  :attr:`state`: ``prior``, ``scale``, ``map_coef``,
    ``penalty`` (the MAP's scikit-learn equivalent), ``posterior_source``
    ("exact", "gibbs" or "sampled": NUTS or the seed posterior), ``table``
    (``Comparison.table``), ``flagged`` (feature -> flag) and
    ``comparison``; ``{"error": ...}`` for unusable input.  Call
    :meth:`wait` to block until the current fit has finished.

    Parameters
    ----------
    X, y : array-like
    prior : {"normal", "laplace", "elasticnet", "gprior", "studentt"}, default="laplace"
        Or an instance of such a family: its family, and its form, which
        every setting keeps: ``scale_by_sigma=True`` and per-feature scales (the
        slider moves the overall, reference, scale; the relative scales stay;
        one per column of X, else a ValueError).  Zellner's g-prior: the slider
        moves ``g``; its MAP is ``g/(1+g)`` times least squares (a ridge with the
        non-diagonal penalty ``w'Xc'Xc w / (2 g sigma^2)``, no library lambda) and
        its posterior is drawn exactly.  Anything else, the horseshoe family and
        the spike-and-slab included (they have no MAP), is a ValueError.
    sigma : float or None, default=None
        The likelihood's noise scale (None: estimated/learned; always None for
        a likelihood without one, Poisson or Bernoulli-logit).
    likelihood : str or Likelihood, default="gaussian"
        As :class:`bayesreg.MAPRegressor` takes it ("gaussian", "student_t",
        "laplace", "poisson" or an object), or "bernoulli" for two classes
        (:class:`bayesreg.MAPClassifier` and :class:`bayesreg.PosteriorClassifier`).
        Both fits follow the slider live where the prior and the likelihood
        have a Gibbs scheme (``posterior_source`` "gibbs"); Poisson is NUTS only.
    scale : float, default=1.0
    l1_ratio : float, default=0.5
    posterior : PosteriorRegressor, optional
        A fitted posterior on (X, y) to start the cache with.
    hdi_prob : float, default=0.94
    sampler, draws, tune, chains, random_seed
        Passed to PosteriorRegressor (``sampler="auto"``: the prior's first
        choice, see :meth:`bayesreg.model.priors.Prior.samplers`).  2 chains x
        1000 draws: the fewest chains for R-hat, and enough Gibbs draws for an
        ESS near 400 (see :mod:`bayesreg.widgets._live_posterior`).
    standardize : bool, default=False
        Passed to both models: True puts the prior on the coefficients of the
        columns divided by their sd (glmnet's default); coefficients are shown
        on X's scale.
    """

    def __init__(self, X, y, prior="laplace", sigma=None, *, scale=1.0, l1_ratio=0.5,
                 posterior=None, hdi_prob=0.94, sampler="auto", draws=1000, tune=500, chains=2,
                 random_seed=0, standardize=False, likelihood="gaussian"):
        self._form = prior_form(prior)  # scale_by_sigma and relative per-feature scales, kept
        prior = prior_kind(prior)  # a clear ValueError before any widget is built
        self.likelihood = check_likelihood(likelihood)
        super().__init__()
        self.add_class("bayesreg-comparison")
        self.state = {}
        self.controls = {}
        self.message = widgets.HTML()
        self.message.add_class("bayesreg-message")
        self.sigma, self.hdi_prob = sigma, hdi_prob
        # standardize: passed to both models (the prior on the coefficients of X / sd)
        self._sampling = {"sampler": sampler, "draws": draws, "tune": tune, "chains": chains,
                          "random_seed": random_seed, "standardize": standardize}
        self._cache = {}  # prior -> (state, png)
        self._seed_posterior = {}
        self._render_lock = threading.RLock()
        # one fit at a time; a setting made while one runs replaces the one waiting
        self._worker = LatestWinsWorker(name="bayesreg-comparison")
        try:
            check_bool(standardize, "standardize", "CoefficientComparison")
            self.sigma = self.likelihood.sigma_for(sigma, "CoefficientComparison")
            X_checked, y_checked, names = check_data(X, y)
            self.likelihood.check_target(y_checked, "CoefficientComparison")  # its clear refusal
            # the labels as given to a classifier (it keeps classes_); numbers as floats
            self.y = y if self.likelihood.is_classification else y_checked
            self.X = _as_frame(X_checked, names)
            # one scale per column, and a noise scale for a prior scaled by sigma
            self._check_form(make_prior(prior, 1.0, l1_ratio, self._form))
            if posterior is not None:
                self._seed_posterior[posterior.prior] = posterior
        except Exception as exc:
            self.state = {"error": describe_error(exc)}
            self.message.value = message_html(
                f"The comparison cannot use this data: {describe_error(exc)}")
            self.children = [self.message]
            return
        self._build(prior, scale, l1_ratio)
        self._request()

    def _build(self, prior, scale, l1_ratio):
        style = {"description_width": "80px"}
        self.controls = {
            "prior": widgets.Dropdown(options=prior_options(), value=prior,
                                      description="prior", style=style),
            "scale": widgets.FloatLogSlider(value=scale, base=10, min=-2, max=3, step=0.05,
                                            description="prior scale", readout_format=".3g",
                                            continuous_update=False, style=style,
                                            layout=widgets.Layout(width="480px")),
            "l1_ratio": widgets.FloatSlider(value=l1_ratio, min=0.0, max=1.0, step=0.05,
                                            description="l1_ratio", continuous_update=False,
                                            style=style),
        }
        for name, control in self.controls.items():
            control.add_class(f"bayesreg-{name.replace('_', '-')}")
            control.observe(lambda change: self._request(), names="value")
        self.image = image_widget("bayesreg-forest-figure")
        self._view = FigureView(figsize=(7.0, 4.2), reserve_right=0.08)
        self.status = widgets.HTML()
        self.status.add_class("bayesreg-status")
        self.flags = widgets.HTML()
        self.flags.add_class("bayesreg-flags")
        self.children = [widgets.HBox([self.controls["prior"], self.controls["l1_ratio"]]),
                         self.controls["scale"], self.status, self.image, self.flags,
                         self.message]

    # ---------------------------------------------------------------- fitting
    def _check_form(self, prior):
        prior.check_n_features(self.X.shape[1], "CoefficientComparison")
        if prior.scale_by_sigma and not self.likelihood.has_sigma:
            prior.given_sigma(None)  # its clear ValueError: no noise scale to scale by

    def _prior(self):
        return make_prior(self.controls["prior"].value, scale_key(self.controls["scale"].value),
                          self.controls["l1_ratio"].value, self._form)

    def _request(self):
        self.controls["l1_ratio"].layout.display = (
            None if has_l1_ratio(self.controls["prior"].value) else "none")
        try:
            prior = self._prior()
        except Exception as exc:
            self.message.value = message_html(describe_error(exc))
            return
        cached = self._cache.get(prior)
        if cached is not None:  # shown at once; a fit still running is then not shown
            self._display(prior, cached)
            return
        self.status.value = f"fitting MAP and posterior for {prior!r}..."
        self._worker.submit(lambda: self._fit_cached(prior),
                            lambda cached, error: self._done(prior, cached, error))

    def wait(self, timeout=None):
        """Block until no fit is running or waiting; True when idle."""
        return self._worker.wait(timeout)

    def _fit_cached(self, prior):
        cached = self._cache.get(prior)
        if cached is None:
            started = time.perf_counter()
            state, notes = self._fit(prior)
            # drawn in the worker only: one thread uses this figure
            png = self._view.redraw(lambda ax: plot_forest(state["comparison"], ax=ax))
            cached = (state, png, notes, time.perf_counter() - started)
            self._cache[prior] = cached
        return cached

    def _done(self, prior, cached, error):
        with self._render_lock:
            try:
                current = self._prior()
            except Exception:  # the controls hold a bad value: its message is shown already
                return
            if current != prior:
                return  # the controls moved on: this prior's result stays cached, unshown
            if error is not None:
                self.status.value = ""
                self.message.value = message_html(describe_error(error))
                return
            self._display(prior, cached)

    def _display(self, prior, cached):
        with self._render_lock:
            state, png, notes, seconds = cached
            self.image.value = png
            self.state = state
            self.status.value = (f"{prior!r}: MAP = {_penalty_text(state['penalty'], prior)}; "
                                 f"posterior by {state['sampler']} ({seconds:.2f} s)")
            self.flags.value = _flags_html(state["flagged"])
            self.message.value = message_html(" ".join(notes), "warning") if notes else ""

    def _fit(self, prior):
        options = self._sampling  # sampler="auto": exact for a Normal prior with fixed sigma
        with recording_warnings() as caught:
            map_model = map_estimator(prior, self.likelihood, self.sigma,
                                      options["standardize"]).fit(self.X, self.y)
            posterior = self._seed_posterior.get(prior)
            if posterior is None:
                posterior = posterior_estimator(prior, self.likelihood, self.sigma,
                                                progressbar=False, **options).fit(self.X, self.y)
            comparison = compare(map_model, posterior, hdi_prob=self.hdi_prob)
        table = comparison.table
        sampler = posterior.sampler_
        state = {
            "prior": prior, "scale": prior.control_scale, "map_coef": map_model.coef_,
            "likelihood": self.likelihood.name,
            "posterior_source": sampler if sampler in LIVE_SAMPLERS else "sampled",
            "penalty": map_model.penalty_, "table": table, "comparison": comparison,
            "flagged": {f: table.loc[f, "flag"] for f in table.index if table.loc[f, "flag"]},
            "sampler": posterior.sampler_,
        }
        notes = [str(w.message) for w in caught if issubclass(w.category, UserWarning)]
        return state, notes


def _as_frame(X, names):
    import pandas as pd

    return pd.DataFrame(X, columns=names)


def _penalty_text(penalty, prior=None):
    if penalty is None and prior is not None and prior.penalty_uses_data:
        # the g-prior: a ridge whose penalty is built from X (not diagonal): the prior says it
        return "; ".join(prior.penalty_formulas(n_samples=None, sigma=None, y_sd=None))
    if penalty is None:  # no library fits this prior with this likelihood
        return "its own penalty (no library equivalent)"
    params = ", ".join(f"{k}={v:.4g}" for k, v in penalty.items()
                       if k != "estimator" and np.ndim(v) == 0)
    text = f"{penalty['estimator']}({params})"
    if penalty.get("column_scale") is not None:  # per-feature scales: rescaled columns
        scales = ", ".join(f"{c:.3g}" for c in penalty["column_scale"])
        text += f" on the columns X_j * c_j, c = [{scales}] (coef_j * c_j)"
    return text


def _flags_html(flagged):
    if not flagged:
        return "<i>No coefficient flagged: MAP and posterior agree about zero.</i>"
    items = "".join(f"<li><b>{f}</b>: {flag}</li>" for f, flag in flagged.items())
    return f"<div>Flagged coefficients:<ul style='margin:2px 0'>{items}</ul></div>"

