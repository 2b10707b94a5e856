"""PriorScaleExplorer: move the prior scale, watch the penalty, the MAP and the posterior."""

from __future__ import annotations

import math
import threading
import time

import ipywidgets as widgets

from .scale_explorer import ScaleExplorer
from ..model.priors import Prior
from ._base import BackgroundJob, FigureView, describe_error, image_widget, message_html
from ._explorer_figures import (
    POSTERIOR_TITLES, band_status_html, current_scale_artists, move_current_scale, plot_path,
    plot_posterior, readout_html,
)
from ._explorer_likelihood import LikelihoodViewMethods
from ._explorer_live_view import LiveViewMethods
from ._likelihood_choice import likelihood_options
from ._live_worker import LatestWinsWorker
from ._prior_choice import family_prior, has_l1_ratio, prior_options

__all__ = ["PriorScaleExplorer"]


class PriorScaleExplorer(LikelihoodViewMethods, LiveViewMethods, widgets.VBox):
    """A notebook view of a regression at any prior scale (ipywidgets 8).

    Controls (in :attr:`controls`): ``"scale"``, a log slider for the prior
    scale; ``"prior"``, the prior family; ``"likelihood"``, the likelihood
    (every one whose target check accepts y: Gaussian, Student-t, Laplace, and
    Poisson for counts, Bernoulli-logit for two classes; moving it refits the
    MAP, the path and the posterior); ``"l1_ratio"``, the elastic net's
    mixing; ``"sample"``, a button that samples the posterior at the current
    scale with nutpie in a background thread (the notebook stays usable; the
    compiled model is reused for every scale), shown only for priors without
    a live posterior.  Views: the penalty readout in every convention with its
    formula, the MAP path with the current scale marked and the posterior's
    HDI drawn as a band in each feature's colour wherever it is known
    (:meth:`ScaleExplorer.posterior_band`: at every scale of the grid for the
    exact and Gibbs posteriors, else error bars and a band over the sampled
    scales), and the posterior at the current scale as a forest plot, which
    ``state["posterior_source"]`` names:

    * ``"exact"``: Normal prior with a fixed ``sigma``, the closed form, at once;
    * ``"gibbs"``: a prior and likelihood with a Gibbs scheme (they say so:
      :meth:`bayesreg.model.priors.Prior.samplers`, the likelihood's Gibbs
      augmentation; today the Normal, Laplace and elastic-net priors with the Gaussian,
      Student-t, Laplace and Bernoulli-logit likelihoods, the horseshoe and horseshoe+
      with all but the Bernoulli-logit, whose refusal the note gives): drawn at each new scale in
      a background thread (2 chains x 1000 draws, tens of milliseconds; a move
      while a fit runs replaces the waiting request, and a fit for a scale the
      slider has left is never shown), with its diagnostics in the note; the
      band along the grid is drawn when the worker is idle, coarse first;
    * ``"sampled"`` / ``"reweighted"`` (other priors, or a NUTS ``sampler``
      named): the Sample button's posterior, or the nearest one reweighted by
      Pareto-smoothed importance sampling, with its Pareto k (flagged
      unreliable above 0.7).

    All computation is :class:`bayesreg.widgets.scale_explorer.ScaleExplorer`; the figures
    are :func:`bayesreg.plots.plot_regularization_path` and
    :func:`bayesreg.plots.plot_forest`.

    The explorer is an ``ipywidgets.VBox``: make it the last expression of a
    cell (or ``display(...)`` it) in JupyterLab, Notebook 7 or VS Code; it
    never displays itself.  Bad input shows a message inside the widget.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    y : array-like of shape (n_samples,)
    prior : str or Prior, default="laplace"
        The family ("normal", "laplace", "elasticnet", "gprior", "spikeandslab",
        "studentt", "horseshoe", "horseshoeplus", "regularizedhorseshoe": the
        registry's); an instance also
        gives the initial scale (and an ElasticNet its ``l1_ratio``) and the form the
        slider keeps: ``scale_by_sigma=True`` (the readout maps it at the
        explorer's sigma: the lasso's alpha is sigma / (n s)), and per-feature
        scales, of which the slider moves the overall (reference) scale while the
        relative scales stay (the readout gives scikit-learn's column scaling
        and glmnet's ``penalty.factor``). Switching the family keeps the form.
        A family without a MAP (``Prior.has_map`` False: the horseshoe family) is
        shown posterior only: the slider moves its ``control_scale`` (the global
        scale ``tau_0``), the readout says "the horseshoe has no MAP: posterior
        only" and no MAP line or marker is drawn (``state["map_coef"]`` is None).
        The spike-and-slab is shown so too (the slider moves its slab scale) and its
        live Gibbs posterior adds ``state["inclusion_probabilities"]`` (and their
        ESS, ``state["inclusion_ess"]``), listed in the readout.  Zellner's g-prior:
        the slider moves ``g``, the readout says no library lambda equals its
        non-diagonal penalty and gives its MAP (g/(1+g) times least squares), and its
        posterior is drawn live by its exact sampler (``posterior_source`` "exact").
    sigma : float or None, default=None
        Fixed noise sd; None estimates it for the MAP (and learns it when sampling).
        Ignored by a likelihood without a noise scale (Poisson, Bernoulli-logit).
    likelihood : str or Likelihood, default="gaussian"
        As :class:`bayesreg.MAPRegressor` takes it: "gaussian", "student_t",
        "laplace", "poisson", a Likelihood object (``br.StudentT(df=4)``), or
        "bernoulli" for two classes (then the MAP is :class:`bayesreg.MAPClassifier`'s).
        ``state["likelihood"]`` reports the one shown.
    exposure : None
        Not taken yet: a Poisson exposure/offset is refused with a message (the
        path and the posterior band are fitted without one).
    scale : float or None
        Initial prior scale; None starts in the middle of the slider (log scale).
    l1_ratio : float, default=0.5
    posterior : PosteriorRegressor, optional
        A fitted posterior on the same data to start the cache with.
    **explorer_kwargs
        Passed to :class:`~bayesreg.widgets.scale_explorer.ScaleExplorer` (``scale_range``,
        ``hdi_prob``, ``sampler``, ``draws``, ``tune``, ``chains``, ``random_seed``,
        ``live_chains``, ``live_draws``, ``live_tune``,
        ``standardize``: default False; True puts the prior on the coefficients of the
        columns divided by their sd, as glmnet, and still shows coefficients on X's scale).

    Attributes
    ----------
    controls : dict of ipywidgets
    state : dict
        The state at the current scale (see :meth:`ScaleExplorer.state`):
        ``scale``, ``prior``, ``likelihood`` (its name), ``alpha`` (the
        scikit-learn estimator's alpha),
        ``glmnet_lambda``, ``logistic_C``, ``penalties``, ``formulas``,
        ``map_coef``, ``map_intercept``, ``posterior`` (DataFrame or None),
        ``posterior_source``, ``khat``, ``reliable``, ``pending`` (a live fit is
        being drawn), ``diagnostics`` and ``sampling_warnings`` (live fits);
        ``{"error": ...}`` when
        the input was unusable.
    explorer : ScaleExplorer
        Of the likelihood shown (one per likelihood, each with its caches).
    path_axes : matplotlib.axes.Axes
        The axes of the path figure as last drawn (to inspect what is drawn).

    Examples
    --------
    >>> import bayesreg as br
    >>> from bayesreg.widgets import PriorScaleExplorer
    >>> X, y = br.datasets.load_diabetes()
    >>> view = PriorScaleExplorer(X, y, prior="laplace", sigma=54.0)
    >>> view.controls["scale"].value = 2.0
    >>> round(view.state["alpha"], 4)
    3.2986
    """

    def __init__(self, X, y, prior="laplace", sigma=None, *, scale=None, l1_ratio=0.5,
                 posterior=None, likelihood="gaussian", exposure=None, **explorer_kwargs):
        super().__init__()
        self.add_class("bayesreg-explorer")
        self.controls = {}
        self.state = {}
        self.message = widgets.HTML()
        self.message.add_class("bayesreg-message")
        self._render_lock = threading.RLock()
        self._restoring = False  # True while controls are put back after a rejected value
        self._job = BackgroundJob()  # the Sample button (nutpie)
        self._live = LatestWinsWorker(on_background_error=self._on_background_error)
        self._band_family = None  # the family whose live band the worker is drawing
        self._sample_seconds = {}
        if isinstance(prior, Prior) and type(prior).has_l1_ratio:
            l1_ratio = prior.l1_ratio  # an elastic-net instance brings its mixing
        # what another likelihood's explorer is built from (same data, slider and settings)
        self._data = (X, y, sigma, explorer_kwargs)
        try:
            self.explorer = ScaleExplorer(X, y, prior, sigma=sigma, l1_ratio=l1_ratio,
                                          posterior=posterior, likelihood=likelihood,
                                          exposure=exposure, **explorer_kwargs)
            self._explorers = {self.explorer.likelihood.name: self.explorer}
        except Exception as exc:  # bad input: say so inside the widget
            self.explorer = None
            self.state = {"error": describe_error(exc)}
            self.message.value = message_html(
                f"The explorer cannot use this data: {describe_error(exc)}")
            self.children = [self.message]
            return
        if scale is None and isinstance(prior, Prior) and not prior.is_hierarchical:
            scale = float(prior.control_scale)  # a Prior instance: start at its (overall) scale
        self._build(scale)
        self._update_all()

    # ---------------------------------------------------------------- layout
    def _build(self, scale):
        lo, hi = self.explorer.scale_range
        log_lo, log_hi = math.log10(lo), math.log10(hi)
        if scale is None:
            scale = 10 ** ((log_lo + log_hi) / 2)
        slider = widgets.FloatLogSlider(
            value=min(max(scale, lo), hi), base=10, min=log_lo, max=log_hi,
            step=(log_hi - log_lo) / 120, description="prior scale", readout_format=".3g",
            continuous_update=False, layout=widgets.Layout(width="520px"),
            style={"description_width": "80px"},
        )
        slider.add_class("bayesreg-scale")
        # every family, those without a MAP too (shown posterior only)
        kind = widgets.Dropdown(options=prior_options(posterior_only=True),
                                value=self.explorer.kind,
                                description="prior", style={"description_width": "80px"})
        kind.add_class("bayesreg-prior")
        likelihood = widgets.Dropdown(
            options=likelihood_options(self._data[1]), value=self.explorer.likelihood.name,
            description="likelihood", style={"description_width": "80px"})
        likelihood.add_class("bayesreg-likelihood")
        l1_ratio = widgets.FloatSlider(
            value=self.explorer.l1_ratio, min=0.0, max=1.0, step=0.05, description="l1_ratio",
            continuous_update=False, style={"description_width": "60px"},
        )
        l1_ratio.add_class("bayesreg-l1-ratio")
        sample = widgets.Button(description="Sample", icon="play",
                                tooltip="Sample the posterior at this scale (background)")
        sample.add_class("bayesreg-sample")
        self.controls = {"scale": slider, "prior": kind, "likelihood": likelihood,
                         "l1_ratio": l1_ratio, "sample": sample}

        self.readout = widgets.HTML()
        self.readout.add_class("bayesreg-penalty-readout")
        self.path_image = image_widget("bayesreg-path-figure")
        self.posterior_image = image_widget("bayesreg-posterior-figure")
        self._path_view = FigureView(figsize=(7.0, 4.0), reserve_right=0.04)
        self._path_drawn = None  # the (MAPPath, posterior band) now drawn in _path_view
        self._posterior_view = FigureView(figsize=(5.6, 4.0), reserve_right=0.06)
        self.posterior_note = widgets.HTML()
        self.posterior_note.add_class("bayesreg-posterior-note")
        self.progress = widgets.FloatProgress(value=0.0, min=0.0, max=1.0,
                                              layout=widgets.Layout(width="200px",
                                                                    visibility="hidden"))
        self.progress.add_class("bayesreg-progress")
        self.status = widgets.HTML()
        self.status.add_class("bayesreg-status")

        slider.observe(self._on_scale, names="value")
        kind.observe(self._on_family, names="value")
        l1_ratio.observe(self._on_family, names="value")
        likelihood.observe(self._on_likelihood, names="value")
        sample.on_click(self._on_sample)

        self.children = [
            widgets.HBox([kind, likelihood, l1_ratio]),
            slider,
            self.readout,
            widgets.HBox([self.path_image, self.posterior_image]),
            widgets.HBox([sample, self.progress, self.status]),
            self.posterior_note,
            self.message,
        ]

    @property
    def path_axes(self):
        """The axes the path figure was last drawn on."""
        return self._path_view.ax

    # ---------------------------------------------------------------- events
    def _on_scale(self, change):
        self._update_all()

    def _on_family(self, change):
        if self._restoring:
            return
        # under the render lock: a redraw finishing a Sample job on the worker thread
        # reads the family several times and caches under it, so it must not see a
        # family switch half-way (it would store one family's results under another's key)
        with self._render_lock:
            try:
                self.explorer.set_family(self.controls["prior"].value,
                                         self.controls["l1_ratio"].value)
            except ValueError as exc:
                # set from code (a slider cannot produce it): the explorer is unchanged, so
                # put the controls back to what it shows, and say why
                self._restore_family_controls()
                self.message.value = message_html(
                    f"{describe_error(exc)} The control was set back to prior="
                    f"{self.explorer.kind!r}, l1_ratio={self.explorer.l1_ratio:g}.")
                return
            if not self._job.running:
                self.status.value = ""  # the other family's band or Sample status
            self._update_all()

    def _restore_family_controls(self):
        """Set the family controls to the explorer's family without triggering a redraw."""
        self._restoring = True
        try:
            self.controls["prior"].value = self.explorer.kind
            self.controls["l1_ratio"].value = self.explorer.l1_ratio
        finally:
            self._restoring = False

    def _on_sample(self, button=None):
        """Sample the posterior at the current scale in a background thread."""
        if self._job.running:
            return
        scale, explorer = self.controls["scale"].value, self.explorer
        family = explorer.family
        expected = self._sample_seconds.get(family, 20.0)  # first run compiles: ~15 s
        self.controls["sample"].disabled = True
        self.progress.layout.visibility = "visible"
        self.progress.value = 0.0
        self.status.value = "sampling..."

        def tick(seconds):
            # no per-draw hook in the sampler: the bar tracks time against the last run
            self.progress.value = min(0.95, seconds / expected)
            self.status.value = f"sampling at scale {scale:.3g}: {seconds:.1f} s"

        def done(messages, error):
            self._sample_seconds[family] = time.perf_counter() - started
            self.progress.value = 1.0
            self.progress.layout.visibility = "hidden"
            self.controls["sample"].disabled = False
            if error is not None:
                self.status.value = ""
                self.message.value = message_html(f"Sampling failed: {describe_error(error)}")
                return
            self.status.value = (f"sampled scale {scale:.3g} in "
                                 f"{self._sample_seconds[family]:.1f} s")
            self.message.value = (message_html(" ".join(messages), "warning")
                                  if messages else "")
            with self._render_lock:  # no family switch between the check and the redraw
                if self.explorer is explorer and explorer.family == family:
                    self._update_all()  # the path gains the new posterior band

        started = time.perf_counter()
        # the likelihood and family current at the click, even if the user has moved on since
        self._job.start(lambda: explorer.sample_prior(family_prior(family, scale)), tick, done)

    def wait(self, timeout=None, band=False):
        """Block until the Sample job and the live posterior fit have finished.

        ``band=True`` also waits for the live posterior band along the path.
        Returns True when idle (for scripts and tests).
        """
        return self._job.wait(timeout) and self._live.wait(timeout, background=band)

    # ---------------------------------------------------------------- redraw
    def _update_all(self):
        with self._render_lock:
            if self._redraw_map():
                self._update_posterior()

    def _redraw_map(self):
        """The fast part: penalty readout and MAP path with the current scale."""
        try:
            live = self.explorer.draws_live
            self.controls["l1_ratio"].layout.display = (
                None if has_l1_ratio(self.explorer.kind) else "none")
            # the Sample button (nutpie) is for families without a live posterior
            self.controls["sample"].layout.display = (
                None if self.explorer.live_sampler is None and self.explorer.can_sample
                else "none")
            scale = self.controls["scale"].value
            state = self.explorer.map_state(scale)
            self.readout.value = readout_html(state)
            path = self.explorer.path()
            band = self.explorer.posterior_band()
            drawn = (path, band)
            marker = current_scale_artists(self._path_view.ax)
            if self._path_drawn is not None and all(
                    a is b for a, b in zip(self._path_drawn, drawn)) and marker:
                # same path and band: move the marker only
                self.path_image.value = self._path_view.blit(
                    marker, lambda: move_current_scale(self._path_view.ax, state["scale"]))
            else:
                self.path_image.value = self._path_view.redraw(
                    lambda ax: plot_path(path, band, state["scale"], ax, live=live))
                self._path_drawn = drawn
            self.state = state
            self.message.value = ""
            return True
        except Exception as exc:
            # never leave the state of another scale or family behind the controls
            self.state = {"error": describe_error(exc)}
            self.message.value = message_html(describe_error(exc))
            return False

    def _update_posterior(self):
        with self._render_lock:
            try:
                family = self.explorer.family
                # the map part afresh (cached): no key of the previous posterior part stays
                state = self.explorer.map_state(self.state["scale"])
                state.update(self.explorer.posterior_state(state["scale"], state["map_coef"]))
                table = state["posterior"]
                if state.get("pending"):
                    # drawn in the background; the figure is replaced when this scale's is ready
                    self._request_live(family, state["scale"])
                elif table is None:
                    self.posterior_image.value = b""
                    self.posterior_image.layout.display = "none"
                else:
                    title = POSTERIOR_TITLES[state["posterior_source"]]
                    self.posterior_image.value = self._posterior_view.redraw(
                        lambda ax: plot_posterior(table, title, ax))
                    self.posterior_image.layout.display = None
                kind = "warning" if state["reliable"] is False else "info"
                self.posterior_note.value = message_html(state["posterior_note"], kind)
                if state.get("inclusion_probabilities") is not None:  # the spike-and-slab
                    self.readout.value = readout_html(state)
                self.state = state
                if self.explorer.draws_live:
                    self.status.value = band_status_html(self.explorer.band_diagnostics(family))
                    self._start_band(family)
            except Exception as exc:
                self.message.value = message_html(describe_error(exc))
