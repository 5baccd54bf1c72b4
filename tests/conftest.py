"""Shared fixtures: user data in a tmp dir, tiny random-init models built from configs."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from interviewmate.data import CORPUS_DIR

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
    vocab = {tok: i for i, tok in enumerate(dict.fromkeys(specials + WORDS))}
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


def _head(path: Path, n: int) -> list[dict[str, object]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for _, line in zip(range(n), fh, strict=False)]


def write_jsonl(path: Path, rows: list[dict[str, object]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")


def _lexically_supported(rows: list[dict[str, object]]) -> list[dict[str, object]]:
    """Items whose key points pass on word overlap alone, so a bag-of-words test embedder accepts them."""
    from interviewmate.data.text import content_words, stem
    from interviewmate.data.validate import KEY_POINT_MIN_LEXICAL

    def ok(row: dict[str, object]) -> bool:
        answer = {stem(w) for w in content_words(str(row["reference_answer"]))}
        for kp in row["key_points"]:  # type: ignore[attr-defined]
            kp_stems = {stem(w) for w in content_words(kp)}
            if len(kp_stems & answer) / max(len(kp_stems), 1) < KEY_POINT_MIN_LEXICAL:
                return False
        return True

    return [r for r in rows if ok(r)]


@pytest.fixture
def tiny_corpus(tmp_path: Path) -> Path:
    """A small, valid corpus cut from the real one: 2 resumes and everything that refers to them."""
    return make_tiny_corpus(tmp_path / "corpus")


def make_tiny_corpus(out: Path) -> Path:
    resumes = _head(CORPUS_DIR / "resumes/resumes.jsonl", 2)
    keep = {r["id"] for r in resumes}
    pairs = [
        json.loads(line)
        for line in (CORPUS_DIR / "retrieval_pairs.jsonl").read_text(encoding="utf-8").splitlines()
        if json.loads(line)["resume_id"] in keep
    ][:40]
    jd_ids = {p["jd_id"] for p in pairs}
    jds = [
        j
        for j in map(
            json.loads, (CORPUS_DIR / "job_descriptions.jsonl").read_text(encoding="utf-8").splitlines()
        )
        if j["id"] in jd_ids
    ]
    write_jsonl(out / "resumes/resumes.jsonl", resumes)
    write_jsonl(out / "retrieval_pairs.jsonl", pairs)
    write_jsonl(out / "job_descriptions.jsonl", jds)
    write_jsonl(out / "questions.jsonl", _lexically_supported(_head(CORPUS_DIR / "questions.jsonl", 80))[:30])
    write_jsonl(out / "router_requests.jsonl", _head(CORPUS_DIR / "router_requests.jsonl", 10**6)[::41][:30])
    return out


@pytest.fixture
def corpus_copy(tmp_path: Path) -> Path:
    out = tmp_path / "full"
    shutil.copytree(CORPUS_DIR, out, ignore=shutil.ignore_patterns("*.py", "__pycache__", "rendered", "text"))
    return out
