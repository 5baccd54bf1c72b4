"""`interviewmate data build`: deterministic stratified 70/15/15 splits that never leak.

- questions and router requests: stratified by (role, interview_type, difficulty);
- job descriptions: by (role, seniority); resumes: by (role, seniority), and retrieval pairs follow their resume;
- items closer than KEEP_TOGETHER (cosine) form one group that goes to one split, so near-duplicates never
  straddle a boundary.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field

import numpy as np

from interviewmate.data.dedupe import KEEP_TOGETHER, similar_pairs
from interviewmate.data.io import Loaded
from interviewmate.data.validate import typed
from interviewmate.models.embedder import Embedder

SPLITS = ("train", "val", "test")
RATIOS = (0.70, 0.15, 0.15)
DEFAULT_SEED = 20261122


@dataclass
class Splits:
    seed: int
    assignment: dict[str, dict[str, str]] = field(default_factory=dict)  # file -> id -> split

    def ids(self, file: str, split: str) -> list[str]:
        return sorted(i for i, s in self.assignment.get(file, {}).items() if s == split)

    def to_json(self) -> dict[str, object]:
        out: dict[str, object] = {"seed": self.seed, "ratios": dict(zip(SPLITS, RATIOS, strict=True))}
        for file in sorted(self.assignment):
            out[file] = {s: self.ids(file, s) for s in SPLITS}
        return out


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def groups_of_near_duplicates(vectors: np.ndarray | None, n: int) -> list[list[int]]:
    uf = _UnionFind(n)
    if vectors is not None and len(vectors):
        for i, j, _ in similar_pairs(vectors, KEEP_TOGETHER):
            uf.union(i, j)
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(n):
        groups[uf.find(i)].append(i)
    return list(groups.values())


def stratified_assign(
    ids: Sequence[str],
    strata: Sequence[Hashable],
    seed: int,
    vectors: np.ndarray | None = None,
) -> dict[str, str]:
    """Assign each id to train/val/test; groups of near-duplicates move as one, stratum by stratum."""
    by_stratum: dict[Hashable, list[list[int]]] = defaultdict(list)
    for group in groups_of_near_duplicates(vectors, len(ids)):
        # a group is filed under its first member's stratum
        by_stratum[strata[min(group, key=lambda i: ids[i])]].append(group)
    out: dict[str, str] = {}
    for stratum in sorted(by_stratum, key=str):
        groups = sorted(by_stratum[stratum], key=lambda g: min(ids[i] for i in g))
        random.Random(f"{seed}:{stratum}").shuffle(groups)
        total = sum(len(g) for g in groups)
        filled = dict.fromkeys(SPLITS, 0)
        for group in groups:
            # the split furthest below its target share takes the group (ties: train first)
            split = max(SPLITS, key=lambda s: RATIOS[SPLITS.index(s)] * total - filled[s])
            filled[split] += len(group)
            for i in group:
                out[ids[i]] = split
    return out


def build_splits(loaded: Loaded, embedder: Embedder | None, seed: int = DEFAULT_SEED) -> Splits:
    questions, jds, resumes, pairs, router = typed(loaded)

    def vectors(texts: list[str]) -> np.ndarray | None:
        return embedder.encode(texts) if embedder is not None and texts else None

    splits = Splits(seed=seed)
    splits.assignment["questions.jsonl"] = stratified_assign(
        [q.id for q in questions],
        [(q.role, q.interview_type, q.difficulty) for q in questions],
        seed,
        vectors([q.question for q in questions]),
    )
    splits.assignment["router_requests.jsonl"] = stratified_assign(
        [r.id for r in router],
        [(r.role, r.interview_type, r.difficulty) for r in router],
        seed,
        vectors([r.text for r in router]),
    )
    splits.assignment["job_descriptions.jsonl"] = stratified_assign(
        [j.id for j in jds], [j.role for j in jds], seed, vectors([j.text for j in jds])
    )
    # a resume and all its retrieval pairs share a split, so no person is seen in training and test
    resume_split = stratified_assign([r.id for r in resumes], [r.role for r in resumes], seed)
    splits.assignment["resumes/resumes.jsonl"] = resume_split
    splits.assignment["retrieval_pairs.jsonl"] = {p.id: resume_split[p.resume_id] for p in pairs}
    return splits
