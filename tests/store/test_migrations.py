from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, select, text

from interviewmate.store import create_db_engine, current_revision, downgrade, make_session_factory, upgrade
from interviewmate.store.migrate import head_revision
from interviewmate.store.tables import (
    AnswerRecord,
    Base,
    BulletRecord,
    FeedbackRecord,
    InterviewSessionRecord,
    QuestionRecord,
    ResumeRecord,
    User,
)

TABLES = {
    "users",
    "resumes",
    "bullets",
    "job_descriptions",
    "interview_sessions",
    "questions",
    "answers",
    "feedback",
}


def _postgres_url() -> str | None:
    url = os.environ.get("INTERVIEWMATE_TEST_POSTGRES_URL")
    if not url and os.environ.get("CI"):
        pytest.fail("CI must provide INTERVIEWMATE_TEST_POSTGRES_URL (.ci/run starts PostgreSQL)")
    return url


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.db'}"
        return
    url = _postgres_url()
    if not url:
        pytest.skip("set INTERVIEWMATE_TEST_POSTGRES_URL to run against PostgreSQL")
    downgrade(url)  # a clean slate whatever an earlier run left
    yield url
    downgrade(url)


def test_migrate_blank_db_up_and_down(db_url: str) -> None:
    engine = create_db_engine(db_url)
    try:
        upgrade(db_url)
        assert current_revision(engine) == head_revision()
        assert set(inspect(engine).get_table_names()) >= TABLES
        with engine.connect() as conn:  # the migration and the ORM tables agree
            diffs = compare_metadata(MigrationContext.configure(conn), Base.metadata)
        assert diffs == []
        downgrade(db_url)
        assert current_revision(engine) is None
        assert not TABLES & set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_roundtrip_of_a_session_and_cascade(db_url: str) -> None:
    upgrade(db_url)
    engine = create_db_engine(db_url)
    factory = make_session_factory(engine)
    try:
        with factory() as db:
            user = User(email="ada@example.com", password_hash="x")
            resume = ResumeRecord(filename="cv.pdf", raw_text="...")
            resume.bullets = [BulletRecord(position=i, section="Experience", text=f"b{i}") for i in range(3)]
            db.add(user)
            db.flush()
            resume.user_id = user.id
            db.add(resume)
            session = InterviewSessionRecord(
                user_id=user.id,
                role="data_scientist",
                interview_type="technical",
                difficulty="easy",
                n_questions=1,
            )
            q = QuestionRecord(
                position=0, text="What is overfitting?", key_points=["variance", "regularization"]
            )
            a = AnswerRecord(text="It is when...", modality="text")
            a.feedback = FeedbackRecord(overall=71.5, components={"coverage": 0.5}, notes=["missed variance"])
            q.answers = [a]
            session.questions = [q]
            db.add(session)
            db.commit()
            sid = session.id
        with factory() as db:
            loaded = db.get(InterviewSessionRecord, sid)
            assert loaded is not None
            fb = loaded.questions[0].answers[0].feedback
            assert fb is not None and fb.components == {"coverage": 0.5} and fb.notes == ["missed variance"]
            assert loaded.questions[0].key_points == ["variance", "regularization"]
            db.delete(loaded)
            db.commit()
            assert db.scalar(select(text("count(*)")).select_from(FeedbackRecord.__table__)) == 0
    finally:
        engine.dispose()


def test_sqlite_uses_wal(tmp_path: Path) -> None:
    engine = create_db_engine(f"sqlite:///{tmp_path / 'wal.db'}")
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    engine.dispose()
