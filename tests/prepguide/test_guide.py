"""The guide: grounded outlines, no invented number survives the LLM, extractive mode, HTML escaping."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from interviewmate.errors import BackendError
from interviewmate.models.backends import FakeBackend
from interviewmate.models.embedder import HashingEmbedder
from interviewmate.prepguide.build import build_guide
from interviewmate.prepguide.render import render_html, render_markdown
from interviewmate.prepguide.scan import read_path

CITATION = re.compile(r"\[`[^`]+`\]")


def project_text(root: Path) -> str:
    """Every byte of the project as text, plus its file names: what a number must be found in."""
    parts = []
    for p in sorted(root.rglob("*")):
        if p.is_file():
            parts += [p.relative_to(root).as_posix(), p.read_text(encoding="utf-8", errors="replace")]
    return "\n".join(parts)


def numbers_not_in_project(markdown: str, root: Path) -> list[str]:
    """Digit runs in the guide (citations and the tool's own Notes left out) that the project lacks."""
    body = CITATION.sub("", markdown.split("\n## Notes\n")[0])
    text = project_text(root)
    return [n for n in re.findall(r"\d+(?:[.,]\d+)*", body) if n.rstrip(".,") not in text]


INVENTED = (
    "I built a churn model that reaches an AUC of 0.87 on 12,400 customers. "
    "It cut churn by 37% for 3,500 accounts in 9 weeks."
)
OUTLINE = (
    "- The XGBoost model reaches an AUC of 0.87 on a held-out set of customers.\n"
    "- We improved accuracy to 0.93 after tuning 64 trees.\n"
    "- Bananas and holidays are lovely in warm summer places.\n"
    "- What would you do differently with the XGBoost model if you started again?\n"
)


def test_no_number_in_the_guide_unless_the_project_has_it(projects: Path) -> None:
    root = projects / "churn_model"
    fake = FakeBackend([INVENTED, OUTLINE], repeat_last=True)
    guide = build_guide(read_path(root), HashingEmbedder(), fake, role="ml_engineer")
    md = render_markdown(guide)
    assert numbers_not_in_project(md, root) == []
    for invented in ("37%", "3,500", "0.93", "64 trees", "9 weeks"):
        assert invented not in md
    assert (
        guide.pitch_generated and "0.87" in guide.pitch and "12,400" in guide.pitch
    )  # the true sentence stays
    assert any("quoted a number not found in its sources" in n for n in guide.notes)
    assert any("not supported by the cited passages" in n for n in guide.notes)  # the banana line
    generated = [p for q in guide.questions for p in q.outline if p.generated]
    assert generated and all("0.87" in p.text and p.sources for p in generated)
    assert len(fake.calls) == 1 + len(guide.questions)


@pytest.mark.parametrize("name", ["churn_model", "fastapi_service", "notebook_only"])
def test_extractive_guide_cites_real_files_and_quotes_only_project_numbers(projects: Path, name: str) -> None:
    root = projects / name
    guide = build_guide(read_path(root), HashingEmbedder())
    md = render_markdown(guide)
    assert numbers_not_in_project(md, root) == []
    assert not guide.pitch_generated and not any(p.generated for q in guide.questions for p in q.outline)
    for section in ("## Quick reference", "### Technical", "### System design", "### Behavioral",
                    "## Two-minute demo script", "## Readiness checklist"):  # fmt: skip
        assert section in md
    assert len(guide.talking_points) == 3 and len(guide.demo) == 4
    rows = md.split("| Number | In context | Source |")[1].split("\n\n")[0].splitlines()[2:]
    table_rows = [r.split(" | ")[1] for r in rows if "(columns:" in r]
    assert rows and len(set(table_rows)) == len(table_rows)  # one key number per table row
    for label in {m.group(0)[2:-2] for m in CITATION.finditer(md)}:
        file = label.split(" cell ")[0].rsplit(":", 1)[0]
        assert (root / file).is_file(), label
    for q in guide.questions:
        assert q.outline and all(p.sources for p in q.outline)


def test_outlines_retrieve_the_passage_that_answers(projects: Path) -> None:
    guide = build_guide(read_path(projects / "fastapi_service"), HashingEmbedder())
    route_q = next(q for q in guide.questions if "/predict" in q.text)
    assert "app/main.py" in {s.file for p in route_q.outline for s in p.sources}
    assert "app/model.py" not in {s.file for p in route_q.outline[:1] for s in p.sources}


def test_a_failing_llm_leaves_an_extractive_guide_with_a_note(projects: Path) -> None:
    class Broken(FakeBackend):
        def generate(self, messages, params):  # type: ignore[no-untyped-def]
            raise BackendError("llama.cpp server died")

    guide = build_guide(read_path(projects / "churn_model"), HashingEmbedder(), Broken())
    assert not guide.pitch_generated and guide.pitch.startswith("Churn Predictor:")
    assert any("llama.cpp server died" in n for n in guide.notes)


def test_the_llm_time_budget_leaves_the_rest_extractive(projects: Path) -> None:
    fake = FakeBackend([INVENTED], repeat_last=True)
    guide = build_guide(read_path(projects / "churn_model"), HashingEmbedder(), fake, llm_budget_s=0.0)
    assert fake.calls == [] and not guide.pitch_generated
    assert any("stopped asking the LLM" in n for n in guide.notes)


def test_html_is_self_contained_and_escaped(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text(
        "# Evil <script>alert(1)</script> project\n\nIt reaches 0.91 accuracy on 5,000 <b>emails</b>.\n"
    )
    guide = build_guide(read_path(tmp_path), HashingEmbedder())
    html = render_html(guide)
    assert "<script>" not in html and "&lt;script&gt;" in html and "&lt;b&gt;" in html
    assert "<link" not in html and "src=" not in html  # nothing fetched from elsewhere
    assert "0.91" in html and "README.md:3" in html


def test_digits_inside_names_do_not_license_a_number() -> None:
    """A README that says "p95" and "H100" has no 95 or 100 in it: an LLM line claiming "95%" is dropped."""
    from interviewmate.prepguide.numbers import TOKEN, unsupported_numbers

    known = {t for t in TOKEN.findall("p95 latency of 40 ms on an H100; F1 0.91 over 1,200 rows")}
    assert known == {"40", "0.91", "1,200"}
    assert unsupported_numbers("cuts charges to 95% on an H100 with F1 0.91", known) == ["95"]
    assert unsupported_numbers("cuts charges by __95%__ and _37_ points", known) == ["95", "37"]  # emphasis
