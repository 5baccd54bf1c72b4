"""Question generation with checks: every generated question must be a question, new, and on topic for the JD.
Failures are regenerated once (sampling), then replaced from the corpus bank, and labelled as such."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from interviewmate.coaching.prompts import parse_question_list, question_messages
from interviewmate.data.schema import QuestionItem, is_question_or_imperative
from interviewmate.domain import GenerationParams
from interviewmate.models.backends.base import LLMBackend
from interviewmate.models.embedder import Embedder

DUPLICATE_COSINE = 0.8  # two questions this close ask the same thing (MiniLM cosine)
ON_TOPIC_COSINE = 0.15  # MiniLM cosine to the JD below which a question is off-topic
MIN_WORDS, MAX_WORDS = 6, 60
REPETITION_PENALTY = 1.15  # the 135M generator repeats list items under plain greedy decoding


@dataclass(frozen=True)
class GeneratedQuestion:
    text: str
    interview_type: str
    difficulty: str
    source: str  # "generator" | "bank"
    bank_id: str | None = None


@dataclass
class QuestionSet:
    questions: list[GeneratedQuestion] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        return {
            "questions": [
                {
                    "text": q.text,
                    "interview_type": q.interview_type,
                    "difficulty": q.difficulty,
                    "source": q.source,
                }
                for q in self.questions
            ],
            "notes": self.notes,
        }


def skills_in(jd_text: str, vocabulary: Sequence[str], limit: int = 8) -> list[str]:
    """Known skills that the JD names, in the order it names them."""
    found = []
    lower = jd_text.lower()
    for skill in vocabulary:
        m = re.search(rf"(?<![a-z0-9]){re.escape(skill.lower())}(?![a-z0-9])", lower)
        if m:
            found.append((m.start(), skill))
    out: dict[str, str] = {}
    for _, skill in sorted(found):
        out.setdefault(skill.lower(), skill)  # "Caching" and "caching" are one skill
    return list(out.values())[:limit]


def check_question(
    text: str, vector: np.ndarray, accepted: Sequence[np.ndarray], jd_vector: np.ndarray | None
) -> str | None:
    """Why the question is rejected, or None when it passes."""
    words = len(text.split())
    if not MIN_WORDS <= words <= MAX_WORDS:
        return f"{words} words"
    if not is_question_or_imperative(text):
        return "not a question"
    if any(float(vector @ a) >= DUPLICATE_COSINE for a in accepted):
        return "near-duplicate of another question"
    if jd_vector is not None and float(vector @ jd_vector) < ON_TOPIC_COSINE:
        return "off-topic for the job description"
    return None


def generate_questions(
    backend: LLMBackend,
    embedder: Embedder,
    bank: Sequence[QuestionItem],
    role: str,
    interview_type: str,
    difficulty: str,
    n: int,
    jd_text: str = "",
    skills: Sequence[str] = (),
    max_tokens: int = 60,
) -> QuestionSet:
    result = QuestionSet()
    jd_vector = embedder.encode([jd_text])[0] if jd_text.strip() else None
    accepted: list[np.ndarray] = []
    attempts = (
        GenerationParams(max_tokens=max_tokens * n, repetition_penalty=REPETITION_PENALTY),
        GenerationParams(
            max_tokens=max_tokens * n, temperature=0.8, seed=7, repetition_penalty=REPETITION_PENALTY
        ),
    )
    for attempt, params in enumerate(attempts, start=1):
        missing = n - len(result.questions)
        if missing <= 0:
            break
        raw = backend.generate(question_messages(role, skills, interview_type, difficulty, missing), params)
        candidates = parse_question_list(raw)
        if not candidates:
            result.notes.append(f"attempt {attempt}: the generator returned no parsable questions")
            continue
        vectors = embedder.encode(candidates)
        for text, vec in zip(candidates, vectors, strict=True):
            if len(result.questions) >= n:
                break
            why = check_question(text, vec, accepted, jd_vector)
            if why:
                result.notes.append(f"attempt {attempt}: rejected {text[:60]!r} ({why})")
                continue
            accepted.append(vec)
            result.questions.append(GeneratedQuestion(text, interview_type, difficulty, "generator"))
    if len(result.questions) < n:
        _fill_from_bank(result, bank, embedder, role, interview_type, difficulty, n, accepted, jd_vector)
    return result


def _fill_from_bank(
    result: QuestionSet,
    bank: Sequence[QuestionItem],
    embedder: Embedder,
    role: str,
    interview_type: str,
    difficulty: str,
    n: int,
    accepted: list[np.ndarray],
    jd_vector: np.ndarray | None,
) -> None:
    pool = [
        q
        for q in bank
        if q.role == role and q.interview_type == interview_type and q.difficulty == difficulty
    ]
    pool = pool or [q for q in bank if q.role == role and q.interview_type == interview_type]
    if not pool:
        result.notes.append("no bank questions for this role and type; fewer questions than asked")
        return
    vectors = embedder.encode([q.question for q in pool])
    order = np.argsort(-(vectors @ jd_vector)) if jd_vector is not None else np.arange(len(pool))
    added = 0
    for i in order:
        if len(result.questions) >= n:
            break
        if any(float(vectors[i] @ a) >= DUPLICATE_COSINE for a in accepted):
            continue
        accepted.append(vectors[i])
        q = pool[int(i)]
        result.questions.append(GeneratedQuestion(q.question, q.interview_type, q.difficulty, "bank", q.id))
        added += 1
    result.notes.append(f"{added} question(s) taken from the curated bank after generation checks failed")
