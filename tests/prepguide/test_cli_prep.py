"""`interviewmate prep-guide`: files written, bad input as one error line (exit 2), real MiniLM end to end."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "interviewmate.cli", "prep-guide", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "HF_HUB_OFFLINE": "1", "COLUMNS": "300"},  # rich wraps at 80 otherwise
        timeout=300,
    )


def test_bad_input_is_one_error_line_and_exit_2(tmp_path: Path) -> None:
    result = _run(str(tmp_path), "--no-llm")
    assert result.returncode == 2
    assert result.stderr.strip().startswith("error:") and len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


@pytest.mark.slow
def test_cli_writes_markdown_and_html_with_the_packaged_minilm(projects: Path, tmp_path: Path) -> None:
    md, html = tmp_path / "guide.md", tmp_path / "guide.html"
    result = _run(str(projects / "fastapi_service"), "--no-llm", "--role", "backend dev",
                  "--out", str(md), "--html", str(html))  # fmt: skip
    assert result.returncode == 0, result.stderr
    text = md.read_text()
    assert "| 45 ms |" in text and "[`README.md:7`]" in text and "backend engineer" in text
    assert "bad input, timeouts and concurrent requests" in text
    predict_q = text.split("when a client calls POST /predict")[1].split("**Q:")[0]
    assert "app/main.py" in predict_q  # MiniLM retrieves the route's code for the route question
    assert html.read_text().startswith("<!doctype html>") and "45 ms" in html.read_text()
