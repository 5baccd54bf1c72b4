"""parse_resume on the rendered fixtures (PDF one/two-column, DOCX), the .txt corpus, and bad input."""

from __future__ import annotations

import io
import json
import re
import textwrap
from collections import defaultdict
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from interviewmate.data import CORPUS_DIR
from interviewmate.domain import Resume
from interviewmate.errors import DataError
from interviewmate.resume import parse_resume, parse_resume_bytes
from interviewmate.resume.pdf import read_pdf
from interviewmate.resume.text import normalise

RESUMES = CORPUS_DIR / "resumes"
RENDERED = RESUMES / "rendered"
MIN_RATE = 0.95
EXPECTED = sorted(RENDERED.glob("*.expected.json"))
TEXTS = sorted((RESUMES / "text").glob("*.txt"))


def _meta(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


@cache
def _corpus() -> dict[str, dict[str, Any]]:
    lines = (RESUMES / "resumes.jsonl").read_text(encoding="utf-8").splitlines()
    return {r["id"]: r for r in map(json.loads, lines)}


def _corpus_bullets(resume_id: str) -> list[str]:
    r = _corpus()[resume_id]
    return [b["text"] for e in r["experience"] for b in e["bullets"]] + [
        b["text"] for p in r.get("projects", []) for b in p["bullets"]
    ]


@cache
def _parse(path: Path) -> Resume:
    return parse_resume(path)


def _recovered(expected: list[str], resume: Resume) -> tuple[int, list[str]]:
    got = {normalise(b.text) for b in resume.bullets}
    missing = [e for e in expected if normalise(e) not in got]
    return len(expected) - len(missing), missing


@cache
def _rates() -> dict[str, tuple[int, int]]:
    """layout -> (recovered, expected) over every rendered file, plus "overall"."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for path in EXPECTED:
        meta = _meta(path)
        hit, _ = _recovered(meta["bullets"], _parse(RENDERED / meta["file"]))
        for key in (meta["layout"], "overall"):
            counts[key][0] += hit
            counts[key][1] += len(meta["bullets"])
    return {k: (v[0], v[1]) for k, v in counts.items()}


def test_fixtures_cover_every_layout() -> None:
    layouts = [_meta(p)["layout"] for p in EXPECTED]
    assert layouts.count("single_column") == 12
    assert layouts.count("two_column") == 6
    assert layouts.count("docx") == 6


@pytest.mark.parametrize("expected", EXPECTED, ids=lambda p: p.name.split(".")[0])
def test_rendered_file_bullets_recovered(expected: Path) -> None:
    meta = _meta(expected)
    resume = _parse(RENDERED / meta["file"])
    hit, missing = _recovered(meta["bullets"], resume)
    rate = hit / len(meta["bullets"])
    assert rate >= MIN_RATE, f"{meta['file']}: {rate:.1%} recovered; missing: {missing}"
    assert [b.order for b in resume.bullets] == list(range(len(resume.bullets)))
    assert all(b.section for b in resume.bullets)


def test_overall_recovery_rate() -> None:
    rates = _rates()
    hit, total = rates["overall"]
    report = ", ".join(f"{k} {h}/{t} = {h / t:.1%}" for k, (h, t) in sorted(rates.items()))
    assert hit / total >= MIN_RATE, f"overall recovery below {MIN_RATE:.0%}: {report}"
    for layout, (h, t) in rates.items():
        assert h / t >= MIN_RATE, f"{layout} recovery below {MIN_RATE:.0%}: {report}"


PDFS = [p for p in EXPECTED if _meta(p)["layout"] != "docx"]


@pytest.mark.parametrize("expected", PDFS, ids=lambda p: p.name.split(".")[0])
def test_layout_detected(expected: Path) -> None:
    meta = _meta(expected)
    text = read_pdf((RENDERED / meta["file"]).read_bytes(), meta["file"])
    assert text.two_column == (meta["layout"] == "two_column")


TWO_COLUMN = [p for p in EXPECTED if _meta(p)["layout"] == "two_column"]


@pytest.mark.parametrize("expected", TWO_COLUMN, ids=lambda p: p.name.split(".")[0])
def test_two_column_reading_order(expected: Path) -> None:
    """The sidebar (left: project bullets) is read fully before the main column (right: experience)."""
    meta = _meta(expected)
    got = [normalise(b.text) for b in _parse(RENDERED / meta["file"]).bullets]
    corpus = _corpus()[meta["resume_id"]]
    left = {normalise(b["text"]) for p in corpus.get("projects", []) for b in p["bullets"]}
    positions = [got.index(normalise(e)) for e in meta["bullets"] if normalise(e) in got]
    assert positions == sorted(positions), "bullets out of the expected reading order"
    left_pos = [i for i, t in enumerate(got) if t in left]
    right_pos = [i for i, t in enumerate(got) if t not in left]
    assert not left_pos or not right_pos or max(left_pos) < min(right_pos)


def _furniture_in(text: str, name: str) -> bool:
    return bool(
        re.search(r"\bpage \d+\b", text, re.I)
        or re.search(r"\s-\s(resume|cv)\b", text, re.I)
        or "(continued)" in text
        or name in text
    )


@pytest.mark.parametrize("expected", EXPECTED, ids=lambda p: p.name.split(".")[0])
def test_no_header_or_footer_in_bullets(expected: Path) -> None:
    meta = _meta(expected)
    name = _corpus()[meta["resume_id"]]["name"]
    resume = _parse(RENDERED / meta["file"])
    leaked = [b.text for b in resume.bullets if _furniture_in(b.text, name)]
    assert not leaked
    assert f"{name} - resume" not in resume.raw_text
    assert "(continued)" not in resume.raw_text


@pytest.mark.parametrize("path", TEXTS, ids=lambda p: p.stem)
def test_text_version_bullets_recovered(path: Path) -> None:
    expected = _corpus_bullets(path.stem)
    resume = _parse(path)
    hit, missing = _recovered(expected, resume)
    assert hit / len(expected) >= MIN_RATE, f"{path.name}: {hit}/{len(expected)}; missing: {missing}"
    assert [normalise(b.text) for b in resume.bullets] == [normalise(e) for e in expected]
    assert {"Experience", "Skills", "Summary"} <= set(resume.sections)


def test_text_versions_overall_rate() -> None:
    hit = total = 0
    for path in TEXTS:
        expected = _corpus_bullets(path.stem)
        h, _ = _recovered(expected, _parse(path))
        hit, total = hit + h, total + len(expected)
    assert hit / total >= MIN_RATE, f"text overall recovery {hit}/{total} = {hit / total:.1%}"


def test_wrapped_text_bullets_join(tmp_path: Path) -> None:
    """Hard-wrapped .txt bullets (hanging indent or none) are joined up to the next glyph/heading/blank."""
    source = TEXTS[0]
    out: list[str] = []
    for i, line in enumerate(source.read_text(encoding="utf-8").splitlines()):
        if line.startswith("- "):
            indent = "  " if i % 2 else ""
            out += textwrap.wrap(line, 50, subsequent_indent=indent)
        else:
            out.append(line)
    (tmp_path / "wrapped.md").write_text("\n".join(out) + "\n", encoding="utf-8")
    got = [b.text for b in parse_resume(tmp_path / "wrapped.md").bullets]
    assert got == [normalise(t) for t in _corpus_bullets(source.stem)]


# ---- bad input: one readable line, nothing returned ------------------------------------------------------


def _pdf_bytes() -> bytes:
    return (RENDERED / _meta(EXPECTED[0])["file"]).read_bytes()


def _assert_data_error(call: Any, *phrases: str) -> str:
    with pytest.raises(DataError) as info:
        call()
    message = str(info.value)
    assert "\n" not in message and message.strip() == message and message
    for phrase in phrases:
        assert phrase in message.lower(), message
    return message


def test_encrypted_pdf_is_refused(tmp_path: Path) -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(_pdf_bytes())))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    path = tmp_path / "locked.pdf"
    with path.open("wb") as fh:
        writer.write(fh)
    _assert_data_error(lambda: parse_resume(path), "locked.pdf", "encrypted")


def test_image_only_pdf_is_refused(tmp_path: Path) -> None:
    canvas_mod = pytest.importorskip("reportlab.pdfgen.canvas")
    path = tmp_path / "scan.pdf"
    c = canvas_mod.Canvas(str(path))
    c.rect(50, 50, 400, 600, fill=1)
    c.showPage()
    c.save()
    _assert_data_error(lambda: parse_resume(path), "scan.pdf", "no text layer")


def test_file_over_size_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(b"x" * 2001)
    _assert_data_error(lambda: parse_resume(path, max_bytes=2000), "big.txt", "limit")
    _assert_data_error(lambda: parse_resume_bytes(_pdf_bytes(), "cv.pdf", max_bytes=1000), "limit")


def test_text_named_pdf_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "fake.pdf"
    path.write_text("Jane Doe\nEXPERIENCE\n- Did things\n", encoding="utf-8")
    _assert_data_error(lambda: parse_resume(path), "fake.pdf", "not a pdf")


def test_docx_that_is_not_a_zip_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "fake.docx"
    path.write_text("just some text", encoding="utf-8")
    _assert_data_error(lambda: parse_resume(path), "fake.docx", "not a zip")
    _assert_data_error(lambda: parse_resume_bytes(_pdf_bytes(), "cv.docx"), "not a zip")


def test_pdf_named_txt_is_refused() -> None:
    _assert_data_error(lambda: parse_resume_bytes(_pdf_bytes(), "cv.txt"), "is a pdf")


@pytest.mark.parametrize("name", ["empty.pdf", "empty.docx", "empty.txt"])
def test_empty_file_is_refused(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"")
    _assert_data_error(lambda: parse_resume(path), name, "empty")
    _assert_data_error(lambda: parse_resume_bytes(b"  \n\t\n", name), "empty")


@pytest.mark.parametrize("name", ["cv.rtf", "cv.doc", "cv.png", "cv"])
def test_unsupported_extension_is_refused(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"Jane Doe\n")
    _assert_data_error(lambda: parse_resume(path), "unsupported file type")


def test_missing_file_is_a_data_error(tmp_path: Path) -> None:
    _assert_data_error(lambda: parse_resume(tmp_path / "nope.pdf"), "nope.pdf", "cannot be read")


def test_truncated_pdf_is_a_data_error() -> None:
    data = _pdf_bytes()
    _assert_data_error(lambda: parse_resume_bytes(data[: len(data) // 3], "cut.pdf"), "cut.pdf")


def test_documents_far_longer_than_a_resume_are_refused_before_they_are_embedded() -> None:
    from interviewmate.resume import MAX_BULLETS, MAX_TEXT_CHARS

    ok = b"".join(b"- Shipped feature %d in Python\n" % i for i in range(MAX_BULLETS))
    assert len(parse_resume_bytes(ok, "cv.txt").bullets) == MAX_BULLETS
    with pytest.raises(DataError, match=f"far more than a resume holds \\(at most {MAX_BULLETS}\\)"):
        parse_resume_bytes(ok + b"- One more line\n", "cv.txt")
    dump = b"- did a thing\n" * (MAX_TEXT_CHARS // 10)
    with pytest.raises(DataError, match="characters of text is far longer than a resume"):
        parse_resume_bytes(dump, "log.txt")


def test_a_damaged_docx_gets_an_action_not_the_libraries_words() -> None:
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("word/document.xml", "<not really word/>")
        zf.writestr("[Content_Types].xml", "<Types/>")
    with pytest.raises(DataError) as err:
        parse_resume_bytes(buf.getvalue(), "cv.docx")
    assert str(err.value).startswith("cv.docx: ") and "Error" not in str(err.value)
