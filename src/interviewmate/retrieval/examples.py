"""Retrieval pairs of one split joined with their resume bullets and JD text, ready to train or evaluate on."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import cast

from interviewmate.data.io import load_corpus
from interviewmate.data.pipeline import SPLITS_FILE, read_splits
from interviewmate.data.schema import JobDescription, ResumeDoc, RetrievalPair
from interviewmate.errors import DataError
from interviewmate.retrieval.query import QueryForm, build_query

PAIRS_FILE = "retrieval_pairs.jsonl"


@dataclass(frozen=True)
class RetrievalExample:
    pair_id: str
    resume_id: str
    question: str
    jd_text: str
    positive_id: str
    negative_ids: tuple[str, ...]

    def query(self, form: QueryForm) -> str:
        return build_query(self.question, self.jd_text, form)


@dataclass(frozen=True)
class RetrievalSplit:
    examples: list[RetrievalExample]
    bullets: dict[str, dict[str, str]]  # resume id -> bullet id -> text, in reading order

    def text(self, resume_id: str, bullet_id: str) -> str:
        return self.bullets[resume_id][bullet_id]


def load_split(corpus_dir: Path, split: str) -> RetrievalSplit:
    """The split's pairs (sorted by id) and the bullets of every resume they refer to."""
    loaded = load_corpus(corpus_dir)
    if loaded.errors:
        raise DataError(
            f"the corpus in {corpus_dir} is invalid ({loaded.errors[0]}): run `interviewmate data validate`"
        )
    ids = set(read_splits(corpus_dir / SPLITS_FILE).ids(PAIRS_FILE, split))
    pairs = sorted(
        (p for p in cast(list[RetrievalPair], loaded.items[PAIRS_FILE]) if p.id in ids), key=lambda p: p.id
    )
    resumes = {r.id: r for r in cast(list[ResumeDoc], loaded.items["resumes/resumes.jsonl"])}
    jds = {j.id: j.text for j in cast(list[JobDescription], loaded.items["job_descriptions.jsonl"])}
    bullets = {
        rid: {b.id: b.text for _, b in resumes[rid].bullets()} for rid in sorted({p.resume_id for p in pairs})
    }
    examples = [
        RetrievalExample(
            p.id,
            p.resume_id,
            p.question,
            jds.get(p.jd_id, ""),
            p.positive_bullet_id,
            tuple(p.hard_negative_bullet_ids),
        )
        for p in pairs
    ]
    return RetrievalSplit(examples, bullets)
