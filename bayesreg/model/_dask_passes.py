"""Passes over the rows of Dask collections: one tree reduction each, where the data live.

A likelihood without fixed-size sufficient statistics (the logistic one) is
fitted on Dask data by repeated passes: each pass maps every row block (array
chunk, DataFrame partition) to a small array on the worker that holds it and
sums those arrays up a tree; only the sum, O(p^2) numbers, reaches the client.
:class:`DaskRows` checks and splits ``X``, ``y`` once (on the client, computing
nothing) and runs such passes.

Each block function gets ``(X_block, y_block, index, *args)`` with ``index``
the block's position, so random numbers drawn on a worker can be seeded by
(seed, pass, block): the same seed gives the same draws on any cluster.

Dask is imported only inside functions (``import bayesreg`` never imports it).
"""

from __future__ import annotations

from contextlib import contextmanager

import numpy as np

from ._dask_statistics import SPLIT_EVERY, _aligned_y, _checked_x, _row_blocks, is_dask_collection

__all__ = ["DaskRows", "pass_progress"]


def _run_block(block_fn, X, y, index, args):
    """One block's contribution (None for a block without rows)."""
    X, y = np.asarray(X, dtype=np.float64), np.asarray(y)
    if X.shape[0] == 0:
        return None
    return block_fn(X, y, index, *args)


def _merge(merge_fn, *parts):
    """Merge the present parts (None for empty blocks), or None if none is present."""
    present = [part for part in parts if part is not None]
    if not present:
        return None
    merged = present[0]
    for part in present[1:]:
        merged = merge_fn(merged, part)
    return merged


def _add(a, b):
    return a + b


class DaskRows:
    """Dask ``X`` and ``y``, checked and split into aligned row blocks (nothing is computed).

    Parameters
    ----------
    X : dask.array.Array of shape (n_samples, n_features) or dask.dataframe.DataFrame
    y : dask.array.Array of shape (n_samples,) or dask.dataframe.Series
    owner : str
        Who asks (the start of an error message).

    Attributes
    ----------
    n_blocks : int
    n_features : int
    feature_names : tuple of str or None
        The DataFrame's column names.
    """

    def __init__(self, X, y, owner):
        if not is_dask_collection(X):
            raise TypeError(f"{owner}.fit: y is a Dask collection but X is a {type(X).__name__}; "
                            "pass both as Dask collections (the same row blocks) or both in memory.")
        where = f"{owner}.fit"
        X, self.feature_names, row_chunks = _checked_x(X, where)
        self.x_blocks, self.y_blocks = _row_blocks(X, _aligned_y(y, row_chunks, where), where)
        self.n_blocks = len(self.x_blocks)
        self.n_features = int(X.shape[1])

    def reduce(self, block_fn, *args, merge_fn=_add):
        """One pass: ``merge_fn`` over ``block_fn(X_b, y_b, b, *args)`` of every block b.

        The blocks are merged ``SPLIT_EVERY`` at a time up a tree on the
        workers (``merge_fn`` must be associative); returns the root, or None
        when every block is empty. Computed by the scheduler ``dask.compute``
        uses (a running ``distributed.Client``, else Dask's local one).
        """
        import dask

        level = [dask.delayed(_run_block, pure=True)(block_fn, xb, yb, i, args)
                 for i, (xb, yb) in enumerate(zip(self.x_blocks, self.y_blocks))]
        while len(level) > 1:
            level = [dask.delayed(_merge, pure=True)(merge_fn, *level[i:i + SPLIT_EVERY])
                     for i in range(0, len(level), SPLIT_EVERY)]
        (root,) = dask.compute(level[0])
        return root


@contextmanager
def pass_progress(show, what):
    """A rich bar counting passes over the data (their number is not known in advance).

    Yields ``advance(message)``: one more pass done, with a short status line.
    A no-op when ``show`` is False.
    """
    if not show:
        yield lambda message="": None
        return
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    columns = (SpinnerColumn(), TextColumn(what), TextColumn("{task.completed} passes"),
               TextColumn("{task.fields[status]}"), TimeElapsedColumn())
    with Progress(*columns) as progress:
        task = progress.add_task(what, total=None, status="")
        yield lambda message="": progress.update(task, advance=1, status=message)
