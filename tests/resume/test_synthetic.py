"""Layouts the committed fixtures do not cover: bullets split across pages, a full-width header above two
columns, right-aligned dates, Word tables and page headers, every bullet glyph."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

from interviewmate.resume import parse_resume, parse_resume_bytes
from interviewmate.resume.pdf import read_pdf

NAME = "Jane Doe"
WORDS = "shipped a service that cut latency by measuring queues and caching hot keys for the payments team".split()


def _sentence(i: int, n_words: int) -> str:
    words = [WORDS[(i * 7 + k) % len(WORDS)] for k in range(n_words)]
    return f"Bullet {i} " + " ".join(words) + f" ending {i}."


def _reportlab() -> Any:
    return pytest.importorskip("reportlab.platypus")


def test_pdf_bullets_split_across_pages_stay_whole(tmp_path: Path) -> None:
    platypus = _reportlab()
    from reportlab.lib.pagesizes import LETTER

    from interviewmate.data.render import _header_footer, _styles

    st = _styles()
    bullets = [_sentence(i, 90 + 13 * (i % 7)) for i in range(24)]
    flow: list[Any] = [platypus.Paragraph(NAME, st["name"]), platypus.Paragraph("Experience", st["head"])]
    flow += [platypus.Paragraph(b, st["bullet"], bulletText="\u2022") for b in bullets]
    path = tmp_path / "long.pdf"
    doc = platypus.SimpleDocTemplate(str(path), pagesize=LETTER, topMargin=40, bottomMargin=40)
    hf = _header_footer(NAME)
    doc.build(flow, onFirstPage=hf, onLaterPages=hf)

    from pypdf import PdfReader

    pages = [" ".join(p.extract_text().split()) for p in PdfReader(str(path)).pages]
    assert len(pages) >= 3
    assert any(not any(b in p for p in pages) for b in bullets), "no bullet straddles a page break"
    resume = parse_resume(path)
    assert [b.text for b in resume.bullets] == bullets
    assert {b.section for b in resume.bullets} == {"Experience"}
    assert not read_pdf(path.read_bytes(), path.name).two_column


def test_pdf_full_width_header_above_two_columns(tmp_path: Path) -> None:
    platypus = _reportlab()
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle

    from interviewmate.data.render import _header_footer, _styles

    st = _styles()
    w, h = A4
    top = platypus.Frame(36, h - 110, w - 72, 74, id="top")
    left = platypus.Frame(36, 36, 170, h - 150, id="left")
    right = platypus.Frame(230, 36, w - 266, h - 150, id="right")
    doc = platypus.BaseDocTemplate(str(tmp_path / "cols.pdf"), pagesize=A4)
    doc.addPageTemplates([platypus.PageTemplate(frames=[top, left, right], onPage=_header_footer(NAME))])
    centred = ParagraphStyle("c", parent=st["name"], alignment=TA_CENTER)
    left_b = [_sentence(i, 14) for i in range(4)]
    right_b = [_sentence(100 + i, 30) for i in range(10)]
    flow: list[Any] = [
        platypus.Paragraph(NAME, centred),
        platypus.Paragraph(
            "Staff engineer | jane@example.com | Leeds, United Kingdom | +44 1234 567890", st["body"]
        ),
        platypus.FrameBreak(),
        platypus.Paragraph("Projects", st["head"]),
        *[platypus.Paragraph(b, st["bullet"], bulletText="\u25aa") for b in left_b],
        platypus.Paragraph("Skills", st["head"]),
        platypus.Paragraph("Python, SQL, Go, Kafka", st["body"]),
        platypus.FrameBreak(),
        platypus.Paragraph("Experience", st["head"]),
        *[platypus.Paragraph(b, st["bullet"], bulletText="\u2013") for b in right_b],
    ]
    doc.build(flow)
    data = (tmp_path / "cols.pdf").read_bytes()
    assert read_pdf(data, "cols.pdf").two_column
    resume = parse_resume_bytes(data, "cols.pdf")
    assert [b.text for b in resume.bullets] == left_b + right_b
    assert [b.section for b in resume.bullets] == ["Projects"] * 4 + ["Experience"] * 10
    assert resume.raw_text.splitlines()[0] == NAME


def test_pdf_right_aligned_dates_stay_single_column(tmp_path: Path) -> None:
    platypus = _reportlab()
    from reportlab.lib.pagesizes import LETTER

    from interviewmate.data.render import _styles

    st = _styles()
    flow: list[Any] = [platypus.Paragraph(NAME, st["name"]), platypus.Paragraph("Experience", st["head"])]
    bullets: list[str] = []
    for job in range(5):
        row = [
            platypus.Paragraph(f"Engineer {job} - Company {job}", st["job"]),
            f"20{10 + job} - 20{11 + job}",
        ]
        flow.append(platypus.Table([row], colWidths=[380, 88], style=[("ALIGN", (1, 0), (1, 0), "RIGHT")]))
        for k in range(3):
            bullets.append(_sentence(job * 10 + k, 25))
            flow.append(platypus.Paragraph(bullets[-1], st["bullet"], bulletText="\u2022"))
    path = tmp_path / "dates.pdf"
    platypus.SimpleDocTemplate(str(path), pagesize=LETTER).build(flow)
    assert not read_pdf(path.read_bytes(), path.name).two_column
    assert [b.text for b in parse_resume(path).bullets] == bullets


def test_docx_tables_lists_and_page_headers(tmp_path: Path) -> None:
    from docx import Document

    doc = Document()
    doc.sections[0].header.paragraphs[0].text = f"{NAME} - resume"
    doc.sections[0].footer.paragraphs[0].text = "Page 1"
    doc.add_heading(NAME, level=0)
    doc.add_heading("Experience", level=1)
    doc.add_paragraph("Engineer, Acme (2020 - 2024)").runs[0].bold = True
    doc.add_paragraph("Cut p95 latency from 900 ms to 200 ms by caching hot keys.", style="List Bullet")
    doc.add_paragraph("\u2022 Typed a bullet by hand instead of using a list style.")
    wrapped = doc.add_paragraph("Wrote the first half of a bullet", style="List Number")
    wrapped.add_run().add_break()
    wrapped.add_run("and its second half after a line break.")
    doc.add_paragraph("Plain paragraph that is not a bullet.")
    table = doc.add_table(rows=1, cols=2)
    left, right = table.rows[0].cells
    left.paragraphs[0].text = "Projects"
    left.add_paragraph("Built a left-column side project with 3 friends.", style="List Bullet")
    right.paragraphs[0].text = "Volunteering"
    right.add_paragraph("Taught a right-column coding club for 20 students.", style="List Bullet")
    buf = io.BytesIO()
    doc.save(buf)
    resume = parse_resume_bytes(buf.getvalue(), "table.docx")
    assert [b.text for b in resume.bullets] == [
        "Cut p95 latency from 900 ms to 200 ms by caching hot keys.",
        "Typed a bullet by hand instead of using a list style.",
        "Wrote the first half of a bullet and its second half after a line break.",
        "Built a left-column side project with 3 friends.",
        "Taught a right-column coding club for 20 students.",
    ]
    assert resume.sections == ["Experience", "Projects", "Volunteering"]
    assert "resume" not in resume.raw_text.lower().replace(NAME.lower(), "")
    assert "Page 1" not in resume.raw_text


@pytest.mark.parametrize("glyph", ["•", "▪", "◦", "–", "-", "*", "■", "\x7f", "\uf0b7", "●"])
def test_every_bullet_glyph(tmp_path: Path, glyph: str) -> None:
    text = f"{NAME}\n\nEXPERIENCE\n{glyph} First bullet wraps\n  onto a second line.\n{glyph}Second bullet.\n"
    if glyph in "-*–":
        text = text.replace(f"{glyph}Second", f"{glyph} Second")
    path = tmp_path / "cv.txt"
    path.write_text(text, encoding="utf-8")
    got = [(b.text, b.section) for b in parse_resume(path).bullets]
    assert got == [("First bullet wraps onto a second line.", "Experience"), ("Second bullet.", "Experience")]
