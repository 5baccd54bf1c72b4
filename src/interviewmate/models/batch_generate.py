"""Batched greedy generation with a transformers model: evaluation and search run many prompts at once."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from interviewmate.domain import ChatMessage


def batch_generate(
    model: Any,
    tokenizer: Any,
    prompts: Sequence[Sequence[ChatMessage]],
    max_new_tokens: int = 256,
    batch_size: int = 16,
    device: str = "cpu",
    on_batch: Callable[[int], None] | None = None,
    repetition_penalty: float = 1.0,
) -> list[str]:
    """Greedy completions, prompts sorted by length so each left-padded batch wastes little."""
    import torch

    texts = [
        tokenizer.apply_chat_template(
            [{"role": m.role, "content": m.content} for m in p], add_generation_prompt=True, tokenize=False
        )
        for p in prompts
    ]
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    out: list[str] = [""] * len(texts)
    side, pad_token = tokenizer.padding_side, tokenizer.pad_token
    tokenizer.padding_side = "left"
    if pad_token is None:  # GGUF tokenizers often have none; the mask makes the choice irrelevant
        tokenizer.pad_token = tokenizer.eos_token
    pad = tokenizer.pad_token_id
    model.eval()
    try:
        for start in range(0, len(order), batch_size):
            idx = order[start : start + batch_size]
            enc = tokenizer(
                [texts[i] for i in idx], return_tensors="pt", padding=True, add_special_tokens=False
            )
            enc = {k: v.to(device) for k, v in enc.items()}
            with (
                torch.inference_mode(),
                torch.autocast("cuda", dtype=torch.bfloat16, enabled=device == "cuda"),
            ):
                gen = model.generate(
                    **enc,
                    max_new_tokens=max_new_tokens,
                    do_sample=False,
                    pad_token_id=pad,
                    repetition_penalty=repetition_penalty,
                )
            new = gen[:, enc["input_ids"].shape[1] :]
            for row, i in enumerate(idx):
                out[i] = tokenizer.decode(new[row], skip_special_tokens=True).strip()
            if on_batch:
                on_batch(len(idx))
    finally:
        tokenizer.padding_side = side
        tokenizer.pad_token = pad_token
    return out
