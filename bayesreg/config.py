"""Draw settings for the worked examples, full or short (``BAYESREG_FAST=1``).

The notebooks and the docs build call :func:`sampling_settings` instead of reading
the environment themselves, so a learner's first screen shows the idea, not the
plumbing, while CI (which sets ``BAYESREG_FAST=1``) still runs short chains.
"""

from __future__ import annotations

import os
import warnings

__all__ = ["FAST_ENV", "FULL_SAMPLING", "FAST_SAMPLING", "fast_mode", "sampling_settings"]

FAST_ENV = "BAYESREG_FAST"
"""The environment variable that selects short chains when it is ``"1"``."""

FULL_SAMPLING = {"draws": 1000, "tune": 1000, "chains": 4}
"""Draw settings of a full run: PyMC's defaults, enough for stable tail summaries."""

FAST_SAMPLING = {"draws": 300, "tune": 300, "chains": 2}
"""Draw settings in fast mode: seconds per fit, noisier numbers."""


def fast_mode() -> bool:
    """Whether short chains are asked for: ``BAYESREG_FAST`` is set to ``"1"``.

    Returns
    -------
    bool
        True when the environment variable ``BAYESREG_FAST`` equals ``"1"``.
    """
    return os.environ.get(FAST_ENV, "0").strip() == "1"


def sampling_settings() -> dict:
    """Keyword arguments ``draws``, ``tune`` and ``chains`` for a posterior estimator.

    Full settings (1000 draws and 1000 tuning steps in each of 4 chains) unless
    ``BAYESREG_FAST=1``, then 300, 300 and 2: what the tests and the CI docs build
    use. In fast mode :class:`bayesreg.SamplingWarning` is also ignored, because
    such short chains trip the convergence checks; the notebooks print the
    diagnostics (``diagnostics_``) where they matter.

    Returns
    -------
    dict
        A fresh dict, to pass on as ``PosteriorRegressor(prior, **settings)``.

    Examples
    --------
    >>> import bayesreg as br
    >>> SAMPLING = br.config.sampling_settings()
    >>> sorted(SAMPLING)
    ['chains', 'draws', 'tune']
    """
    if not fast_mode():
        return dict(FULL_SAMPLING)
    from .posterior import SamplingWarning  # the estimators' own warning class

    warnings.filterwarnings("ignore", category=SamplingWarning)
    return dict(FAST_SAMPLING)
