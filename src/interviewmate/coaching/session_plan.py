"""Planning a session before it starts: the role, the route (type and difficulty), and checked questions.

Explicit user choices always win; the router fills what is missing; when no router can be loaded the
defaults are used and labelled "default" so the UI can say so. Questions come from the tuned generator with
checks, and from the curated bank when generation fails (a backend error included)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from interviewmate.coaching.questions import generate_questions, skills_in
from interviewmate.coaching.roles import resolve_role
from interviewmate.coaching.scoring_reference import BANK_MATCH_COSINE, nearest_bank_item
from interviewmate.coaching.session_views import RouteView
from interviewmate.data.corpus import load_bank, skill_vocabulary
from interviewmate.data.schema import QuestionItem
from interviewmate.domain import ChatMessage, Difficulty, GenerationParams, InterviewType, Role
from interviewmate.errors import BackendError, ConfigError, ModelUnavailableError
from interviewmate.models.backends.base import LLMBackend
from interviewmate.models.embedder import Embedder
from interviewmate.routing.model import Router

DEFAULT_TYPE, DEFAULT_DIFFICULTY = InterviewType.TECHNICAL.value, Difficulty.MEDIUM.value


@dataclass(frozen=True)
class PlannedQuestion:
    text: str
    source: str  # "generator" | "corpus"
    topic: str
    key_points: tuple[str, ...]
    reference_answer: str
    bank_id: str | None


def check_choices(interview_type: str | None, difficulty: str | None) -> tuple[str | None, str | None]:
    """Validated explicit choices (None = let the router decide); bad values raise a ConfigError."""
    try:
        t = InterviewType(interview_type).value if interview_type else None
        d = Difficulty(difficulty).value if difficulty else None
    except ValueError as exc:
        types = ", ".join(x.value for x in InterviewType)
        raise ConfigError(
            f"{exc}: interview type is one of {types}; difficulty easy, medium or hard"
        ) from None
    return t, d


def choose_role(role: str | None, jd_title: str, jd_role: str | None, embedder: Embedder) -> str:
    """The user's role if given, else the role the JD was filed under, else its title's nearest role."""
    if role:
        return resolve_role(role, embedder).value
    if jd_role:
        return jd_role
    if jd_title.strip():
        try:
            return resolve_role(jd_title, embedder).value
        except ConfigError:
            known = ", ".join(r.value for r in Role)
            raise ConfigError(
                f"no role given, and the job description's title {jd_title[:60]!r} names none I know: pick a "
                f"role ({known})"
            ) from None
    raise ConfigError("no role given and the job description has no title: pick a role (e.g. 'ml engineer')")


def choose_route(
    get_router: Callable[[], Router],
    role: str,
    request: str,
    jd_text: str,
    interview_type: str | None,
    difficulty: str | None,
) -> tuple[RouteView, list[str]]:
    """The route and notes about how it was chosen. The router is only loaded when a choice is missing."""
    if interview_type and difficulty:
        return RouteView(interview_type, difficulty, "user", "user"), []
    from interviewmate.routing.service import resolve_route

    try:
        router = get_router()
    except (ModelUnavailableError, ImportError, OSError) as exc:
        note = (
            f"no router available ({exc}); using {DEFAULT_TYPE}/{DEFAULT_DIFFICULTY} where you did not choose"
        )
        return (
            RouteView(
                interview_type or DEFAULT_TYPE,
                difficulty or DEFAULT_DIFFICULTY,
                "user" if interview_type else "default",
                "user" if difficulty else "default",
            ),
            [note],
        )
    r = resolve_route(router, role, request, jd_text, interview_type, difficulty)
    view = RouteView(
        r.interview_type,
        r.difficulty,
        r.type_source,
        r.difficulty_source,
        r.route.confidence_type,
        r.route.confidence_difficulty,
        tuple(r.low_confidence),
    )
    return view, []


class _BankOnFailure:
    """Wraps a backend so a failed call yields no text: generate_questions then fills from the bank."""

    name = "bank-on-failure"

    def __init__(self, backend: LLMBackend, notes: list[str]) -> None:
        self._backend, self._notes = backend, notes

    def generate(self, messages: Sequence[ChatMessage], params: GenerationParams) -> str:
        try:
            return self._backend.generate(messages, params)
        except BackendError as exc:
            self._notes.append(f"the generator failed ({exc}); questions come from the curated bank")
            return ""

    def stream(self, messages: Sequence[ChatMessage], params: GenerationParams) -> Iterator[str]:
        yield self.generate(messages, params)

    def close(self) -> None:
        pass


def plan_questions(
    backend: LLMBackend,
    embedder: Embedder,
    role: str,
    interview_type: str,
    difficulty: str,
    n: int,
    jd_text: str,
    bank: Sequence[QuestionItem] | None = None,
    cache_dir: Path | None = None,
) -> tuple[list[PlannedQuestion], list[str]]:
    """n checked questions (fewer only when the bank has none left for this role and type) and the notes.
    A generated question that asks what a bank question asks (cosine >= BANK_MATCH_COSINE) borrows that item's
    key points and reference answer, so the scorer can grade coverage; others get key points at scoring time."""
    bank = load_bank() if bank is None else bank
    notes: list[str] = []
    skills = skills_in(jd_text, skill_vocabulary()) if jd_text.strip() else []
    result = generate_questions(
        _BankOnFailure(backend, notes),
        embedder,
        bank,
        role,
        interview_type,
        difficulty,
        n,
        jd_text=jd_text,
        skills=skills,
    )
    by_id = {q.id: q for q in bank}
    planned = []
    for q in result.questions:
        item = by_id.get(q.bank_id or "")
        if q.source == "bank" and item is not None:
            planned.append(
                PlannedQuestion(
                    q.text, "corpus", item.topic, tuple(item.key_points), item.reference_answer, item.id
                )
            )
        else:
            match = nearest_bank_item(q.text, bank, embedder, cache_dir)
            if match is not None and match[1] >= BANK_MATCH_COSINE:
                item = match[0]
                planned.append(
                    PlannedQuestion(
                        q.text,
                        "generator",
                        item.topic,
                        tuple(item.key_points),
                        item.reference_answer,
                        item.id,
                    )
                )
            else:
                planned.append(PlannedQuestion(q.text, "generator", _topic_of(q.text, skills), (), "", None))
    return planned, notes + result.notes


def _topic_of(question: str, skills: Sequence[str]) -> str:
    """The first JD skill the question names: a generated question's topic for progress tracking."""
    lower = question.lower()
    return next((s for s in skills if s.lower() in lower), "")
