from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from interviewmate.coaching import commands as coaching_commands
from interviewmate.coaching.scoring import OVERALL_WEIGHTS, ScoringContext, score_answer
from interviewmate.coaching.scoring_behavioral import behavioral_component, star_parts
from interviewmate.coaching.scoring_reference import (
    BANK_MATCH_COSINE,
    bank_vectors,
    draft_key_points,
    nearest_bank_item,
)
from interviewmate.coaching.scoring_technical import answer_windows, match_key_points
from interviewmate.data.corpus import load_bank
from interviewmate.domain import Bullet, ClaimCheck, Difficulty, InterviewType, Question, Role
from interviewmate.errors import ConfigError
from interviewmate.models.backends import FakeBackend
from interviewmate.models.embedder import Embedder, HashingEmbedder

CACHE_Q = Question(
    text="When does caching a DataFrame in Spark help, and when is it a mistake?",
    role=Role.DATA_ENGINEER,
    interview_type=InterviewType.TECHNICAL,
    difficulty=Difficulty.MEDIUM,
    key_points=(
        "keeps computed result in executor memory",
        "helps when reused several times",
        "cache is lazy",
        "write to table for reuse across jobs",
    ),
    reference_answer=(
        "Caching keeps a computed DataFrame in executor memory so later actions skip recomputation. It helps "
        "when the result is reused several times, and is a mistake when it is used once. Cache is lazy. For "
        "reuse across jobs, write it to a table."
    ),
)
STRONG = (
    "Caching stores the computed result in executor memory, so Spark does not recompute the lineage. "
    "It helps when the DataFrame is reused several times in iterative jobs. "
    "Remember that cache is lazy and only fills on the first action."
)
WEAK = "Caching in Spark can make a DataFrame job faster sometimes."
OFF_TOPIC = "Bananas ripen faster in a paper bag because ethylene gas gathers around the fruit overnight."
BEHAV_Q = Question(
    "Tell me about a time you improved a process on your team.",
    Role.DATA_ENGINEER,
    InterviewType.BEHAVIORAL,
    Difficulty.EASY,
)
STORY = (
    "At my last company our on-call rotation was painful. My goal was to cut the time to resolve alerts. "
    "I analysed three months of alerts and wrote runbooks for the top 12 alert types. "
    "As a result, resolution time fell from 55 to 20 minutes."
)
HASH = HashingEmbedder()


def ctx(embedder: Embedder | None = HASH, **kw: object) -> ScoringContext:
    return ScoringContext(embedder=embedder, **kw)  # type: ignore[arg-type]


def test_technical_lists_covered_and_missed_key_points_and_ranks_answers() -> None:
    strong = score_answer(CACHE_Q, STRONG, ctx())
    tech = strong.components["technical"]
    assert "keeps computed result in executor memory" in tech["covered"]
    assert "cache is lazy" in tech["covered"]
    assert "write to table for reuse across jobs" in tech["missed"]
    assert tech["rouge_l_f"] > 0 and tech["reference_cosine"] is not None
    weak = score_answer(CACHE_Q, WEAK, ctx())
    off = score_answer(CACHE_Q, OFF_TOPIC, ctx())
    assert strong.overall is not None and weak.overall is not None and off.overall is not None
    assert strong.overall > weak.overall > off.overall
    assert any("off-topic" in n for n in off.notes) and not any("off-topic" in n for n in strong.notes)


def test_key_point_match_uses_word_overlap_and_embedding() -> None:
    windows = answer_windows("We shard by user id. Reads go to replicas. Writes are batched.")
    assert "We shard by user id. Reads go to replicas." in windows  # adjacent pairs are windows too
    rows = match_key_points(["shard by user id", "use a bloom filter"], windows, None)
    assert [r["status"] for r in rows] == ["covered", "missed"]
    assert rows[0]["overlap"] == 1.0 and rows[0]["cosine"] is None
    vectors = dict(
        zip([*windows, "shard by user id"], HASH.encode([*windows, "shard by user id"]), strict=True)
    )
    with_cos = match_key_points(["shard by user id"], windows, vectors)[0]
    assert with_cos["cosine"] is not None and with_cos["cosine"] > 0.5


def test_long_run_on_transcripts_are_sliced_into_windows() -> None:
    transcript = " ".join(f"word{i}" for i in range(80))  # no punctuation, as speech often is
    windows = answer_windows(transcript)
    assert len(windows) > 1 and all(len(w.split()) <= 25 for w in windows)


def test_without_embedder_components_that_need_it_are_none_and_say_so() -> None:
    fb = score_answer(CACHE_Q, STRONG, ctx(None))
    assert fb.components["relevance"]["score"] is None
    assert fb.components["technical"]["parts"]["similarity"] is None
    assert fb.components["technical"]["parts"]["coverage"] is not None  # word overlap still runs
    assert any("no embedder" in n for n in fb.notes)
    assert any(n.startswith("overall from: technical") for n in fb.notes)
    assert fb.overall == fb.components["technical"]["score"]


def test_nothing_to_compare_with_gives_no_invented_score() -> None:
    bare = Question(
        "How would you design a cache?", Role.BACKEND_ENGINEER, InterviewType.TECHNICAL, Difficulty.EASY
    )
    fb = score_answer(bare, STRONG, ctx(None))
    assert fb.overall is None and fb.components["technical"]["score"] is None
    assert any("no key points" in n for n in fb.notes) and any("no reference" in n for n in fb.notes)
    assert any("no component could run" in n for n in fb.notes)


def test_empty_and_one_word_answers_score_low_with_a_reason() -> None:
    empty = score_answer(CACHE_Q, "   ", ctx())
    assert empty.overall == 0.0 and "empty" in empty.notes[0]
    one = score_answer(CACHE_Q, "cache", ctx())
    assert one.overall is not None and one.overall < 10
    assert any("very short answer (1 word)" in n for n in one.notes)


def test_star_parts_specificity_and_ownership() -> None:
    parts = star_parts(STORY)
    assert all(parts.values()), parts
    assert parts["result"] is not None and "55 to 20" in parts["result"]
    comp, _ = behavioral_component(STORY)
    assert comp["ownership"]["i_count"] > comp["ownership"]["we_count"]
    assert comp["specificity"]["quantities"] == ["three months", "12", "55", "20 minutes"]
    vague, vague_notes = behavioral_component("We worked hard as a team and we made things better for us.")
    assert vague["score"] < comp["score"]
    assert vague["ownership"]["i_share"] == 0.0
    assert any("STAR parts missing" in n and "result" in n for n in vague_notes)


def test_behavioral_question_gets_the_behavioral_component() -> None:
    fb = score_answer(BEHAV_Q, STORY, ctx())
    assert set(fb.components) == {"behavioral", "relevance"}
    assert fb.components["behavioral"]["star"]["action"]["found"]


def test_overall_is_the_documented_weighted_mean() -> None:
    checks = [
        ClaimCheck(STRONG.split(". ")[0], True, 0.8, 1, "matches bullet 1"),
        ClaimCheck("made up", False, 0.1, None, "no bullet says this"),
    ]
    fb = score_answer(
        CACHE_Q,
        STRONG,
        ctx(
            bullets=[Bullet("Tuned Spark caching", "Experience", 0)],
            delivery={"score": 70, "wpm": 140},
            claim_checker=lambda a, b, e, r: checks,
        ),
    )
    comps = fb.components
    assert (
        comps["grounding"]["score"] == 50.0 and comps["grounding"]["unsupported"][0]["sentence"] == "made up"
    )
    assert comps["delivery"] == {"score": 70.0, "wpm": 140}
    weights = {
        "technical": OVERALL_WEIGHTS["content"],
        **{k: OVERALL_WEIGHTS[k] for k in ("relevance", "grounding", "delivery")},
    }
    expected = sum(weights[k] * comps[k]["score"] for k in weights) / sum(weights.values())
    assert fb.overall == pytest.approx(expected, abs=0.05)


def test_delivery_without_a_score_is_not_invented() -> None:
    fb = score_answer(CACHE_Q, STRONG, ctx(delivery={"wpm": 150}))
    assert fb.components["delivery"]["score"] is None
    assert any("delivery not scored" in n for n in fb.notes)


def test_grounding_with_the_real_claim_checker() -> None:
    bullets = [
        Bullet("Cut Spark job runtime 40% by caching reused DataFrames in executor memory", "Experience", 0)
    ]
    answer = (
        "I cut Spark job runtime 40% by caching reused DataFrames in executor memory. "
        "I also led a team of 50 engineers at NASA."
    )
    fb = score_answer(CACHE_Q, answer, ctx(bullets=bullets))
    g = fb.components["grounding"]
    assert g["checked"] == 2 and g["supported"] == 1
    assert "NASA" in g["unsupported"][0]["sentence"]


# --- the `score` command ---------------------------------------------------------------------------------


def _cli(monkeypatch: pytest.MonkeyPatch, backend: FakeBackend, *args: str) -> dict[str, object]:
    from interviewmate.cli import app

    monkeypatch.setattr(coaching_commands, "_embedder", lambda settings: HASH)
    monkeypatch.setattr(coaching_commands, "_backend", lambda settings: backend)
    result = CliRunner().invoke(app, ["score", *args, "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert set(out) == {"overall", "components", "notes"}
    return out  # type: ignore[no-any-return]


def test_cli_uses_the_closest_bank_question(monkeypatch: pytest.MonkeyPatch) -> None:
    item = next(q for q in load_bank() if q.interview_type == "technical")
    backend = FakeBackend()
    out = _cli(
        monkeypatch, backend, "--question", item.question, "--answer", item.key_points[0] + " and more."
    )
    notes = out["notes"]
    assert isinstance(notes, list) and any(f"matched bank question {item.id}" in n for n in notes)
    assert backend.calls == []
    tech = out["components"]["technical"]  # type: ignore[index]
    assert item.key_points[0] in tech["covered"]


def test_cli_asks_the_generator_when_no_bank_question_is_close(monkeypatch: pytest.MonkeyPatch) -> None:
    backend = FakeBackend(
        ["1. Name the fruit ripening hormone\n2. Explain paper bags trap gas\n3. Mention room temperature"]
    )
    out = _cli(
        monkeypatch,
        backend,
        "--question",
        "Why do bananas ripen faster in paper bags?",
        "--answer",
        OFF_TOPIC,
    )
    assert len(backend.calls) == 1
    notes = out["notes"]
    assert any("drafted by the generator (3;" in n for n in notes)  # type: ignore[union-attr]
    assert any(f"< {BANK_MATCH_COSINE}" in n for n in notes)  # type: ignore[union-attr]
    assert len(out["components"]["technical"]["key_points"]) == 3  # type: ignore[index]


def test_cli_says_so_when_the_generator_reply_is_unusable(monkeypatch: pytest.MonkeyPatch) -> None:
    out = _cli(
        monkeypatch,
        FakeBackend(["Sure!"]),
        "--question",
        "Why do bananas ripen faster in paper bags?",
        "--answer",
        OFF_TOPIC,
    )
    assert any("no 3-5 usable key points" in n for n in out["notes"])  # type: ignore[union-attr]
    assert out["components"]["technical"]["parts"]["coverage"] is None  # type: ignore[index]


def test_cli_with_reference_skips_bank_and_generator(monkeypatch: pytest.MonkeyPatch) -> None:
    backend = FakeBackend()  # raises if called
    out = _cli(
        monkeypatch,
        backend,
        "--question",
        CACHE_Q.text,
        "--answer",
        STRONG,
        "--reference",
        CACHE_Q.reference_answer,
        "--type",
        "technical",
    )
    assert backend.calls == [] and out["overall"] is not None
    assert out["components"]["technical"]["reference_cosine"] is not None  # type: ignore[index]


def test_cli_rejects_an_unknown_type(monkeypatch: pytest.MonkeyPatch) -> None:
    from interviewmate.cli import app

    monkeypatch.setattr(coaching_commands, "_embedder", lambda settings: HASH)
    result = CliRunner().invoke(app, ["score", "--question", "Q?", "--answer", "A", "--type", "trivia"])
    assert isinstance(result.exception, ConfigError) and "--type" in str(result.exception)


def test_draft_key_points_parses_defensively() -> None:
    fake = FakeBackend(
        ["Here you go:\n1. First point here\n2. First point here\n- Second point\n3) Third one!\n4. x"]
    )
    assert draft_key_points(fake, "Q?") == ["First point here", "Second point", "Third one!"]
    assert draft_key_points(FakeBackend(["1. Only one point\n2. Only one point"]), "Q?") == []


class CountingEmbedder:
    def __init__(self) -> None:
        self.name = "counting/hash"
        self.texts = 0

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.texts += len(texts)
        return HASH.encode(texts)


def test_bank_vectors_are_cached_on_disk(tmp_path: Path) -> None:
    bank = load_bank()[:30]
    embedder = CountingEmbedder()
    first = bank_vectors(bank, embedder, tmp_path)
    assert embedder.texts == 30 and len(list(tmp_path.glob("bank-questions-counting_hash-*.npy"))) == 1
    again = bank_vectors(bank, embedder, tmp_path)
    assert embedder.texts == 30 and np.array_equal(first, again)
    bank_vectors(load_bank()[:31], embedder, tmp_path)  # other texts, other file
    assert embedder.texts == 61
    item, cos = nearest_bank_item(bank[3].question, bank, embedder, tmp_path) or (None, 0.0)
    assert item is bank[3] and cos == pytest.approx(1.0, abs=1e-5)


def test_delivery_from_the_speech_report() -> None:
    transcript = " ".join(
        ["um caching keeps the computed result in executor memory"] * 3
    )  # 27 words, 3 fillers
    report = {
        "duration_s": 9.0,
        "words_per_minute": 200.0,  # 30 over the 170 band edge: pace 40
        "fillers": [{"text": "um", "start": float(i)} for i in range(3)],  # 11.1 per 100 words: 0
        "hedges": [],  # 100
        "long_pauses": [{"start": 4.0, "duration_s": 1.5}],  # 90
        "video": None,
    }
    fb = score_answer(CACHE_Q, transcript, ctx(delivery=report))
    d = fb.components["delivery"]
    assert d["parts"] == {"pace": 40.0, "fillers": 0.0, "hedges": 100.0, "pauses": 90.0}
    assert d["score"] == 57.5 and d["words_per_minute"] == 200.0 and "video" not in d
    assert any("pace 200" in n for n in fb.notes) and any(n.startswith("fillers:") for n in fb.notes)
    short = score_answer(CACHE_Q, "um caching is lazy", ctx(delivery={**report, "fillers": []}))
    assert "pace" not in short.components["delivery"]["parts"]  # too few words to judge pace
