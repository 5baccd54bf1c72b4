"""LLM backends behind one protocol: chat messages in, text or a token stream out."""

from interviewmate.models.backends.base import LLMBackend, make_backend
from interviewmate.models.backends.fake import FakeBackend

__all__ = ["FakeBackend", "LLMBackend", "make_backend"]
