"""Uniformity of SBC ranks: the test statistic shared by the runs (sbc.py) and the report."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from scipy import stats

RANK_DRAWS = 99  # L: ranks take L + 1 = 100 values
BINS = 20
ALPHA = 0.01
RESULTS_DIR = Path(__file__).parent / "results"


def rank_pvalue(ranks, rank_draws=RANK_DRAWS, bins=BINS):
    """Chi-square p-value of uniformity of ranks in 0..rank_draws, in ``bins`` equal bins."""
    ranks = np.asarray(ranks)
    if (rank_draws + 1) % bins:
        raise ValueError(f"{rank_draws + 1} rank values do not split into {bins} equal bins.")
    counts = np.bincount(ranks * bins // (rank_draws + 1), minlength=bins)
    return float(stats.chisquare(counts).pvalue)


def summarize(result, alpha=ALPHA):
    """p-value per parameter, the Bonferroni-adjusted min, and pass/fail."""
    pvalues = {name: rank_pvalue(r, result["rank_draws"]) for name, r in result["ranks"].items()}
    adjusted = min(1.0, len(pvalues) * min(pvalues.values()))
    return {"pvalues": pvalues, "min_p": min(pvalues.values()), "adjusted_p": adjusted,
            "worst": min(pvalues, key=pvalues.get), "passed": adjusted > alpha}
