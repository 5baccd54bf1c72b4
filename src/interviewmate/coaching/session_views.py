"""What the session engine hands to the web app and the terminal: plain frozen dataclasses, never ORM rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from interviewmate.domain import RetrievedBullet


@dataclass(frozen=True)
class ResumeSummary:
    id: int
    filename: str
    n_bullets: int
    sections: tuple[str, ...]
    created_at: datetime


@dataclass(frozen=True)
class JobDescriptionSummary:
    id: int
    title: str
    role: str | None  # the known role its title maps to, when one does
    n_words: int
    created_at: datetime


@dataclass(frozen=True)
class RouteView:
    """How the session's interview type and difficulty were chosen."""

    interview_type: str
    difficulty: str
    type_source: str  # "user" | "router" | "default" (no router available)
    difficulty_source: str
    confidence_type: float | None = None
    confidence_difficulty: float | None = None
    low_confidence: tuple[str, ...] = ()  # fields the router was unsure about: ask the user to pick

    def to_json(self) -> dict[str, Any]:
        return {
            "interview_type": self.interview_type,
            "difficulty": self.difficulty,
            "source": {"interview_type": self.type_source, "difficulty": self.difficulty_source},
            "confidence": {"interview_type": self.confidence_type, "difficulty": self.confidence_difficulty},
            "low_confidence": list(self.low_confidence),
        }


@dataclass(frozen=True)
class QuestionView:
    id: int
    session_id: int
    number: int  # 1-based place in the session, follow-ups included
    text: str
    topic: str
    source: str  # "generator" | "corpus" | "follow_up"
    key_points: tuple[str, ...]  # what a good answer covers; show after the answer, not before
    follow_up_of: int | None  # the question this one probes further
    n_answers: int


@dataclass(frozen=True)
class FeedbackView:
    answer_id: int
    question_id: int
    overall: float | None  # 0-100; None when scoring could not run (the answer is still saved)
    components: dict[str, dict[str, Any]]
    notes: tuple[str, ...]

    @property
    def scored(self) -> bool:
        return self.overall is not None


@dataclass(frozen=True)
class AnswerView:
    id: int
    question_id: int
    text: str
    modality: str  # "text" | "audio" | "video"
    duration_s: float | None
    delivery: dict[str, Any] | None
    created_at: datetime
    feedback: FeedbackView | None


@dataclass(frozen=True)
class SessionSummary:
    id: int
    role: str
    interview_type: str
    difficulty: str
    status: str  # "active" | "finished"
    n_planned: int  # questions asked for at the start (follow-ups come on top)
    n_questions: int
    n_answered: int
    average_overall: float | None  # mean of the latest scored answer per question
    created_at: datetime
    finished_at: datetime | None
    resume_id: int | None
    job_description_id: int | None


@dataclass(frozen=True)
class SessionView:
    summary: SessionSummary
    route: RouteView | None
    request: str
    notes: tuple[str, ...]  # how the questions were made (generation checks, bank fallback)
    questions: tuple[QuestionView, ...]
    answers: dict[int, tuple[AnswerView, ...]] = field(default_factory=dict)  # question id -> oldest first


@dataclass(frozen=True)
class ResumePoint:
    """Where an interrupted session continues."""

    session_id: int
    question: QuestionView | None  # the first question without an answer; None when all are answered
    n_answered: int
    n_questions: int


@dataclass(frozen=True)
class SampleAnswerView:
    question_id: int
    text: str  # cites bullets as [1], [2] ...; empty when the resume has nothing relevant
    bullets: tuple[RetrievedBullet, ...]
    notes: tuple[str, ...] = ()
