"""train_generator(cfg) -> RunResult: the generator's fine-tuning job, end to end."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from interviewmate.data import CORPUS_DIR
from interviewmate.training.callbacks import Callback, JsonlLogger, RichProgress
from interviewmate.training.config import GeneratorTrainConfig
from interviewmate.training.loop import RunResult, train_lora_sft
from interviewmate.training.sft_data import build_examples, load_split_items, tokenize_all


def load_base(cfg: GeneratorTrainConfig, cache_dir: Path) -> tuple[Any, Any]:
    from interviewmate.models.loaders import load_causal_lm

    return load_causal_lm(cfg.base_model, cache_dir)


def train_generator(
    cfg: GeneratorTrainConfig,
    cache_dir: Path,
    model: Any = None,
    tokenizer: Any = None,
    corpus_dir: Path = CORPUS_DIR,
    progress: bool = True,
    extra_callbacks: Sequence[Callback] = (),
) -> RunResult:
    """Fine-tune a LoRA adapter on the corpus's train split, validating on its val split.

    `model`/`tokenizer` default to the registry's base model; tests pass a tiny random-init model.
    """
    if model is None or tokenizer is None:
        model, tokenizer = load_base(cfg, cache_dir)
    train_q, jds = load_split_items(corpus_dir, "train")
    val_q, _ = load_split_items(corpus_dir, "val")
    train_ex = build_examples(train_q, jds, cfg.seed)
    val_ex = build_examples(val_q, jds, cfg.seed + 1)
    if cfg.max_train_examples:
        import random

        random.Random(cfg.seed).shuffle(train_ex)
        train_ex = train_ex[: cfg.max_train_examples]
        val_ex = val_ex[: max(8, cfg.max_train_examples // 4)]
    train_tok, dropped = tokenize_all(tokenizer, train_ex, cfg.max_length)
    val_tok, _ = tokenize_all(tokenizer, val_ex, cfg.max_length)
    cfg.output_dir.mkdir(parents=True, exist_ok=True)
    if not cfg.resume:
        (cfg.output_dir / "metrics.jsonl").unlink(missing_ok=True)
    (cfg.output_dir / "config.json").write_text(cfg.model_dump_json(indent=1))
    callbacks: list[Callback] = [JsonlLogger(cfg.output_dir / "metrics.jsonl"), *extra_callbacks]
    if progress:
        callbacks.append(RichProgress())
    pad = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else tokenizer.eos_token_id
    result = train_lora_sft(model, pad, train_tok, val_tok, cfg, callbacks)
    summary = result.to_json() | {
        "train_examples": len(train_tok),
        "val_examples": len(val_tok),
        "dropped_too_long": dropped,
        "base_model": cfg.base_model,
    }
    (cfg.output_dir / "result.json").write_text(json.dumps(summary, indent=1))
    write_curves(cfg.output_dir)
    tokenizer.save_pretrained(cfg.output_dir / "tokenizer")
    return result


def write_curves(run_dir: Path) -> Path | None:
    log = run_dir / "metrics.jsonl"
    if not log.exists():
        return None
    from interviewmate.evaluation.plots import training_curves

    rows = [json.loads(line) for line in log.read_text().splitlines() if line.strip()]
    path = run_dir / "curves.png"
    path.write_bytes(training_curves(rows))
    return path
