from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from interviewmate.cli import app
from interviewmate.errors import DataError
from interviewmate.evaluation.io import match_ids, read_texts
from tests.evaluation.test_errors import GOOD, REF


def write(path: Path, rows: list[tuple[str, str]]) -> Path:
    path.write_text("".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in rows), encoding="utf-8")
    return path


def test_read_texts_errors_name_the_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(b'{"id": "1", "text": "ok"}\n{"id": "2", "text": "caf\xe9"}\n')
    with pytest.raises(DataError, match=r"bad.jsonl:2: not valid UTF-8"):
        read_texts(bad)
    empty = write(tmp_path / "empty.jsonl", [("1", "fine"), ("2", "  ")])
    with pytest.raises(DataError, match=r"empty.jsonl:2: empty text for id 2"):
        read_texts(empty)
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"id": "1", "text": "a"}\n{"id": 2,\n')
    with pytest.raises(DataError, match=r"broken.jsonl:2: not valid JSON"):
        read_texts(broken)
    dup = write(tmp_path / "dup.jsonl", [("1", "a"), ("1", "b")])
    with pytest.raises(DataError, match=r"dup\.jsonl:2: duplicate id 1"):
        read_texts(dup)


def test_mismatched_ids_are_named() -> None:
    with pytest.raises(DataError, match=r"1 reference ids have no predictions \(first: c\)"):
        match_ids({"a": "x", "b": "y"}, {"a": "x", "b": "y", "c": "z"})


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    rng_words = GOOD.split()
    refs, preds, base = [], [], []
    for i in range(24):
        refs.append((f"q{i}", REF))
        preds.append((f"q{i}", GOOD if i % 4 else GOOD + " It helps."))
        base.append((f"q{i}", " ".join(rng_words[: 8 + i % 5]) + "."))
    return {
        "refs": write(tmp_path / "refs.jsonl", refs),
        "preds": write(tmp_path / "preds.jsonl", preds),
        "base": write(tmp_path / "base.jsonl", base),
    }


def test_eval_generation_json_shape_and_planted_gain(files: dict[str, Path], tmp_path: Path) -> None:
    html = tmp_path / "report.html"
    args = ["eval", "generation", "--predictions", str(files["preds"]), "--references", str(files["refs"])]
    args += ["--baseline", str(files["base"]), "--json", "--html", str(html), "--resamples", "2000"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    keys = {"rouge1", "rouge2", "rougeL", "rougeLsum", "bleu", "meteor", "exact_match", "semantic_similarity"}
    assert out["n"] == 24 and set(out["metrics"]) == keys and set(out["baseline_metrics"]) == keys
    assert set(out["significance"]["rougeL"]) >= {"mean_diff", "ci95", "p_ttest", "p_wilcoxon", "cohens_d"}
    assert out["significance"]["rougeL"]["mean_diff"] > 0 and out["significance"]["rougeL"]["p_ttest"] < 0.05
    assert len(out["errors"]) == 8
    assert out["baseline_errors"]["length_mismatch"] > out["errors"]["length_mismatch"]
    page = html.read_text()
    assert page.count("data:image/png;base64,") >= 3 and "rougeL" in page


def test_eval_generation_bad_input_is_one_clear_line(files: dict[str, Path], tmp_path: Path) -> None:
    import subprocess
    import sys

    short = write(tmp_path / "short.jsonl", [("q0", "x")])
    cmd = [sys.executable, "-m", "interviewmate.cli", "eval", "generation"]
    cmd += ["--predictions", str(short), "--references", str(files["refs"])]
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2 and "ids do not match" in result.stderr and "Traceback" not in result.stderr


def test_eval_report_renders_a_run_dir(tmp_path: Path) -> None:
    run = tmp_path / "run"
    run.mkdir()
    (run / "metrics.jsonl").write_text(
        "".join(
            json.dumps({"step": s, "train_loss": 3 - s / 10, "val_loss": 3.1 - s / 12}) + "\n"
            for s in range(10)
        )
    )
    (run / "classification_interview_type.json").write_text(
        json.dumps(
            {
                "labels": ["a", "b"],
                "accuracy": 0.75,
                "macro_f1": 0.7,
                "per_class": {"a": {"precision": 1, "recall": 0.5, "f1": 0.67, "support": 2}},
                "confusion": [[1, 1], [0, 2]],
                "ece": 0.1,
            }
        )
    )
    result = CliRunner().invoke(app, ["eval", "report", str(run)])
    assert result.exit_code == 0, result.output
    page = (run / "report.html").read_text()
    assert "training curves" in page and "classification interview type" in page
    assert page.count("data:image/png;base64,") == 2
    empty = tmp_path / "empty"
    empty.mkdir()
    from interviewmate.evaluation.report import render_run_dir

    with pytest.raises(DataError, match=r"has no eval_generation\.json"):
        render_run_dir(empty)


def test_a_damaged_result_file_is_named_not_traced(tmp_path: Path) -> None:
    from interviewmate.evaluation.report import render_run_dir

    run = tmp_path / "run"
    run.mkdir()
    (run / "eval_generation.json").write_text('{"metrics": ', encoding="utf-8")  # cut off mid-write
    with pytest.raises(DataError, match=r"eval_generation\.json: not valid JSON"):
        render_run_dir(run)
    (run / "eval_generation.json").unlink()
    (run / "classification_type.json").write_text('{"accuracy": 0.9}', encoding="utf-8")  # not our shape
    with pytest.raises(
        DataError, match=r"classification_type\.json: not the shape InterviewMate.s commands write"
    ):
        render_run_dir(run)
