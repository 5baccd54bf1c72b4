"""Upgrading (and downgrading) a database that holds a user's answers must keep every row. On SQLite, batch
migrations rebuild tables; with foreign keys on, that used to cascade-delete answers and feedback."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from interviewmate.store import create_db_engine, current_revision, downgrade, upgrade
from interviewmate.store.migrate import head_revision

ROWS = [
    "insert into users (id, email, password_hash, created_at) values (1, 'a@b.co', 'x', '2026-01-01')",
    "insert into resumes (id, user_id, filename, raw_text, created_at) values (1, 1, 'cv.txt', 't', '2026-01-01')",
    "insert into bullets (id, resume_id, position, section, text) values (1, 1, 0, 'Experience', 'Built X')",
    "insert into interview_sessions (id, user_id, resume_id, role, interview_type, difficulty, n_questions,"
    " status, created_at) values (1, 1, 1, 'ml_engineer', 'technical', 'easy', 2, 'active', '2026-01-01')",
    "insert into questions (id, session_id, position, text, topic, key_points, reference_answer, source)"
    " values (1, 1, 0, 'Why?', '', '[]', '', 'corpus'), (2, 1, 1, 'How?', '', '[]', '', 'generator')",
    "insert into answers (id, question_id, text, modality, created_at)"
    " values (1, 1, 'my answer', 'text', '2026-01-01'), (2, 1, 'my retry', 'text', '2026-01-02')",
    "insert into feedback (id, answer_id, overall, components, notes, created_at)"
    " values (1, 1, 50, '{}', '[]', '2026-01-01')",
]
TABLES = ("users", "resumes", "bullets", "interview_sessions", "questions", "answers", "feedback")


def counts(url: str) -> dict[str, int]:
    engine = create_db_engine(url)
    try:
        with engine.connect() as conn:
            return {t: int(conn.execute(text(f"select count(*) from {t}")).scalar_one()) for t in TABLES}
    finally:
        engine.dispose()


def test_upgrade_and_downgrade_keep_every_row(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    upgrade(url, "0001")
    engine = create_db_engine(url)
    with engine.begin() as conn:
        for sql in ROWS:
            conn.execute(text(sql))
    engine.dispose()
    before = counts(url)
    assert before["answers"] == 2 and before["feedback"] == 1
    upgrade(url)
    assert counts(url) == before
    engine = create_db_engine(url)
    try:
        assert current_revision(engine) == head_revision()
        with engine.connect() as conn:
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1, (
                "new connections still enforce FKs"
            )
            row = conn.execute(text("select follow_up_of, bank_id from questions where id = 1")).one()
            assert tuple(row) == (None, None)
    finally:
        engine.dispose()
    downgrade(url, "0001")
    assert counts(url) == before
