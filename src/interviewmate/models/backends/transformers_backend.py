"""Local transformers model (+ optional PEFT LoRA adapter). The backend that training shares weights with."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from interviewmate.domain import ChatMessage, GenerationParams
from interviewmate.errors import BackendError
from interviewmate.models.backends.base import StopStreamFilter, apply_stop


class TransformersBackend:
    name = "transformers"

    def __init__(self, model: Any, tokenizer: Any, device: str = "cpu") -> None:
        self.model = model.to(device).eval()
        self.tokenizer = tokenizer
        self.device = device

    @classmethod
    def from_registry(
        cls, name: str, cache_dir: Path, device: str = "cpu", adapter: Path | None = None
    ) -> TransformersBackend:
        from interviewmate.models.loaders import load_causal_lm

        model, tok = load_causal_lm(name, cache_dir, dtype="bfloat16" if device == "cuda" else "float32")
        if adapter is not None:
            model = load_peft_adapter(model, adapter)
        return cls(model, tok, device)

    def _inputs(self, messages: Sequence[ChatMessage]) -> Any:
        chat = [{"role": m.role, "content": m.content} for m in messages]
        encoded = self.tokenizer.apply_chat_template(
            chat, add_generation_prompt=True, return_tensors="pt", return_dict=True
        )
        return {k: v.to(self.device) for k, v in encoded.items()}

    def _gen_kwargs(self, params: GenerationParams) -> dict[str, Any]:
        import torch

        kwargs: dict[str, Any] = {
            "max_new_tokens": params.max_tokens,
            "repetition_penalty": params.repetition_penalty,
        }
        if params.temperature > 0:
            if params.seed is not None:
                torch.manual_seed(params.seed)
            kwargs.update(do_sample=True, temperature=params.temperature, top_p=params.top_p)
        else:
            kwargs.update(do_sample=False)
        pad = self.tokenizer.pad_token_id
        kwargs["pad_token_id"] = pad if pad is not None else self.tokenizer.eos_token_id
        return kwargs

    def generate(self, messages: Sequence[ChatMessage], params: GenerationParams) -> str:
        import torch

        inputs = self._inputs(messages)
        with torch.inference_mode():
            out = self.model.generate(**inputs, **self._gen_kwargs(params))
        new_tokens = out[0, inputs["input_ids"].shape[1] :]
        text = self.tokenizer.decode(new_tokens, skip_special_tokens=True)
        return apply_stop(text, params.stop)[0]

    def stream(self, messages: Sequence[ChatMessage], params: GenerationParams) -> Iterator[str]:
        import torch
        from transformers import TextIteratorStreamer

        inputs = self._inputs(messages)
        streamer = TextIteratorStreamer(
            self.tokenizer, skip_prompt=True, skip_special_tokens=True, timeout=300
        )
        errors: list[BaseException] = []

        def run() -> None:
            try:
                with torch.inference_mode():
                    self.model.generate(**inputs, **self._gen_kwargs(params), streamer=streamer)
            except BaseException as exc:  # surfaced to the caller below
                errors.append(exc)
                streamer.end()

        worker = threading.Thread(target=run, daemon=True)
        worker.start()
        stops = StopStreamFilter(params.stop)
        for piece in streamer:
            out = stops.feed(piece)
            if out:
                yield out
            if stops.stopped:
                break
        tail = stops.flush()
        if tail:
            yield tail
        worker.join()
        if errors:
            raise BackendError(f"transformers generation failed: {errors[0]}")

    def close(self) -> None:
        pass


def load_peft_adapter(model: Any, adapter: Path) -> Any:
    if not (adapter / "adapter_config.json").exists():
        raise BackendError(f"{adapter} is not a PEFT adapter folder (no adapter_config.json)")
    from peft import PeftModel

    return PeftModel.from_pretrained(model, str(adapter))
