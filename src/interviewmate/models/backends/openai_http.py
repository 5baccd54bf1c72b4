"""Any OpenAI-compatible chat server over HTTP: vLLM, Ollama, llama.cpp's server, or our own llama.cpp backend."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any

import httpx

from interviewmate.domain import ChatMessage, GenerationParams
from interviewmate.errors import BackendError
from interviewmate.models.backends.base import StopStreamFilter, apply_stop, chat_request


class OpenAICompatibleBackend:
    name = "openai"

    def __init__(self, base_url: str, model: str, api_key: str = "", timeout_s: float = 120.0) -> None:
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self.base_url = base_url.rstrip("/")
        self.model = model
        self._client = httpx.Client(base_url=self.base_url, headers=headers, timeout=timeout_s)

    def _payload(
        self, messages: Sequence[ChatMessage], params: GenerationParams, stream: bool
    ) -> dict[str, Any]:
        return {"model": self.model, **chat_request(messages, params, stream)}

    def _fail(self, exc: Exception) -> BackendError:
        return BackendError(f"OpenAI-compatible server at {self.base_url} failed: {exc}")

    def generate(self, messages: Sequence[ChatMessage], params: GenerationParams) -> str:
        try:
            resp = self._client.post("/chat/completions", json=self._payload(messages, params, stream=False))
            resp.raise_for_status()
            content = resp.json()["choices"][0]["message"].get("content") or ""
        except (httpx.HTTPError, KeyError, IndexError, ValueError) as exc:
            raise self._fail(exc) from exc
        return apply_stop(content, params.stop)[0]

    def stream(self, messages: Sequence[ChatMessage], params: GenerationParams) -> Iterator[str]:
        stops = StopStreamFilter(params.stop)
        try:
            with self._client.stream(
                "POST", "/chat/completions", json=self._payload(messages, params, stream=True)
            ) as resp:
                resp.raise_for_status()
                for line in resp.iter_lines():
                    if not line.startswith("data:"):
                        continue
                    data = line[5:].strip()
                    if data == "[DONE]":
                        break
                    choices = json.loads(data).get("choices") or [{}]
                    out = stops.feed(choices[0].get("delta", {}).get("content") or "")
                    if out:
                        yield out
                    if stops.stopped:
                        break
        except (httpx.HTTPError, ValueError) as exc:
            raise self._fail(exc) from exc
        tail = stops.flush()
        if tail:
            yield tail

    def close(self) -> None:
        self._client.close()
