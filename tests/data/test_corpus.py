"""The committed corpus keeps the dataset card's promises. Counts come from the files, never constants."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from interviewmate.data import CORPUS_DIR
from interviewmate.data.dedupe import KEEP_TOGETHER, similar_pairs
from interviewmate.data.pipeline import SPLITS_FILE, read_splits
from interviewmate.data.stats import names_a_label
from interviewmate.domain import Difficulty, InterviewType, Role, Seniority

RESUMES = CORPUS_DIR / "resumes"


def rows(name: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (CORPUS_DIR / name).read_text(encoding="utf-8").splitlines()]


def test_questions_counts_cells_and_difficulty_shares() -> None:
    qs = rows("questions.jsonl")
    assert len(qs) >= 1200
    cells = Counter((q["role"], q["interview_type"]) for q in qs)
    for role in Role:
        for itype in InterviewType:
            assert cells[(role.value, itype.value)] >= 30, (role, itype)
    shares = Counter(q["difficulty"] for q in qs)
    for d in Difficulty:
        assert shares[d.value] / len(qs) >= 0.25, d


def test_job_descriptions_cover_roles_and_seniority() -> None:
    jds = rows("job_descriptions.jsonl")
    assert len(jds) >= 60
    seen = {(j["role"], j["seniority"]) for j in jds}
    assert seen == {(r.value, s.value) for r in Role for s in Seniority}
    assert all(150 <= len(j["text"].split()) <= 300 for j in jds)


def test_resumes_and_rendered_fixtures() -> None:
    resumes = rows("resumes/resumes.jsonl")
    assert len(resumes) >= 40
    assert {(r["role"], r["seniority"]) for r in resumes} == {
        (r.value, s.value) for r in Role for s in Seniority
    }
    for r in resumes:
        n = sum(len(e["bullets"]) for e in r["experience"]) + sum(len(p["bullets"]) for p in r["projects"])
        assert 15 <= n <= 30, r["id"]
        assert (RESUMES / "text" / f"{r['id']}.txt").exists()
    expected = [json.loads(p.read_text()) for p in sorted((RESUMES / "rendered").glob("*.expected.json"))]
    pdfs = [e for e in expected if e["file"].endswith(".pdf")]
    assert len(pdfs) >= 12
    assert sum(e["layout"] == "two_column" for e in pdfs) >= 4
    assert sum(e["file"].endswith(".docx") for e in expected) >= 4
    for e in expected:
        assert (RESUMES / "rendered" / e["file"]).stat().st_size > 1000
        assert len(e["bullets"]) >= 15


def test_retrieval_pairs_count_and_paraphrase() -> None:
    from interviewmate.data.validate import PARAPHRASE_MAX_OVERLAP, paraphrase_overlap

    pairs = rows("retrieval_pairs.jsonl")
    assert len(pairs) >= 2000
    bullets = {
        b["id"]: b["text"]
        for r in rows("resumes/resumes.jsonl")
        for part in (*r["experience"], *r["projects"])
        for b in part["bullets"]
    }
    overlaps = [paraphrase_overlap(p["question"], bullets[p["positive_bullet_id"]]) for p in pairs]
    assert sum(o > PARAPHRASE_MAX_OVERLAP for o in overlaps) / len(overlaps) < 0.02
    assert len({p["positive_bullet_id"] for p in pairs}) / len(bullets) > 0.95, (
        "nearly every bullet is a target"
    )


def test_router_requests_count_and_indirect_labels() -> None:
    reqs = rows("router_requests.jsonl")
    assert len(reqs) >= 1200
    assert sum(not names_a_label(r["text"]) for r in reqs) / len(reqs) >= 0.5
    cells = Counter((r["role"], r["interview_type"]) for r in reqs)
    assert min(cells[(r.value, t.value)] for r in Role for t in InterviewType) >= 20


def test_corpus_validates_without_the_embedding_checks() -> None:
    from interviewmate.data.validate import validate_corpus

    report = validate_corpus(CORPUS_DIR, embedder=None)
    assert [str(e) for e in report.errors] == []


# ---- splits: committed, complete, leak-free ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def splits() -> Any:
    return read_splits(CORPUS_DIR / SPLITS_FILE)


def test_splits_cover_every_item_once(splits: Any) -> None:
    for name in (
        "questions.jsonl",
        "retrieval_pairs.jsonl",
        "router_requests.jsonl",
        "job_descriptions.jsonl",
    ):
        ids = [r["id"] for r in rows(name)]
        assert sorted(splits.assignment[name]) == sorted(ids), name
    sizes = Counter(splits.assignment["questions.jsonl"].values())
    total = sum(sizes.values())
    assert abs(sizes["train"] / total - 0.70) < 0.03 and abs(sizes["test"] / total - 0.15) < 0.03


def test_no_resume_in_two_splits(splits: Any) -> None:
    by_resume: dict[str, set[str]] = {}
    for p in rows("retrieval_pairs.jsonl"):
        by_resume.setdefault(p["resume_id"], set()).add(splits.assignment["retrieval_pairs.jsonl"][p["id"]])
    assert all(len(s) == 1 for s in by_resume.values())
    per_split = Counter(next(iter(s)) for s in by_resume.values())
    assert per_split["val"] >= 6 and per_split["test"] >= 6, "every role has held-out resumes"


def test_each_stratum_is_split(splits: Any) -> None:
    qs = rows("questions.jsonl")
    cells: dict[tuple[str, str, str], Counter[str]] = {}
    for q in qs:
        key = (q["role"], q["interview_type"], q["difficulty"])
        cells.setdefault(key, Counter())[splits.assignment["questions.jsonl"][q["id"]]] += 1
    for key, c in cells.items():
        if sum(c.values()) >= 10:
            assert c["test"] >= 1 and c["val"] >= 1, key


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "field"), [("questions.jsonl", "question"), ("router_requests.jsonl", "text")]
)
def test_near_duplicates_never_straddle_splits(
    splits: Any, name: str, field: str, shared_model_cache: Path
) -> None:
    from interviewmate.models.embedder import SentenceEmbedder

    items = rows(name)
    vectors = SentenceEmbedder(cache_dir=shared_model_cache).encode([r[field] for r in items])
    assignment = splits.assignment[name]
    for i, j, sim in similar_pairs(vectors, KEEP_TOGETHER):
        a, b = items[i]["id"], items[j]["id"]
        assert assignment[a] == assignment[b], f"{a} and {b} (cosine {sim:.3f}) straddle splits"


@pytest.mark.slow
def test_committed_corpus_passes_full_validation_and_splits_are_reproducible(
    tmp_path: Path, shared_model_cache: Path
) -> None:
    from interviewmate.data.pipeline import build_corpus
    from interviewmate.models.embedder import SentenceEmbedder

    embedder = SentenceEmbedder(cache_dir=shared_model_cache)
    result = build_corpus(CORPUS_DIR, embedder, out=tmp_path / "splits.json")
    assert [str(e) for e in result.report.errors] == []
    committed = json.loads((CORPUS_DIR / SPLITS_FILE).read_text())
    assert json.loads((tmp_path / "splits.json").read_text()) == committed
