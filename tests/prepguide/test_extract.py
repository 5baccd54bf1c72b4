"""Extraction on the sample projects: stack, components and numbers, each with a source that really holds it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from interviewmate.prepguide.components import extract_components
from interviewmate.prepguide.model import Project, SourceRef
from interviewmate.prepguide.numbers import extract_numbers
from interviewmate.prepguide.overview import extract_overview
from interviewmate.prepguide.scan import read_path
from interviewmate.prepguide.stack import extract_stack


def source_line(root: Path, ref: SourceRef) -> str:
    """The text of the cited line, read straight from the file (notebook cells through their JSON)."""
    if ref.cell is not None:
        cell = json.loads((root / ref.file).read_text())["cells"][ref.cell - 1]
        texts = ["".join(cell["source"])] + ["".join(o.get("text", "")) for o in cell.get("outputs", [])]
        lines = [ln for t in texts for ln in t.splitlines()]
        return "\n".join(lines)  # a notebook line number is within the cell or its output: accept either
    return (root / ref.file).read_text().splitlines()[ref.line - 1]


def test_churn_stack_merges_declared_and_imported_and_skips_stdlib_and_local(projects: Path) -> None:
    stack = extract_stack(read_path(projects / "churn_model"))
    names = [s.name for s in stack]
    assert {"pandas", "scikit-learn", "xgboost", "typer"} <= set(names)
    assert not {"os", "argparse", "churn", "sklearn", "pytest"} & set(names)
    sk = next(s for s in stack if s.name == "scikit-learn")
    assert sk.declared and {r.file for r in sk.sources} >= {"pyproject.toml"}
    for item in stack:
        for ref in item.sources:
            line = source_line(projects / "churn_model", ref).lower()
            assert item.name.lower() in line or "sklearn" in line, (item.name, ref)


def test_stack_from_requirements_and_notebook_code_cells(projects: Path) -> None:
    api = {s.name: s for s in extract_stack(read_path(projects / "fastapi_service"))}
    assert {"fastapi", "uvicorn", "onnxruntime", "numpy", "pydantic"} <= set(api)
    assert api["fastapi"].declared and not api["pydantic"].declared  # imported only
    nb = extract_stack(read_path(projects / "notebook_only"))
    assert [s.name for s in nb] == ["matplotlib", "pandas", "scikit-learn"]
    assert all(s.sources[0].file == "housing.ipynb" and s.sources[0].cell == 2 for s in nb)


def test_components_entry_points_clis_and_web_routes(projects: Path) -> None:
    churn = extract_components(read_path(projects / "churn_model"))
    kinds = {(c.kind, c.name) for c in churn}
    assert ("console script", "churn") in kinds
    assert {("cli command", "train"), ("cli command", "predict"), ("main block", "churn.train")} <= kinds
    assert ("cli", "argparse CLI") in kinds and ("cli", "typer CLI") in kinds
    main = next(c for c in churn if c.kind == "main block")
    assert "__main__" in source_line(projects / "churn_model", main.source)
    api = extract_components(read_path(projects / "fastapi_service"))
    routes = {c.name: c for c in api if c.kind == "route"}
    assert set(routes) == {"POST /predict", "GET /health"} and routes["POST /predict"].detail == "predict"
    assert '"/predict"' in source_line(projects / "fastapi_service", routes["POST /predict"].source)
    assert any(c.kind == "web app" and "FastAPI" in c.name for c in api)
    nb = extract_components(read_path(projects / "notebook_only"))
    assert [(c.kind, c.detail) for c in nb] == [("notebook", "House Prices in California")]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("churn_model", {"0.87", "12,400", "0.71", "18%"}),
        ("fastapi_service", {"45 ms", "91.2%", "25,000"}),
        ("notebook_only", {"20,640", "0.503", "0.745"}),
    ],
)
def test_numbers_are_verbatim_with_their_line_and_phrase(
    projects: Path, name: str, expected: set[str]
) -> None:
    facts = extract_numbers(read_path(projects / name))
    values = [f.value for f in facts]
    assert expected <= set(values)
    assert len(values) == len(set(values))
    assert "2023" not in values and "400" not in values  # a year; a number inside a code fence
    for f in facts:
        assert f.value in f.phrase
        assert f.value in source_line(projects / name, f.source), f


def test_the_strongest_metric_ranks_first(projects: Path) -> None:
    assert extract_numbers(read_path(projects / "churn_model"))[0].value == "0.87"
    assert extract_numbers(read_path(projects / "fastapi_service"))[0].value in {"91.2%", "45 ms"}


def test_overview_title_and_first_paragraphs(projects: Path) -> None:
    ov = extract_overview(read_path(projects / "churn_model"))
    assert ov.title == "Churn Predictor"
    assert ov.summary.startswith("Predicts which subscription customers") and "CI" not in ov.summary
    assert ov.source == SourceRef("README.md", 5)
    setext = extract_overview(read_path(projects / "fastapi_service"))
    assert setext.title == "Sentiment API" and "ONNX" in setext.summary


def test_a_single_readme_is_a_project(projects: Path) -> None:
    project = read_path(projects / "fastapi_service" / "README.md")
    assert isinstance(project, Project) and project.paths == ["README.md"]
    assert "45 ms" in {f.value for f in extract_numbers(project)}


def test_markdown_cleanup_never_merges_digits() -> None:
    from interviewmate.prepguide.overview import plain

    text = "CPU (x86_64), run generate_speed.py: **0.87** AUC, `p95` _fast_ and snake_case_name 12_000"
    assert plain(text) == "CPU (x86_64), run generate_speed.py: 0.87 AUC, p95 fast and snake_case_name 12_000"
