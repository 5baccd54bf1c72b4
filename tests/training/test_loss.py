"""The chunked completion-only loss equals the plain full-logits loss, in value and in every gradient."""

from __future__ import annotations

from typing import Any

import pytest

from interviewmate.training.batching import collate
from interviewmate.training.sft_data import IGNORE, TokenizedExample
from tests.conftest import build_tiny_llama


def _batch(vocab: int) -> dict[str, Any]:
    import random

    rng = random.Random(3)
    examples = []
    for length, prompt in [(19, 7), (11, 4), (23, 15), (6, 5)]:  # padded rows; one completion of 1 token
        ids = [rng.randrange(4, vocab) for _ in range(length)]
        examples.append(TokenizedExample(ids, [IGNORE] * prompt + ids[prompt:]))
    return collate(examples, pad_id=1)


def _lora_model(vocab: int) -> Any:
    import torch
    from peft import LoraConfig, get_peft_model

    model = get_peft_model(
        build_tiny_llama(vocab),
        LoraConfig(r=4, lora_alpha=8, target_modules=["q_proj", "k_proj", "v_proj", "down_proj"]),
    )
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "lora_B" in name:
                p.normal_(std=0.1)
    return model.train()


@pytest.mark.parametrize("chunk", [1, 5, 1024])
def test_chunked_completion_loss_matches_full_logits_loss_and_gradients(chunk: int) -> None:
    import torch

    from interviewmate.training.loss import causal_lm_parts, completion_loss_sum

    vocab = 61
    batch = _batch(vocab)
    model = _lora_model(vocab)
    params = {n: p for n, p in model.named_parameters() if p.requires_grad}

    reference = model(**batch).loss  # HF: full logits, shift, mean over labels != -100
    reference.backward()
    expected = {n: p.grad.clone() for n, p in params.items()}
    model.zero_grad(set_to_none=True)

    body, head = causal_lm_parts(model)
    total, n = completion_loss_sum(body, head, batch, chunk=chunk)
    assert n == int((batch["labels"][:, 1:] != IGNORE).sum())
    (total / n).backward()
    torch.testing.assert_close(total / n, reference.detach(), rtol=1e-5, atol=1e-6)
    assert all(g.abs().sum() > 0 for g in expected.values())
    for name, p in params.items():
        torch.testing.assert_close(p.grad, expected[name], rtol=1e-4, atol=1e-6, msg=name)


def test_weight_and_bias_gradients_and_no_grad_mode() -> None:
    import torch

    from interviewmate.training.loss import chunked_cross_entropy_sum

    gen = torch.Generator().manual_seed(0)
    h = torch.randn(13, 8, generator=gen, dtype=torch.float64, requires_grad=True)
    w = torch.randn(29, 8, generator=gen, dtype=torch.float64, requires_grad=True)
    b = torch.randn(29, generator=gen, dtype=torch.float64, requires_grad=True)
    y = torch.randint(0, 29, (13,), generator=gen)
    ref = torch.nn.functional.cross_entropy(h @ w.T + b, y, reduction="sum")
    ref_grads = torch.autograd.grad(3.0 * ref, (h, w, b))
    got = chunked_cross_entropy_sum(h, w, y, chunk=4, bias=b)
    got_grads = torch.autograd.grad(3.0 * got, (h, w, b))
    torch.testing.assert_close(got, ref)
    for g, r in zip(got_grads, ref_grads, strict=True):
        torch.testing.assert_close(g, r)
    with torch.inference_mode():
        torch.testing.assert_close(chunked_cross_entropy_sum(h, w, y, chunk=5, bias=b), ref.detach())


def test_split_batch_respects_the_token_budget_and_keeps_order() -> None:
    from interviewmate.training.batching import split_batch

    lengths = [10, 20, 30, 40, 50, 60]
    pieces = split_batch([0, 1, 2, 3, 4, 5], lengths, max_tokens=100)
    assert [i for p in pieces for i in p] == [0, 1, 2, 3, 4, 5]
    assert all(len(p) * max(lengths[i] for i in p) <= 100 for p in pieces)
    assert pieces == [[0, 1, 2], [3, 4], [5]]
    assert split_batch([5], lengths, max_tokens=8) == [[5]]  # one example always fits, however long


def test_splitting_micro_batches_into_smaller_passes_gives_the_same_training(
    tiny_corpus: Any, tmp_path: Any
) -> None:
    """forward_tokens only changes how a step is computed, not what it computes."""
    from interviewmate.data.pipeline import build_corpus
    from interviewmate.models.embedder import HashingEmbedder
    from interviewmate.training.config import GeneratorTrainConfig
    from interviewmate.training.generator import train_generator
    from tests.conftest import build_tiny_tokenizer

    assert build_corpus(tiny_corpus, HashingEmbedder()).written is not None
    losses = []
    for name, forward_tokens in [("whole", 512), ("split", 64)]:
        cfg = GeneratorTrainConfig(
            output_dir=tmp_path / name,
            lora_r=4,
            lora_alpha=8,
            max_steps=3,
            eval_every=3,
            save_every=3,
            batch_tokens=512,
            forward_tokens=forward_tokens,
            learning_rate=5e-3,
            device="cpu",
        )
        tok = build_tiny_tokenizer()
        result = train_generator(cfg, tmp_path, build_tiny_llama(len(tok)), tok, tiny_corpus, progress=False)
        losses.append((result.final_train_loss, result.final_val_loss))
    assert losses[0][0] == pytest.approx(losses[1][0], rel=1e-4)
    assert losses[0][1] == pytest.approx(losses[1][1], rel=1e-4)
