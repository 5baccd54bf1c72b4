"""The shared lines -> sections/bullets logic, and a few more refusals."""

from __future__ import annotations

import io
import zipfile

import pytest

from interviewmate.errors import DataError
from interviewmate.resume import parse_resume_bytes
from interviewmate.resume.text import Line, build_resume, bullet_body, is_furniture, section_title


@pytest.mark.parametrize(
    "text",
    ["Page 2", "page 3 of 4", "2 / 3", "- 2 -", "Jane Doe - resume", "Jane Doe | CV", "Jane Doe (continued)"],
)
def test_page_furniture_recognised(text: str) -> None:
    assert is_furniture(text)


@pytest.mark.parametrize(
    "text",
    ["Paged 40 on-call engineers", "2019", "Resume parsing service in Go", "Led a team (continued work)"],
)
def test_content_is_not_furniture(text: str) -> None:
    assert not is_furniture(text)


def test_bullet_glyphs() -> None:
    assert bullet_body("• Built it") == "Built it"
    assert bullet_body("■Built it") == "Built it"
    assert bullet_body("- Built it") == "Built it"
    assert bullet_body("-5% churn") is None
    assert bullet_body("*nix admin") is None
    assert bullet_body("Built it") is None


def test_section_titles() -> None:
    def title(text: str, **kw: bool) -> str | None:
        return section_title(text, layout_heading=kw.get("heading", False), after_break=kw.get("brk", False))

    assert title("EXPERIENCE") == "Experience"
    assert title("Work History:") == "Work History"
    assert title("Technical Skills") == "Technical Skills"
    assert title("SIDE QUESTS", brk=True) == "Side Quests"
    assert title("SIDE QUESTS") is None  # caps inside running text is not a heading
    assert title("Side quests", heading=True) == "Side quests"
    assert title("Senior Engineer, Acme", heading=True) is None
    assert title("experience") is None


def test_wrapped_bullets_stop_at_glyph_heading_blank_and_outdent() -> None:
    lines = [
        Line("Jane Doe", indent=0, heading=True),
        Line("Experience", indent=0, heading=True),
        Line("Engineer - Acme, 2020 to 2024", indent=0),
        Line("• Built a state-of-the-", indent=2),
        Line("art queue for payments.", indent=11),
        Line("• Cut costs", indent=2),
        Line("by 30%.", indent=2),  # no hanging indent: still the same bullet
        Line("Analyst - Beta, 2018 to 2020", indent=0),  # outdented: ends the bullet
        Line("– Wrote reports", indent=2),
        Line("", indent=None),
        Line("for nobody.", indent=11),  # after a blank line: not part of the bullet
        Line("Page 1", indent=400),
        Line("Projects", indent=0, heading=True),
        Line("▪ Side project", indent=2),
    ]
    resume = build_resume(lines)
    assert [(b.text, b.section, b.order) for b in resume.bullets] == [
        ("Built a state-of-the-art queue for payments.", "Experience", 0),
        ("Cut costs by 30%.", "Experience", 1),
        ("Wrote reports", "Experience", 2),
        ("Side project", "Projects", 3),
    ]
    assert resume.sections == ["Experience", "Projects"]
    assert "Page 1" not in resume.raw_text


def test_header_between_wrapped_lines_is_skipped() -> None:
    lines = [
        Line("EXPERIENCE"),
        Line("- Migrated 40 services"),
        Line("Jane Doe (continued)"),
        Line("to Kubernetes."),
    ]
    assert [b.text for b in build_resume(lines).bullets] == ["Migrated 40 services to Kubernetes."]


def test_markdown_headings_and_bullets() -> None:
    md = b"# Jane Doe\n\n## Experience\n\n* Shipped **v2** of the API\n  in 3 weeks.\n+ Hired 4 engineers.\n"
    resume = parse_resume_bytes(md, "cv.md")
    assert [b.text for b in resume.bullets] == ["Shipped v2 of the API in 3 weeks.", "Hired 4 engineers."]
    assert resume.sections == ["Experience"]


def test_text_encodings() -> None:
    text = "EXPERIENCE\n- Built a café ordering app.\n"
    for data in (text.encode("utf-8-sig"), text.encode("utf-16"), text.encode("cp1252")):
        assert parse_resume_bytes(data, "cv.txt").bullets[0].text == "Built a café ordering app."


def test_binary_named_txt_is_refused() -> None:
    with pytest.raises(DataError, match="binary"):
        parse_resume_bytes(b"\x00\x01\x02garbage", "cv.txt")


def test_zip_that_is_not_a_word_document_is_refused() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("hello.txt", "hi")
    with pytest.raises(DataError, match="not a Word document"):
        parse_resume_bytes(buf.getvalue(), "cv.docx")


def test_truncated_docx_is_refused() -> None:
    from docx import Document

    buf = io.BytesIO()
    doc = Document()
    doc.add_paragraph("Experience")
    doc.save(buf)
    with pytest.raises(DataError, match=r"cv\.docx"):
        parse_resume_bytes(buf.getvalue()[:2000], "cv.docx")


def test_legacy_doc_bytes_named_docx_are_refused() -> None:
    with pytest.raises(DataError, match=r"legacy \.doc"):
        parse_resume_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "cv.docx")


def test_sideways_only_pdf_is_refused() -> None:
    canvas_mod = pytest.importorskip("reportlab.pdfgen.canvas")
    buf = io.BytesIO()
    c = canvas_mod.Canvas(buf)
    c.rotate(90)
    c.drawString(100, -100, "Experience: built things sideways")
    c.showPage()
    c.save()
    with pytest.raises(DataError, match="rotated"):
        parse_resume_bytes(buf.getvalue(), "side.pdf")
