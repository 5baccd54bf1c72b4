"""Score a free-text answer to a free-text question: find what to compare it with, then call score_answer.

Without a reference answer, the question is matched to the corpus bank: when the closest bank question has an
embedder cosine of at least BANK_MATCH_COSINE, its key points and reference answer are used. Otherwise the
generator is asked to draft 3-5 key points (no reference answer, so reference similarity is not scored); when it
fails or its reply does not parse, key-point coverage is not scored. The notes say which path was taken.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from interviewmate.coaching.prompts import SYSTEM, parse_question_list
from interviewmate.coaching.scoring import ScoringContext, score_answer
from interviewmate.data import CORPUS_DIR
from interviewmate.data.schema import QuestionItem
from interviewmate.domain import (
    Bullet,
    ChatMessage,
    Difficulty,
    Feedback,
    GenerationParams,
    InterviewType,
    Question,
    Role,
)
from interviewmate.errors import ConfigError, InterviewMateError
from interviewmate.models.backends.base import LLMBackend
from interviewmate.models.embedder import Embedder

BANK_MATCH_COSINE = (
    0.8  # MiniLM: bank questions this close ask the same thing (cf. DUPLICATE_COSINE in questions)
)
MIN_KEY_POINTS, MAX_KEY_POINTS = 3, 5
KEY_POINT_WORDS = (2, 40)  # the 135M generator writes its points as sentences of 10-40 words
BEHAVIORAL_CUES = re.compile(
    r"\b(tell me about a time|describe a (time|situation)|give (me )?an example of a time|walk me through a situation"
    r"|how did you handle|have you ever|a time (when )?you)\b",
    re.I,
)


@dataclass(frozen=True)
class ResolvedQuestion:
    question: Question
    source: str  # "given" | "bank" | "generator" | "none": where key points / reference came from
    notes: tuple[str, ...]


def draft_key_points(backend: LLMBackend, question: str) -> list[str]:
    """3-5 key points from the generator, parsed defensively; [] when the reply has too few usable lines."""
    user = (
        f"Interview question: {question}\n"
        f"List {MIN_KEY_POINTS} to {MAX_KEY_POINTS} key points a strong answer must cover, "
        "one per numbered line, each a short phrase."
    )
    params = GenerationParams(max_tokens=160, temperature=0.0, repetition_penalty=1.15)
    reply = backend.generate([ChatMessage("system", SYSTEM), ChatMessage("user", user)], params)
    points: list[str] = []
    for line in parse_question_list(reply):
        line = line.strip().strip("\"'").rstrip(".")
        n = len(line.split())
        if line.endswith(":"):  # a preamble such as "Here are the key points:"
            continue
        if KEY_POINT_WORDS[0] <= n <= KEY_POINT_WORDS[1] and line.lower() not in {p.lower() for p in points}:
            points.append(line)
    return points[:MAX_KEY_POINTS] if len(points) >= MIN_KEY_POINTS else []


PACKAGED_VECTORS_DIR = CORPUS_DIR / "vectors"  # float16 copies for the packaged bank + MiniLM (2 s -> 0 s)


def bank_vectors_file(bank: Sequence[QuestionItem], embedder_name: str) -> str:
    """File name of a bank's question embeddings: the embedder's name and a hash of the texts, so a changed
    bank or another embedder never reads stale vectors."""
    digest = hashlib.sha256("\n".join(item.question for item in bank).encode()).hexdigest()[:16]
    return f"bank-questions-{re.sub(r'[^a-z0-9.-]+', '_', embedder_name.lower())}-{digest}.npy"


def save_packaged_bank_vectors(bank: Sequence[QuestionItem], embedder: Embedder) -> Path:
    """Write the packaged float16 copy (run after the bank changes; a test fails until it matches):
    python -c "from interviewmate.coaching.scoring_reference import refresh_packaged_bank_vectors as r; r()"."""
    PACKAGED_VECTORS_DIR.mkdir(parents=True, exist_ok=True)
    for old in PACKAGED_VECTORS_DIR.glob(f"bank-questions-{embedder.name.lower()}-*.npy"):
        old.unlink()
    path = PACKAGED_VECTORS_DIR / bank_vectors_file(bank, embedder.name)
    np.save(path, embedder.encode([item.question for item in bank]).astype(np.float16))
    return path


def refresh_packaged_bank_vectors() -> Path:
    from interviewmate.config import Settings
    from interviewmate.data.corpus import load_bank
    from interviewmate.models.embedder import SentenceEmbedder

    settings = Settings()
    embedder = SentenceEmbedder(settings.embedding_model, settings.model_cache_dir)
    return save_packaged_bank_vectors(load_bank(), embedder)


def bank_vectors(bank: Sequence[QuestionItem], embedder: Embedder, cache_dir: Path | None) -> np.ndarray:
    """Embeddings of the bank's questions: the packaged copy when it matches (bank and embedder), else kept in
    cache_dir, so neither the command nor a session start re-embeds 1,272 questions (~25 s on 2 cores)."""
    texts = [item.question for item in bank]
    name = bank_vectors_file(bank, embedder.name)
    packaged = PACKAGED_VECTORS_DIR / name
    if packaged.is_file():
        try:
            shipped = np.load(packaged).astype(np.float32)
            if shipped.shape[0] == len(texts):
                return shipped
        except (OSError, ValueError):
            pass  # a damaged copy: embed instead
    if cache_dir is None:
        return embedder.encode(texts)
    path = cache_dir / name
    if path.is_file():
        try:
            cached = np.load(path)
            if cached.shape[0] == len(texts):
                return cached
        except (OSError, ValueError):
            pass  # unreadable cache: embed again and overwrite it
    vectors = embedder.encode(texts)
    cache_dir.mkdir(parents=True, exist_ok=True)
    np.save(path, vectors)
    return vectors


def nearest_bank_item(
    question: str, bank: Sequence[QuestionItem], embedder: Embedder, cache_dir: Path | None = None
) -> tuple[QuestionItem, float] | None:
    if not bank:
        return None
    sims = bank_vectors(bank, embedder, cache_dir) @ embedder.encode([question])[0]
    best = int(np.argmax(sims))
    return bank[best], float(sims[best])


def resolve_question(
    text: str,
    reference: str | None,
    interview_type: str | None,
    embedder: Embedder | None,
    bank: Sequence[QuestionItem],
    backend_factory: Callable[[], LLMBackend] | None,
    cache_dir: Path | None = None,
) -> ResolvedQuestion:
    notes: list[str] = []
    try:
        itype = InterviewType(interview_type) if interview_type else None
    except ValueError:
        raise ConfigError(
            f"--type must be one of {', '.join(t.value for t in InterviewType)}, not {interview_type!r}"
        ) from None
    key_points: tuple[str, ...] = ()
    ref = (reference or "").strip()
    source = "given" if ref else "none"
    match = None if ref or embedder is None else nearest_bank_item(text, bank, embedder, cache_dir)
    if ref:
        notes.append("compared with the reference you gave (no key points, so coverage is not scored)")
    elif match is not None and match[1] >= BANK_MATCH_COSINE:
        item, cos = match
        key_points, ref, source = tuple(item.key_points), item.reference_answer, "bank"
        notes.append(
            f"matched bank question {item.id} (cosine {cos:.2f}): using its key points and reference"
        )
    else:
        if embedder is None:
            notes.append("no embedder: the question bank was not searched")
        elif match is not None:
            notes.append(
                f"no bank question close enough (best cosine {match[1]:.2f} < {BANK_MATCH_COSINE}); "
                "asked the generator for key points"
            )
        key_points, note = _generated_key_points(text, backend_factory)
        notes.append(note)
        source = "generator" if key_points else "none"
    if itype is None:
        if source == "bank" and match is not None:
            itype = InterviewType(match[0].interview_type)
            notes.append(f"interview type {itype.value} from the matched bank question")
        else:
            itype = InterviewType.BEHAVIORAL if BEHAVIORAL_CUES.search(text) else InterviewType.TECHNICAL
            notes.append(f"interview type {itype.value} guessed from the question's wording (set --type)")
    # Role and difficulty do not change the score; the bank match supplies them when there is one.
    role = Role(match[0].role) if match is not None else Role.DATA_SCIENTIST
    difficulty = (
        Difficulty(match[0].difficulty) if source == "bank" and match is not None else Difficulty.MEDIUM
    )
    question = Question(text.strip(), role, itype, difficulty, key_points=key_points, reference_answer=ref)
    return ResolvedQuestion(question, source, tuple(notes))


def _generated_key_points(
    text: str, backend_factory: Callable[[], LLMBackend] | None
) -> tuple[tuple[str, ...], str]:
    if backend_factory is None:
        return (), "no generator available: key-point coverage not scored"
    try:
        backend = backend_factory()
        try:
            points = draft_key_points(backend, text)
        finally:
            backend.close()
    except InterviewMateError as exc:
        return (), f"the generator failed ({exc}): key-point coverage not scored"
    if not points:
        return (), "the generator's reply had no 3-5 usable key points: key-point coverage not scored"
    return tuple(points), (
        f"key points drafted by the generator ({len(points)}; a small model wrote them, so coverage is a rough "
        "guide); no reference answer"
    )


def score_text_answer(
    question: str,
    answer: str,
    *,
    reference: str | None = None,
    interview_type: str | None = None,
    embedder: Embedder | None,
    bank: Sequence[QuestionItem],
    backend_factory: Callable[[], LLMBackend] | None = None,
    bullets: Sequence[Bullet] = (),
    delivery: Mapping[str, Any] | None = None,
    cache_dir: Path | None = None,
) -> Feedback:
    """The `interviewmate score` service: resolve the question, score the answer, prepend how it was resolved."""
    if not question.strip():
        raise ConfigError("--question is empty: give the interview question the answer responds to")
    resolved = resolve_question(
        question, reference, interview_type, embedder, bank, backend_factory, cache_dir
    )
    feedback = score_answer(
        resolved.question, answer, ScoringContext(embedder=embedder, bullets=bullets, delivery=delivery)
    )
    return Feedback(feedback.overall, feedback.components, resolved.notes + feedback.notes)
