"""The explorer view's likelihood control: one ScaleExplorer per likelihood, switched whole.

:class:`LikelihoodViewMethods` is mixed into
:class:`~bayesreg.widgets.explorer.PriorScaleExplorer`.  Each likelihood has its
own :class:`~bayesreg.widgets.scale_explorer.ScaleExplorer` (its noise scale,
MAP path, live posteriors and Sample draws are its own, cached), built on first
use with the same data, slider range and settings, and kept: switching back
costs nothing.  The view's callbacks check that the explorer they drew for is
still the one shown.
"""

from __future__ import annotations

from ..model.likelihoods import get_likelihood
from ._base import describe_error, message_html
from .scale_explorer import ScaleExplorer

__all__ = ["LikelihoodViewMethods"]


class LikelihoodViewMethods:
    """PriorScaleExplorer's likelihood switch (needs ``explorer``, ``_explorers``, ``_data``,
    ``controls``, ``_render_lock``, ``_restoring``, ``_job``, ``status``, ``message``,
    ``_path_drawn`` and ``_update_all``)."""

    def _on_likelihood(self, change):
        """Show the explorer of the chosen likelihood (built once, same family and slider)."""
        if self._restoring:
            return
        with self._render_lock:
            name = change["new"]
            try:
                explorer = self._explorers.get(name) or self._new_explorer(name)
                explorer.set_family(self.explorer.kind, self.explorer.l1_ratio)
            except Exception as exc:  # the shown explorer is unchanged: put the control back
                self._restoring = True
                try:
                    self.controls["likelihood"].value = self.explorer.likelihood.name
                finally:
                    self._restoring = False
                self.message.value = message_html(
                    f"{describe_error(exc)} The likelihood was set back to "
                    f"{self.explorer.likelihood.label}.")
                return
            self._explorers[name] = explorer
            self.explorer = explorer
            self._path_drawn = None  # another path: redraw it whole
            if not self._job.running:
                self.status.value = ""
            self._update_all()

    def _new_explorer(self, name):
        """The explorer of likelihood ``name`` on the same data, slider range and settings."""
        X, y, sigma, kwargs = self._data
        first = next(iter(self._explorers.values()))
        kwargs = {**kwargs, "scale_range": first.scale_range}
        has_sigma = get_likelihood(name).has_sigma  # a fixed sigma is the noise scale's
        # the prior in the explorer's form (scale_by_sigma, per-feature scales), refused by a
        # likelihood without sigma when scaled by sigma
        return ScaleExplorer(X, y, self.explorer.prior_at(1.0), sigma=sigma if has_sigma else None,
                             l1_ratio=self.explorer.l1_ratio, likelihood=name, **kwargs)

