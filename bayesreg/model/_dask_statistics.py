"""Sufficient statistics of Dask collections: one tree reduction that runs where the data live.

Each row block of ``X`` (a chunk of a ``dask.array``, a partition of a
``dask.dataframe``) is turned into its own
:class:`~bayesreg.model.sufficient_statistics.SufficientStatistics` on the
worker that holds it, and the blocks are merged ``SPLIT_EVERY`` at a time up a
tree by :meth:`SufficientStatistics.merge` (Chan, Golub & LeVeque: the same
stable merge as :meth:`~SufficientStatistics.from_chunks`, associative, so any
tree gives the same statistics up to rounding). Only the root, p x p numbers,
reaches the client: X is never gathered.

The graph is computed by whatever scheduler ``dask.compute`` would use: a
running ``distributed.Client`` (the data's workers) or else Dask's default
local scheduler. Dask itself is imported only here, and only when a Dask
collection is passed: ``import bayesreg`` never imports it.

This module imports nothing of bayesreg (the statistics class is passed in), so
:meth:`SufficientStatistics.from_dask` can import it without an import cycle.
"""

from __future__ import annotations

import sys
from contextlib import contextmanager

import numpy as np

__all__ = ["SPLIT_EVERY", "is_dask_collection", "statistics_from_dask"]

#: Blocks merged by one task of the reduction tree (Dask's own default ``split_every``).
SPLIT_EVERY = 8
#: Name of the per-block tasks; the progress bar counts the finished ones.
BLOCK_KEY = "bayesreg-statistics-block"
MERGE_KEY = "bayesreg-statistics-merge"
WHERE = "SufficientStatistics.from_dask"


def is_dask_collection(obj):
    """Whether ``obj`` is a Dask collection (array, DataFrame, Series...), without importing dask."""
    return type(obj).__module__.split(".")[0] in ("dask", "dask_expr")


# ---------------------------------------------------------------- tasks (run on the workers)
def _block_statistics(cls, X, y, index):
    """The statistics of one row block, or None for a block without rows."""
    if len(X) == 0 and len(y) == 0:
        return None
    try:
        return cls.from_arrays(X, y)._with_names(None)  # names are set once, on the client
    except ValueError as error:  # from_arrays names itself; say which block of which call
        message = str(error).removeprefix("SufficientStatistics.from_arrays: ")
        raise ValueError(f"{WHERE}: row block {index}: {message}") from None


def _merge_blocks(*stats):
    """Merge the statistics of some blocks (Nones, for empty blocks, skipped); None if all empty."""
    present = [s for s in stats if s is not None]
    if not present:
        return None
    return type(present[0])._merge_tree(iter(present))


# ---------------------------------------------------------------- the input, checked on the client
def _checked_x(X, where=WHERE):
    """X split into row blocks only (all columns in each), its column names and row chunks; or a clear error."""
    if not hasattr(X, "ndim") or not hasattr(X, "to_delayed"):
        raise TypeError(f"{where}: X must be a dask array or dask DataFrame, got {type(X).__name__}.")
    if X.ndim != 2:
        raise ValueError(f"{where}: X must be 2-D (n_samples, n_features), got {X.ndim} dimension(s). "
                         "Pass a DataFrame (series.to_frame()) or reshape the array to (-1, 1).")
    if hasattr(X, "columns"):  # a dask DataFrame: one block per partition
        from pandas.api.types import is_bool_dtype, is_numeric_dtype

        bad = [str(c) for c, dtype in X.dtypes.items()
               if not (is_numeric_dtype(dtype) or is_bool_dtype(dtype))]
        if bad:
            raise TypeError(f"{where}: X has non-numeric columns {bad}; encode them as numbers "
                            "(e.g. dask.dataframe.get_dummies) or drop them.")
        return X, tuple(str(c) for c in X.columns), None
    if not (np.issubdtype(X.dtype, np.number) or X.dtype == bool):
        raise TypeError(f"{where}: X has dtype {X.dtype}; pass numbers.")
    if X.numblocks[1] > 1:  # a block must hold whole rows: split the rows only
        X = X.rechunk({1: -1})
    return X, None, X.chunks[0]


def _aligned_y(y, x_row_chunks, where=WHERE):
    """y as a 1-D Dask collection split into X's row blocks where they are known, or a clear error."""
    if not is_dask_collection(y):
        raise TypeError(
            f"{where}: X is a Dask collection but y is a {type(y).__name__}; pass y as a Dask "
            "array or Series with the same row blocks, e.g. dask.array.from_array(y, "
            "chunks=X.chunks[0]) or a column of the same dask DataFrame."
        )
    if getattr(y, "ndim", 1) == 2 and hasattr(y, "columns") and len(y.columns) == 1:
        y = y[y.columns[0]]
    elif getattr(y, "ndim", 1) == 2 and y.shape[1] == 1:
        y = y[:, 0]
    if getattr(y, "ndim", 1) != 1:
        raise ValueError(f"{where}: y must be 1-D (n_samples,), got {y.ndim} dimensions.")
    chunks = getattr(y, "chunks", None)
    if x_row_chunks is not None and chunks is not None and chunks[0] != x_row_chunks:
        known = not (np.isnan(x_row_chunks).any() or np.isnan(chunks[0]).any())
        if known and sum(chunks[0]) != sum(x_row_chunks):
            raise ValueError(f"{where}: X has {int(sum(x_row_chunks))} rows but y has "
                             f"{int(sum(chunks[0]))}; pass X and y of the same rows.")
        if known:
            y = y.rechunk((x_row_chunks,))  # moves only y, the small one
    return y


def _row_blocks(X, y, where=WHERE):
    """Delayed row blocks of X and of y from ONE graph, so what they share is computed once.

    ``to_delayed()`` optimises each collection on its own, and the optimiser
    fuses every shared upstream task into each one's graph under a new name: a
    ``y`` made from ``X`` (``X @ beta + noise``, a column of the same
    DataFrame) then generated or read every block of X twice, once for X and
    once inside y's block. Unoptimised, both graphs keep the shared tasks'
    keys, and Dask computes a key once. (Optimising the two together does not
    help: array fusion still copies a shared root into y's block, and a jointly
    optimised DataFrame pair gives blocks of the wrong columns.)
    """
    x_blocks, y_blocks = (_delayed_blocks(c) for c in (X, y))
    if len(y_blocks) != len(x_blocks):
        raise ValueError(
            f"{where}: X has {len(x_blocks)} row blocks but y has {len(y_blocks)}; pass y split like X "
            "(a column of the same dask DataFrame, or y.rechunk(X.chunks[0]) for arrays)."
        )
    return x_blocks, y_blocks


def _delayed_blocks(collection):
    """The row blocks of a Dask collection, unoptimised (see ``_row_blocks``), as a list of Delayed."""
    blocks = collection.to_delayed(optimize_graph=False)
    return list(blocks.ravel()) if hasattr(blocks, "ravel") else list(blocks)


# ---------------------------------------------------------------- the reduction
def statistics_from_dask(cls, X, y, *, progressbar=False):
    """The statistics of Dask ``X``, ``y``: see :meth:`SufficientStatistics.from_dask`."""
    import dask
    from dask.base import tokenize

    X, names, x_row_chunks = _checked_x(X)
    y = _aligned_y(y, x_row_chunks)
    token = tokenize(X, y)
    x_blocks, y_blocks = _row_blocks(X, y)
    leaves = [dask.delayed(_block_statistics, pure=True)(cls, xb, yb, i,
                                                         dask_key_name=f"{BLOCK_KEY}-{token}-{i}")
              for i, (xb, yb) in enumerate(zip(x_blocks, y_blocks))]
    level, depth = leaves, 0
    while len(level) > 1:  # the tree: SPLIT_EVERY children per merge
        level = [dask.delayed(_merge_blocks, pure=True)(
                     *level[i:i + SPLIT_EVERY], dask_key_name=f"{MERGE_KEY}-{token}-{depth}-{i}")
                 for i in range(0, len(level), SPLIT_EVERY)]
        depth += 1
    stats = _compute(level[0], leaves, progressbar)
    if stats is None:
        raise ValueError(f"{WHERE}: X and y have no rows (all {len(leaves)} block(s) are empty); "
                         "the statistics need at least one.")
    return stats._with_names(names)


def _running_client():
    """The ``distributed.Client`` that ``dask.compute`` would use now, or None."""
    if "distributed" not in sys.modules:  # never imported: no client can be running
        return None
    from dask.base import get_scheduler
    from distributed import default_client

    try:
        client = default_client()
    except ValueError:
        return None
    # a user who chose another scheduler (dask.config.set(scheduler="threads")) keeps it
    return client if get_scheduler() == client.get else None


def _compute(root, leaves, progressbar):
    """Compute the tree's root with the default scheduler; a bar of finished blocks if asked."""
    import dask

    if not progressbar:
        (stats,) = dask.compute(root)
        return stats
    client = _running_client()
    with _progress(len(leaves)) as advance:
        if client is None:
            with _block_counter(advance):
                (stats,) = dask.compute(root)
            return stats
        from distributed import as_completed

        # one graph: the leaves' futures share the root's tasks, and only say when a block is done
        futures = client.compute([root, *leaves])
        for _ in as_completed(futures[1:]):
            advance(1)
        return futures[0].result()


@contextmanager
def _progress(total):
    """A rich progress bar (as the Gibbs sampler's) over the row blocks."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (TextColumn("Dask statistics"), BarColumn(),
               TextColumn("{task.completed}/{task.total} blocks"), TimeRemainingColumn())
    with Progress(*columns) as progress:
        task = progress.add_task("statistics", total=total)
        yield lambda advance: progress.update(task, advance=advance)


def _block_counter(advance):
    """A local-scheduler callback that calls ``advance(1)`` as each block's statistics finish."""
    from dask.callbacks import Callback

    def posttask(key, result, dsk, state, worker_id):
        name = key[0] if isinstance(key, tuple) else key
        if isinstance(name, str) and name.startswith(BLOCK_KEY):
            advance(1)

    return Callback(posttask=posttask)
