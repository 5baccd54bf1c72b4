"""Lines -> sections and bullets: the format-independent half of resume parsing.

Every reader (PDF, DOCX, plain text) turns its file into `Line`s in reading order, with whatever layout
facts it knows (indentation, heading style, list style, paragraph gaps); `build_resume` does the rest:
it drops page headers/footers, finds section headings and bullets, and joins wrapped bullet lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from interviewmate.domain import Bullet, Resume
from interviewmate.errors import DataError

# Glyphs that open a bullet. "\x7f" and "\x95" are where a PDF's WinAnsi font draws "•"; "■" is what the
# ZapfDingbats fallback shows for "▪"/"◦" when the font lacks them; "\uf0b7"/"\uf0a7" are Word's Symbol
# and Wingdings bullets exported to PDF.
SOLID_GLYPHS = "•▪◦■□●○◆◇►▸▹‣⁃∙·✓✔➢➤→\x7f\x95\uf0b7\uf0a7\uf076\uf0d8"
SPACED_GLYPHS = "-–—*+"  # only a bullet when followed by whitespace ("-5%" is not a bullet)
_BULLET_RE = re.compile(rf"^\s*(?:[{re.escape(SOLID_GLYPHS)}]+|[{re.escape(SPACED_GLYPHS)}](?=\s|$))\s*")

# Page furniture: "Page 2", "2 of 3", "- 2 -", "Jane Doe - resume", "Jane Doe (continued)".
_FURNITURE = [
    re.compile(r"^(?:page\s*)?\d{1,3}(?:\s*(?:of|/)\s*\d{1,3})?$", re.I),
    re.compile(r"^[-–—]\s*\d{1,3}\s*[-–—]$"),
    re.compile(r"^.{0,80}?\s[-–—|·]\s(?:resume|résumé|cv|curriculum vitae)$", re.I),
    re.compile(r"^(?:resume|résumé|cv|curriculum vitae)\s[-–—|·]\s.{1,80}$", re.I),
    re.compile(r"^.{0,80}\((?:cont(?:inued|'d|\.)?)\)$", re.I),
]

_SECTION_WORDS = frozenset(
    """summary profile objective about me professional career personal experience experiences employment
    work history relevant selected projects project education academic background qualifications skills
    skill technical technologies tools core competencies expertise certifications certification
    certificates licenses awards honors honours achievements accomplishments publications patents talks
    presentations volunteering volunteer community leadership activities extracurricular interests hobbies
    languages courses coursework training references contact information details open source
    research teaching additional other key highlights""".split()
)
_SECTION_FILLER = frozenset({"and", "&", "of", "/", "+"})
_CAPS_RE = re.compile(r"^[A-Z][A-Z &/+'-]{2,40}$")
MAX_SECTION_CHARS = 120  # the store's column width


@dataclass(frozen=True)
class Line:
    """One line of text in reading order, plus what the file's layout says about it.

    indent: distance from the left edge of the line's column (PDF points, spaces in text); None if unknown.
    heading: the layout styles it as a heading (bigger font, a Heading style).
    listed: the layout marks it as a list item even though no glyph is in the text (Word lists).
    break_before: a paragraph boundary precedes it (blank line, a vertical gap, a new Word paragraph).
    """

    text: str
    indent: float | None = None
    heading: bool = False
    listed: bool = False
    break_before: bool = False


def normalise(text: str) -> str:
    return " ".join(text.split())


def is_furniture(text: str) -> bool:
    """A page header or footer line (page numbers, "<name> - resume", "<name> (continued)")."""
    t = normalise(text)
    return bool(t) and len(t) <= 100 and any(p.match(t) for p in _FURNITURE)


def bullet_body(text: str) -> str | None:
    """The text after a leading bullet glyph, or None if the line does not start with one."""
    m = _BULLET_RE.match(text)
    return None if m is None else text[m.end() :]


def section_title(text: str, *, layout_heading: bool, after_break: bool, first: bool = False) -> str | None:
    """The section name if the line is a section heading ("EXPERIENCE", "Work history:"), else None.

    Known section words always count; an ALL-CAPS line counts after a paragraph break or when styled as a
    heading; any other short heading-styled line counts unless it is the document's first line (the name).
    """
    t = normalise(text).rstrip(":").strip()
    if not t or not t[0].isupper() or len(t) > 40:
        return None
    words = [w for w in re.split(r"[\s/]+", t.lower()) if w not in _SECTION_FILLER]
    if words and len(words) <= 4 and all(w.strip(",&") in _SECTION_WORDS for w in words):
        return t.title() if t.isupper() else t
    if _CAPS_RE.match(t) and len(t.split()) <= 4 and (layout_heading or after_break):
        return t.title()
    if layout_heading and not first and len(words) <= 4 and not re.search(r"[\d@|,.;()]", t):
        return t
    return None


@dataclass
class _Open:
    parts: list[str]
    glyph_indent: float | None
    section: str


def build_resume(lines: list[Line], raw_text: str | None = None) -> Resume:
    """Sections and bullets from lines in reading order. Headers/footers never reach a bullet."""
    bullets: list[Bullet] = []
    sections: list[str] = []
    section = ""
    kept: list[str] = []
    current: _Open | None = None
    after_break = True

    def close() -> None:
        nonlocal current
        if current is not None:
            text = _join(current.parts)
            if text:
                bullets.append(Bullet(text=text, section=current.section, order=len(bullets)))
        current = None

    for line in lines:
        text = normalise(line.text)
        if not text:
            close()
            after_break = True
            continue
        if is_furniture(text):
            continue
        kept.append(text)
        if line.break_before:
            close()
            after_break = True
        body = bullet_body(text)
        if body is not None or line.listed:
            close()
            current = _Open([body if body is not None else text], line.indent, section)
            after_break = False
            continue
        title = section_title(
            text, layout_heading=line.heading, after_break=after_break, first=len(kept) == 1
        )
        if title is not None or line.heading:
            close()
            if title is not None:
                section = title[:MAX_SECTION_CHARS]
                if section not in sections:
                    sections.append(section)
            after_break = False
            continue
        if current is not None and _continues(current, line):
            current.parts.append(text)
        else:
            close()
        after_break = False
    close()
    raw = raw_text if raw_text is not None else "\n".join(kept)
    return Resume(bullets=bullets, sections=sections, raw_text=raw)


def _continues(bullet: _Open, line: Line) -> bool:
    """A wrapped line of the open bullet: no glyph, no heading, not left of the bullet's glyph."""
    if line.indent is None or bullet.glyph_indent is None:
        return True
    return line.indent >= bullet.glyph_indent - 0.5


def _join(parts: list[str]) -> str:
    out = ""
    for part in parts:
        part = part.strip()
        if not part:
            continue
        if not out:
            out = part
        elif re.search(r"[A-Za-z]-$", out) and part[:1].islower():
            out += part  # a hyphenated word broken at its hyphen: "help-" + "centre"
        else:
            out += " " + part
    return normalise(out)


def decode_text(data: bytes, filename: str) -> str:
    """Bytes of a .txt/.md upload as text; binary content is refused, not guessed at."""
    if data.startswith(b"%PDF-"):
        raise DataError(f"{filename}: the file is a PDF, not plain text; rename it to .pdf and upload again")
    if data.startswith(b"PK\x03\x04"):
        raise DataError(f"{filename}: the file is a zip archive (e.g. a .docx), not plain text")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise DataError(f"{filename}: the file is not valid UTF-16 text") from exc
    if b"\x00" in data:
        raise DataError(f"{filename}: the file holds binary data, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError as exc:
            raise DataError(f"{filename}: the file is not UTF-8 text") from exc


_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_MD_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1")


def text_lines(text: str) -> list[Line]:
    """Plain text or Markdown: blank lines separate paragraphs, leading spaces give the indent."""
    lines: list[Line] = []
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        expanded = raw.expandtabs(4)
        stripped = expanded.strip()
        heading = False
        if _MD_HEADING.match(stripped):
            stripped, heading = _MD_HEADING.sub("", stripped).rstrip("#").strip(), True
        if re.fullmatch(r"[-=_*]{3,}", stripped):
            stripped = ""  # a Markdown rule or underline
        stripped = _MD_EMPHASIS.sub(r"\2", stripped)
        indent = float(len(expanded) - len(expanded.lstrip()))
        lines.append(Line(stripped, indent=indent, heading=heading))
    return lines
