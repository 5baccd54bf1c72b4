"""Positioned PDF text -> `Line`s in reading order: header/footer bands, columns, indents, gaps.

Works on `Fragment`s (a run of text at a baseline position, as pypdf's text visitor reports them). A page
is split into columns where a vertical gutter runs between two blocks of text that sit side by side;
each column is read top to bottom, left column first; text spanning the gutter (a centred name above a
two-column body) is read before or after the columns.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from itertools import pairwise
from statistics import median

from interviewmate.resume.text import Line

BAND = 0.04  # fraction of the page height at top and bottom where running headers/footers live
GUTTER_TOL = 2.0  # points a column's text may overhang its gutter edge (width estimates are approximate)
MIN_COLUMN_SHARE = 0.03  # each column holds at least this share of the page's characters...
MIN_COLUMN_LINES = 3  # ...and at least this many lines...
MAX_ALIGNED = 0.7  # ...and is not just sparse lines on the other side's baselines (right-aligned dates)


@dataclass(frozen=True)
class Fragment:
    x0: float
    x1: float
    y: float  # baseline, PDF user space (grows upwards)
    size: float  # effective font size in points
    text: str


@dataclass(frozen=True)
class Page:
    width: float
    height: float
    fragments: list[Fragment]
    sideways_chars: int = 0  # rotated text left out (watermarks, vertical labels)


@dataclass
class _Row:
    frags: list[Fragment]

    @property
    def y(self) -> float:
        return self.frags[0].y

    @property
    def x0(self) -> float:
        return min(f.x0 for f in self.frags if f.text.strip())

    @property
    def size(self) -> float:
        sizes: Counter[float] = Counter()
        for f in self.frags:
            sizes[round(f.size, 1)] += len(f.text.strip())
        return sizes.most_common(1)[0][0]

    def text(self) -> str:
        out = ""
        prev: Fragment | None = None
        for f in sorted(self.frags, key=lambda f: f.x0):
            joined = not out or out[-1].isspace() or f.text[:1].isspace()
            if prev is not None and not joined and f.x0 - prev.x1 > 0.15 * f.size:
                out += " "  # a visible gap between two runs is a word break
            out += f.text
            prev = f
        return out


def page_columns(page: Page) -> tuple[list[list[Fragment]], bool]:
    """The page's body text as regions in reading order, and whether it was split into columns."""
    lo, hi = BAND * page.height, (1 - BAND) * page.height
    frags = [f for f in page.fragments if f.text.strip()]
    inner = [f for f in frags if lo <= f.y <= hi]
    body = [f for f in frags if not _running_text(f, lo, hi, inner)]
    regions = _split(body, page.width, depth=0)
    return regions, len(regions) > 1


def _running_text(f: Fragment, lo: float, hi: float, inner: list[Fragment]) -> bool:
    """A running header/footer: short text in the page's top or bottom band, set apart from the body."""
    if lo <= f.y <= hi or len(f.text.split()) > 12:
        return False
    return all(abs(g.y - f.y) > 1.6 * f.size for g in inner)


def _split(frags: list[Fragment], page_width: float, depth: int) -> list[list[Fragment]]:
    if depth >= 3 or not frags:
        return [frags] if frags else []
    total = sum(len(f.text.strip()) for f in frags)
    starts: dict[int, set[int]] = {}
    for f in frags:
        if 0.15 * page_width < f.x0 < 0.85 * page_width:
            starts.setdefault(round(f.x0), set()).add(round(f.y))
    xs = sorted(x for x, ys in starts.items() if len(ys) >= MIN_COLUMN_LINES)  # a column edge recurs
    for gutter in xs:
        left = [f for f in frags if f.x1 <= gutter + GUTTER_TOL]
        in_left = {id(f) for f in left}
        right = [f for f in frags if f.x0 >= gutter - GUTTER_TOL and id(f) not in in_left]
        if not left or not right:
            continue
        if not _substantial(left, total) or not _substantial(right, total) or _row_aligned(left, right):
            continue
        top = min(max(f.y for f in left), max(f.y for f in right))
        bottom = max(min(f.y for f in left), min(f.y for f in right))
        if top <= bottom:
            continue  # one block above the other, not side by side
        kept = in_left | {id(f) for f in right}
        spanning = [f for f in frags if id(f) not in kept]
        if any(bottom - 1 <= f.y <= top + 1 for f in spanning):
            continue  # text runs across the gutter where the columns are side by side
        # full-width lines above/below the columns take along whatever sits beside them (a centred name)
        above_y = min((f.y for f in spanning if f.y > top), default=float("inf"))
        below_y = max((f.y for f in spanning if f.y < bottom), default=float("-inf"))
        above = [f for f in frags if f.y >= above_y - 0.5]
        below = [f for f in frags if f.y <= below_y + 0.5]
        left = [f for f in left if below_y + 0.5 < f.y < above_y - 0.5]
        right = [f for f in right if below_y + 0.5 < f.y < above_y - 0.5]
        return (
            ([above] if above else [])
            + _split(left, page_width, depth + 1)
            + _split(right, page_width, depth + 1)
            + ([below] if below else [])
        )
    return [frags]


def _substantial(frags: list[Fragment], total: int) -> bool:
    chars = sum(len(f.text.strip()) for f in frags)
    rows = {round(f.y) for f in frags}
    return chars >= MIN_COLUMN_SHARE * total and len(rows) >= MIN_COLUMN_LINES


def _row_aligned(left: list[Fragment], right: list[Fragment]) -> bool:
    """Not columns but rows: the smaller side is sparse lines on the other side's baselines (dates, a table)."""
    ys_left, ys_right = sorted({round(f.y) for f in left}), sorted({round(f.y) for f in right})
    small, other = (ys_left, ys_right) if len(ys_left) <= len(ys_right) else (ys_right, ys_left)
    aligned = sum(1 for y in small if any(abs(y - o) <= 1 for o in other))
    if aligned <= MAX_ALIGNED * len(small):
        return False
    size = median(f.size for f in left + right)
    gaps = [b - a for a, b in pairwise(small)]
    return median(gaps) > 2.5 * size  # a column's lines follow each other; dates sit far apart


def _rows(frags: list[Fragment]) -> list[_Row]:
    """Fragments grouped into lines (same baseline), top to bottom."""
    rows: list[_Row] = []
    for f in sorted(frags, key=lambda f: (-f.y, f.x0)):
        if rows and abs(rows[-1].y - f.y) <= 0.3 * min(f.size, rows[-1].frags[0].size):
            rows[-1].frags.append(f)
        else:
            rows.append(_Row([f]))
    return rows


def layout_lines(pages: list[Page]) -> tuple[list[Line], bool]:
    """All pages as `Line`s in reading order, and whether any page has more than one column."""
    regions: list[list[_Row]] = []
    multi = False
    for page in pages:
        cols, split = page_columns(page)
        multi = multi or split
        regions += [_rows(c) for c in cols]
    all_rows = [r for region in regions for r in region]
    if not all_rows:
        return [], multi
    sizes: Counter[float] = Counter()
    for r in all_rows:
        sizes[r.size] += len(r.text())
    body_size = sizes.most_common(1)[0][0]
    lines: list[Line] = []
    for region in regions:
        left = min(r.x0 for r in region)
        steps = [a.y - b.y for a, b in pairwise(region) if 0 < a.y - b.y < 3 * a.size]
        pitch = median(steps) if steps else 1.2 * body_size
        for i, row in enumerate(region):
            line = Line(
                text=row.text(),
                indent=row.x0 - left,
                heading=row.size >= body_size + 1.5,
                break_before=i > 0 and region[i - 1].y - row.y > 1.6 * pitch,
            )
            if i > 0 and line.heading and lines[-1].heading and _same_block(region[i - 1], row):
                lines[-1] = replace(lines[-1], text=f"{lines[-1].text.rstrip()} {line.text.strip()}")
                continue  # a heading wrapped onto a second line (a long name, a headline)
            lines.append(line)
    return lines, multi


def _same_block(prev: _Row, row: _Row) -> bool:
    """Two rows of one paragraph: same font size, same left edge, one line apart."""
    return prev.size == row.size and abs(prev.x0 - row.x0) < 1 and prev.y - row.y < 1.5 * row.size
