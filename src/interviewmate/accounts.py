"""User accounts: sign-up with an argon2id password hash, sign-in, and the one local user of terminal mode.

    with factory() as db:
        user = create_user(db, "ada@example.com", "correct horse battery")   # -> Account, committed
        authenticate(db, "ada@example.com", "correct horse battery")         # -> Account | None

Callers get a frozen `Account`, never the ORM row. Wrong email and wrong password look the same to the caller
(None), and take about the same time, so sign-in does not reveal which emails exist.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from interviewmate.errors import DataError
from interviewmate.store.tables import User, as_utc

LOCAL_USER_EMAIL = "local@interviewmate.local"  # terminal mode's user; it has no password and cannot sign in
UNUSABLE_HASH = "!"  # not an argon2 hash: verification always fails
MIN_PASSWORD, MAX_PASSWORD = 8, 256  # argon2 takes any length; the cap keeps a request from hashing megabytes
MAX_EMAIL = 320  # RFC 5321: 64 (local part) + 1 + 255 (domain)
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s.]+(\.[^@\s.]+)+$")


@dataclass(frozen=True)
class Account:
    id: int
    email: str
    created_at: datetime
    is_local: bool = False


def default_hasher() -> PasswordHasher:
    """argon2id with argon2-cffi's defaults (RFC 9106 low-memory profile: t=3, 64 MiB, p=4)."""
    return PasswordHasher()


def normalise_email(email: str) -> str:
    """Trimmed and lower-cased; raises DataError when it is not an email address."""
    clean = email.strip().lower()
    if not clean or len(clean) > MAX_EMAIL or not _EMAIL.match(clean):
        raise DataError(f"{email.strip()[:80]!r} is not an email address (like name@example.com)")
    return clean


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise DataError(f"the password is too short: use at least {MIN_PASSWORD} characters")
    if len(password) > MAX_PASSWORD:
        raise DataError(f"the password is too long: use at most {MAX_PASSWORD} characters")
    if not password.strip():
        raise DataError("the password cannot be only spaces")


def create_user(db: Session, email: str, password: str, hasher: PasswordHasher | None = None) -> Account:
    """A new user with an argon2id password hash, committed. Raises DataError for a bad email or password,
    or when the email is already registered."""
    clean = normalise_email(email)
    check_password(password)
    if clean == LOCAL_USER_EMAIL:
        raise DataError(f"{clean} is reserved for terminal mode; use another email")
    if db.scalar(select(User.id).where(User.email == clean)) is not None:
        raise DataError(f"{clean} is already registered: sign in instead")
    user = User(email=clean, password_hash=(hasher or default_hasher()).hash(password))
    db.add(user)
    try:
        db.commit()
    except IntegrityError:  # registered by a concurrent request between the check and the insert
        db.rollback()
        raise DataError(f"{clean} is already registered: sign in instead") from None
    return _account(user)


def authenticate(
    db: Session, email: str, password: str, hasher: PasswordHasher | None = None
) -> Account | None:
    """The account when the email and password match, else None. Rehashes (and commits) a hash made with
    weaker parameters than the hasher's current ones."""
    ph = hasher or default_hasher()
    try:
        clean = normalise_email(email)
    except DataError:
        return None
    user = db.scalar(select(User).where(User.email == clean))
    if user is None or user.password_hash == UNUSABLE_HASH:
        _spend_like_a_verify(ph, password)
        return None
    try:
        ph.verify(user.password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return None
    if ph.check_needs_rehash(user.password_hash):
        user.password_hash = ph.hash(password)
        db.commit()
    return _account(user)


def get_user(db: Session, user_id: int) -> Account | None:
    """The account with this id (e.g. from a signed session cookie), or None."""
    user = db.get(User, user_id)
    return _account(user) if user is not None else None


def get_or_create_local_user(db: Session) -> Account:
    """Terminal mode's single user (committed on first use). It has no password, so nobody can sign in as it
    on the web app."""
    user = db.scalar(select(User).where(User.email == LOCAL_USER_EMAIL))
    if user is None:
        user = User(email=LOCAL_USER_EMAIL, password_hash=UNUSABLE_HASH)
        db.add(user)
        try:
            db.commit()
        except IntegrityError:  # created by a concurrent process
            db.rollback()
            user = db.scalars(select(User).where(User.email == LOCAL_USER_EMAIL)).one()
    return _account(user)


def _spend_like_a_verify(ph: PasswordHasher, password: str) -> None:
    """Hash anyway, so an unknown email takes as long as a wrong password."""
    ph.hash(password or "x")


def _account(user: User) -> Account:
    return Account(user.id, user.email, as_utc(user.created_at), is_local=user.email == LOCAL_USER_EMAIL)
