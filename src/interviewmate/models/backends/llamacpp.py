"""llama.cpp in-process through xllamacpp: a GGUF model plus an optional GGUF LoRA adapter.

xllamacpp's Server also listens on 127.0.0.1 with llama.cpp's OpenAI-compatible HTTP API (`base_url`), which
lets other processes (and our HTTP backend's tests) talk to the same loaded model.
"""

from __future__ import annotations

import os
import queue
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from interviewmate.domain import ChatMessage, GenerationParams
from interviewmate.errors import BackendError, ModelUnavailableError
from interviewmate.models.backends.base import StopStreamFilter, apply_stop, chat_request

_DONE = object()


class LlamaCppBackend:
    name = "llamacpp"

    def __init__(
        self,
        gguf: Path,
        lora_path: Path | None = None,
        n_ctx: int = 2048,
        n_threads: int = 0,
        n_parallel: int = 1,
        verbose: bool = False,
        merge_cache_dir: Path | None = None,
    ) -> None:
        """`merge_cache_dir`: merge `lora_path` into the model once, cache the merged GGUF there and serve it with
        no runtime adapter (runtime LoRA costs ~a quarter of the decode speed; see `models/gguf_merge.py`)."""
        import xllamacpp

        if lora_path is not None and not Path(lora_path).is_file():
            raise ModelUnavailableError(f"GGUF LoRA adapter {lora_path} does not exist")
        self.base_path, self.lora_path = gguf, lora_path
        if lora_path is not None and merge_cache_dir is not None:
            from interviewmate.models.gguf_merge import merged_gguf

            gguf, lora_path = merged_gguf(gguf, Path(lora_path), merge_cache_dir), None
        params = xllamacpp.CommonParams()
        params.model.path = str(gguf)
        params.n_ctx = n_ctx * n_parallel  # llama.cpp splits the context across slots
        params.n_parallel = n_parallel
        threads = n_threads or os.cpu_count() or 1
        params.cpuparams.n_threads = threads
        params.cpuparams_batch.n_threads = threads
        params.verbosity = 3 if verbose else -1
        params.warmup = False  # the first request warms it; saves ~0.2 s on every start
        if lora_path is not None:
            params.lora_adapters = [xllamacpp.CommonAdapterLoraInfo(str(lora_path), 1.0)]
        try:
            self._server: Any = xllamacpp.Server(params)
        except Exception as exc:
            raise ModelUnavailableError(f"llama.cpp could not load {gguf.name}: {exc}") from exc
        self.model_path = gguf  # the merged GGUF when the adapter was merged
        self.runtime_lora = lora_path  # the adapter llama.cpp applies at run time, if any

    @property
    def base_url(self) -> str:
        """OpenAI-compatible endpoint of this loaded model, e.g. http://127.0.0.1:41234/v1."""
        return str(self._server.listening_address).rstrip("/") + "/v1"

    def generate(self, messages: Sequence[ChatMessage], params: GenerationParams) -> str:
        result = self._server.handle_chat_completions(chat_request(messages, params, stream=False))
        if not isinstance(result, dict) or "choices" not in result:
            raise BackendError(f"llama.cpp returned an error: {result}")
        content = result["choices"][0]["message"].get("content") or ""
        return apply_stop(content, params.stop)[0]

    def stream(self, messages: Sequence[ChatMessage], params: GenerationParams) -> Iterator[str]:
        chunks: queue.Queue[Any] = queue.Queue()
        errors: list[str] = []

        def on_chunk(chunk: Any) -> None:
            chunks.put(chunk)

        def run() -> None:
            try:
                result = self._server.handle_chat_completions(
                    chat_request(messages, params, stream=True), on_chunk
                )
                if isinstance(result, dict) and "error" in result:
                    errors.append(str(result["error"]))
            except Exception as exc:  # surfaced to the caller below
                errors.append(str(exc))
            finally:
                chunks.put(_DONE)

        worker = threading.Thread(target=run, daemon=True)
        worker.start()
        stops = StopStreamFilter(params.stop)
        while (chunk := chunks.get()) is not _DONE:
            if isinstance(chunk, dict) and "error" in chunk:
                errors.append(str(chunk["error"]))
                continue
            choices = chunk.get("choices") if isinstance(chunk, dict) else None
            piece = (choices[0].get("delta", {}).get("content") if choices else None) or ""
            out = stops.feed(piece)
            if out:
                yield out
        tail = stops.flush()
        if tail:
            yield tail
        worker.join()
        if errors:
            raise BackendError(f"llama.cpp streaming failed: {errors[0]}")

    def close(self) -> None:
        self._server = None
