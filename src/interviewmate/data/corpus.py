"""Read access to the packaged corpus for the app: the question bank and the skills vocabulary."""

from __future__ import annotations

from functools import cache
from typing import cast

from interviewmate.data import CORPUS_DIR
from interviewmate.data.io import read_jsonl
from interviewmate.data.schema import JobDescription, QuestionItem


@cache
def load_bank() -> tuple[QuestionItem, ...]:
    items, _, _ = read_jsonl(CORPUS_DIR / "questions.jsonl", QuestionItem)
    return tuple(cast(list[QuestionItem], items))


@cache
def skill_vocabulary() -> tuple[str, ...]:
    items, _, _ = read_jsonl(CORPUS_DIR / "job_descriptions.jsonl", JobDescription)
    skills = {s for jd in cast(list[JobDescription], items) for s in jd.skills if len(s) > 1}
    return tuple(sorted(skills, key=lambda s: (-len(s), s)))
