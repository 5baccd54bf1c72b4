"""Presentation helpers: finding a question or answer inside a session view, the report's numbers, the
Markdown export and the progress table. Pure functions of the engine's frozen views."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from statistics import mean
from typing import Any

from interviewmate.coaching.session_views import AnswerView, QuestionView, SessionView
from interviewmate.errors import DataError, NotFoundError

WEAK_BELOW = 60.0  # a type or topic whose latest average is under this is listed as a weak area


def optional_id(raw: str) -> int | None:
    raw = raw.strip()
    if not raw:
        return None
    if not raw.isdigit():
        raise DataError(f"{raw[:20]!r} is not a valid choice")
    return int(raw)


def question_in(session: SessionView, question_id: int) -> QuestionView:
    for q in session.questions:
        if q.id == question_id:
            return q
    raise NotFoundError(f"question {question_id} not found")


def answer_in(session: SessionView, answer_id: int) -> tuple[QuestionView, AnswerView]:
    for q in session.questions:
        for a in session.answers.get(q.id, ()):
            if a.id == answer_id:
                return q, a
    raise NotFoundError(f"answer {answer_id} not found")


def latest_answer(session: SessionView, question_id: int) -> AnswerView | None:
    answers = session.answers.get(question_id, ())
    return answers[-1] if answers else None


def sample_answer(coach: Any, user_id: int, question_id: int) -> Any:
    """The engine's sample answer (citing the user's bullets) when it offers one; None otherwise."""
    method = getattr(coach, "sample_answer", None)
    if method is None:
        return None
    return method(user_id, question_id)


@dataclass(frozen=True)
class ReportRow:
    number: int
    question: QuestionView
    tries: int
    overall: float | None  # the latest scored try
    first_overall: float | None  # the first scored try (a retry shows the change)
    components: dict[str, float | None]


@dataclass(frozen=True)
class SessionReport:
    rows: tuple[ReportRow, ...]
    average: float | None
    answered: int
    component_means: dict[str, float] = field(default_factory=dict)

    def chart_data(self) -> list[dict[str, Any]]:
        return [{"label": f"Q{r.number}", "score": r.overall} for r in self.rows]


def session_report(session: SessionView) -> SessionReport:
    rows = []
    for q in session.questions:
        answers = session.answers.get(q.id, ())
        scored = [a for a in answers if a.feedback is not None and a.feedback.overall is not None]
        last = scored[-1].feedback if scored else None
        comps = {
            k: v.get("score") for k, v in (last.components.items() if last else ()) if isinstance(v, dict)
        }
        rows.append(
            ReportRow(
                q.number,
                q,
                len(answers),
                last.overall if last else None,
                scored[0].feedback.overall if scored and scored[0].feedback else None,
                comps,
            )
        )
    scores = [r.overall for r in rows if r.overall is not None]
    by_comp: dict[str, list[float]] = defaultdict(list)
    for r in rows:
        for k, v in r.components.items():
            if isinstance(v, int | float):
                by_comp[k].append(float(v))
    return SessionReport(
        tuple(rows),
        round(mean(scores), 1) if scores else None,
        sum(1 for r in rows if r.tries),
        {k: round(mean(v), 1) for k, v in by_comp.items()},
    )


def _fmt(x: float | None) -> str:
    return "–" if x is None else f"{x:.0f}"


def _md(text: str) -> str:
    """User text inside Markdown: no raw HTML, no accidental headings or tables."""
    return text.replace("\\", "\\\\").replace("<", "&lt;").replace(">", "&gt;").replace("|", "\\|").strip()


def report_markdown(session: SessionView, report: SessionReport) -> str:
    s = session.summary
    lines = [
        f"# InterviewMate session {s.id}",
        "",
        f"- role: {s.role}",
        f"- interview type: {s.interview_type}, difficulty: {s.difficulty}",
        f"- date: {s.created_at:%Y-%m-%d %H:%M} UTC, status: {s.status}",
        f"- answered: {report.answered} of {len(report.rows)} questions; average score: {_fmt(report.average)}",
    ]
    if session.route is not None:
        route = session.route
        lines.append(f"- route: type from {route.type_source}, difficulty from {route.difficulty_source}")
    lines += ["", "| # | question | tries | score |", "|---|---|---|---|"]
    lines += [f"| {r.number} | {_md(r.question.text)} | {r.tries} | {_fmt(r.overall)} |" for r in report.rows]
    for r in report.rows:
        answer = latest_answer(session, r.question.id)
        lines += ["", f"## Q{r.number}. {_md(r.question.text)}", ""]
        if answer is None:
            lines.append("_Not answered._")
            continue
        lines += ["**Your answer (latest try):**", "", "> " + _md(answer.text).replace("\n", "\n> "), ""]
        fb = answer.feedback
        if fb is None:
            lines.append("_Not scored._")
            continue
        lines.append(f"**Score:** {_fmt(fb.overall)}")
        for name, comp in fb.components.items():
            if isinstance(comp, dict):
                lines.append(f"- {name}: {_fmt(comp.get('score'))}")
        tech = fb.components.get("technical", {})
        if isinstance(tech, dict):
            for label in ("covered", "partial", "missed"):
                if tech.get(label):
                    lines.append(f"- key points {label}: " + "; ".join(_md(str(k)) for k in tech[label]))
        grounding = fb.components.get("grounding", {})
        if isinstance(grounding, dict):
            for claim in grounding.get("unsupported", []) or []:
                if isinstance(claim, dict):
                    lines.append(f"- not backed by your resume: {_md(str(claim.get('sentence', '')))}")
        lines += [f"- note: {_md(n)}" for n in fb.notes]
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class TrendRow:
    name: str
    scores: tuple[float, ...]  # one per session, oldest first (the session's average for this type/topic)
    latest: float
    change: float | None  # latest minus first


@dataclass(frozen=True)
class Progress:
    by_type: tuple[TrendRow, ...]
    by_topic: tuple[TrendRow, ...]
    weak_areas: tuple[str, ...]
    n_sessions: int


def _trend(groups: dict[str, list[float]]) -> tuple[TrendRow, ...]:
    rows = [
        TrendRow(name, tuple(v), v[-1], round(v[-1] - v[0], 1) if len(v) > 1 else None)
        for name, v in groups.items()
        if v
    ]
    return tuple(sorted(rows, key=lambda r: r.name))


def progress_of(sessions: Sequence[SessionView]) -> Progress:
    """Per interview type and per topic: each session's average (oldest first), and the weak areas."""
    by_type: dict[str, list[float]] = defaultdict(list)
    by_topic: dict[str, list[float]] = defaultdict(list)
    for session in sorted(sessions, key=lambda s: (s.summary.created_at, s.summary.id)):
        report = session_report(session)
        if report.average is not None:
            by_type[session.summary.interview_type].append(report.average)
        topics: dict[str, list[float]] = defaultdict(list)
        for r in report.rows:
            if r.overall is not None and r.question.topic:
                topics[r.question.topic].append(r.overall)
        for topic, vals in topics.items():
            by_topic[topic].append(round(mean(vals), 1))
    types, topics_ = _trend(by_type), _trend(by_topic)
    weak = tuple(f"{r.name} ({r.latest:.0f})" for r in (*types, *topics_) if r.latest < WEAK_BELOW)
    return Progress(types, topics_, weak, len(sessions))
