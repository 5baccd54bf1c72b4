from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from interviewmate.data import CORPUS_DIR


def _head(path: Path, n: int) -> list[dict[str, object]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for _, line in zip(range(n), fh, strict=False)]


def write_jsonl(path: Path, rows: list[dict[str, object]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")


def _lexically_supported(rows: list[dict[str, object]]) -> list[dict[str, object]]:
    """Items whose key points pass on word overlap alone, so a bag-of-words test embedder accepts them."""
    from interviewmate.data.text import content_words, stem
    from interviewmate.data.validate import KEY_POINT_MIN_LEXICAL

    def ok(row: dict[str, object]) -> bool:
        answer = {stem(w) for w in content_words(str(row["reference_answer"]))}
        for kp in row["key_points"]:  # type: ignore[attr-defined]
            kp_stems = {stem(w) for w in content_words(kp)}
            if len(kp_stems & answer) / max(len(kp_stems), 1) < KEY_POINT_MIN_LEXICAL:
                return False
        return True

    return [r for r in rows if ok(r)]


@pytest.fixture
def tiny_corpus(tmp_path: Path) -> Path:
    """A small, valid corpus cut from the real one: 2 resumes and everything that refers to them."""
    out = tmp_path / "corpus"
    resumes = _head(CORPUS_DIR / "resumes/resumes.jsonl", 2)
    keep = {r["id"] for r in resumes}
    pairs = [
        json.loads(line)
        for line in (CORPUS_DIR / "retrieval_pairs.jsonl").read_text(encoding="utf-8").splitlines()
        if json.loads(line)["resume_id"] in keep
    ][:40]
    jd_ids = {p["jd_id"] for p in pairs}
    jds = [
        j
        for j in map(
            json.loads, (CORPUS_DIR / "job_descriptions.jsonl").read_text(encoding="utf-8").splitlines()
        )
        if j["id"] in jd_ids
    ]
    write_jsonl(out / "resumes/resumes.jsonl", resumes)
    write_jsonl(out / "retrieval_pairs.jsonl", pairs)
    write_jsonl(out / "job_descriptions.jsonl", jds)
    write_jsonl(out / "questions.jsonl", _lexically_supported(_head(CORPUS_DIR / "questions.jsonl", 80))[:30])
    write_jsonl(out / "router_requests.jsonl", _head(CORPUS_DIR / "router_requests.jsonl", 30))
    return out


@pytest.fixture
def corpus_copy(tmp_path: Path) -> Path:
    out = tmp_path / "full"
    shutil.copytree(CORPUS_DIR, out, ignore=shutil.ignore_patterns("*.py", "__pycache__", "rendered", "text"))
    return out
