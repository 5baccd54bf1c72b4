"""Plain typed objects shared by every package. No behaviour beyond small derived properties."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Role(StrEnum):
    DATA_SCIENTIST = "data_scientist"
    ML_ENGINEER = "ml_engineer"
    AI_ENGINEER = "ai_engineer"
    DATA_ENGINEER = "data_engineer"
    BACKEND_ENGINEER = "backend_engineer"
    DATA_ANALYST = "data_analyst"


class InterviewType(StrEnum):
    TECHNICAL = "technical"
    CODING = "coding"
    SYSTEM_DESIGN = "system_design"
    BEHAVIORAL = "behavioral"


class Difficulty(StrEnum):
    EASY = "easy"
    MEDIUM = "medium"
    HARD = "hard"


class Seniority(StrEnum):
    JUNIOR = "junior"
    MID = "mid"
    SENIOR = "senior"


@dataclass(frozen=True)
class ChatMessage:
    role: str  # "system" | "user" | "assistant"
    content: str


@dataclass(frozen=True)
class GenerationParams:
    max_tokens: int = 256
    temperature: float = 0.0  # 0 = greedy, reproducible
    top_p: float = 1.0
    stop: tuple[str, ...] = ()
    seed: int | None = None
    repetition_penalty: float = 1.0  # > 1 discourages the loops small models fall into under greedy decoding


@dataclass(frozen=True)
class Route:
    interview_type: InterviewType
    difficulty: Difficulty
    confidence_type: float | None = None
    confidence_difficulty: float | None = None


@dataclass(frozen=True)
class Bullet:
    text: str
    section: str
    order: int


@dataclass
class Resume:
    bullets: list[Bullet] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)
    raw_text: str = ""


@dataclass(frozen=True)
class Question:
    text: str
    role: Role
    interview_type: InterviewType
    difficulty: Difficulty
    topic: str = ""
    key_points: tuple[str, ...] = ()
    reference_answer: str = ""


@dataclass(frozen=True)
class RetrievedBullet:
    """A resume bullet ranked for a query; `number` is its 1-based rank, the number a sample answer cites."""

    text: str
    section: str
    order: int
    score: float
    number: int


@dataclass(frozen=True)
class ClaimCheck:
    """One sentence of an answer checked against the user's bullets."""

    sentence: str
    supported: bool
    similarity: float  # cosine to the closest bullet
    bullet_number: int | None  # the closest bullet's number, when there is one
    reason: str  # why it is (un)supported, in the user's words


@dataclass(frozen=True)
class Feedback:
    """What the scorer says about one answer. `overall` is 0-100, or None when nothing could be scored;
    each component is a dict with at least "score" (0-100 or None when it could not run) and its evidence."""

    overall: float | None
    components: dict[str, dict[str, Any]]
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class ComponentCheck:
    """One line of `interviewmate doctor`."""

    name: str
    ok: bool
    detail: str
    required: bool = True
