"""One BLAS thread for the samplers' many small matrix products.

OpenBLAS's worker threads spin while they wait: on a shared or busy machine a
10 x 10 triangular solve that takes microseconds alone took tens of
milliseconds with two threads (benchmarks/bench_fit_overhead.py), and the Gibbs
sweeps ran ~30x slower (docs/performance.md).
"""

from __future__ import annotations

from threadpoolctl import ThreadpoolController

__all__ = ["one_blas_thread"]

_controllers = []  # one ThreadpoolController: finding the BLAS libraries costs ~5 ms per call


def one_blas_thread():
    """A context manager limiting every loaded BLAS to one thread inside it."""
    if not _controllers:
        _controllers.append(ThreadpoolController())
    return _controllers[0].limit(limits=1, user_api="blas")
