"""Length-bucketed batches under a token budget: almost no padding, deterministic per (seed, epoch)."""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any

from interviewmate.training.sft_data import IGNORE, TokenizedExample


def make_batches(lengths: Sequence[int], batch_tokens: int, seed: int, epoch: int) -> list[list[int]]:
    """Shuffle, sort within windows of ~50 batches by length, cut by token budget, shuffle batch order.

    A batch's cost is len(batch) * its longest example; sorting neighbours by length keeps padding small
    while the windowing keeps the order random enough for SGD.
    """
    rng = random.Random(f"{seed}:{epoch}")
    order = list(range(len(lengths)))
    rng.shuffle(order)
    window = max(64, 50 * max(1, batch_tokens // max(1, int(sum(lengths) / max(len(lengths), 1)))))
    batches: list[list[int]] = []
    for start in range(0, len(order), window):
        chunk = sorted(order[start : start + window], key=lambda i: lengths[i])
        batches.extend(split_batch(chunk, lengths, batch_tokens))  # greedy fill of a length-sorted window
    rng.shuffle(batches)
    return batches


def split_batch(batch: Sequence[int], lengths: Sequence[int], max_tokens: int) -> list[list[int]]:
    """Cut a micro-batch into consecutive pieces of at most `max_tokens` (rows x longest row; one example at least).

    Running the pieces one after another and adding up their gradients gives the micro-batch's step, while
    activation memory follows the piece, not the micro-batch. Pieces of a length-sorted batch stay tight.
    """
    pieces: list[list[int]] = []
    piece: list[int] = []
    longest = 0
    for i in batch:
        longest_if = max(longest, lengths[i])
        if piece and longest_if * (len(piece) + 1) > max_tokens:
            pieces.append(piece)
            piece, longest_if = [], lengths[i]
        piece.append(i)
        longest = longest_if
    if piece:
        pieces.append(piece)
    return pieces


def collate(examples: Sequence[TokenizedExample], pad_id: int) -> dict[str, Any]:
    import torch

    width = max(len(e.input_ids) for e in examples)
    ids = torch.full((len(examples), width), pad_id, dtype=torch.long)
    labels = torch.full((len(examples), width), IGNORE, dtype=torch.long)
    mask = torch.zeros((len(examples), width), dtype=torch.long)
    for row, e in enumerate(examples):
        n = len(e.input_ids)
        ids[row, :n] = torch.tensor(e.input_ids)
        labels[row, :n] = torch.tensor(e.labels)
        mask[row, :n] = 1
    return {"input_ids": ids, "attention_mask": mask, "labels": labels}


def padding_efficiency(batches: Sequence[Sequence[int]], lengths: Sequence[int]) -> float:
    """Real tokens / computed tokens (1.0 = no padding)."""
    real = sum(lengths[i] for b in batches for i in b)
    computed = sum(len(b) * max(lengths[i] for i in b) for b in batches)
    return real / computed if computed else 1.0
