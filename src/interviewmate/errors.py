"""Errors a user can act on. The CLI and web app print their message as one line, never a traceback."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class InterviewMateError(Exception):
    """Base class: the message says what went wrong and what to do about it."""


class ModelUnavailableError(InterviewMateError):
    """A packaged model is missing, corrupt, or cannot be loaded."""


class BackendError(InterviewMateError):
    """An LLM backend failed to answer."""


class ConfigError(InterviewMateError):
    """A setting has a value that cannot work."""


class DataError(InterviewMateError):
    """Input data (a corpus file, an upload) is malformed."""


class NotFoundError(InterviewMateError):
    """The object does not exist, or belongs to another user (the web app answers 404 either way)."""


def flag_errors(exc: Any, flags: Mapping[str, str] = {}) -> ConfigError:
    """A pydantic ValidationError of a CLI's config as one ConfigError line, each part led by the flag to fix.

    `flags` maps the config fields whose flag is not `--field-name`; messages that already name their flag
    (field validators written for the CLI) are kept as they are.
    """
    out = []
    for e in exc.errors():
        field = str(e["loc"][0]) if e.get("loc") else ""
        msg = str(e["msg"]).removeprefix("Value error, ")
        flag = flags.get(field, "--" + field.replace("_", "-"))
        out.append(msg if not field or msg.startswith("--") else f"{flag}: {msg}")
    return ConfigError("; ".join(out))
