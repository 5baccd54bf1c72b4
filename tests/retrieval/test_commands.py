from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from interviewmate.cli import app
from interviewmate.data import CORPUS_DIR
from interviewmate.errors import DataError, ModelUnavailableError
from interviewmate.models.embedder import HashingEmbedder
from interviewmate.resume import parse_resume

RESUME = CORPUS_DIR / "resumes/text/r-be-01.txt"
QUESTION = "Tell me about a time you made a slow PostgreSQL query faster."
# the hashing embedder only sees shared words, so the fast tests ask with the bullet's own words
WORDY_QUESTION = "Which index did you add after reading EXPLAIN ANALYZE for the invoice list query?"


@pytest.fixture
def jd(tmp_path: Path) -> Path:
    path = tmp_path / "jd.txt"
    path.write_text("Backend engineer for invoicing APIs on PostgreSQL and Redis.", encoding="utf-8")
    return path


@pytest.fixture
def fake_loader(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []

    def load(settings: object, which: str) -> HashingEmbedder:
        calls.append(which)
        if which == "tuned":
            raise ModelUnavailableError("the fine-tuned retriever is not packaged yet; use --model base")
        return HashingEmbedder()

    monkeypatch.setattr("interviewmate.retrieval.service.load_retriever", load)
    return calls


def _args(jd: Path, *extra: str, question: str = WORDY_QUESTION) -> list[str]:
    return ["retrieve", "--resume", str(RESUME), "--jd", str(jd), "--question", question, *extra]


def test_json_is_exactly_the_documented_shape(jd: Path, fake_loader: list[str]) -> None:
    result = CliRunner().invoke(app, _args(jd, "--k", "3", "--json"))
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert list(out) == ["bullets"] and len(out["bullets"]) == 3
    assert all(list(b) == ["text", "section", "score"] for b in out["bullets"])
    scores = [b["score"] for b in out["bullets"]]
    assert scores == sorted(scores, reverse=True)
    texts = {b.text for b in parse_resume(RESUME).bullets}
    assert all(b["text"] in texts for b in out["bullets"])
    assert "composite index" in out["bullets"][0]["text"]
    assert fake_loader == ["tuned", "base"]  # tuned first, then the fallback
    assert "base retriever" in result.stderr and "base retriever" not in result.stdout


def test_explicit_base_and_plain_output(jd: Path, fake_loader: list[str]) -> None:
    result = CliRunner().invoke(app, _args(jd, "--model", "base"))
    assert result.exit_code == 0, result.output
    assert fake_loader == ["base"] and "[1]" in result.stdout and "retriever: base" in result.stdout


def test_bad_inputs_raise_one_line_errors(tmp_path: Path, jd: Path, fake_loader: list[str]) -> None:
    bad = tmp_path / "cv.exe"
    bad.write_bytes(b"MZ")
    result = CliRunner().invoke(app, ["retrieve", "--resume", str(bad), "--jd", str(jd), "--question", "Q?"])
    assert isinstance(result.exception, DataError) and "unsupported file type" in str(result.exception)
    result = CliRunner().invoke(app, _args(tmp_path / "missing.txt"))
    assert isinstance(result.exception, DataError) and "cannot read" in str(result.exception)
    result = CliRunner().invoke(app, _args(jd, "--model", "large"))
    assert "--model must be base or tuned" in str(result.exception)
    result = CliRunner().invoke(app, _args(jd, "--model", "tuned"))
    assert isinstance(result.exception, ModelUnavailableError)


def test_main_prints_the_error_on_one_line(tmp_path: Path, jd: Path) -> None:
    import subprocess
    import sys

    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "interviewmate.cli",
            "retrieve",
            "--resume",
            str(empty),
            "--jd",
            str(jd),
            "--question",
            "Q?",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "empty.txt: the file is empty" in proc.stderr


@pytest.mark.slow
def test_real_base_minilm_on_a_corpus_resume(jd: Path) -> None:
    result = CliRunner().invoke(app, _args(jd, "--model", "base", "--k", "5", "--json", question=QUESTION))
    assert result.exit_code == 0, result.output
    bullets = json.loads(result.stdout)["bullets"]
    assert len(bullets) == 5 and all(-1.0 <= b["score"] <= 1.0 for b in bullets)
    # the resume has one bullet about reading a query plan and adding an index for a slow query
    assert any("EXPLAIN ANALYZE" in b["text"] for b in bullets[:2]), bullets
