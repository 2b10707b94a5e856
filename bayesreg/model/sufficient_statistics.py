r"""The sufficient statistics of the Gaussian linear model, accumulated chunk by chunk.

Everything the Gaussian likelihood says about ``(b0, w, sigma)`` depends on the
data only through

.. math::

    n,\quad \bar x,\quad \bar y,\quad
    S_{xx} = X_c^\top X_c,\quad S_{xy} = X_c^\top y_c,\quad S_{yy} = y_c^\top y_c,

(:math:`X_c = X - \bar x`, :math:`y_c = y - \bar y`), since

.. math::

    \sum_i (y_i - b_0 - x_i^\top w)^2
      = S_{yy} - 2 w^\top S_{xy} + w^\top S_{xx} w + n (\bar y - b_0 - \bar x^\top w)^2 .

So the MAP, the exact and Gibbs posteriors and the NUTS model of the Gaussian
likelihood can all be computed from a :class:`SufficientStatistics`: p x p
numbers, whatever n is.

Centred cross-products are kept, never raw sums: a column with mean 1e6 and sd
1 has :math:`\sum x^2 \approx 10^{12} n`, whose rounding error (about
:math:`10^{-4} n`) would swamp its centred sum of squares (:math:`n`).
Two blocks are merged with the pairwise update of Chan, Golub & LeVeque (1979),

.. math::

    S^{AB}_{xy} = S^A_{xy} + S^B_{xy} + \frac{n_A n_B}{n_A + n_B}\,
        (\bar x_B - \bar x_A)(\bar y_B - \bar y_A)^\top,

which only ever adds centred quantities, and :meth:`SufficientStatistics.from_chunks`
merges chunks as a balanced binary tree (the same tree a distributed reduction,
e.g. Dask's ``reduction``, builds: :meth:`SufficientStatistics.merge` is
associative, so any tree gives the same statistics up to rounding).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

__all__ = ["CrossProducts", "SufficientStatistics"]

#: Rows centred at once by :meth:`SufficientStatistics.from_arrays` (bounds its extra memory).
BLOCK_ROWS = 65_536


class CrossProducts(NamedTuple):
    """The cross-products the Gaussian model uses, centred or not (see :meth:`SufficientStatistics.cross_products`)."""

    gram: np.ndarray  # (p, p): X'X of the (centred) data
    xty: np.ndarray  # (p,)
    yty: float
    x_mean: np.ndarray  # (p,): zeros when not centred
    y_mean: float  # 0 when not centred
    n_samples: int


def _as_chunk(X, y, where):
    """Validated float64 arrays of one chunk, or a clear error naming ``where``."""
    names = None
    columns = getattr(X, "columns", None)
    if columns is not None:
        names = tuple(str(c) for c in columns)
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    if X.ndim != 2:
        raise ValueError(f"{where}: X must be 2-D (n_samples, n_features), got shape {X.shape}. "
                         "Reshape a single feature with X.reshape(-1, 1).")
    if y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
    if y.ndim != 1:
        raise ValueError(f"{where}: y must be 1-D (n_samples,), got shape {y.shape}.")
    if X.shape[0] != y.shape[0]:
        raise ValueError(f"{where}: X has {X.shape[0]} rows but y has {y.shape[0]}; "
                         "pass X and y of the same rows.")
    for label, values in (("X", X), ("y", y)):
        bad = ~np.isfinite(values)
        if bad.any():
            row = int(np.flatnonzero(bad.reshape(values.shape[0], -1).any(axis=1))[0])
            raise ValueError(f"{where}: {label} contains NaN or infinity (first at row {row}). "
                             "Drop or impute those rows before computing the statistics.")
    return X, y, names


@dataclass(frozen=True, eq=False)
class SufficientStatistics:
    r"""n, column means, centred X'X, X'y and y'y: all the Gaussian linear model needs of the data.

    Build it with :meth:`from_arrays`, :meth:`from_chunks` (an iterable of
    ``(X_chunk, y_chunk)`` pairs, e.g. read from files one at a time),
    :meth:`from_dask` (a Dask array or DataFrame, on a cluster) or
    :meth:`merge`, and pass it to ``MAPRegressor(...).fit(stats)`` or
    ``PosteriorRegressor(...).fit(stats)`` in place of ``X, y``: the fit
    equals the one on the rows themselves, in memory independent of n.

    Attributes
    ----------
    n_samples : int
    x_mean : ndarray of shape (n_features,)
    y_mean : float
    xtx : ndarray of shape (n_features, n_features)
        Centred :math:`X_c^\top X_c`.
    xty : ndarray of shape (n_features,)
        Centred :math:`X_c^\top y_c`.
    yty : float
        Centred :math:`y_c^\top y_c`.
    feature_names : tuple of str or None
        Column names, when the rows came as a DataFrame.
    """

    n_samples: int
    x_mean: np.ndarray
    y_mean: float
    xtx: np.ndarray
    xty: np.ndarray
    yty: float
    feature_names: tuple | None = field(default=None)

    # ------------------------------------------------------------ construction
    @classmethod
    def from_arrays(cls, X, y, *, block_rows=BLOCK_ROWS):
        """The statistics of rows ``X`` (n, p) and target ``y`` (n,).

        The rows are centred ``block_rows`` at a time and the blocks merged
        (:meth:`merge`), so the extra memory is one block, not a copy of X.
        """
        X, y, names = _as_chunk(X, y, "SufficientStatistics.from_arrays")
        if X.shape[0] == 0:
            raise ValueError("SufficientStatistics.from_arrays: X and y have no rows; "
                             "the statistics need at least one.")
        blocks = (cls._of_block(X[i:i + block_rows], y[i:i + block_rows])
                  for i in range(0, X.shape[0], block_rows))
        stats = cls._merge_tree(blocks)
        return stats._with_names(names)

    @classmethod
    def from_chunks(cls, chunks):
        """The statistics of the rows of all ``chunks``, an iterable of ``(X_chunk, y_chunk)``.

        Each chunk is read once and may be dropped afterwards (a generator
        reading files works); chunks of zero rows are skipped. Every chunk must
        have the same columns (and names, for DataFrames).
        """
        names, p, count = None, None, 0

        def blocks():
            nonlocal names, p, count
            for i, chunk in enumerate(chunks):
                try:
                    X, y = chunk
                except (TypeError, ValueError):
                    raise ValueError(f"SufficientStatistics.from_chunks: chunk {i} is not an "
                                     "(X_chunk, y_chunk) pair; pass an iterable of pairs.") from None
                X, y, chunk_names = _as_chunk(X, y, f"SufficientStatistics.from_chunks: chunk {i}")
                if p is None:
                    p, names = X.shape[1], chunk_names
                elif X.shape[1] != p:
                    raise ValueError(f"SufficientStatistics.from_chunks: chunk {i} has {X.shape[1]} "
                                     f"columns, the chunks before it {p}; every chunk needs the "
                                     "same columns in the same order.")
                elif chunk_names != names:
                    raise ValueError(f"SufficientStatistics.from_chunks: the columns of chunk {i} "
                                     f"are {chunk_names}, those before it {names}; every chunk "
                                     "needs the same columns in the same order.")
                count += 1
                if X.shape[0]:
                    yield cls.from_arrays(X, y)
        stats = cls._merge_tree(blocks())
        if stats is None:
            what = "no chunks" if count == 0 else f"{count} chunk(s), all with zero rows"
            raise ValueError(f"SufficientStatistics.from_chunks: got {what}; pass at least one "
                             "(X_chunk, y_chunk) pair with rows.")
        return stats._with_names(names)

    @classmethod
    def from_dask(cls, X, y, *, progressbar=False):
        """The statistics of a Dask ``X`` and ``y``, computed where the data live.

        One Dask tree reduction: each row block (array chunk or DataFrame
        partition) becomes its statistics on the worker that holds it, and the
        blocks are merged up a tree by :meth:`merge`; only p x p numbers reach
        this process, X is never gathered. It runs on the running
        ``distributed.Client`` if there is one (``Client(...)`` before the
        call), else on Dask's default local scheduler.

        Parameters
        ----------
        X : dask.array.Array of shape (n_samples, n_features) or dask.dataframe.DataFrame
            Numeric. A DataFrame's column names become ``feature_names``.
            Chunks may split the rows only or the columns too (those are
            joined per row block first).
        y : dask.array.Array of shape (n_samples,) or dask.dataframe.Series
            Split into the same row blocks as X (a column of the same
            DataFrame; an array with other chunk sizes is rechunked like X).
        progressbar : bool, default=False
            Show a bar of the row blocks done (``PosteriorRegressor`` passes
            its own ``progressbar``).

        Returns
        -------
        SufficientStatistics

        Examples
        --------
        >>> import bayesreg as br
        >>> import dask.array as da  # doctest: +SKIP
        >>> X = da.random.default_rng(0).standard_normal((10**8, 20), chunks=(10**6, 20))  # doctest: +SKIP
        >>> y = X[:, 0] + da.random.default_rng(1).standard_normal(10**8, chunks=10**6)  # doctest: +SKIP
        >>> stats = br.SufficientStatistics.from_dask(X, y)  # doctest: +SKIP
        """
        from ._dask_statistics import statistics_from_dask

        return statistics_from_dask(cls, X, y, progressbar=progressbar)

    @classmethod
    def _of_block(cls, X, y):
        x_mean, y_mean = X.mean(axis=0), float(y.mean())
        Xc, yc = X - x_mean, y - y_mean
        return cls(X.shape[0], x_mean, y_mean, Xc.T @ Xc, Xc.T @ yc, float(yc @ yc))

    @staticmethod
    def _merge_tree(stats_iter):
        """Merge a stream pairwise as a balanced binary tree (a stack of partial sums); None if empty."""
        stack = []  # (level, stats): merged when two of the same level meet
        for stats in stats_iter:
            level = 0
            while stack and stack[-1][0] == level:
                stats = stack.pop()[1].merge(stats)
                level += 1
            stack.append((level, stats))
        result = None
        while stack:
            stats = stack.pop()[1]
            result = stats if result is None else stats.merge(result)
        return result

    def _with_names(self, names):
        if names == self.feature_names:
            return self
        return SufficientStatistics(self.n_samples, self.x_mean, self.y_mean, self.xtx, self.xty,
                                    self.yty, names)

    def merge(self, other):
        """The statistics of the rows of ``self`` and ``other`` together (Chan, Golub & LeVeque).

        Associative and commutative up to rounding, so chunks may be merged in
        any tree (as a distributed reduction does).
        """
        if not isinstance(other, SufficientStatistics):
            raise TypeError(f"SufficientStatistics.merge: expected SufficientStatistics, got "
                            f"{type(other).__name__}.")
        if other.n_features != self.n_features:
            raise ValueError(f"SufficientStatistics.merge: {self.n_features} columns against "
                             f"{other.n_features}; statistics of different columns cannot be merged.")
        if self.feature_names != other.feature_names:
            raise ValueError(f"SufficientStatistics.merge: columns {self.feature_names} against "
                             f"{other.feature_names}; merge statistics of the same columns.")
        na, nb = self.n_samples, other.n_samples
        n = na + nb
        dx, dy = other.x_mean - self.x_mean, other.y_mean - self.y_mean
        weight = na * nb / n
        return SufficientStatistics(
            n_samples=n,
            x_mean=self.x_mean + dx * (nb / n),
            y_mean=self.y_mean + dy * (nb / n),
            xtx=self.xtx + other.xtx + weight * np.outer(dx, dx),
            xty=self.xty + other.xty + weight * dx * dy,
            yty=self.yty + other.yty + weight * dy * dy,
            feature_names=self.feature_names,
        )

    # ------------------------------------------------------------ what fits ask
    @property
    def n_features(self):
        return int(self.x_mean.shape[0])

    @property
    def column_sd(self):
        """Standard deviation of each column, divisor n (what ``standardize=True`` divides by)."""
        return np.sqrt(np.maximum(np.diag(self.xtx), 0.0) / self.n_samples)

    @property
    def y_sd(self):
        """Standard deviation of y, divisor n (``numpy.std(y)``)."""
        return float(np.sqrt(max(self.yty, 0.0) / self.n_samples))

    def cross_products(self, fit_intercept):
        """The Gram matrix, X'y and y'y the model uses: centred with an intercept, raw without.

        Without an intercept the raw products are rebuilt from the centred ones,
        :math:`X^\\top X = S_{xx} + n \\bar x \\bar x^\\top` (and so on), with
        means reported as zeros.
        """
        n = self.n_samples
        if fit_intercept:
            return CrossProducts(self.xtx, self.xty, self.yty, self.x_mean, self.y_mean, n)
        return CrossProducts(
            self.xtx + n * np.outer(self.x_mean, self.x_mean),
            self.xty + n * self.x_mean * self.y_mean,
            self.yty + n * self.y_mean**2,
            np.zeros(self.n_features), 0.0, n,
        )

    def scale_columns(self, factors):
        """The statistics of ``X * factors`` (columns multiplied by ``factors``, y unchanged)."""
        factors = np.asarray(factors, dtype=float)
        return SufficientStatistics(self.n_samples, self.x_mean * factors, self.y_mean,
                                    self.xtx * np.outer(factors, factors), self.xty * factors,
                                    self.yty, self.feature_names)

    def residual_sum_of_squares(self, coef, intercept=None):
        r"""``sum_i (y_i - intercept - x_i @ coef)^2`` for each row of ``coef`` (..., p).

        ``intercept=None``: at its best value :math:`\bar y - \bar x^\top w` (the
        centred residual sum of squares). Clipped at 0 against rounding.
        """
        coef = np.asarray(coef, dtype=float)
        rss = self.yty - 2.0 * coef @ self.xty + np.einsum("...i,ij,...j->...", coef, self.xtx, coef)
        if intercept is not None:
            rss = rss + self.n_samples * (self.y_mean - intercept - coef @ self.x_mean) ** 2
        return np.maximum(rss, 0.0)

    def __repr__(self):
        return (f"SufficientStatistics(n_samples={self.n_samples}, n_features={self.n_features}, "
                f"y_mean={self.y_mean:.6g})")
