"""The project's numbers (metrics, dataset sizes, latencies), each quoted verbatim with its file, line and
sentence; and the check that a generated text quotes no number the project does not contain."""

from __future__ import annotations

import re
from collections.abc import Iterable

from interviewmate.prepguide.model import NumberFact, Project, TextBlock
from interviewmate.prepguide.overview import plain

MAX_NUMBERS = 40
PHRASE_CHARS = 200
_UNIT = (
    r"%|x\b|×|ms\b|µs\b|us\b|s\b|sec\b|secs\b|seconds\b|min\b|minutes\b|hours?\b|h\b|k\b|K\b|M\b|B\b|"
    r"GB\b|MB\b|KB\b|TB\b|GiB\b|MiB\b|tok/s|tokens/s|req/s|rps\b|qps\b|fps\b|pp\b|points\b"
)
NUMBER = re.compile(
    rf"(?<![\w.,/#@-])(?P<num>[$€£]?\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|[$€£]?\d+(?:\.\d+)?)(?P<unit>\s?(?:{_UNIT}))?"
)
# a run of digits, for the "is it in the project" check; digits glued to letters are names (p95, H100, GPT4), so
# "p95" in a README does not license a "95%" in generated text
TOKEN = re.compile(r"(?<![A-Za-z0-9])\d+(?:[.,]\d+)*")  # not `_`: markdown emphasis (__95%__) is no name
STRONG_WORDS = re.compile(
    r"\b(auc|roc|accuracy|acc|f1|precision|recall|rmse|mae|mape|mse|r2|r²|bleu|rouge|wer|cer|perplexity|"
    r"latency|p50|p90|p95|p99|throughput|speed-?up|faster|slower|error|loss|map|ndcg|mrr|top-\d|"
    r"tok/s|per second|qps|rps)\b",
    re.IGNORECASE,
)  # a number right next to one of these is a result
METRIC_WORDS = re.compile(
    r"\b(improv\w*|reduc\w*|increas\w*|decreas\w*|uplift|lift|score\w*|hit|cost|memory|ram|vram|time|"
    r"duration|requests?|users?|customers?|rows|records|samples|examples|images|documents|files|tokens|"
    r"parameters|params|dataset|data set|train\w*|test\w*|validation|epochs?|size|churn|revenue|"
    r"conversion|saving|saved|coverage|queries|predictions|transactions|events|districts|reviews|per day|"
    r"daily|recovered|baseline)\b",
    re.IGNORECASE,
)  # a number near one of these is a size or an effect


def _skippable(line: str, m: re.Match[str]) -> bool:
    s, e = m.start("num"), m.end("num")
    after = line[e : e + 2]
    if re.match(r"\.\d", after) or (re.match(r"[A-Za-z_]", line[e : e + 1]) and not m.group("unit")):
        return True  # a version (1.2.3) or part of an identifier
    if re.fullmatch(r"\s*(?:#+\s*)?", line[:s]) and re.match(r"[.)]\s", after):
        return True  # an ordered-list or heading number
    if line[:s].count("`") % 2 == 1:
        return True  # inside inline code
    if re.search(r"https?://\S*$", line[:s]):
        return True  # inside a URL
    num = m.group("num").lstrip("$€£")
    return not m.group("unit") and re.fullmatch(r"(19|20)\d\d", num) is not None  # a year


def _sentence(text: str, start: int, end: int) -> str:
    """The sentence of text around [start, end), markdown removed, at most PHRASE_CHARS."""
    bounds = [0] + [m.end() for m in re.finditer(r"[.!?;](?=\s)", text)] + [len(text)]
    lo = max(b for b in bounds if b <= start)
    hi = min(b for b in bounds if b >= end)
    sentence = text[lo:hi].strip().strip("|").strip()
    sentence = re.sub(r"\s*\|\s*", " | ", sentence)
    sentence = re.sub(r"^([-*+]|\d+[.)])\s+", "", sentence)
    out = plain(sentence)
    if len(out) > PHRASE_CHARS:
        at = out.find(text[start:end].strip())
        lo = max(0, at - PHRASE_CHARS // 2)
        out = ("... " if lo else "") + out[lo : lo + PHRASE_CHARS].strip() + " ..."
    return out


def _paragraphs(block: TextBlock) -> list[list[tuple[int, str]]]:
    """Runs of prose lines (1-based line numbers); each table row and list item stands alone; code fences
    in docs are left out. A table's body rows carry its header row as context."""
    out: list[list[tuple[int, str]]] = []
    current: list[tuple[int, str]] = []
    in_fence = False
    lines = block.text.splitlines()
    header = ""
    for i, line in enumerate(lines, start=1):
        stripped = line.strip()
        if stripped.startswith("|") and i < len(lines) and re.fullmatch(r"\|?[\s|:\-]+", lines[i].strip()):
            header = stripped  # the row above a |---| line names the columns
        elif stripped.startswith("|") and header and not re.fullmatch(r"[\s|:\-]+", stripped):
            if current:
                out.append(current)
            out.append([(i, line), (0, f"(columns: {header.strip('|').strip()})")])
            current = []
            continue
        elif not stripped.startswith("|"):
            header = ""
        if block.kind == "doc" and stripped.startswith(("```", "~~~")):
            in_fence = not in_fence
            current = []
            continue
        if in_fence:
            continue
        if not stripped or re.fullmatch(r"[\s|:\-=~#*]*", line) or re.match(r"^#{1,6}\s", stripped):
            if current:
                out.append(current)
            current = []
            continue
        if block.kind != "doc" or stripped.startswith("|") or re.match(r"^([-*+]|\d+[.)])\s", stripped):
            if current:
                out.append(current)
            out.append([(i, line)])
            current = []
            continue
        current.append((i, line))
    if current:
        out.append(current)
    return out


def _score(window_before: str, window_after: str, m: re.Match[str]) -> float:
    near = window_before[-40:] + " " + window_after[:25]
    score = (
        3.0
        if STRONG_WORDS.search(near)
        else (2.0 if METRIC_WORDS.search(window_before + window_after) else 0.0)
    )
    score += 1.0 if m.group("unit") else 0.0
    if "," in m.group("num") or "." in m.group("num"):
        score += 0.5  # 12,400 and 0.87 are more often results than 3 is
    return score


def numbers_in_block(block: TextBlock) -> list[NumberFact]:
    out: list[NumberFact] = []
    for para in _paragraphs(block):
        joined, offsets = "", []
        for _, line in para:
            offsets.append(len(joined))
            joined += line.strip() + " "
        for (lineno, line), base in zip(para, offsets, strict=True):
            if lineno == 0:
                continue  # context only (a table header), not a source of numbers
            stripped = line.strip()
            for m in NUMBER.finditer(stripped):
                if _skippable(stripped, m):
                    continue
                s, e = base + m.start(), base + m.end()
                score = _score(joined[max(0, s - 60) : s], joined[e : e + 60], m)
                if score < 2.0:
                    continue  # a bare number with no metric word near it says nothing to an interviewer
                value = stripped[m.start() : m.end()].strip()
                phrase = _sentence(joined, s, e)
                if value not in phrase:
                    continue  # the phrase must show the number exactly as quoted
                out.append(NumberFact(value, phrase, block.ref(lineno), score))
    return out


def extract_numbers(project: Project, limit: int = MAX_NUMBERS) -> list[NumberFact]:
    """Numbers from docs, notebook markdown and notebook outputs; best first, README before other files; each
    value once."""
    facts: list[NumberFact] = []
    for order, block in enumerate(project.text_of(("doc", "output"))):
        readme = 0.75 if "/" not in block.file and block.file.lower().startswith("readme") else 0.0
        for fact in numbers_in_block(block):  # the README holds the numbers the author leads with
            facts.append(NumberFact(fact.value, fact.phrase, fact.source, fact.score + readme - order * 1e-3))
    facts.sort(key=lambda f: -f.score)
    best: dict[str, NumberFact] = {}
    for fact in facts:
        best.setdefault(fact.value, fact)  # one line per value: its most metric-like occurrence
    return list(best.values())[:limit]


def unsupported_numbers(text: str, known: Iterable[str]) -> list[str]:
    """Digit runs in text that the project does not contain verbatim."""
    known_set = set(known)
    return [t for t in (t.rstrip(".,") for t in TOKEN.findall(text)) if t and t not in known_set]
