"""Presentation helpers: finding a question or answer inside a session view, chart data. Pure functions of the
engine's frozen views (the report and progress themselves come from coaching/report.py and progress.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from interviewmate.coaching.progress import Progress
from interviewmate.coaching.report import SessionReport
from interviewmate.coaching.session_views import AnswerView, QuestionView, SampleAnswerView, SessionView
from interviewmate.errors import BackendError, DataError, ModelUnavailableError, NotFoundError
from interviewmate.web.limits import MAX_ROW_ID

if TYPE_CHECKING:
    from interviewmate.coaching.session import CoachService


def optional_id(raw: str) -> int | None:
    """A row id picked in a form ('' = none). Anything but a plain decimal id in the database's range is a bad
    choice (str.isdigit alone would let superscripts through to int())."""
    raw = raw.strip()
    if not raw:
        return None
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 19 or not 1 <= int(raw) <= MAX_ROW_ID:
        raise DataError(f"{raw[:20]!r} is not a valid choice")
    return int(raw)


def question_count(raw: str, most: int) -> int:
    """The form's number of questions, 1..most, or one line saying what is allowed."""
    raw = raw.strip()
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 4 or not 1 <= int(raw) <= most:
        raise DataError(f"the number of questions must be a whole number from 1 to {most} (got {raw[:20]!r})")
    return int(raw)


def bounded_text(text: str, limit: int, what: str) -> str:
    """Form text with browser line ends (CRLF) made plain, refused with its length when it is over the limit, so
    the page can say so and give the text back."""
    text = text.replace("\r\n", "\n")
    if len(text) > limit:
        raise DataError(f"{what} is {len(text):,} characters; the limit is {limit:,}: shorten it")
    return text


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


def sample_answer(coach: CoachService, user_id: int, question_id: int) -> tuple[SampleAnswerView | None, str]:
    """The engine's sample answer citing the user's bullets, or None and why it could not be written."""
    try:
        return coach.sample_answer(user_id, question_id), ""
    except (BackendError, ModelUnavailableError, DataError) as exc:
        return None, str(exc)


def chart_data(report: SessionReport) -> list[dict[str, Any]]:
    """What the report page's bar chart draws: the latest score per question."""
    return [{"label": f"Q{q.number}", "score": q.overall} for q in report.questions]


def trend_values(progress: Progress) -> dict[str, list[float]]:
    """Interview type -> its sessions' averages, oldest first (the progress page's sparklines)."""
    return {t: [p.average for p in points] for t, points in sorted(progress.trends.items())}
