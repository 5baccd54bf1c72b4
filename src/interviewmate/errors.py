"""Errors a user can act on. The CLI and web app print their message as one line, never a traceback."""


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
