from __future__ import annotations

import numpy as np
import pytest

from interviewmate.evaluation.significance import compare_paired, mcnemar


def test_planted_better_system_is_significant_with_the_right_sign() -> None:
    rng = np.random.default_rng(0)
    base = rng.uniform(0.2, 0.5, 60)
    better = base + rng.normal(0.08, 0.05, 60)
    r = compare_paired(base, better, resamples=10_000)
    assert r.mean_diff > 0 and r.p_ttest < 0.05 and r.p_wilcoxon < 0.05
    assert r.ci95[0] > 0 and r.cohens_d > 0.5 and r.n == 60
    worse = compare_paired(better, base)
    assert worse.mean_diff < 0 and worse.p_ttest < 0.05 and worse.ci95[1] < 0


def test_identical_systems_show_no_difference() -> None:
    x = np.linspace(0.1, 0.9, 40)
    r = compare_paired(x, x.copy())
    assert r.mean_diff == 0 and r.p_ttest == 1.0 and r.p_wilcoxon == 1.0
    assert r.ci95 == (0.0, 0.0) and r.cohens_d == 0.0


def test_noise_alone_is_not_significant() -> None:
    rng = np.random.default_rng(1)
    a = rng.uniform(0, 1, 80)
    b = a + rng.normal(0, 0.1, 80)
    assert compare_paired(a, b).p_ttest > 0.05


def test_bootstrap_is_seeded() -> None:
    rng = np.random.default_rng(2)
    a, b = rng.uniform(0, 1, 30), rng.uniform(0, 1, 30)
    assert compare_paired(a, b, seed=3).ci95 == compare_paired(a, b, seed=3).ci95


def test_small_n_and_underpowered_warnings() -> None:
    assert "below 20" in (compare_paired([0.1, 0.2, 0.3], [0.2, 0.3, 0.5]).warning or "")
    rng = np.random.default_rng(4)
    a = rng.uniform(0, 1, 30)
    r = compare_paired(a, a + rng.normal(0.01, 0.2, 30))
    assert r.warning is not None and "detects |d|" in r.warning


def test_mismatched_lengths_are_refused() -> None:
    with pytest.raises(ValueError, match="differ in length"):
        compare_paired([1.0, 2.0], [1.0])


def test_mcnemar_exact_and_chi_square() -> None:
    a = [True] * 30 + [False] * 10
    b = [True] * 30 + [True] * 10  # b fixes 10 of a's errors, never worse
    r = mcnemar(a, b)
    assert r.only_b_correct == 10 and r.only_a_correct == 0 and r.exact and r.p_value < 0.01
    same = mcnemar(a, a)
    assert same.p_value == 1.0 and same.warning
    big_a = [True] * 100 + [False] * 40 + [True] * 10
    big_b = [True] * 100 + [True] * 40 + [False] * 10
    chi = mcnemar(big_a, big_b)
    assert not chi.exact and chi.p_value < 0.001
