"""Completion-only causal-LM loss that never builds full-sequence logits.

`model(**batch).loss` projects every position onto the 49,152-token vocabulary: for a 4,096-token micro-batch
that is ~0.8 GB of fp32 logits per copy, and cross-entropy keeps several (logits, log-softmax, its gradient).
Only the completion positions (labels != -100 after the causal shift) count, so this runs the transformer body,
gathers the hidden states at those positions, and applies the LM head in chunks. Each chunk's gradient with
respect to the hidden states is computed right away (softmax - one-hot, times the head's weight), so backward
keeps one (n_completion, hidden) tensor instead of any logits, and nothing is recomputed.

The sum (and so the mean) is the same cross-entropy that `model(**batch).loss` computes, to float tolerance.
"""

from __future__ import annotations

from typing import Any

import torch

from interviewmate.training.sft_data import IGNORE

CHUNK_POSITIONS = 1024  # logits of one chunk: 1024 x 49,152 fp32 = 0.2 GB


def causal_lm_parts(model: Any) -> tuple[Any, Any]:
    """(transformer body, LM head) of a causal LM, a PEFT wrapper of one, or a torch.compile'd one."""
    model = getattr(model, "_orig_mod", model)
    if hasattr(model, "get_base_model"):
        model = model.get_base_model()
    body = model.get_decoder() if hasattr(model, "get_decoder") else model.model
    return body, model.get_output_embeddings()


def completion_targets(labels: Any) -> tuple[Any, Any]:
    """(mask over positions 0..T-2 that predict a completion token, those tokens): the causal shift."""
    shifted = labels[:, 1:]
    mask = shifted != IGNORE
    return mask, shifted[mask]


def completion_loss_sum(
    body: Any, head: Any, batch: dict[str, Any], chunk: int = CHUNK_POSITIONS
) -> tuple[Any, int]:
    """(sum of the completion tokens' cross-entropy as a 0-d float32 tensor, number of those tokens)."""
    mask = batch["attention_mask"]
    # With right padding and causal attention no real token can see a pad (pads come after it), so the padding
    # mask changes nothing that is scored: without it SDPA runs its causal kernel instead of materialising a
    # (heads x T x T) mask and score matrix per layer, which saves memory and time on CPU.
    right_padded = bool((mask[:, 1:] <= mask[:, :-1]).all())
    hidden = body(
        input_ids=batch["input_ids"], attention_mask=None if right_padded else mask
    ).last_hidden_state
    scored, targets = completion_targets(batch["labels"])
    picked = hidden[:, :-1][scored]
    total = chunked_cross_entropy_sum(picked, head.weight, targets, chunk, getattr(head, "bias", None))
    return total, int(targets.numel())


def chunked_cross_entropy_sum(
    hidden: Any, weight: Any, targets: Any, chunk: int = CHUNK_POSITIONS, bias: Any = None
) -> Any:
    """sum_i CE(hidden[i] @ weight.T + bias, targets[i]) in (at least) float32, one chunk of positions at a time."""
    return _ChunkedLinearCrossEntropy.apply(hidden, weight, bias, targets, chunk)


class _ChunkedLinearCrossEntropy(torch.autograd.Function):
    @staticmethod
    def forward(ctx: Any, hidden: Any, weight: Any, bias: Any, targets: Any, chunk: int) -> Any:
        need_h, need_w, need_b = ctx.needs_input_grad[:3]
        acc = torch.promote_types(hidden.dtype, torch.float32)  # bf16/fp16 logits are upcast, like HF's loss
        total = torch.zeros((), dtype=acc, device=hidden.device)
        grad_h = torch.zeros_like(hidden) if need_h else None
        grad_w = torch.zeros_like(weight, dtype=acc) if need_w else None
        grad_b = torch.zeros_like(bias, dtype=acc) if need_b else None
        for start in range(0, hidden.shape[0], chunk):
            h = hidden[start : start + chunk]
            y = targets[start : start + chunk]
            logits = torch.nn.functional.linear(h, weight, bias).to(acc)
            lse = torch.logsumexp(logits, dim=-1)
            total += (lse - logits.gather(1, y[:, None]).squeeze(1)).sum()
            if grad_h is None and grad_w is None and grad_b is None:
                continue
            probs = logits.sub_(lse[:, None]).exp_()  # the softmax, in place of the logits
            probs[torch.arange(len(y), device=y.device), y] -= 1.0  # d CE / d logits
            if grad_h is not None:
                grad_h[start : start + chunk] = probs.to(h.dtype) @ weight.to(h.dtype)
            if grad_w is not None:
                grad_w += probs.t() @ h.to(acc)
            if grad_b is not None:
                grad_b += probs.sum(0)
        ctx.grads = (grad_h, grad_w, grad_b)
        ctx.dtypes = (hidden.dtype, weight.dtype, bias.dtype if bias is not None else None)
        return total

    @staticmethod
    def backward(ctx: Any, grad_out: Any) -> Any:
        scaled = [
            None if g is None else (g * grad_out).to(dtype)
            for g, dtype in zip(ctx.grads, ctx.dtypes, strict=True)
        ]
        ctx.grads = (None, None, None)
        return scaled[0], scaled[1], scaled[2], None, None
