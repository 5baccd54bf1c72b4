"""Checks on LLM text: a sentence survives only if every number in it appears verbatim in the project and it
is close (cosine and shared words) to the passages it was written from. What is dropped is counted, never shown."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from interviewmate.models.embedder import Embedder
from interviewmate.prepguide.numbers import TOKEN, unsupported_numbers

SUPPORT_COSINE = 0.3  # MiniLM: a paraphrase of a passage scores well above this, an unrelated claim below
SUPPORT_OVERLAP = 0.5  # share of a sentence's content words (stem-ish prefixes) found in its sources
_WORD = re.compile(r"[a-z][a-z0-9]{3,}")


def stems(text: str) -> set[str]:
    return {w[:5] for w in _WORD.findall(text.lower())}


def word_overlap(sentence: str, sources_stems: set[str]) -> float:
    """Share of the sentence's words of four letters or more whose first five letters occur in the sources."""
    words = stems(sentence)
    return len(words & sources_stems) / len(words) if words else 0.0


@dataclass(frozen=True)
class Checked:
    kept: list[str]
    invented_numbers: int  # sentences dropped for quoting a number the project does not contain
    unsupported: int  # sentences dropped for being far from every source passage


def sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+", " ".join(text.split())) if s.strip()]


def check_generated(parts: Sequence[str], sources: Sequence[str], embedder: Embedder | None) -> Checked:
    """Keep the parts (sentences or bullets) that are grounded: every number in them is in the sources they
    were written from (which are project text), and they are close to a source in embedding space and in
    wording. Count the ones dropped and why."""
    known_numbers = {t.rstrip(".,") for src in sources for t in TOKEN.findall(src)}
    kept: list[str] = []
    source_stems = stems(" ".join(sources))
    invented = unsupported = 0
    candidates = []
    for part in parts:
        if unsupported_numbers(part, known_numbers):
            invented += 1
        else:
            candidates.append(part)
    if embedder is not None and candidates and sources:
        sims = embedder.encode(candidates) @ embedder.encode(list(sources)).T
        for part, row in zip(candidates, sims, strict=True):
            if float(row.max()) >= SUPPORT_COSINE and word_overlap(part, source_stems) >= SUPPORT_OVERLAP:
                kept.append(part)
            else:
                unsupported += 1
    else:
        kept = [p for p in candidates if word_overlap(p, source_stems) >= SUPPORT_OVERLAP]
        unsupported += len(candidates) - len(kept)
    return Checked(kept, invented, unsupported)
