"""A finished (or interrupted) session as a report: each question with the latest answer and its feedback,
averages per scoring component, and a Markdown export.

    report = session_report(coach, user.id, session_id)
    Path("session.md").write_text(to_markdown(report))
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from interviewmate.coaching.session_views import AnswerView, RouteView, SessionSummary, SessionView

if TYPE_CHECKING:
    from interviewmate.coaching.session import CoachService


@dataclass(frozen=True)
class QuestionReport:
    number: int
    text: str
    source: str  # "generator" | "corpus" | "follow_up"
    topic: str
    answer: str | None  # the latest answer; None when unanswered
    attempts: int
    overall: float | None  # the latest answer's overall; None when unanswered or unscored
    components: dict[str, float | None]  # component name -> its 0-100 score
    missed_key_points: tuple[str, ...]
    notes: tuple[str, ...]


@dataclass(frozen=True)
class SessionReport:
    session: SessionSummary
    route: RouteView | None
    questions: tuple[QuestionReport, ...]
    component_averages: dict[str, float]  # over the questions where the component was scored
    overall_average: float | None

    def to_json(self) -> dict[str, Any]:
        s = self.session
        return {
            "session": {
                "id": s.id,
                "role": s.role,
                "interview_type": s.interview_type,
                "difficulty": s.difficulty,
                "status": s.status,
                "created_at": s.created_at.isoformat(),
            },
            "route": self.route.to_json() if self.route else None,
            "questions": [
                {
                    "number": q.number,
                    "text": q.text,
                    "source": q.source,
                    "topic": q.topic,
                    "answer": q.answer,
                    "attempts": q.attempts,
                    "overall": q.overall,
                    "components": q.components,
                    "missed_key_points": list(q.missed_key_points),
                    "notes": list(q.notes),
                }
                for q in self.questions
            ],
            "component_averages": self.component_averages,
            "overall_average": self.overall_average,
        }


def session_report(coach: CoachService, user_id: int, session_id: int) -> SessionReport:
    """The report of one of the user's sessions (NotFoundError when it is not theirs)."""
    return build_report(coach.get_session(user_id, session_id))


def build_report(view: SessionView) -> SessionReport:
    rows = []
    for q in view.questions:
        answers = view.answers.get(q.id, ())
        latest: AnswerView | None = answers[-1] if answers else None
        fb = latest.feedback if latest else None
        components = {
            name: _score(comp)
            for name, comp in (fb.components.items() if fb else ())
            if isinstance(comp, dict)
        }
        missed = fb.components.get("technical", {}).get("missed", []) if fb else []
        rows.append(
            QuestionReport(
                q.number,
                q.text,
                q.source,
                q.topic,
                latest.text if latest else None,
                len(answers),
                fb.overall if fb else None,
                components,
                tuple(str(m) for m in missed) if isinstance(missed, list) else (),
                fb.notes if fb else (),
            )
        )
    return SessionReport(view.summary, view.route, tuple(rows), _component_averages(rows), _overall(rows))


def _score(comp: dict[str, Any]) -> float | None:
    value = comp.get("score")
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _component_averages(rows: list[QuestionReport]) -> dict[str, float]:
    sums: dict[str, list[float]] = {}
    for r in rows:
        for name, value in r.components.items():
            if value is not None:
                sums.setdefault(name, []).append(value)
    return {name: round(sum(v) / len(v), 1) for name, v in sorted(sums.items())}


def _overall(rows: list[QuestionReport]) -> float | None:
    scores = [r.overall for r in rows if r.overall is not None]
    return round(sum(scores) / len(scores), 1) if scores else None


def _fmt(value: float | None) -> str:
    return "not scored" if value is None else f"{value:.0f}/100"


def _quote(text: str) -> str:
    return (
        "\n".join(f"> {line}" if line.strip() else ">" for line in text.strip().splitlines()) or "> (empty)"
    )


def to_markdown(report: SessionReport) -> str:
    """The report as Markdown: a summary, then each question with the answer (quoted) and its feedback."""
    s = report.session
    title = s.role.replace("_", " ")
    lines = [
        f"# Interview practice: {title}, {s.interview_type.replace('_', ' ')} ({s.difficulty})",
        "",
        f"- Session {s.id}, started {s.created_at:%Y-%m-%d %H:%M} UTC, {s.status}",
        f"- Answered {sum(q.answer is not None for q in report.questions)} of {len(report.questions)} questions",
        f"- Average score: {_fmt(report.overall_average)}",
    ]
    if report.route is not None:
        r = report.route
        lines.append(f"- Chosen by: type {r.type_source}, difficulty {r.difficulty_source}")
    if report.component_averages:
        lines += ["", "| component | average |", "|---|---|"]
        lines += [f"| {name} | {value:.0f} |" for name, value in report.component_averages.items()]
    for q in report.questions:
        tag = {"corpus": " (from the question bank)", "follow_up": " (follow-up)"}.get(q.source, "")
        lines += ["", f"## {q.number}. {q.text}{tag}", ""]
        if q.answer is None:
            lines.append("_Not answered._")
            continue
        lines += [_quote(q.answer), ""]
        attempts = f" (attempt {q.attempts})" if q.attempts > 1 else ""
        lines.append(f"**Score: {_fmt(q.overall)}**{attempts}")
        scored = ", ".join(f"{n} {_fmt(v)}" for n, v in q.components.items())
        if scored:
            lines.append(f"- Components: {scored}")
        if q.missed_key_points:
            lines.append(f"- Missed: {'; '.join(q.missed_key_points)}")
        lines += [f"- {note}" for note in q.notes]
    return "\n".join(lines) + "\n"
