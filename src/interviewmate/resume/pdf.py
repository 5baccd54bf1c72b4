"""PDF -> positioned text fragments (pypdf's text visitor) -> `Line`s via `layout`."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from math import hypot
from typing import Any

from interviewmate.errors import DataError
from interviewmate.resume.layout import Fragment, Page, layout_lines
from interviewmate.resume.text import Line

FALLBACK_EM = 0.5  # average glyph width (in em) when a font's widths are unknown


@dataclass(frozen=True)
class PdfText:
    lines: list[Line]
    two_column: bool  # some page was read as side-by-side columns
    pages: int


def is_pdf(data: bytes) -> bool:
    return b"%PDF-" in data[:1024]


def read_pdf(data: bytes, filename: str) -> PdfText:
    """The PDF's text as lines in column-aware reading order; DataError for anything unreadable."""
    from pypdf import PasswordType, PdfReader

    if not is_pdf(data):
        raise DataError(
            f"{filename}: the file is not a PDF (no %PDF header); check the file and its extension"
        )
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("") != PasswordType.NOT_DECRYPTED
            except Exception:  # unsupported cipher, missing crypto backend
                opened = False
            if not opened:
                raise DataError(
                    f"{filename}: the PDF is encrypted (password-protected); save a copy without a password "
                    "and upload that"
                )
        pages = [_page(p) for p in reader.pages]
    except DataError:
        raise
    except Exception as exc:  # pypdf raises many types on damaged files
        raise DataError(
            f"{filename}: the PDF could not be read (damaged or not a standard PDF); export it again from the "
            "original document and upload that"
        ) from exc
    if not pages:
        raise DataError(f"{filename}: the PDF has no pages")
    if not any(f.text.strip() for p in pages for f in p.fragments):
        if any(p.sideways_chars for p in pages):
            raise DataError(
                f"{filename}: the PDF's text is all rotated or sideways; export it with upright pages"
            )
        raise DataError(
            f"{filename}: the PDF has no text layer (it looks like a scanned image); export it as a text PDF "
            "or upload a .docx or .txt instead"
        )
    lines, two_column = layout_lines(pages)
    return PdfText(lines=lines, two_column=two_column, pages=len(pages))


def _page(page: Any) -> Page:
    box = page.mediabox
    left, bottom = float(box.left), float(box.bottom)
    frags: list[Fragment] = []
    widths: dict[int, Callable[[str], float]] = {}
    sideways = 0

    def visit(text: str, cm: Sequence[float], tm: Sequence[float], font: Any, font_size: float) -> None:
        if not text or not text.strip():
            return
        a, b, c, d, e, f = _multiply(tm, cm)
        if a <= 0 or abs(b) > 0.1 * abs(a):
            nonlocal sideways
            sideways += len(text.strip())
            return  # rotated or mirrored text: watermarks, sideways labels
        scale_x, size = hypot(a, b), float(font_size) * hypot(c, d)
        width = widths.setdefault(id(font), _width_fn(font))
        for i, part in enumerate(text.split("\n")):
            if part.strip():
                x0 = e - left
                x1 = x0 + width(part) * float(font_size) * scale_x
                frags.append(Fragment(x0=x0, x1=x1, y=f - bottom - i * 1.2 * size, size=size, text=part))

    page.extract_text(visitor_text=visit)
    return Page(width=float(box.width), height=float(box.height), fragments=frags, sideways_chars=sideways)


def _multiply(m: Sequence[float], n: Sequence[float]) -> tuple[float, float, float, float, float, float]:
    """m x n for PDF matrices [a b c d e f] (text matrix times current transformation matrix)."""
    a, b, c, d, e, f = (float(v) for v in m)
    p, q, r, s, t, u = (float(v) for v in n)
    return (a * p + b * r, a * q + b * s, c * p + d * r, c * q + d * s, e * p + f * r + t, e * q + f * s + u)


def _width_fn(font: Any) -> Callable[[str], float]:
    """Text width in em for a font resource; a flat estimate where pypdf has no metrics for it."""
    try:  # pypdf's font model (core-14 metrics, /Widths); private, hence the fallback
        from pypdf.generic._font import Font

        metrics = Font.from_font_resource(font)
        table, default = metrics.character_widths, float(metrics.character_widths.get("default", 500))
    except Exception:
        return lambda s: FALLBACK_EM * len(s)
    if not 100 <= default <= 1100:
        default = 1000 * FALLBACK_EM
    return lambda s: sum(min(float(table.get(ch, default)), 1100.0) for ch in s) / 1000
