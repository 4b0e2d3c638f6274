"""Tests that do not assume normal data: permutation tests and bootstrap intervals, seeded, and
the Benjamini–Hochberg correction for looking at many comparisons at once."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

# Rows of permutations drawn at a time, so memory stays flat for accounts with many posts.
_CELLS_PER_CHUNK = 2_000_000


@dataclass(frozen=True)
class GroupTest:
    level: int
    n: int  # posts in the group
    n_rest: int
    mean: float  # mean per-post engagement rate in the group
    mean_rest: float
    p: float  # two-sided permutation p-value


def permutations_for(comparisons: int, rate: float) -> int:
    """Enough permutations that the smallest attainable p-value, 1 / (permutations + 1), is
    under half the strictest Benjamini–Hochberg threshold (rate / comparisons)."""
    if comparisons <= 0:
        return 0
    return int(min(20_000, max(2_000, math.ceil(2 * comparisons / rate))))


def group_tests(
    values: np.ndarray,
    groupings: Sequence[tuple[np.ndarray, Sequence[int]]],
    *,
    permutations: int,
    rng: np.random.Generator,
) -> list[list[GroupTest]]:
    """For each grouping (labels per value, levels to test) and each level: is the mean of
    `values` in that group different from the rest's?

    Under the null hypothesis the values are exchangeable between groups, so shuffling them
    gives the distribution of the difference in means; the p-value counts shuffles at least as
    extreme as the observed difference (plus one, so it is never zero). One set of shuffles
    serves every grouping of the same values (each test stays exact on its own)."""
    n = len(values)
    if n == 0 or not groupings:
        return [[] for _ in groupings]
    total = float(values.sum())
    onehots, counts, observed = [], [], []
    for labels, _ in groupings:
        n_levels = int(labels.max()) + 1
        onehot = np.zeros((n, n_levels))
        onehot[np.arange(n), labels] = 1.0
        count = onehot.sum(axis=0)
        onehots.append(onehot)
        counts.append(count)
        observed.append(_diffs(values @ onehot, count, total, n))
    extreme = [np.zeros(len(c), dtype=np.int64) for c in counts]
    chunk = max(1, _CELLS_PER_CHUNK // n)
    done = 0
    while done < permutations:
        rows = min(chunk, permutations - done)
        shuffled = rng.permuted(np.broadcast_to(values, (rows, n)), axis=1)
        for i, onehot in enumerate(onehots):
            diffs = _diffs(shuffled @ onehot, counts[i], total, n)
            extreme[i] += (np.abs(diffs) >= np.abs(observed[i]) - 1e-12).sum(axis=0)
        done += rows
    results = []
    for i, (labels, levels) in enumerate(groupings):
        tests = []
        for level in levels:
            inside = labels == level
            tests.append(
                GroupTest(
                    level=level,
                    n=int(counts[i][level]),
                    n_rest=n - int(counts[i][level]),
                    mean=float(values[inside].mean()),
                    mean_rest=float(values[~inside].mean()),
                    p=float((1 + extreme[i][level]) / (1 + permutations)),
                )
            )
        results.append(tests)
    return results


def _diffs(sums: np.ndarray, counts: np.ndarray, total: float, n: int) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return sums / counts - (total - sums) / (n - counts)


def benjamini_hochberg(p_values: Sequence[float]) -> list[float]:
    """Adjusted p-values (q-values): a comparison is a discovery at rate r when its q ≤ r."""
    m = len(p_values)
    if m == 0:
        return []
    order = sorted(range(m), key=lambda i: p_values[i])
    adjusted = [0.0] * m
    running = 1.0
    for rank in range(m, 0, -1):
        i = order[rank - 1]
        running = min(running, p_values[i] * m / rank)
        adjusted[i] = running
    return adjusted


def bootstrap_ratio_of_medians(
    a: np.ndarray, b: np.ndarray, *, rng: np.random.Generator, resamples: int = 2_000
) -> tuple[float, float]:
    """95% percentile interval for median(a) / median(b), resampling each group."""
    med_a = np.median(rng.choice(a, size=(resamples, len(a)), replace=True), axis=1)
    med_b = np.median(rng.choice(b, size=(resamples, len(b)), replace=True), axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratios = np.where(med_b > 0, med_a / np.where(med_b > 0, med_b, 1), np.inf)
    low, high = np.quantile(ratios, [0.025, 0.975])
    return float(low), float(high)
