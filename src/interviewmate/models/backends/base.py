"""The protocol every LLM backend meets, and the factory that builds the configured one."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from interviewmate.domain import ChatMessage, GenerationParams

if TYPE_CHECKING:
    from interviewmate.config import Settings


@runtime_checkable
class LLMBackend(Protocol):
    name: str

    def generate(self, messages: Sequence[ChatMessage], params: GenerationParams) -> str:
        """The whole completion as one string (stop strings removed)."""
        ...

    def stream(self, messages: Sequence[ChatMessage], params: GenerationParams) -> Iterator[str]:
        """The completion piece by piece as it is produced."""
        ...

    def close(self) -> None: ...


def chat_request(messages: Sequence[ChatMessage], params: GenerationParams, stream: bool) -> dict[str, Any]:
    """The OpenAI chat-completions body shared by the llama.cpp and HTTP backends."""
    req: dict[str, Any] = {
        "messages": [{"role": m.role, "content": m.content} for m in messages],
        "max_tokens": params.max_tokens,
        "temperature": params.temperature,
        "top_p": params.top_p,
        "stream": stream,
    }
    if params.stop:
        req["stop"] = list(params.stop)
    if params.seed is not None:
        req["seed"] = params.seed
    if params.repetition_penalty != 1.0:
        req["repeat_penalty"] = params.repetition_penalty  # llama.cpp's name
        req["repetition_penalty"] = params.repetition_penalty  # vLLM's name; servers ignore unknown fields
    return req


def apply_stop(text: str, stop: Sequence[str]) -> tuple[str, bool]:
    """Cut text at the first stop string; say whether one was found."""
    cut = min((i for s in stop if s and (i := text.find(s)) >= 0), default=-1)
    return (text[:cut], True) if cut >= 0 else (text, False)


class StopStreamFilter:
    """Holds back streamed text that could be the start of a stop string, so no stop text leaks out."""

    def __init__(self, stop: Sequence[str]) -> None:
        self.stop = [s for s in stop if s]
        self.buffer = ""
        self.stopped = False

    def feed(self, piece: str) -> str:
        if self.stopped:
            return ""
        self.buffer += piece
        text, hit = apply_stop(self.buffer, self.stop)
        if hit:
            self.stopped = True
            self.buffer = ""
            return text
        # keep back the longest tail that could still grow into a stop string
        longest = max((len(s) - 1 for s in self.stop), default=0)
        keep = next(
            (
                k
                for k in range(min(longest, len(self.buffer)), 0, -1)
                if any(s.startswith(self.buffer[-k:]) for s in self.stop)
            ),
            0,
        )
        cut = len(self.buffer) - keep
        out, self.buffer = self.buffer[:cut], self.buffer[cut:]
        return out

    def flush(self) -> str:
        out, self.buffer = ("" if self.stopped else self.buffer), ""
        return out


def make_backend(settings: Settings) -> LLMBackend:
    """The backend the settings ask for, with its model loaded."""
    from interviewmate.models.adapters import packaged_adapter

    settings.ensure_dirs()
    packaged = packaged_adapter(settings.llm_model) if settings.use_tuned_adapter else None
    if settings.llm_backend == "llamacpp":
        from interviewmate.models.backends.llamacpp import LlamaCppBackend
        from interviewmate.models.loaders import gguf_path

        return LlamaCppBackend(
            gguf_path(settings.llm_model, settings.model_cache_dir),
            lora_path=settings.llm_adapter or (packaged.gguf if packaged else None),
            n_ctx=settings.n_ctx,
            n_threads=settings.n_threads,
            merge_cache_dir=settings.model_cache_dir if settings.merge_adapter else None,
        )
    if settings.llm_backend == "transformers":
        from interviewmate.models.backends.transformers_backend import TransformersBackend

        return TransformersBackend.from_registry(
            settings.llm_model,
            settings.model_cache_dir,
            device=settings.torch_device(),
            adapter=settings.llm_adapter or (packaged.peft_dir if packaged else None),
        )
    if settings.llm_backend == "openai":
        from interviewmate.models.backends.openai_http import OpenAICompatibleBackend

        return OpenAICompatibleBackend(
            settings.openai_base_url, settings.openai_model, settings.openai_api_key
        )
    from interviewmate.models.backends.fake import FakeBackend

    return FakeBackend(
        ["This is the fake backend: set INTERVIEWMATE_LLM_BACKEND to a real one."], repeat_last=True
    )
