"""Recording warnings from worker threads (the notebook views sample in the background)."""

from __future__ import annotations

import threading
import warnings
from contextlib import contextmanager

__all__ = ["recording_warnings"]

# warnings.catch_warnings swaps process-global state (filters, showwarning): two
# threads entering and leaving it out of order leave a dead recorder behind.
_lock = threading.RLock()


@contextmanager
def recording_warnings():
    """``catch_warnings(record=True)`` with every warning kept, one thread at a time."""
    with _lock, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield caught
