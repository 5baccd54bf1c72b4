"""Render the corpus's structured resumes as text, PDF (one- and two-column) and DOCX fixtures.

`python -m interviewmate.data.render` rewrites data/resumes/text/ and data/resumes/rendered/; each rendered
file has `<name>.expected.json` beside it: the bullets in the order a column-aware reader meets them.
Needs the dev extras (reportlab, python-docx).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, cast

from interviewmate.data import CORPUS_DIR
from interviewmate.data.io import read_jsonl
from interviewmate.data.schema import ResumeDoc

RESUMES_DIR = CORPUS_DIR / "resumes"
BULLET_GLYPHS = ("\u2022", "\u25aa", "\u2013", "\u25e6")  # •, ▪, –, ◦: parsers must accept them all


def to_text(r: ResumeDoc) -> str:
    out = [r.name, r.headline, f"{r.email} | {r.location}", "", "SUMMARY", r.summary, "", "SKILLS"]
    out += [", ".join(r.skills), "", "EXPERIENCE"]
    for e in r.experience:
        out += [f"{e.title}, {e.company} ({e.start} - {e.end})"]
        out += [f"- {b.text}" for b in e.bullets]
        out.append("")
    if r.projects:
        out.append("PROJECTS")
        for p in r.projects:
            out += [p.name] + [f"- {b.text}" for b in p.bullets] + [""]
    if r.education:
        out.append("EDUCATION")
        out += [f"{ed.degree}, {ed.school}, {ed.year}" for ed in r.education]
    return "\n".join(out).rstrip() + "\n"


def _styles() -> dict[str, Any]:
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet

    base = getSampleStyleSheet()
    return {
        "name": ParagraphStyle("name", parent=base["Title"], fontSize=18, spaceAfter=2, alignment=0),
        "head": ParagraphStyle("head", parent=base["Heading3"], fontSize=11, spaceBefore=8, spaceAfter=3),
        "job": ParagraphStyle(
            "job", parent=base["Normal"], fontName="Helvetica-Bold", fontSize=9.5, spaceBefore=4
        ),
        "body": ParagraphStyle("body", parent=base["Normal"], fontSize=9, leading=11.5),
        "bullet": ParagraphStyle(
            "bullet", parent=base["Normal"], fontSize=9, leading=11.5, leftIndent=11, bulletIndent=2
        ),
    }


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _header_footer(name: str) -> Any:
    def draw(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 7.5)
        canvas.drawString(40, 20, f"{name} - resume")
        canvas.drawRightString(doc.pagesize[0] - 40, 20, f"Page {doc.page}")
        if doc.page > 1:
            canvas.drawString(40, doc.pagesize[1] - 24, f"{name} (continued)")
        canvas.restoreState()

    return draw


def _bullets(items: list[Any], glyph: str, st: dict[str, Any]) -> list[Any]:
    from reportlab.platypus import Paragraph

    return [Paragraph(_esc(b.text), st["bullet"], bulletText=glyph) for b in items]


def render_pdf_single(r: ResumeDoc, path: Path, glyph: str) -> list[str]:
    from reportlab.lib.pagesizes import LETTER
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    st = _styles()
    flow: list[Any] = [
        Paragraph(_esc(r.name), st["name"]),
        Paragraph(_esc(f"{r.headline} | {r.email} | {r.location}"), st["body"]),
        Paragraph("Summary", st["head"]),
        Paragraph(_esc(r.summary), st["body"]),
        Paragraph("Experience", st["head"]),
    ]
    for e in r.experience:
        flow.append(Paragraph(_esc(f"{e.title} - {e.company}, {e.start} to {e.end}"), st["job"]))
        flow += _bullets(e.bullets, glyph, st)
    if r.projects:
        flow.append(Paragraph("Projects", st["head"]))
        for p in r.projects:
            flow.append(Paragraph(_esc(p.name), st["job"]))
            flow += _bullets(p.bullets, glyph, st)
    flow += [Paragraph("Skills", st["head"]), Paragraph(_esc(", ".join(r.skills)), st["body"])]
    if r.education:
        flow.append(Paragraph("Education", st["head"]))
        flow += [Paragraph(_esc(f"{e.degree}, {e.school}, {e.year}"), st["body"]) for e in r.education]
    doc = SimpleDocTemplate(str(path), pagesize=LETTER, topMargin=40, bottomMargin=40, title=r.name)
    hf = _header_footer(r.name)
    doc.build(flow, onFirstPage=hf, onLaterPages=hf)
    return [b.text for _, b in r.bullets()]


def render_pdf_two_column(r: ResumeDoc, path: Path, glyph: str) -> list[str]:
    """Sidebar (contact, skills, projects, education) left; summary and experience right."""
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import BaseDocTemplate, Frame, FrameBreak, PageTemplate, Paragraph

    st = _styles()
    w, h = A4
    margin, gap, side_w = 36, 18, 180
    side = Frame(margin, margin, side_w, h - 2 * margin, id="side", showBoundary=0)
    main = Frame(margin + side_w + gap, margin, w - 2 * margin - side_w - gap, h - 2 * margin, id="main")
    later = Frame(margin, margin, w - 2 * margin, h - 2 * margin, id="later")
    hf = _header_footer(r.name)
    doc = BaseDocTemplate(str(path), pagesize=A4, title=r.name)
    doc.addPageTemplates(
        [
            PageTemplate(id="first", frames=[side, main], onPage=hf, autoNextPageTemplate="rest"),
            PageTemplate(id="rest", frames=[later], onPage=hf),
        ]
    )
    flow: list[Any] = [
        Paragraph(_esc(r.name), st["name"]),
        Paragraph(_esc(r.email), st["body"]),
        Paragraph(_esc(r.location), st["body"]),
        Paragraph("Skills", st["head"]),
    ]
    flow += [Paragraph(_esc(s), st["body"]) for s in r.skills]
    side_bullets: list[str] = []
    if r.projects:
        flow.append(Paragraph("Projects", st["head"]))
        for p in r.projects:
            flow.append(Paragraph(_esc(p.name), st["job"]))
            flow += _bullets(p.bullets, glyph, st)
            side_bullets += [b.text for b in p.bullets]
    if r.education:
        flow.append(Paragraph("Education", st["head"]))
        flow += [Paragraph(_esc(f"{e.degree}, {e.school}, {e.year}"), st["body"]) for e in r.education]
    flow += [
        FrameBreak(),
        Paragraph(_esc(r.headline), st["head"]),
        Paragraph(_esc(r.summary), st["body"]),
        Paragraph("Experience", st["head"]),
    ]
    for e in r.experience:
        flow.append(Paragraph(_esc(f"{e.title} - {e.company}, {e.start} to {e.end}"), st["job"]))
        flow += _bullets(e.bullets, glyph, st)
    doc.build(flow)
    return side_bullets + [b.text for e in r.experience for b in e.bullets]


def render_docx(r: ResumeDoc, path: Path) -> list[str]:
    from docx import Document
    from docx.shared import Pt

    doc = Document()
    doc.add_heading(r.name, level=0)
    doc.add_paragraph(f"{r.headline} | {r.email} | {r.location}")
    doc.add_heading("Summary", level=1)
    doc.add_paragraph(r.summary)
    doc.add_heading("Experience", level=1)
    for e in r.experience:
        para = doc.add_paragraph()
        run = para.add_run(f"{e.title}, {e.company} ({e.start} - {e.end})")
        run.bold = True
        for b in e.bullets:
            doc.add_paragraph(b.text, style="List Bullet").paragraph_format.space_after = Pt(2)
    if r.projects:
        doc.add_heading("Projects", level=1)
        for p in r.projects:
            doc.add_paragraph(p.name).runs[0].bold = True
            for b in p.bullets:
                doc.add_paragraph(b.text, style="List Bullet")
    doc.add_heading("Skills", level=1)
    doc.add_paragraph(", ".join(r.skills))
    if r.education:
        doc.add_heading("Education", level=1)
        for ed in r.education:
            doc.add_paragraph(f"{ed.degree}, {ed.school}, {ed.year}")
    doc.core_properties.author = r.name
    doc.save(str(path))
    return [b.text for _, b in r.bullets()]


def render_all(resumes_dir: Path = RESUMES_DIR) -> dict[str, int]:
    from reportlab import rl_config

    rl_config.invariant = 1  # no timestamps or random ids: re-rendering gives identical files
    items, _, errors = read_jsonl(resumes_dir / "resumes.jsonl", ResumeDoc)
    if errors:
        raise SystemExit("\n".join(str(e) for e in errors))
    resumes = cast(list[ResumeDoc], items)
    text_dir, out_dir = resumes_dir / "text", resumes_dir / "rendered"
    text_dir.mkdir(parents=True, exist_ok=True)
    out_dir.mkdir(parents=True, exist_ok=True)
    for r in resumes:
        (text_dir / f"{r.id}.txt").write_text(to_text(r), encoding="utf-8")
    # a fixed, spread-out choice: every role, every seniority, each bullet glyph
    counts = {"pdf_single": 0, "pdf_two_column": 0, "docx": 0}
    for i, r in enumerate(resumes):
        glyph = BULLET_GLYPHS[i % len(BULLET_GLYPHS)]
        slot = i % 7  # 7 resumes per role
        if slot in (0, 3):
            expected, name = render_pdf_single(r, out_dir / f"{r.id}.pdf", glyph), f"{r.id}.pdf"
            counts["pdf_single"] += 1
        elif slot == 5:
            expected, name = render_pdf_two_column(r, out_dir / f"{r.id}.pdf", glyph), f"{r.id}.pdf"
            counts["pdf_two_column"] += 1
        elif slot == 6:
            expected, name = render_docx(r, out_dir / f"{r.id}.docx"), f"{r.id}.docx"
            counts["docx"] += 1
        else:
            continue
        layout = "two_column" if slot == 5 else ("docx" if slot == 6 else "single_column")
        meta = {"file": name, "resume_id": r.id, "layout": layout, "bullets": expected}
        (out_dir / f"{r.id}.expected.json").write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    return counts


if __name__ == "__main__":
    print(render_all())
