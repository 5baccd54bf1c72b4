"""The pipeline on small corpora cut from the real one, with a fast hashing embedder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from interviewmate.data.io import load_corpus
from interviewmate.data.pipeline import SPLITS_FILE, build_corpus, read_splits, write_stats
from interviewmate.data.split import build_splits, stratified_assign
from interviewmate.data.validate import validate_corpus
from interviewmate.models.embedder import HashingEmbedder
from tests.data.conftest import write_jsonl

EMB = HashingEmbedder()


def _rows(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_tiny_corpus_is_valid_and_builds(tiny_corpus: Path) -> None:
    result = build_corpus(tiny_corpus, EMB)
    assert result.report.errors == []
    assert result.written == tiny_corpus / SPLITS_FILE
    splits = read_splits(result.written)
    assert set(splits.assignment) >= {"questions.jsonl", "retrieval_pairs.jsonl", "resumes/resumes.jsonl"}


def test_malformed_line_is_reported_with_its_number_and_nothing_is_written(tiny_corpus: Path) -> None:
    path = tiny_corpus / "questions.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[4] = lines[4][:-10]  # truncated JSON on line 5
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = build_corpus(tiny_corpus, EMB)
    assert any(str(e).startswith("questions.jsonl:5: not valid JSON") for e in result.report.errors)
    assert result.written is None and not (tiny_corpus / SPLITS_FILE).exists()


def test_broken_references_are_errors(tiny_corpus: Path) -> None:
    pairs = _rows(tiny_corpus / "retrieval_pairs.jsonl")
    pairs[0]["jd_id"] = "jd-ds-99"
    pairs[1]["positive_bullet_id"] = "r-zz-01-b01"
    pairs[2]["hard_negative_bullet_ids"] = [pairs[2]["positive_bullet_id"]]
    write_jsonl(tiny_corpus / "retrieval_pairs.jsonl", pairs)
    errors = [str(e) for e in validate_corpus(tiny_corpus, None).errors]
    assert any("retrieval_pairs.jsonl:1: job description jd-ds-99 does not exist" in e for e in errors)
    assert any(
        e.startswith("retrieval_pairs.jsonl:2:") and "r-zz-01-b01 is not in resume" in e for e in errors
    )
    assert any(e.startswith("retrieval_pairs.jsonl:3:") and "cannot be the positive" in e for e in errors)


def test_duplicate_ids_and_unsupported_key_points(tiny_corpus: Path) -> None:
    qs = _rows(tiny_corpus / "questions.jsonl")
    qs[3]["id"] = qs[2]["id"]
    qs[5]["key_points"] = [*qs[5]["key_points"][:2], "quantum annealing of zebra migrations"]  # type: ignore[index]
    write_jsonl(tiny_corpus / "questions.jsonl", qs)
    errors = [str(e) for e in validate_corpus(tiny_corpus, EMB).errors]
    assert any(e.startswith("questions.jsonl:4: duplicate id") for e in errors)
    assert any(e.startswith("questions.jsonl:6: key point 'quantum annealing") for e in errors)


def test_near_duplicates_fail_the_build_unless_whitelisted(tiny_corpus: Path) -> None:
    qs = _rows(tiny_corpus / "questions.jsonl")
    twin = dict(qs[0], id="q-ds-9001", question=str(qs[0]["question"]).replace("?", " today?"))
    write_jsonl(tiny_corpus / "questions.jsonl", [*qs, twin])
    result = build_corpus(tiny_corpus, EMB)
    assert result.written is None
    assert {frozenset((d.a, d.b)) for d in result.report.duplicates} == {
        frozenset((qs[0]["id"], "q-ds-9001"))
    }
    write_jsonl(
        tiny_corpus / "dedupe_whitelist.jsonl", [{"a": "q-ds-9001", "b": qs[0]["id"], "reason": "test twin"}]
    )
    result = build_corpus(tiny_corpus, EMB)
    assert result.written is not None and len(result.report.whitelisted) == 1
    splits = read_splits(result.written)
    a = splits.assignment["questions.jsonl"]
    assert a["q-ds-9001"] == a[str(qs[0]["id"])], "near-duplicates never straddle splits"


def test_whitelist_needs_a_reason(tiny_corpus: Path) -> None:
    write_jsonl(tiny_corpus / "dedupe_whitelist.jsonl", [{"a": "x", "b": "y", "reason": " "}])
    with pytest.raises(ValueError, match="needs a reason"):
        validate_corpus(tiny_corpus, EMB)


@pytest.mark.parametrize("n", [10, 37, 200])
def test_stratified_assign_is_deterministic_and_near_70_15_15(n: int) -> None:
    ids = [f"i{k:04d}" for k in range(n)]
    strata = ["a" if k % 3 else "b" for k in range(n)]
    first = stratified_assign(ids, strata, seed=7)
    assert first == stratified_assign(ids, strata, seed=7)
    assert first != stratified_assign(ids, strata, seed=8) or n < 20
    shares = {s: sum(v == s for v in first.values()) / n for s in ("train", "val", "test")}
    tolerance = 2 / n + 0.02 * 2  # at most one item off per stratum
    assert abs(shares["train"] - 0.70) <= tolerance + 0.05
    assert abs(shares["val"] - 0.15) <= tolerance + 0.05


def test_resumes_and_their_pairs_never_straddle(tiny_corpus: Path) -> None:
    splits = build_splits(load_corpus(tiny_corpus), EMB, seed=1)
    resume_of = {p["id"]: p["resume_id"] for p in _rows(tiny_corpus / "retrieval_pairs.jsonl")}
    for pair_id, split in splits.assignment["retrieval_pairs.jsonl"].items():
        assert splits.assignment["resumes/resumes.jsonl"][str(resume_of[pair_id])] == split


def test_stats_write_the_card_and_plots(tiny_corpus: Path, tmp_path: Path) -> None:
    card = tmp_path / "card.md"
    card.write_text(
        "# Card\n\nHand-written intro.\n\n<!-- stats:begin -->\nSTALE-STATS\n<!-- stats:end -->\n\nOutro.\n"
    )
    build_corpus(tiny_corpus, EMB)
    write_stats(tiny_corpus, card, tmp_path / "img", EMB, tokenizer=None)
    text = card.read_text()
    assert text.startswith("# Card\n\nHand-written intro.") and text.rstrip().endswith("Outro.")
    assert "STALE-STATS" not in text and "distinct-2" in text and "### Splits" in text
    assert (tmp_path / "img" / "dataset_lengths.png").stat().st_size > 1000


def test_cli_validate_fast_reports_file_and_line(tiny_corpus: Path) -> None:
    from interviewmate.cli import app

    (tiny_corpus / "router_requests.jsonl").write_text('{"id": "rr-1", "text": "hi"}\n', encoding="utf-8")
    result = CliRunner().invoke(app, ["data", "validate", "--corpus", str(tiny_corpus), "--fast", "--json"])
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert any(e.startswith("router_requests.jsonl:1: ") for e in report["errors"])
