"""Each detector with examples that must and must not trigger it."""

from __future__ import annotations

import pytest

from interviewmate.evaluation.errors import CATEGORIES, ErrorItem, analyze_errors, find_errors

Q = "How does a B-tree index speed up range queries in PostgreSQL?"
REF = (
    "A B-tree keeps keys sorted in balanced pages, so the planner descends from the root to the first key of the "
    "range in logarithmic time and then walks the leaf pages in order. A range scan therefore reads only the "
    "matching leaves instead of the whole table. It helps most when the range is selective; for a large share of "
    "rows a sequential scan can be cheaper."
)
GOOD = (
    "The B-tree stores keys sorted in balanced pages, so PostgreSQL descends to the first key of the range in "
    "logarithmic time and then reads the leaf pages in order. A range scan touches only matching leaves, not the "
    "whole table. If the range covers a large share of rows, a sequential scan can be cheaper."
)


def cats(item: ErrorItem) -> set[str]:
    return {f.category for f in find_errors(item)}


def test_a_good_answer_triggers_nothing() -> None:
    assert cats(ErrorItem("g", GOOD, REF, Q)) == set()


CASES = [
    (
        "hallucination",
        GOOD + " At Stripe in 2019 we cut latency by 73% on 4000 Oracle shards.",
        GOOD + " It works the same way in the planner for every version.",
    ),
    (
        "generic_response",
        "It depends on many factors. In general you should follow best practices and leverage a robust solution "
        "that fits the use case, since there are many different approaches.",
        GOOD + " In general it depends on selectivity.",
    ),
    (
        "technical_error",
        "A B-tree keeps keys sorted in balanced pages, so the planner does not descend from the root to the first "
        "key of the range in logarithmic time. Range scans read matching leaves in order.",
        GOOD,
    ),
    ("length_mismatch", "It uses a sorted tree.", GOOD),
    ("incomplete", GOOD + " For a large share of rows the planner will", GOOD),
    ("repetitive", "The index is sorted. " * 6 + "Range scans are fast because the index is sorted.", GOOD),
    (
        "off_topic",
        "My favourite holiday was hiking in the mountains with friends, eating cheese and watching sunsets.",
        GOOD,
    ),
    ("format_error", "<|im_start|>assistant " + GOOD, GOOD),
]


@pytest.mark.parametrize(("category", "triggers", "clean"), CASES, ids=[c[0] for c in CASES])
def test_detector_triggers_and_stays_quiet(category: str, triggers: str, clean: str) -> None:
    assert category in cats(ErrorItem("t", triggers, REF, Q)), category
    assert category not in cats(ErrorItem("c", clean, REF, Q)), category


def test_technical_error_from_missed_key_points() -> None:
    kps = ("sorted keys", "logarithmic descent", "sequential scan cheaper for wide ranges")
    on_topic_but_thin = (
        "PostgreSQL range queries use the index pages of the table to find rows for the range query."
    )
    assert "technical_error" in cats(ErrorItem("k", on_topic_but_thin, REF, Q, key_points=kps))
    assert "technical_error" not in cats(ErrorItem("k", GOOD, REF, Q, key_points=kps))


def test_format_error_when_a_question_was_asked_for() -> None:
    assert "format_error" in cats(ErrorItem("q", "Sharding splits data.", "", "", expect_question=True))
    assert "format_error" not in cats(ErrorItem("q", "How would you shard it?", "", "", expect_question=True))
    assert "format_error" in cats(ErrorItem("e", "   ", REF, Q))
    assert "format_error" in cats(ErrorItem("r", "assistant: " + GOOD, REF, Q))
    assert "format_error" in cats(ErrorItem("f", GOOD + " ```python", REF, Q))


def test_analysis_shares_worst_examples_and_fixes() -> None:
    items = [ErrorItem(str(i), GOOD, REF, Q) for i in range(6)]
    items += [ErrorItem("bad1", "The index is sorted. " * 8, REF, Q), ErrorItem("bad2", "", REF, Q)]
    analysis = analyze_errors(items)
    assert set(analysis.shares) == set(CATEGORIES) and len(CATEGORIES) == 8
    assert analysis.shares["repetitive"] == pytest.approx(1 / 8)
    assert analysis.worst["format_error"][0]["id"] == "bad2"
    out = analysis.to_json()
    assert "repetitive" in out["suggested_fixes"]  # type: ignore[operator]
