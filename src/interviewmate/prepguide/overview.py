"""What the project is: its title and first paragraphs, from the README (or the first doc)."""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from interviewmate.prepguide.model import Overview, Project, TextBlock

MAX_SUMMARY_CHARS = 600
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_SKIP_LINE = re.compile(r"^\s*(!\[|\[!\[|<|\||```|~~~|-{3,}|={3,}|\*{3,}|>)")


def readme_block(project: Project) -> TextBlock | None:
    docs = project.text_of(("doc",))
    readmes = [b for b in docs if PurePosixPath(b.file).name.lower().startswith("readme")]
    readmes.sort(key=lambda b: (b.file.count("/"), b.cell or 0))
    return readmes[0] if readmes else (docs[0] if docs else None)


def plain(text: str) -> str:
    """Markdown inline markup removed (links keep their text); numbers and words are left as they are."""
    text = _LINK.sub(r"\1", _IMAGE.sub("", text))
    text = re.sub(r"`([^`]+)`", r"\1", text)
    text = re.sub(r"(?<![\w*])(\*{1,3}|_{1,3})(?=\S)(.+?)(?<=\S)\1(?![\w*])", r"\2", text)  # x86_64 stays
    return " ".join(text.split())


def extract_overview(project: Project) -> Overview:
    block = readme_block(project)
    if block is None:
        return Overview(title=project.name, summary="", source=None)
    lines = block.text.splitlines()
    title = ""
    paragraphs: list[str] = []
    current: list[str] = []
    first_line: int | None = None
    in_fence = False
    for i, line in enumerate(lines, start=1):
        stripped = line.strip()
        if stripped.startswith(("```", "~~~")):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        heading = re.match(r"^#{1,6}\s+(.*)", stripped)
        rst_title = i < len(lines) and re.fullmatch(r"[=\-~#*]{3,}", lines[i].strip()) and stripped
        if heading or rst_title:
            if not title:
                title = plain(heading.group(1) if heading else stripped).strip("# ")
            elif paragraphs or current:
                break  # the summary is what comes before the second heading
            continue
        if re.fullmatch(r"[=\-~#*]{3,}", stripped):
            continue
        if not stripped or _SKIP_LINE.match(line) or re.match(r"^\s*([-*+]|\d+[.)])\s", line):
            if current:
                paragraphs.append(" ".join(current))
                current = []
            if len(paragraphs) >= 2:
                break
            continue
        if first_line is None:
            first_line = i
        current.append(stripped)
    if current and len(paragraphs) < 2:
        paragraphs.append(" ".join(current))
    summary = clip_sentences(plain(" ".join(paragraphs)), MAX_SUMMARY_CHARS)
    ref = block.ref(first_line) if first_line else block.ref(1)
    return Overview(title=title or project.name, summary=summary, source=ref)


def clip_sentences(text: str, limit: int) -> str:
    """Whole sentences up to limit characters (at least the first one, cut at a word if it is longer)."""
    if len(text) <= limit:
        return text
    sentences = re.split(r"(?<=[.!?])\s+(?=[A-Z(])", text)
    out = ""
    for s in sentences:
        if out and len(out) + 1 + len(s) > limit:
            break
        out = f"{out} {s}".strip()
    if len(out) > limit:
        out = out[:limit].rsplit(" ", 1)[0] + " ..."
    return out
