"""The explorer view's live posterior: requests to the worker, the band in idle time.

:class:`LiveViewMethods` is mixed into
:class:`~bayesreg.widgets.explorer.PriorScaleExplorer` (it needs ``explorer``,
``state``, ``_live``, ``_render_lock``, ``_band_family``, ``status``,
``message``, ``_update_all`` and ``_update_posterior``).  Every callback checks,
under the render lock, that the explorer (one per likelihood), the family and
the scale it was drawn for are still the ones shown: a result the controls
have left stays cached and is never shown.
"""

from __future__ import annotations

from ._base import describe_error, message_html
from ._explorer_figures import band_status_html

__all__ = ["LiveViewMethods"]


class LiveViewMethods:
    """PriorScaleExplorer's methods for the live posterior and its band."""

    # ---------------------------------------------------------------- live posterior
    def _request_live(self, family, scale):
        """Draw the posterior at ``scale`` in the worker; the latest request wins."""
        explorer = self.explorer  # the likelihood's: a switch of likelihood replaces it

        def done(part, error):
            with self._render_lock:  # the check and the redraw see one family and scale
                current = (self.state.get("scale") == scale and self.explorer is explorer
                           and explorer.family == family)
                if error is not None:
                    if current:
                        self.message.value = message_html(
                            f"The live posterior failed: {describe_error(error)}")
                elif current:
                    self._update_posterior()  # this scale's posterior, now cached
                # else: the slider moved on; the fit stays cached, its scale is not shown

        self._live.submit(lambda: explorer.live_posterior(scale, family), done)

    def _start_band(self, family):
        """Draw the live band of ``family`` along the path grid when the worker is idle."""
        explorer = self.explorer  # the likelihood's: a switch of likelihood replaces it
        key = (id(explorer), family)
        if self._band_family == key:
            return
        self._band_family = key
        drawn = [explorer.posterior_band()]

        def shown():
            return self.explorer is explorer and explorer.family == family

        def step():
            if not shown():
                self._band_family = None
                return False
            more = explorer.band_step(family)
            with self._render_lock:
                if shown():
                    band = explorer.posterior_band()
                    if band is not drawn[0]:  # a stage covered the whole grid: redraw the path
                        drawn[0] = band
                        self._update_all()
                        self.status.value = band_status_html(explorer.band_diagnostics(family))
            if not more:
                self._band_family = key if shown() else None
            return more

        self._live.set_background(step)

    def _on_background_error(self, exc):
        self._band_family = None
        self.message.value = message_html(f"The posterior band failed: {describe_error(exc)}")

