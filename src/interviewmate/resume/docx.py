"""DOCX -> `Line`s: body paragraphs and table cells in document order (page headers/footers are not read)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from typing import Any

from interviewmate.errors import DataError
from interviewmate.resume.text import Line

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .doc, or an encrypted .docx


def read_docx(data: bytes, filename: str) -> list[Line]:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    if data.startswith(_OLE_MAGIC):
        raise DataError(
            f"{filename}: this is a legacy .doc or a password-protected Word file; save it as an unprotected "
            ".docx and upload that"
        )
    if not data.startswith(b"PK\x03\x04"):
        raise DataError(f"{filename}: the file is not a .docx (it is not a zip archive); check its extension")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            if "word/document.xml" not in zf.namelist():
                raise DataError(f"{filename}: the zip archive is not a Word document (no word/document.xml)")
        document = docx.Document(io.BytesIO(data))
        lines = list(_block_lines(document.element.body, document))
    except DataError:
        raise
    except (zipfile.BadZipFile, PackageNotFoundError) as exc:
        raise DataError(f"{filename}: the .docx is not a valid Word package ({exc})") from exc
    except Exception as exc:  # lxml and python-docx raise many types on damaged files
        # the library's own words (an lxml attribute error, say) mean nothing to the user: say what to do
        raise DataError(
            f"{filename}: the .docx could not be read (damaged, or not saved by a word processor); open it in "
            "Word or LibreOffice and save it again, or upload a PDF"
        ) from exc
    return lines


def _block_lines(container: Any, parent: Any) -> Iterator[Line]:
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for child in container.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            yield from _paragraph_lines(Paragraph(child, parent))
        elif tag == "tbl":
            seen: set[int] = set()
            table = Table(child, parent)
            for row in table.rows:
                for cell in row.cells:  # merged cells repeat; read each once
                    if id(cell._tc) in seen:
                        continue
                    seen.add(id(cell._tc))
                    yield from _block_lines(cell._tc, cell)
        elif tag == "sdt":  # content controls wrap ordinary paragraphs
            for content in child.iterchildren():
                if content.tag.rsplit("}", 1)[-1] == "sdtContent":
                    yield from _block_lines(content, parent)


def _paragraph_lines(para: Any) -> Iterator[Line]:
    style = (para.style.name if para.style is not None else "") or ""
    heading = style.startswith(("Heading", "Title", "Subtitle"))
    listed = style.startswith(("List Bullet", "List Number")) or _numbered(para._p) or _numbered(para.style)
    parts = para.text.replace("\t", " ").split("\n")
    for i, part in enumerate(parts):
        first = i == 0
        yield Line(part, heading=heading, listed=listed and first and bool(part.strip()), break_before=first)


def _numbered(element: Any) -> bool:
    """The paragraph (or its style) carries Word list numbering (w:numPr), bullets included."""
    el = getattr(element, "element", element)  # a style object wraps its XML element
    p_pr = getattr(el, "pPr", None)
    num_pr = getattr(p_pr, "numPr", None) if p_pr is not None else None
    if num_pr is None:
        return False
    num_id = getattr(num_pr, "numId", None)
    return num_id is None or getattr(num_id, "val", 1) != 0  # numId 0 switches numbering off
