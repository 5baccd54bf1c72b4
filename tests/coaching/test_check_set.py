"""The labelled check set: strong > weak > off-topic for 40 test-split questions (weights were tuned only on the
15 validation-split questions in check_set_dev.jsonl). Bars are what was measured (docs/scoring.md), so a
regression in the scorer fails here."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from interviewmate.coaching.scoring import ScoringContext, score_answer
from interviewmate.coaching.scoring_technical import answer_windows
from interviewmate.data import CORPUS_DIR
from interviewmate.data.corpus import load_bank
from interviewmate.domain import Difficulty, InterviewType, Question, Role
from interviewmate.evaluation.text_metrics import rouge
from interviewmate.models.embedder import Embedder, HashingEmbedder

HERE = Path(__file__).parent
KINDS = ("strong", "weak", "off_topic")
PAIRS = (("strong", "weak"), ("weak", "off_topic"), ("strong", "off_topic"))
HASHING_BAR = 0.80  # measured 100/120 = 0.833
MINILM_BAR = 0.90  # measured 110/120 = 0.917 (the >= 90% target)


def load(name: str) -> list[dict[str, Any]]:
    return [
        json.loads(line) for line in (HERE / name).read_text(encoding="utf-8").splitlines() if line.strip()
    ]


def question_of(item_id: str) -> Question:
    item = next(q for q in load_bank() if q.id == item_id)
    return Question(
        item.question,
        Role(item.role),
        InterviewType(item.interview_type),
        Difficulty(item.difficulty),
        item.topic,
        tuple(item.key_points),
        item.reference_answer,
    )


def ordering_accuracy(rows: list[dict[str, Any]], embedder: Embedder) -> tuple[float, dict[str, float]]:
    """Share of (better, worse) pairs whose overall scores are strictly in the labelled order, and per pair."""
    context = ScoringContext(embedder=embedder)
    hits: Counter[str] = Counter()
    for row in rows:
        question = question_of(row["id"])
        overall = {k: score_answer(question, row[k], context).overall for k in KINDS}
        for a, b in PAIRS:
            hits[f"{a}>{b}"] += int((overall[a] or 0.0) > (overall[b] or 0.0))
    per_pair = {k: v / len(rows) for k, v in hits.items()}
    return sum(hits.values()) / (len(rows) * len(PAIRS)), per_pair


def test_check_set_is_drawn_from_the_right_splits_and_covers_types_and_roles() -> None:
    splits = json.loads((CORPUS_DIR / "splits.json").read_text(encoding="utf-8"))["questions.jsonl"]
    test, dev = load("check_set.jsonl"), load("check_set_dev.jsonl")
    assert len(test) >= 40 and len(dev) >= 15
    assert {r["id"] for r in test} <= set(splits["test"])
    assert {r["id"] for r in dev} <= set(splits["val"])
    assert len({r["id"] for r in test}) == len(test)
    bank = {q.id: q for q in load_bank()}
    assert {bank[r["id"]].interview_type for r in test} == {t.value for t in InterviewType}
    assert len({bank[r["id"]].role for r in test}) >= 5
    assert all(r[k].strip() for r in test + dev for k in (*KINDS, "off_topic_question"))


def test_strong_answers_are_not_copies_of_the_reference() -> None:
    rows = load("check_set.jsonl") + load("check_set_dev.jsonl")
    bank = {q.id: q for q in load_bank()}
    scores = rouge([r["strong"] for r in rows], [bank[r["id"]].reference_answer for r in rows])["rougeL"]
    assert max(scores) < 0.6, max(scores)  # measured max 0.549, mean 0.41: same points, own wording


def test_ordering_accuracy_with_hashing_embedder() -> None:
    accuracy, per_pair = ordering_accuracy(load("check_set.jsonl"), HashingEmbedder())
    assert accuracy >= HASHING_BAR, (accuracy, per_pair)
    assert per_pair["strong>weak"] >= 0.95, per_pair


@pytest.mark.slow
def test_ordering_accuracy_with_minilm(shared_model_cache: Path) -> None:
    from interviewmate.models.embedder import SentenceEmbedder

    rows = load("check_set.jsonl")
    embedder = SentenceEmbedder(cache_dir=shared_model_cache)
    texts: list[str] = []  # embed everything in one batched call; scoring then hits the embedder's memo
    for row in rows:
        q = question_of(row["id"])
        texts += [q.text, q.reference_answer, *q.key_points]
        for k in KINDS:
            texts += [row[k].strip(), *answer_windows(row[k].strip())]
    embedder.encode(list(dict.fromkeys(texts)))
    accuracy, per_pair = ordering_accuracy(rows, embedder)
    assert accuracy >= MINILM_BAR, (accuracy, per_pair)
