"""One background worker where the latest request wins, with idle-time work behind it.

The views draw a posterior on every slider move.  A fit cannot be interrupted,
so requests that arrive while one runs are not queued: each replaces the one
waiting (only the newest is ever run next), and the view itself decides, when a
result arrives, whether it is still the one to show.  When no request waits,
the worker runs a background task (the posterior band) one small step at a
time, so a new request waits at most one step.
"""

from __future__ import annotations

import atexit
import threading
import traceback
import weakref

__all__ = ["LatestWinsWorker"]

#: Every worker alive, so the interpreter's exit can let their threads finish first.
_WORKERS = weakref.WeakSet()


@atexit.register
def _stop_all_workers(timeout=30.0):
    """At exit: drop waiting jobs and background tasks, and wait for the running step.

    A daemon thread killed mid-fit (inside numpy, numba or BLAS code) can abort
    the interpreter's shutdown ("terminate called without an active exception").
    """
    for worker in list(_WORKERS):
        with worker._lock:
            worker._pending, worker._background = None, None
        worker.wait(timeout, background=True)


class LatestWinsWorker:
    """A daemon thread running ``submit``-ted jobs, newest first, and one background task.

    ``submit(func, on_done)``: ``func()`` runs in the worker, then
    ``on_done(result, error)`` (``error`` the exception or None) in the same
    thread.  A job submitted while another waits replaces it (the replaced one
    never runs).  ``set_background(step)``: ``step()`` is called whenever no job
    waits, until it returns False (or another background task replaces it);
    its exceptions end it and go to ``on_background_error``.
    """

    def __init__(self, name="bayesreg-live", on_background_error=None):
        self.name = name
        self.on_background_error = on_background_error
        self._lock = threading.Lock()
        self._pending = None  # (func, on_done): the newest request not yet started
        self._background = None
        self._thread = None
        self._jobs_done = threading.Event()  # set while no job runs or waits
        self._jobs_done.set()
        self._all_done = threading.Event()  # set while the thread has nothing at all to do
        self._all_done.set()
        _WORKERS.add(self)

    def submit(self, func, on_done):
        """Run ``func`` next, replacing a job that has not started yet."""
        with self._lock:
            self._pending = (func, on_done)
            self._jobs_done.clear()
            self._all_done.clear()
            self._start()

    def set_background(self, step):
        """Run ``step()`` whenever idle until it returns False; None stops the current one."""
        with self._lock:
            self._background = step
            if step is not None:
                self._all_done.clear()
                self._start()

    def _start(self):  # under the lock
        if self._thread is None or not self._thread.is_alive():
            self._thread = threading.Thread(target=self._run, daemon=True, name=self.name)
            self._thread.start()

    def _run(self):
        while True:
            with self._lock:
                job, self._pending = self._pending, None
                step = self._background
                if job is None:
                    self._jobs_done.set()
                    if step is None:
                        self._all_done.set()
                        self._thread = None
                        return
            if job is not None:
                self._run_job(*job)
            else:
                self._run_step(step)

    @staticmethod
    def _run_job(func, on_done):
        result, error = None, None
        try:
            result = func()
        except Exception as exc:  # shown in the widget, never raised into the kernel
            error = exc
            error.__traceback_text__ = traceback.format_exc()
        on_done(result, error)

    def _run_step(self, step):
        try:
            more = step()
        except Exception as exc:
            more = False
            if self.on_background_error is not None:
                self.on_background_error(exc)
        if not more:
            with self._lock:
                if self._background is step:
                    self._background = None

    def wait(self, timeout=None, background=False):
        """Block until no job runs or waits (and, with ``background``, the task is done).

        Returns True when idle, False on timeout.
        """
        return (self._all_done if background else self._jobs_done).wait(timeout)
