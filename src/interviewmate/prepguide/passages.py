"""Project text cut into passages (doc paragraphs, code windows, notebook cells), ranked per question by cosine
similarity of sentence embeddings."""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from interviewmate.models.embedder import Embedder
from interviewmate.prepguide.model import Passage, Project, TextBlock
from interviewmate.prepguide.overview import plain

MAX_PASSAGE_CHARS = 600  # ~150 MiniLM tokens: under its 256-token window, so nothing is silently cut
CODE_WINDOW_LINES = 30
MAX_PASSAGES = 120  # bounds the embedding time: MiniLM embeds 300 such passages in ~64 s on 2 busy cores


def doc_passages(block: TextBlock) -> list[Passage]:
    out: list[Passage] = []
    buf: list[str] = []
    start = 1
    in_fence = False

    def flush() -> None:
        text = plain(" ".join(buf))
        if len(text.split()) >= 5:
            out.append(Passage(text[:MAX_PASSAGE_CHARS], block.ref(start)))
        buf.clear()

    for i, line in enumerate(block.text.splitlines(), start=1):
        if line.strip().startswith(("```", "~~~")):
            in_fence = not in_fence
        if re.match(r"^\s*(!\[|\[!\[|<)", line) or re.fullmatch(r"\s*[=\-~]{3,}\s*", line):
            continue  # badges, raw HTML, setext underlines
        if not line.strip() or re.match(r"^\s*#{1,6}\s", line):
            if sum(len(b) for b in buf) >= MAX_PASSAGE_CHARS // 2 or re.match(r"^\s*#", line):
                flush()
            if re.match(r"^\s*#{1,6}\s", line) and not in_fence:
                buf.append(line.strip().lstrip("#").strip() + ":")  # a heading opens the next passage
                start = i
            continue
        if not buf:
            start = i
        buf.append(line.strip())
        if sum(len(b) for b in buf) >= MAX_PASSAGE_CHARS:
            flush()
    flush()
    return out


_DEFINES = re.compile(r"^\s*(?:@\w+\.\w+\((['\"][^'\"]*['\"])|(?:async\s+)?def\s+(\w+)|class\s+(\w+))")


def code_summary(window: str) -> str:
    """What a code window defines, in one line: its docstring's first line, routes, functions and classes."""
    parts = []
    doc = re.match(r'\s*[rub]*("""|\'\'\')\s*(.+?)\s*(?:\1|$)', window, re.MULTILINE)
    if doc:
        parts.append(doc.group(2).strip())
    names = []
    for line in window.splitlines():
        if m := _DEFINES.match(line):
            route, fn, cls = m.groups()
            names.append(
                f"route {route.strip(chr(34) + chr(39))}" if route else f"{fn}()" if fn else f"class {cls}"
            )
    if names:
        parts.append("defines " + ", ".join(dict.fromkeys(names)))
    return "Code: " + "; ".join(parts) if parts else ""


def code_passages(block: TextBlock) -> list[Passage]:
    lines = block.text.splitlines()
    out = []
    for s in range(0, len(lines), CODE_WINDOW_LINES):
        window = "\n".join(lines[s : s + CODE_WINDOW_LINES]).strip()
        if len(window.split()) >= 5:
            text = window[:MAX_PASSAGE_CHARS]
            display = code_summary(window) if block.kind == "code" else ""
            out.append(Passage(text, block.ref(s + 1), display=display))
    return out


def project_passages(project: Project, limit: int = MAX_PASSAGES) -> list[Passage]:
    """Docs first (they say what the project does and why), then code, then notebook outputs; docs take at
    most two thirds of the limit when there is code to fill the rest."""
    docs, code, outputs = [], [], []
    for block in project.blocks:
        if block.kind == "doc":
            docs.extend(doc_passages(block))
        elif block.kind == "code" and "test" not in block.file.lower():
            code.extend(code_passages(block))
        elif block.kind == "output":
            outputs.extend(code_passages(block))
    rest = code + outputs
    n_docs = max(limit - len(rest), (2 * limit) // 3)
    return (docs[:n_docs] + rest)[:limit]


def rank_passages(
    queries: Sequence[str], passages: Sequence[Passage], embedder: Embedder, k: int = 3
) -> list[list[Passage]]:
    """For each query the k most similar passages (from k different places), best first, with their cosine."""
    if not passages or not queries:
        return [[] for _ in queries]
    vectors = embedder.encode([p.text for p in passages])
    sims = embedder.encode(list(queries)) @ vectors.T
    out = []
    for row in np.asarray(sims):
        order = [int(j) for j in np.argsort(-row, kind="stable")]
        places: set[tuple[str, int | None]] = set()
        picked: list[int] = []
        for j in order:  # first spread the evidence over files/cells, then fill up with the next best
            place = (passages[j].source.file, passages[j].source.cell)
            if place not in places and len(picked) < k:
                places.add(place)
                picked.append(j)
        picked += [j for j in order if j not in picked][: k - len(picked)]
        picked.sort(key=lambda j: -row[j])
        out.append(
            [
                Passage(passages[j].text, passages[j].source, float(row[j]), passages[j].display)
                for j in picked
            ]
        )
    return out
