"""Exact and near-duplicate detection over a corpus file's main text, with a reasoned whitelist."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from interviewmate.data.text import normalise

NEAR_DUPLICATE = 0.92  # cosine (MiniLM) at or above which two items say the same thing
KEEP_TOGETHER = 0.85  # looser: items this close never straddle a train/val/test boundary


@dataclass(frozen=True)
class DuplicatePair:
    file: str
    a: str
    b: str
    similarity: float  # 1.0 for exact duplicates after normalisation
    exact: bool


def load_whitelist(path: Path) -> dict[frozenset[str], str]:
    """{frozenset({id_a, id_b}): reason}; each line {"a", "b", "reason"} and a reason is required."""
    if not path.exists():
        return {}
    out: dict[frozenset[str], str] = {}
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        row = json.loads(line)
        if not str(row.get("reason", "")).strip():
            raise ValueError(f"{path.name}:{n}: a whitelisted pair needs a reason")
        out[frozenset((row["a"], row["b"]))] = row["reason"]
    return out


def similar_pairs(vectors: np.ndarray, threshold: float, block: int = 1024) -> list[tuple[int, int, float]]:
    """All (i, j, cos) with i < j and cos >= threshold, computed block by block to bound memory."""
    out: list[tuple[int, int, float]] = []
    n = len(vectors)
    for start in range(0, n, block):
        sims = vectors[start : start + block] @ vectors.T
        rows, cols = np.nonzero(sims >= threshold)
        for r, c in zip(rows.tolist(), cols.tolist(), strict=True):
            i = start + r
            if i < c:
                out.append((i, c, float(sims[r, c])))
    return out


def find_duplicates(
    file: str,
    ids: Sequence[str],
    texts: Sequence[str],
    vectors: np.ndarray,
    threshold: float = NEAR_DUPLICATE,
) -> list[DuplicatePair]:
    seen: dict[str, str] = {}
    found: dict[frozenset[str], DuplicatePair] = {}
    for item_id, text in zip(ids, texts, strict=True):
        key = normalise(text)
        if key in seen:
            found[frozenset((seen[key], item_id))] = DuplicatePair(file, seen[key], item_id, 1.0, True)
        else:
            seen[key] = item_id
    for i, j, sim in similar_pairs(vectors, threshold):
        pair = frozenset((ids[i], ids[j]))
        if pair not in found:
            found[pair] = DuplicatePair(file, ids[i], ids[j], round(sim, 4), False)
    return sorted(found.values(), key=lambda p: -p.similarity)


def nearest_neighbour_similarity(vectors: np.ndarray) -> np.ndarray:
    """Each item's cosine to its most similar other item (a diversity measure: lower is more varied)."""
    if len(vectors) < 2:
        return np.zeros(len(vectors), dtype=np.float32)
    best = np.full(len(vectors), -1.0, dtype=np.float32)
    for start in range(0, len(vectors), 1024):
        sims = vectors[start : start + 1024] @ vectors.T
        for r in range(sims.shape[0]):
            sims[r, start + r] = -1.0
        best[start : start + sims.shape[0]] = sims.max(axis=1)
    return best
