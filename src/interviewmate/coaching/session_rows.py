"""The session engine's database side: ownership checks, rows -> frozen views, summaries in few queries."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from typing import Any

import numpy as np
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from interviewmate.coaching.session_views import (
    AnswerView,
    FeedbackView,
    QuestionView,
    ResumeSummary,
    RouteView,
    SessionSummary,
)
from interviewmate.errors import NotFoundError
from interviewmate.store.tables import (
    AnswerRecord,
    FeedbackRecord,
    InterviewSessionRecord,
    QuestionRecord,
    ResumeRecord,
    as_utc,
)

MAX_ROW_ID = (
    2**63 - 1
)  # no key is larger (SQLite's are 64-bit, PostgreSQL's 32-bit), and SQLite cannot bind it


def _get(db: Session, table: Any, obj_id: int, options: Sequence[Any] = ()) -> Any:
    return db.get(table, obj_id, options=options) if 1 <= obj_id <= MAX_ROW_ID else None


def own(db: Session, table: Any, obj_id: int, user_id: int, what: str, *options: Any) -> Any:
    record = _get(db, table, obj_id, options)
    if record is None or record.user_id != user_id:
        raise NotFoundError(f"{what} {obj_id} not found")
    return record


def own_question(db: Session, question_id: int, user_id: int) -> QuestionRecord:
    q = _get(db, QuestionRecord, question_id)
    if q is None or q.session.user_id != user_id:
        raise NotFoundError(f"question {question_id} not found")
    return q


def own_answer(db: Session, answer_id: int, user_id: int) -> AnswerRecord:
    a = _get(db, AnswerRecord, answer_id)
    if a is None or a.question.session.user_id != user_id:
        raise NotFoundError(f"answer {answer_id} not found")
    return a


def answer_counts(db: Session, session_id: int) -> dict[int, int]:
    rows = db.execute(
        select(AnswerRecord.question_id, func.count(AnswerRecord.id))
        .join(QuestionRecord, QuestionRecord.id == AnswerRecord.question_id)
        .where(QuestionRecord.session_id == session_id)
        .group_by(AnswerRecord.question_id)
    ).all()
    return {qid: int(n) for qid, n in rows}


def number_of(q: QuestionRecord) -> int:
    return 1 + sum(other.position < q.position for other in q.session.questions)


def question_view(q: QuestionRecord, number: int, counts: dict[int, int]) -> QuestionView:
    return QuestionView(
        q.id,
        q.session_id,
        number,
        q.text,
        q.topic,
        q.source,
        tuple(q.key_points),
        q.follow_up_of,
        counts.get(q.id, 0),
    )


def feedback_view(a: AnswerRecord) -> FeedbackView | None:
    fb = a.feedback
    if fb is None:
        return None
    return FeedbackView(a.id, a.question_id, fb.overall, dict(fb.components), tuple(fb.notes))


def answer_view(a: AnswerRecord) -> AnswerView:
    return AnswerView(
        a.id,
        a.question_id,
        a.text,
        a.modality,
        a.duration_s,
        a.delivery,
        as_utc(a.created_at),
        feedback_view(a),
    )


def resume_summary(r: ResumeRecord) -> ResumeSummary:
    sections = tuple(dict.fromkeys(b.section for b in r.bullets))
    return ResumeSummary(r.id, r.filename, len(r.bullets), sections, as_utc(r.created_at))


def _summary(
    r: InterviewSessionRecord, n_questions: int, answered: int, scores: list[float]
) -> SessionSummary:
    return SessionSummary(
        r.id,
        r.role,
        r.interview_type,
        r.difficulty,
        r.status,
        r.n_questions,
        n_questions,
        answered,
        round(sum(scores) / len(scores), 1) if scores else None,
        as_utc(r.created_at),
        as_utc(r.finished_at) if r.finished_at else None,
        r.resume_id,
        r.job_description_id,
    )


def summaries(db: Session, records: Sequence[InterviewSessionRecord]) -> list[SessionSummary]:
    """Summaries for many sessions in one query, whatever their number (the dashboard lists them all).

    One row per (session, question, answer): the question count, the answered count and each question's latest
    scored answer (a retry replaces the earlier score) all come from it.
    """
    ids = [r.id for r in records]
    if not ids:
        return []
    rows = db.execute(
        select(QuestionRecord.session_id, QuestionRecord.id, AnswerRecord.id, FeedbackRecord.overall)
        .outerjoin(AnswerRecord, AnswerRecord.question_id == QuestionRecord.id)
        .outerjoin(FeedbackRecord, FeedbackRecord.answer_id == AnswerRecord.id)
        .where(QuestionRecord.session_id.in_(ids))
        # a retry comes after the answer it retries and replaces its score; where the DB puts the NULL ids of
        # unanswered questions does not matter (they carry no score)
        .order_by(AnswerRecord.id)
    ).all()
    questions: dict[int, set[int]] = {}
    answered: dict[int, set[int]] = {}
    latest: dict[int, dict[int, float]] = {}
    for session_id, question_id, answer_id, overall in rows:
        questions.setdefault(session_id, set()).add(question_id)
        if answer_id is not None:
            answered.setdefault(session_id, set()).add(question_id)
        if overall is not None:
            latest.setdefault(session_id, {})[question_id] = float(overall)
    return [
        _summary(
            r,
            len(questions.get(r.id, ())),
            len(answered.get(r.id, ())),
            list(latest.get(r.id, {}).values()),
        )
        for r in records
    ]


def summary(db: Session, record: InterviewSessionRecord) -> SessionSummary:
    return summaries(db, [record])[0]


def loaded_summary(record: InterviewSessionRecord) -> SessionSummary:
    """`summary` from a record whose questions, answers and feedback are already loaded: no query."""
    latest: dict[int, float] = {}
    for q in record.questions:
        for a in sorted(q.answers, key=lambda a: a.id):
            if a.feedback is not None and a.feedback.overall is not None:
                latest[q.id] = float(a.feedback.overall)
    answered = sum(1 for q in record.questions if q.answers)
    return _summary(record, len(record.questions), answered, list(latest.values()))


def route_from_json(data: Any) -> RouteView | None:
    if not isinstance(data, dict):
        return None
    src, conf = data.get("source", {}), data.get("confidence", {})
    return RouteView(
        data["interview_type"],
        data["difficulty"],
        src.get("interview_type", "user"),
        src.get("difficulty", "user"),
        conf.get("interview_type"),
        conf.get("difficulty"),
        tuple(data.get("low_confidence", ())),
    )


def jsonable(obj: Any) -> Any:
    """A JSON-safe copy (numpy numbers, tuples, NaN) for a JSON column."""

    def default(o: Any) -> Any:
        if isinstance(o, np.generic):
            return o.item()
        if isinstance(o, np.ndarray):
            return o.tolist()
        if isinstance(o, set | frozenset):
            return sorted(o, key=str)
        return str(o)

    def clean(x: Any) -> Any:
        if isinstance(x, float) and not math.isfinite(x):
            return None
        if isinstance(x, dict):
            return {str(k): clean(v) for k, v in x.items()}
        if isinstance(x, list):
            return [clean(v) for v in x]
        return x

    return clean(json.loads(json.dumps(obj, default=default)))


def shift_positions(db: Session, session_id: int, after: int) -> None:
    """Make room at position after+1. Two steps (negate, then flip) so the (session, position) unique
    constraint holds at every row, whatever order the database updates rows in."""
    cond = (QuestionRecord.session_id == session_id) & (QuestionRecord.position > after)
    db.execute(update(QuestionRecord).where(cond).values(position=-QuestionRecord.position - 1))
    db.execute(
        update(QuestionRecord)
        .where((QuestionRecord.session_id == session_id) & (QuestionRecord.position < 0))
        .values(position=-QuestionRecord.position)
    )
    db.expire_all()
