"""Progress across sessions: the score trend per interview type, averages per topic, and weak areas (the key
points missed most often, the lowest scoring components). Each question counts once, by its latest scored
answer, so retries show improvement instead of dragging the average down.

    progress(session_factory, user.id)  # -> Progress
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from interviewmate.store.tables import (
    AnswerRecord,
    FeedbackRecord,
    InterviewSessionRecord,
    QuestionRecord,
    as_utc,
)

GENERAL_TOPIC = "general"  # generated questions whose topic could not be read from the JD
MAX_WEAK = 5


@dataclass(frozen=True)
class TrendPoint:
    session_id: int
    date: datetime
    difficulty: str
    average: float  # mean overall of the session's scored questions
    n_scored: int


@dataclass(frozen=True)
class TopicStat:
    topic: str
    interview_type: str
    average: float
    n_scored: int
    change: float | None = None  # latest score on the topic minus the first; None with one scored question


@dataclass(frozen=True)
class ComponentStat:
    name: str
    average: float
    n_scored: int


@dataclass(frozen=True)
class Progress:
    trends: dict[str, tuple[TrendPoint, ...]]  # interview type -> sessions oldest first
    topics: tuple[TopicStat, ...]  # weakest first
    missed_key_points: tuple[tuple[str, int], ...]  # most often missed first, with the count
    weakest_components: tuple[ComponentStat, ...]  # lowest average first
    n_sessions: int
    n_scored: int

    def change(self, interview_type: str) -> float | None:
        """Last session's average minus the first's for one interview type; None with fewer than two."""
        points = self.trends.get(interview_type, ())
        return round(points[-1].average - points[0].average, 1) if len(points) >= 2 else None

    def to_json(self) -> dict[str, Any]:
        return {
            "trends": {
                t: [
                    {
                        "session_id": p.session_id,
                        "date": p.date.isoformat(),
                        "difficulty": p.difficulty,
                        "average": p.average,
                        "n_scored": p.n_scored,
                    }
                    for p in points
                ]
                for t, points in self.trends.items()
            },
            "topics": [t.__dict__ for t in self.topics],
            "missed_key_points": [{"key_point": k, "count": n} for k, n in self.missed_key_points],
            "weakest_components": [c.__dict__ for c in self.weakest_components],
            "n_sessions": self.n_sessions,
            "n_scored": self.n_scored,
        }


@dataclass(frozen=True)
class _Scored:
    session_id: int
    question_id: int
    interview_type: str
    topic: str
    overall: float
    components: dict[str, Any]
    answered_at: datetime
    answer_id: int


def progress(session_factory: sessionmaker[Session], user_id: int) -> Progress:
    """The user's progress over all their sessions (an empty Progress for a new user)."""
    with session_factory() as db:
        sessions = db.execute(
            select(
                InterviewSessionRecord.id,
                InterviewSessionRecord.created_at,
                InterviewSessionRecord.interview_type,
                InterviewSessionRecord.difficulty,
            )
            .where(InterviewSessionRecord.user_id == user_id)
            .order_by(InterviewSessionRecord.created_at, InterviewSessionRecord.id)
        ).all()
        rows = db.execute(
            select(
                QuestionRecord.session_id,
                QuestionRecord.id,
                InterviewSessionRecord.interview_type,
                QuestionRecord.topic,
                FeedbackRecord.overall,
                FeedbackRecord.components,
                AnswerRecord.created_at,
                AnswerRecord.id,
            )
            .join(InterviewSessionRecord, InterviewSessionRecord.id == QuestionRecord.session_id)
            .join(AnswerRecord, AnswerRecord.question_id == QuestionRecord.id)
            .join(FeedbackRecord, FeedbackRecord.answer_id == AnswerRecord.id)
            .where(InterviewSessionRecord.user_id == user_id, FeedbackRecord.overall.is_not(None))
        ).all()
    latest: dict[int, _Scored] = {}
    for r in rows:
        s = _Scored(r[0], r[1], r[2], r[3] or GENERAL_TOPIC, float(r[4]), dict(r[5] or {}), r[6], r[7])
        kept = latest.get(s.question_id)
        if kept is None or (s.answered_at, s.answer_id) > (kept.answered_at, kept.answer_id):
            latest[s.question_id] = s
    scored = list(latest.values())
    return Progress(
        _trends(sessions, scored),
        _topics(scored),
        _missed(scored),
        _components(scored),
        len(sessions),
        len(scored),
    )


def _trends(sessions: Any, scored: list[_Scored]) -> dict[str, tuple[TrendPoint, ...]]:
    by_session: dict[int, list[float]] = defaultdict(list)
    for s in scored:
        by_session[s.session_id].append(s.overall)
    trends: dict[str, list[TrendPoint]] = defaultdict(list)
    for sid, created, itype, difficulty in sessions:
        values = by_session.get(sid)
        if values:
            trends[itype].append(
                TrendPoint(sid, as_utc(created), difficulty, round(sum(values) / len(values), 1), len(values))
            )
    return {t: tuple(points) for t, points in sorted(trends.items())}


def _topics(scored: list[_Scored]) -> tuple[TopicStat, ...]:
    groups: dict[tuple[str, str], list[float]] = defaultdict(list)
    for s in sorted(scored, key=lambda x: (x.answered_at, x.answer_id)):
        groups[(s.topic, s.interview_type)].append(s.overall)
    stats = [
        TopicStat(t, it, round(sum(v) / len(v), 1), len(v), round(v[-1] - v[0], 1) if len(v) > 1 else None)
        for (t, it), v in groups.items()
    ]
    return tuple(sorted(stats, key=lambda x: (x.average, x.topic)))


def _missed(scored: list[_Scored]) -> tuple[tuple[str, int], ...]:
    counts: Counter[str] = Counter()
    for s in scored:
        technical = s.components.get("technical")
        if isinstance(technical, dict) and isinstance(technical.get("missed"), list):
            counts.update(str(m) for m in technical["missed"])
        behavioral = s.components.get("behavioral")
        if isinstance(behavioral, dict) and isinstance(behavioral.get("star"), dict):
            counts.update(
                f"STAR: {part}"
                for part, v in behavioral["star"].items()
                if isinstance(v, dict) and v.get("found") is False
            )
    return tuple(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_WEAK])


def _components(scored: list[_Scored]) -> tuple[ComponentStat, ...]:
    values: dict[str, list[float]] = defaultdict(list)
    for s in scored:
        for name, comp in s.components.items():
            score = comp.get("score") if isinstance(comp, dict) else None
            if isinstance(score, int | float) and not isinstance(score, bool):
                values[name].append(float(score))
    stats = [ComponentStat(n, round(sum(v) / len(v), 1), len(v)) for n, v in values.items()]
    return tuple(sorted(stats, key=lambda c: (c.average, c.name))[:MAX_WEAK])
