"""Paired comparisons (tuned vs base on the same items) and McNemar for two classifiers.

Every result carries n and a warning when n is too small to detect the effect it reports.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np

MIN_N = 20  # below this no paired test is trusted, whatever its p
BOOTSTRAP_RESAMPLES = 10_000
Z_ALPHA, Z_POWER = 1.959964, 0.841621  # two-sided alpha 0.05, power 0.80


@dataclass
class PairedResult:
    n: int
    mean_a: float
    mean_b: float
    mean_diff: float  # mean(b - a): positive means b (the candidate) is better
    ci95: tuple[float, float]  # paired bootstrap percentile interval of mean_diff
    p_ttest: float
    p_wilcoxon: float
    cohens_d: float  # mean(diff) / sd(diff), paired
    min_detectable_d: float  # smallest |d| this n detects with 80% power at alpha 0.05
    warning: str | None

    def to_json(self) -> dict[str, object]:
        out = asdict(self)
        out["ci95"] = list(self.ci95)
        return out


def paired_bootstrap_ci(
    diff: np.ndarray, resamples: int = BOOTSTRAP_RESAMPLES, seed: int = 0
) -> tuple[float, float]:
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, len(diff), size=(resamples, len(diff)))
    means = diff[idx].mean(axis=1)
    lo, hi = np.percentile(means, [2.5, 97.5])
    return float(lo), float(hi)


def compare_paired(
    a: Sequence[float], b: Sequence[float], resamples: int = BOOTSTRAP_RESAMPLES, seed: int = 0
) -> PairedResult:
    """Is system b different from system a on the same items? (b - a > 0: b better on a higher-is-better metric.)"""
    from scipy import stats

    x, y = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if x.shape != y.shape:
        raise ValueError(f"paired samples differ in length: {len(x)} vs {len(y)}")
    n = len(x)
    diff = y - x
    if n == 0:
        raise ValueError("no paired items to compare")
    sd = float(diff.std(ddof=1)) if n > 1 else 0.0
    mean_diff = float(diff.mean())
    if sd == 0.0:
        # identical systems (or a constant shift): no variance to test against
        p_t = 1.0 if mean_diff == 0 else 0.0
        d = 0.0 if mean_diff == 0 else math.copysign(math.inf, mean_diff)
    else:
        p_t = float(stats.ttest_rel(y, x).pvalue)
        d = mean_diff / sd
    p_w = 1.0 if not np.any(diff) else float(stats.wilcoxon(y, x, zero_method="wilcox").pvalue)
    ci = paired_bootstrap_ci(diff, resamples, seed) if n > 1 else (mean_diff, mean_diff)
    min_d = (Z_ALPHA + Z_POWER) / math.sqrt(n)
    warning = None
    if n < MIN_N:
        warning = f"n={n} is below {MIN_N}: treat any p-value as anecdotal"
    elif math.isfinite(d) and 0 < abs(d) < min_d:
        warning = f"n={n} detects |d| >= {min_d:.2f} with 80% power; the observed d={d:.2f} is below that"
    return PairedResult(n, float(x.mean()), float(y.mean()), mean_diff, ci, p_t, p_w, d, min_d, warning)


@dataclass
class McNemarResult:
    n: int
    only_a_correct: int
    only_b_correct: int
    statistic: float
    p_value: float
    exact: bool
    warning: str | None


def mcnemar(correct_a: Sequence[bool], correct_b: Sequence[bool]) -> McNemarResult:
    """Exact binomial test when discordant pairs are few (< 25), chi-square with continuity correction otherwise."""
    from scipy import stats

    if len(correct_a) != len(correct_b):
        raise ValueError("McNemar needs the two classifiers' results on the same items")
    b = sum(1 for x, y in zip(correct_a, correct_b, strict=True) if x and not y)
    c = sum(1 for x, y in zip(correct_a, correct_b, strict=True) if y and not x)
    n = len(correct_a)
    if b + c == 0:
        return McNemarResult(n, b, c, 0.0, 1.0, True, "the classifiers never disagree")
    if b + c < 25:
        p = float(stats.binomtest(min(b, c), b + c, 0.5).pvalue)
        return McNemarResult(n, b, c, float(min(b, c)), p, True, None)
    stat = (abs(b - c) - 1) ** 2 / (b + c)
    p = float(stats.chi2.sf(stat, 1))
    warning = f"n={n} is below {MIN_N}" if n < MIN_N else None
    return McNemarResult(n, b, c, stat, p, False, warning)
