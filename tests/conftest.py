"""Shared fixtures: user data in a tmp dir, tiny random-init models built from configs."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

WORDS = [
    "tell",
    "me",
    "about",
    "a",
    "time",
    "you",
    "led",
    "project",
    "data",
    "model",
    "sql",
    "python",
    "join",
    "index",
    "cache",
    "queue",
    "design",
    "system",
    "scale",
    "test",
    "metric",
    "user",
    "team",
    "result",
    "improved",
    "reduced",
    "latency",
    "question",
    "answer",
    "hello",
    "ok",
    "yes",
    "no",
    "the",
    "a",
    "to",
    "of",
    "and",
    "in",
    "is",
    "it",
    "for",
    "on",
    "with",
    "what",
    "how",
    "why",
]
CHAT_TEMPLATE = (
    "{% for m in messages %}<|im_start|> {{ m['role'] }} {{ m['content'] }} <|im_end|> {% endfor %}"
    "{% if add_generation_prompt %}<|im_start|> assistant {% endif %}"
)


@pytest.fixture(autouse=True)
def isolated_user_data(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own data dir and default settings, whatever the developer's environment says."""
    for key in list(os.environ):
        if key.startswith("INTERVIEWMATE_") and key != "INTERVIEWMATE_TEST_POSTGRES_URL":
            monkeypatch.delenv(key)
    data_dir = tmp_path_factory.mktemp("imdata")
    monkeypatch.setenv("INTERVIEWMATE_DATA_DIR", str(data_dir))
    monkeypatch.chdir(data_dir)  # no stray .env file is read
    return data_dir


@pytest.fixture(scope="session")
def shared_model_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One model cache for the whole run, so real weights are hashed/converted once."""
    return tmp_path_factory.mktemp("model-cache")


def build_tiny_tokenizer() -> Any:
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers
    from transformers import PreTrainedTokenizerFast

    specials = ["<unk>", "<pad>", "<|im_start|>", "<|im_end|>"]
    vocab = {tok: i for i, tok in enumerate(specials + WORDS)}
    tok = Tokenizer(models.WordLevel(vocab=vocab, unk_token="<unk>"))
    tok.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
    tok.decoder = decoders.WordPiece(prefix="##")  # joins words with spaces
    return PreTrainedTokenizerFast(
        tokenizer_object=tok,
        unk_token="<unk>",
        pad_token="<pad>",
        bos_token="<|im_start|>",
        eos_token="<|im_end|>",
        chat_template=CHAT_TEMPLATE,
    )


def build_tiny_llama(vocab_size: int, seed: int = 0) -> Any:
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM

    torch.manual_seed(seed)
    cfg = LlamaConfig(
        vocab_size=vocab_size,
        hidden_size=32,
        intermediate_size=64,
        num_hidden_layers=2,
        num_attention_heads=4,
        num_key_value_heads=2,
        max_position_embeddings=256,
        eos_token_id=3,
        pad_token_id=1,
        bos_token_id=2,
    )
    return LlamaForCausalLM(cfg).eval()


@pytest.fixture
def tiny_llm() -> tuple[Any, Any]:
    tok = build_tiny_tokenizer()
    return build_tiny_llama(len(tok)), tok
