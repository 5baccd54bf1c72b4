from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select
from sqlalchemy.orm import Session

from interviewmate.accounts import (
    LOCAL_USER_EMAIL,
    authenticate,
    create_user,
    get_or_create_local_user,
    get_user,
)
from interviewmate.errors import DataError
from interviewmate.store import create_db_engine, make_session_factory, upgrade
from interviewmate.store.tables import User

FAST = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)  # tests only: cheap but real argon2id


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Session]:
    url = f"sqlite:///{tmp_path / 'accounts.db'}"
    upgrade(url)
    engine = create_db_engine(url)
    with make_session_factory(engine)() as session:
        yield session
    engine.dispose()


def test_sign_up_then_sign_in(db: Session) -> None:
    account = create_user(db, "  Ada@Example.com ", "correct horse battery", FAST)
    assert account.email == "ada@example.com" and not account.is_local
    stored = db.scalars(select(User.password_hash)).one()
    assert stored.startswith("$argon2id$") and "correct horse" not in stored
    assert authenticate(db, "ADA@example.com", "correct horse battery", FAST) == account
    assert authenticate(db, "ada@example.com", "wrong horse battery", FAST) is None
    assert authenticate(db, "nobody@example.com", "correct horse battery", FAST) is None
    assert authenticate(db, "not an email", "correct horse battery", FAST) is None
    assert get_user(db, account.id) == account and get_user(db, account.id + 99) is None


@pytest.mark.parametrize(
    ("email", "password", "message"),
    [
        ("ada@example.com", "short", "too short"),
        ("ada@example.com", "x" * 300, "too long"),
        ("ada@example.com", " " * 12, "only spaces"),
        ("ada-at-example.com", "long enough pw", "not an email"),
        ("ada@localhost", "long enough pw", "not an email"),
        (LOCAL_USER_EMAIL, "long enough pw", "reserved"),
    ],
)
def test_bad_sign_ups_are_data_errors(db: Session, email: str, password: str, message: str) -> None:
    with pytest.raises(DataError, match=message):
        create_user(db, email, password, FAST)
    assert db.scalar(select(User.id)) is None


def test_duplicate_email_is_refused_whatever_its_case(db: Session) -> None:
    create_user(db, "ada@example.com", "correct horse battery", FAST)
    with pytest.raises(DataError, match="already registered"):
        create_user(db, "ADA@example.com", "another password", FAST)
    assert len(db.scalars(select(User)).all()) == 1


def test_local_user_is_created_once_and_cannot_sign_in(db: Session) -> None:
    first = get_or_create_local_user(db)
    assert first.is_local and get_or_create_local_user(db) == first
    assert authenticate(db, LOCAL_USER_EMAIL, "", FAST) is None
    assert authenticate(db, LOCAL_USER_EMAIL, "!", FAST) is None


def test_weak_hash_is_upgraded_on_sign_in(db: Session) -> None:
    create_user(db, "ada@example.com", "correct horse battery", FAST)
    stronger = PasswordHasher(time_cost=2, memory_cost=2048, parallelism=1)
    assert authenticate(db, "ada@example.com", "correct horse battery", stronger) is not None
    new_hash = db.scalars(select(User.password_hash)).one()
    assert "t=2" in new_hash and not stronger.check_needs_rehash(new_hash)
    assert authenticate(db, "ada@example.com", "correct horse battery", stronger) is not None
