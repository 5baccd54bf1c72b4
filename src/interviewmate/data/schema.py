"""One pydantic schema per corpus file. Bounds here are the dataset card's promises."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

from interviewmate.domain import Difficulty, InterviewType, Role, Seniority

ROLE_CODES: dict[Role, str] = {
    Role.DATA_SCIENTIST: "ds",
    Role.ML_ENGINEER: "mle",
    Role.AI_ENGINEER: "ai",
    Role.DATA_ENGINEER: "de",
    Role.BACKEND_ENGINEER: "be",
    Role.DATA_ANALYST: "da",
}

# first words that make a sentence an interviewer's instruction rather than a question
IMPERATIVE_OPENERS = frozenset(
    """walk tell describe design explain give talk compare outline estimate sketch implement write find suppose
    imagine share list define discuss propose debug diagnose show consider take pick assume draw reason derive
    plan build lay justify critique review name prove argue evaluate convince summarize summarise rank choose
    go let's lets help say contrast identify recommend compute reverse flatten deep-copy return calculate merge
    detect count check rewrite fix convert parse sort remove group match generate produce split serialize
    validate schedule select join aggregate deduplicate dedupe query trace spot optimize optimise translate
    simulate encode decode rotate traverse search store cache create read sample simplify size redesign insert
    collapse output fill maintain""".split()
)

Phrase = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=60)]


def word_count(text: str) -> int:
    return len(text.split())


def is_question_or_imperative(text: str) -> bool:
    """Ends with '?', or one of its sentences (or a clause after a comma) is an instruction: 'Walk me
    through...', 'Given a log of events, find...', 'Our model is slow. Explain why.'"""
    text = text.strip()
    if text.endswith("?"):
        return True
    for clause in re.split(r"(?<=[.!?:;,])\s+", text):
        first = re.sub(r"[^a-z'-]", "", clause.split()[0].lower()) if clause.split() else ""
        if first in IMPERATIVE_OPENERS:
            return True
    return False


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


def _words_between(text: str, lo: int, hi: int, what: str) -> str:
    n = word_count(text)
    if not lo <= n <= hi:
        raise ValueError(f"{what} has {n} words, expected {lo}-{hi}")
    return text


class QuestionItem(_Strict):
    id: Id
    role: Role
    interview_type: InterviewType
    difficulty: Difficulty
    topic: Phrase
    question: str
    reference_answer: str
    key_points: list[Phrase] = Field(min_length=3, max_length=6)
    follow_ups: list[str] = Field(min_length=1, max_length=3)

    @field_validator("question")
    @classmethod
    def _question(cls, v: str) -> str:
        _words_between(v, 5, 80, "question")
        if not is_question_or_imperative(v):
            raise ValueError("question must end with '?' or start with an imperative verb")
        return v

    @field_validator("reference_answer")
    @classmethod
    def _answer(cls, v: str) -> str:
        return _words_between(v, 60, 200, "reference_answer")

    @field_validator("follow_ups")
    @classmethod
    def _follow_ups(cls, v: list[str]) -> list[str]:
        for f in v:
            if not is_question_or_imperative(f):
                raise ValueError(f"follow-up is not a question: {f[:60]!r}")
        return v


class JobDescription(_Strict):
    id: Id
    role: Role
    seniority: Seniority
    title: Phrase
    company: Phrase
    text: str
    skills: list[Phrase] = Field(min_length=4, max_length=20)

    @field_validator("text")
    @classmethod
    def _text(cls, v: str) -> str:
        return _words_between(v, 150, 300, "text")


class ResumeBullet(_Strict):
    id: Id
    text: str

    @field_validator("text")
    @classmethod
    def _text(cls, v: str) -> str:
        return _words_between(v, 6, 45, "bullet")


class Experience(_Strict):
    company: Phrase
    title: Phrase
    start: str
    end: str
    bullets: list[ResumeBullet] = Field(min_length=1)


class Project(_Strict):
    name: Phrase
    bullets: list[ResumeBullet] = Field(min_length=1)


class Education(_Strict):
    school: Phrase
    degree: Phrase
    year: str


class ResumeDoc(_Strict):
    id: Id
    role: Role
    seniority: Seniority
    name: Phrase
    headline: Phrase
    email: str
    location: Phrase
    summary: str
    skills: list[Phrase] = Field(min_length=3)
    experience: list[Experience] = Field(min_length=1)
    projects: list[Project] = Field(default_factory=list)
    education: list[Education] = Field(default_factory=list)

    def bullets(self) -> list[tuple[str, ResumeBullet]]:
        """(section label, bullet) in reading order: experience first, then projects."""
        out = [(f"{e.title}, {e.company}", b) for e in self.experience for b in e.bullets]
        out += [(f"Project: {p.name}", b) for p in self.projects for b in p.bullets]
        return out

    @model_validator(mode="after")
    def _bullet_count(self) -> ResumeDoc:
        n = len(self.bullets())
        if not 15 <= n <= 30:
            raise ValueError(f"resume has {n} bullets, expected 15-30")
        if not self.email.endswith("@example.com"):
            raise ValueError("resume emails must be fictional (@example.com)")
        return self


class RetrievalPair(_Strict):
    id: Id
    resume_id: Id
    jd_id: Id
    question: str
    positive_bullet_id: Id
    hard_negative_bullet_ids: list[Id] = Field(min_length=1, max_length=5)

    @field_validator("question")
    @classmethod
    def _question(cls, v: str) -> str:
        return _words_between(v, 5, 80, "question")

    @model_validator(mode="after")
    def _negatives(self) -> RetrievalPair:
        if self.positive_bullet_id in self.hard_negative_bullet_ids:
            raise ValueError("a hard negative cannot be the positive bullet")
        return self


class RouterRequest(_Strict):
    id: Id
    text: str
    role: Role
    interview_type: InterviewType
    difficulty: Difficulty

    @field_validator("text")
    @classmethod
    def _text(cls, v: str) -> str:
        return _words_between(v, 3, 60, "request")


# file name -> schema; resumes live in resumes/resumes.jsonl
CORPUS_FILES: dict[str, type[_Strict]] = {
    "questions.jsonl": QuestionItem,
    "job_descriptions.jsonl": JobDescription,
    "resumes/resumes.jsonl": ResumeDoc,
    "retrieval_pairs.jsonl": RetrievalPair,
    "router_requests.jsonl": RouterRequest,
}
