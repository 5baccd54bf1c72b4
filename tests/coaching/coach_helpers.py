"""Fakes and builders shared by the session engine's tests (not a conftest: other coaching tests stay apart)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from interviewmate.accounts import Account, get_or_create_local_user
from interviewmate.coaching.scoring import ScoringContext
from interviewmate.coaching.session import CoachService
from interviewmate.config import Settings
from interviewmate.data import CORPUS_DIR
from interviewmate.domain import Feedback, Question
from interviewmate.models.backends import FakeBackend
from interviewmate.models.embedder import HashingEmbedder
from interviewmate.routing.model import RouteResult
from interviewmate.store import create_db_engine, make_session_factory, upgrade


def migrated_db(tmp_path: Path) -> tuple[Engine, sessionmaker[Session]]:
    url = f"sqlite:///{tmp_path / 'coach.db'}"
    upgrade(url)
    engine = create_db_engine(url)
    return engine, make_session_factory(engine)


JD = (
    "Machine Learning Engineer\n"
    "We are hiring an ML engineer to train, serve and monitor PyTorch models on Kubernetes. You will debug "
    "training runs, own model serving latency with FastAPI and build feature pipelines with Airflow."
)
RESUME = (CORPUS_DIR / "resumes/text/r-mle-01.txt").read_bytes()


class FakeScorer:
    """Scores by length, or raises: enough to drive the engine without the real scorer."""

    def __init__(self, overall: float | None = 80.0, fail: bool = False) -> None:
        self.overall, self.fail = overall, fail
        self.seen: list[tuple[Question, str, ScoringContext]] = []

    def __call__(self, question: Question, answer: str, context: ScoringContext) -> Feedback:
        self.seen.append((question, answer, context))
        if self.fail:
            raise RuntimeError("scorer exploded")
        missed = list(question.key_points[:1])
        return Feedback(self.overall, {"technical": {"score": self.overall, "missed": missed}}, ("fake",))


class FakeRouter:
    def __init__(self) -> None:
        self.calls: list[tuple[str, str, str]] = []

    def route(self, role: str, request: str, jd: str = "") -> RouteResult:
        self.calls.append((role, request, jd))
        return RouteResult("system_design", "hard", 0.9, 0.4)


def make_coach(
    factory: object, scorer: FakeScorer | None = None, backend: FakeBackend | None = None
) -> CoachService:
    return CoachService(
        factory,  # type: ignore[arg-type]
        Settings(),
        backend or FakeBackend(),
        HashingEmbedder(),
        router=FakeRouter(),  # type: ignore[arg-type]
        scorer=scorer or FakeScorer(),
    )


def local(factory: object) -> Account:
    with factory() as db:  # type: ignore[operator]
        return get_or_create_local_user(db)


def started(coach: CoachService, user_id: int, n: int = 3, **kw: object) -> int:
    resume_id = coach.add_resume(user_id, "cv.txt", RESUME)
    jd_id = coach.add_job_description(user_id, JD)
    return coach.start_session(
        user_id, resume_id, jd_id, interview_type="technical", difficulty="medium", n=n, **kw
    )  # type: ignore[arg-type]
