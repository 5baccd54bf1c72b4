"""Persistence: SQLAlchemy 2 models, engine/session setup, Alembic migrations."""

from interviewmate.store.db import create_db_engine, make_session_factory
from interviewmate.store.migrate import current_revision, downgrade, upgrade

__all__ = ["create_db_engine", "current_revision", "downgrade", "make_session_factory", "upgrade"]
