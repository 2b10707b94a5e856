"""Run the chains of a compiled sampler on the machine's cores, one thread per chain at a time.

The compiled sweeps release the GIL (``nogil=True``), so threads run chains
truly in parallel: on two cores a 2-chain Gibbs fit takes the time of one
chain, as nutpie's chains do. Each chain has its own random stream (spawned
from the fit's generator) and its own scratch arrays, so the draws do not
depend on which thread ran which chain or in what order.
"""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor

__all__ = ["available_cores", "run_chains"]

_lock = threading.Lock()
_executors = {}  # one pool per worker count, created on first use and kept (threads idle between fits)


def available_cores():
    """The CPUs this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def _executor(workers):
    with _lock:
        if workers not in _executors:
            _executors[workers] = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="bayesreg-chain")
        return _executors[workers]


def run_chains(run_chain, chains, done=lambda chain: None):
    """Call ``run_chain(c)`` for every chain ``c``, in parallel where there are cores.

    ``done(c)`` is called in the calling thread as each chain finishes (a
    progress bar). An exception of any chain is raised here, after every chain
    has stopped.
    """
    workers = min(chains, available_cores())
    if workers < 2:
        for c in range(chains):
            run_chain(c)
            done(c)
        return
    futures = [_executor(workers).submit(run_chain, c) for c in range(chains)]
    errors = []
    for c, future in enumerate(futures):
        try:
            future.result()
        except BaseException as exc:  # wait for the others before raising
            errors.append(exc)
        else:
            done(c)
    if errors:
        raise errors[0]
