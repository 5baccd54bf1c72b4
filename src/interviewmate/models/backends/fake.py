"""A deterministic backend for tests: returns queued responses in order and records what it was asked."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator, Sequence

from interviewmate.domain import ChatMessage, GenerationParams
from interviewmate.errors import BackendError
from interviewmate.models.backends.base import apply_stop


class FakeBackend:
    name = "fake"

    def __init__(self, responses: Sequence[str] = (), repeat_last: bool = False) -> None:
        self._queue: deque[str] = deque(responses)
        self._repeat_last = repeat_last
        self._last: str | None = None
        self.calls: list[tuple[list[ChatMessage], GenerationParams]] = []

    def queue(self, *responses: str) -> None:
        self._queue.extend(responses)

    def _next(self, messages: Sequence[ChatMessage], params: GenerationParams) -> str:
        self.calls.append((list(messages), params))
        if self._queue:
            self._last = self._queue.popleft()
        elif not (self._repeat_last and self._last is not None):
            raise BackendError("fake backend: no queued response left")
        text, _ = apply_stop(self._last, params.stop)
        return text

    def generate(self, messages: Sequence[ChatMessage], params: GenerationParams) -> str:
        return self._next(messages, params)

    def stream(self, messages: Sequence[ChatMessage], params: GenerationParams) -> Iterator[str]:
        text = self._next(messages, params)
        words = text.split(" ")
        for i, word in enumerate(words):
            yield word if i == 0 else " " + word

    def close(self) -> None:
        pass
