"""The generator's training job on a tiny random-init Llama and a small corpus cut, on CPU, in seconds."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from interviewmate.data.pipeline import build_corpus
from interviewmate.models.embedder import HashingEmbedder
from interviewmate.training.batching import make_batches, padding_efficiency
from interviewmate.training.checkpoints import list_checkpoints
from interviewmate.training.config import GeneratorTrainConfig
from interviewmate.training.generator import train_generator
from interviewmate.training.sft_data import IGNORE, build_examples, load_split_items, tokenize_example
from tests.conftest import build_tiny_llama, build_tiny_tokenizer


@pytest.fixture
def split_corpus(tiny_corpus: Path) -> Path:
    result = build_corpus(tiny_corpus, HashingEmbedder())
    assert result.written is not None, [str(e) for e in result.report.errors]
    return tiny_corpus


def _cfg(tmp_path: Path, **over: Any) -> GeneratorTrainConfig:
    base: dict[str, Any] = {
        "output_dir": tmp_path / "run",
        "lora_r": 4,
        "lora_alpha": 8,
        "max_steps": 6,
        "eval_every": 2,
        "save_every": 2,
        "batch_tokens": 512,
        "learning_rate": 5e-3,
        "device": "cpu",
        "patience": 10,
    }
    base.update(over)
    return GeneratorTrainConfig(**base)


def _train(cfg: GeneratorTrainConfig, corpus: Path) -> Any:
    tok = build_tiny_tokenizer()
    return train_generator(cfg, cfg.output_dir, build_tiny_llama(len(tok)), tok, corpus, progress=False)


def test_examples_mask_the_prompt_and_cover_both_tasks(split_corpus: Path) -> None:
    questions, jds = load_split_items(split_corpus, "train")
    examples = build_examples(questions, jds, seed=1)
    tasks = {e.task for e in examples}
    assert tasks == {"answer", "questions"}
    assert sum(e.task == "answer" for e in examples) == len(questions)
    assert all(1 <= e.completion.count("\n") + 1 <= 5 for e in examples if e.task == "questions")
    tok = build_tiny_tokenizer()
    t = tokenize_example(tok, examples[0])
    first = next(i for i, label in enumerate(t.labels) if label != IGNORE)
    assert first > 5 and all(label == IGNORE for label in t.labels[:first])
    assert t.labels[first:] == t.input_ids[first:]
    assert t.input_ids[-1] == tok.convert_tokens_to_ids("<|im_end|>"), "the end-of-turn token is learned"


@pytest.mark.parametrize("seed", [0, 1])
def test_length_bucketing_wastes_little_padding(seed: int) -> None:
    import random

    rng = random.Random(seed)
    lengths = [rng.randint(60, 320) for _ in range(800)]
    batches = make_batches(lengths, batch_tokens=4096, seed=seed, epoch=0)
    assert sorted(i for b in batches for i in b) == list(range(800))
    assert padding_efficiency(batches, lengths) > 0.9
    assert batches == make_batches(lengths, 4096, seed, 0) and batches != make_batches(lengths, 4096, seed, 1)
    assert all(len(b) * max(lengths[i] for i in b) <= 4096 for b in batches)


def test_training_learns_logs_and_checkpoints(split_corpus: Path, tmp_path: Path) -> None:
    cfg = _cfg(tmp_path, max_steps=8, keep_best=1)
    result = _train(cfg, split_corpus)
    rows = [json.loads(line) for line in (cfg.output_dir / "metrics.jsonl").read_text().splitlines()]
    train_losses = [r["train_loss"] for r in rows if "train_loss" in r]
    assert len(train_losses) == 8 and train_losses[-1] < train_losses[0]
    assert all(r["tokens_per_s"] > 0 for r in rows if "tokens_per_s" in r)
    assert result.best_val_loss is not None and result.steps == 8
    assert (result.adapter_dir / "adapter_model.safetensors").exists()
    assert (cfg.output_dir / "curves.png").stat().st_size > 1000
    assert len(list_checkpoints(cfg.output_dir)) <= 2, "best K=1 plus the latest"
    lrs = [r["lr"] for r in rows if "lr" in r]
    assert lrs[-1] < max(lrs), "cosine decay"


def test_resume_after_a_kill_reaches_the_same_loss(split_corpus: Path, tmp_path: Path) -> None:
    unbroken = _train(_cfg(tmp_path / "a", lora_dropout=0.1), split_corpus)
    killed_cfg = _cfg(tmp_path / "b", lora_dropout=0.1, stop_after_steps=3)
    killed = _train(killed_cfg, split_corpus)
    assert killed.interrupted and killed.steps == 3
    assert [p.name for p in list_checkpoints(killed_cfg.output_dir)] == ["ckpt-000002"]
    resumed = _train(killed_cfg.model_copy(update={"stop_after_steps": None, "resume": True}), split_corpus)
    assert resumed.steps == unbroken.steps == 6
    assert resumed.final_train_loss == pytest.approx(unbroken.final_train_loss, abs=1e-6)
    assert resumed.final_val_loss == pytest.approx(unbroken.final_val_loss, abs=1e-6)


def test_bf16_autocast_on_cpu_trains_like_fp32(split_corpus: Path, tmp_path: Path) -> None:
    fp32 = _train(_cfg(tmp_path / "fp32", precision="fp32"), split_corpus)
    bf16 = _train(_cfg(tmp_path / "bf16", precision="bf16"), split_corpus)
    assert fp32.final_train_loss is not None and bf16.final_train_loss is not None
    assert bf16.final_train_loss == pytest.approx(fp32.final_train_loss, rel=0.03)
    assert bf16.final_val_loss == pytest.approx(fp32.final_val_loss, rel=0.03)
    assert bf16.final_train_loss != fp32.final_train_loss, "the bf16 run really ran in bf16"
    assert (fp32.precision, bf16.precision) == ("fp32", "bf16")
    recorded = json.loads((tmp_path / "bf16" / "run" / "result.json").read_text())
    assert recorded["precision"] == "bf16", "result.json says what --precision resolved to"
    from safetensors.torch import load_file

    weights = load_file(str(bf16.adapter_dir / "adapter_model.safetensors"))
    assert weights and {str(w.dtype) for w in weights.values()} == {"torch.float32"}, "LoRA weights stay fp32"


@pytest.mark.parametrize(("native", "expected"), [(True, "torch.bfloat16"), (False, "None")])
def test_auto_precision_uses_bf16_only_where_the_hardware_has_it(
    monkeypatch: pytest.MonkeyPatch, native: bool, expected: str
) -> None:
    from interviewmate.training import loop

    monkeypatch.setattr(loop, "cpu_has_native_bf16", lambda: native)
    assert str(loop.autocast_dtype("auto", "cpu")) == expected
    assert loop.autocast_dtype("fp32", "cpu") is None
    assert str(loop.autocast_dtype("bf16", "cpu")) == "torch.bfloat16"
    with pytest.raises(ValueError, match="precision"):
        GeneratorTrainConfig(precision="fp16")  # type: ignore[arg-type]


def test_early_stopping_when_validation_stalls(split_corpus: Path, tmp_path: Path) -> None:
    cfg = _cfg(tmp_path, learning_rate=1e-12, max_steps=40, eval_every=1, patience=2, warmup_ratio=0.0)
    result = _train(cfg, split_corpus)
    assert result.stopped_early and result.steps == 3  # best at step 1, two stalls after it


def test_unknown_target_module_names_the_flag() -> None:
    with pytest.raises(ValueError, match="--target-modules"):
        GeneratorTrainConfig(target_modules=("q_proj", "qkv"))


def test_search_ranks_trials_by_validation_rouge_l(split_corpus: Path, tmp_path: Path) -> None:
    from interviewmate.training.hpsearch import search_generator, trials_from_space

    assert len(trials_from_space(0, seed=1)) == 48 and len(trials_from_space(3, seed=1)) == 3
    tok = build_tiny_tokenizer()
    cfg = _cfg(tmp_path / "search", max_steps=2, eval_every=1)
    table = search_generator(
        cfg,
        tmp_path,
        trials=2,
        corpus_dir=split_corpus,
        n_val_items=3,
        model_factory=lambda: (build_tiny_llama(len(tok)), tok),
        max_new_tokens=8,
    )
    rows = [json.loads(line) for line in (cfg.output_dir / "search.jsonl").read_text().splitlines()]
    assert len(rows) == 2 and all(0.0 <= r["val_rougeL"] <= 1.0 for r in rows)
    assert "val_rougeL" in table.read_text() and (cfg.output_dir / "search.png").exists()
    best = json.loads((cfg.output_dir / "best.json").read_text())
    assert best["val_rougeL"] == max(r["val_rougeL"] for r in rows)
    assert (cfg.output_dir / "adapter" / "adapter_config.json").exists()


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--precision", "fp16"], "--precision: Input should be 'auto', 'bf16' or 'fp32'"),
        (["--lr", "0"], "--lr: Input should be greater than 0"),
        (
            ["--lora-r", "0", "--target-modules", "qkv"],
            "--lora-r: Input should be greater than or equal to 1",
        ),
    ],
)
def test_bad_training_flags_are_named_in_the_error(args: list[str], expected: str) -> None:
    from typer.testing import CliRunner

    from interviewmate.cli import app
    from interviewmate.errors import ConfigError

    result = CliRunner().invoke(app, ["train", "generator", *args])
    # the CLI's entry point prints a ConfigError as one "error: ..." line with exit code 2 (tests/test_cli.py)
    assert isinstance(result.exception, ConfigError), result.output
    assert expected in str(result.exception)
