"""Resume files (PDF, DOCX, TXT/Markdown) -> `Resume(bullets, sections, raw_text)`.

    parse_resume(Path("cv.pdf"))                 # a file on disk
    parse_resume_bytes(upload, "cv.docx")        # an upload

Anything that cannot be parsed honestly (encrypted or image-only PDF, wrong content for the extension,
empty, too big, unsupported type) raises `DataError` with a one-line message; nothing is guessed.
"""

from __future__ import annotations

from pathlib import Path

from interviewmate.domain import Resume
from interviewmate.errors import DataError
from interviewmate.resume.docx import read_docx
from interviewmate.resume.pdf import read_pdf
from interviewmate.resume.text import build_resume, decode_text, text_lines

__all__ = [
    "DEFAULT_MAX_BYTES",
    "MAX_BULLETS",
    "MAX_TEXT_CHARS",
    "SUPPORTED_EXTENSIONS",
    "parse_resume",
    "parse_resume_bytes",
]

DEFAULT_MAX_BYTES = 5_000_000
# A long two-page resume holds ~60 bullets and ~1,500 words. The caps refuse other documents (a thesis, a log
# dump) before every line is embedded and stored: 227K one-line "bullets" took a server 15 minutes.
MAX_BULLETS = 400
MAX_TEXT_CHARS = 150_000
SUPPORTED_EXTENSIONS = (".pdf", ".docx", ".txt", ".md", ".markdown", ".text")


def parse_resume(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Resume:
    """Parse a resume file; the size limit is checked before the file is read."""
    path = Path(path)
    _check_extension(path.name)
    try:
        size = path.stat().st_size
        _check_size(size, max_bytes, path.name)
        data = path.read_bytes()
    except OSError as exc:
        raise DataError(f"{path.name}: the file cannot be read ({exc.strerror or exc})") from exc
    return parse_resume_bytes(data, path.name, max_bytes=max_bytes)


def parse_resume_bytes(data: bytes, filename: str, max_bytes: int = DEFAULT_MAX_BYTES) -> Resume:
    """Parse an uploaded resume; `filename` picks the reader by its extension."""
    name = Path(filename).name or "resume"
    ext = _check_extension(name)
    _check_size(len(data), max_bytes, name)
    if not data.strip():
        raise DataError(f"{name}: the file is empty")
    if ext == ".pdf":
        resume = build_resume(read_pdf(data, name).lines)
    elif ext == ".docx":
        resume = build_resume(read_docx(data, name))
    else:
        text = decode_text(data, name)
        _check_length(len(text), 0, name)  # before the line-by-line work
        resume = build_resume(text_lines(text), raw_text=text)
    if not resume.raw_text.strip():
        raise DataError(f"{name}: the file contains no text")
    _check_length(len(resume.raw_text), len(resume.bullets), name)
    return resume


def _check_length(chars: int, bullets: int, name: str) -> None:
    if chars > MAX_TEXT_CHARS:
        raise DataError(
            f"{name}: {chars:,} characters of text is far longer than a resume (at most {MAX_TEXT_CHARS:,}); "
            "upload the resume itself"
        )
    if bullets > MAX_BULLETS:
        raise DataError(
            f"{name}: {bullets:,} bullet lines is far more than a resume holds (at most {MAX_BULLETS}); upload "
            "the resume itself"
        )


def _check_extension(name: str) -> str:
    ext = Path(name).suffix.lower()
    if ext not in SUPPORTED_EXTENSIONS:
        shown = ext or "no extension"
        raise DataError(f"{name}: unsupported file type ({shown}); upload a .pdf, .docx, .txt or .md file")
    return ext


def _check_size(size: int, max_bytes: int, name: str) -> None:
    if size == 0:
        raise DataError(f"{name}: the file is empty")
    if size > max_bytes:
        raise DataError(
            f"{name}: the file is {size / 1e6:.1f} MB, over the {max_bytes / 1e6:.1f} MB limit; "
            "upload a smaller file"
        )
