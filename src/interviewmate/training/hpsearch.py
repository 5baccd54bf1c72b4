"""Grid or random search over lr, LoRA rank/alpha/dropout and warmup; primary metric: validation ROUGE-L on
task (b), the answers. Writes search.jsonl, search.md (a table) and search.png under the base output dir."""

from __future__ import annotations

import itertools
import json
import random
from pathlib import Path
from typing import Any

from interviewmate.coaching.prompts import answer_messages
from interviewmate.data import CORPUS_DIR
from interviewmate.training.config import GeneratorTrainConfig
from interviewmate.training.sft_data import load_split_items

SPACE: dict[str, list[Any]] = {
    "learning_rate": [1e-4, 2e-4, 5e-4],
    "lora_r": [8, 16],  # r=32 on all projections is ~40 MB in fp32: too big to ship in git
    "alpha_over_r": [1, 2],
    "lora_dropout": [0.0, 0.05],
    "warmup_ratio": [0.03, 0.1],
}


def trials_from_space(trials: int, seed: int) -> list[dict[str, Any]]:
    grid = [dict(zip(SPACE, values, strict=True)) for values in itertools.product(*SPACE.values())]
    if trials <= 0 or trials >= len(grid):
        return grid
    return random.Random(seed).sample(grid, trials)


def validation_rouge_l(
    adapter_dir: Path,
    cfg: GeneratorTrainConfig,
    cache_dir: Path,
    corpus_dir: Path,
    n_items: int,
    model: Any = None,
    tokenizer: Any = None,
    max_new_tokens: int = 256,
) -> float:
    from peft import PeftModel

    from interviewmate.evaluation.text_metrics import rouge
    from interviewmate.models.batch_generate import batch_generate
    from interviewmate.training.generator import load_base
    from interviewmate.training.loop import resolve_device

    device = resolve_device(cfg.device)
    if model is None or tokenizer is None:
        model, tokenizer = load_base(cfg, cache_dir)
    tuned = PeftModel.from_pretrained(model, str(adapter_dir)).to(device)
    val, _ = load_split_items(corpus_dir, "val")
    val = sorted(val, key=lambda q: q.id)[:n_items]
    preds = batch_generate(
        tuned, tokenizer, [answer_messages(q.question) for q in val], max_new_tokens, device=device
    )
    scores = rouge(preds, [q.reference_answer for q in val])["rougeL"]
    return sum(scores) / max(len(scores), 1)


def search_generator(
    base: GeneratorTrainConfig,
    cache_dir: Path,
    trials: int = 6,
    corpus_dir: Path = CORPUS_DIR,
    n_val_items: int = 48,
    console: Any = None,
    model_factory: Any = None,
    max_new_tokens: int = 256,
) -> Path:
    """Run each trial as a full training run; score it by val ROUGE-L; write the table and plot."""
    from interviewmate.training.generator import train_generator

    root = base.output_dir
    root.mkdir(parents=True, exist_ok=True)
    rows = []
    for k, params in enumerate(trials_from_space(trials, base.seed)):
        cfg = base.model_copy(
            update={
                "output_dir": root / f"trial-{k:02d}",
                "learning_rate": params["learning_rate"],
                "lora_r": params["lora_r"],
                "lora_alpha": params["lora_r"] * params["alpha_over_r"],
                "lora_dropout": params["lora_dropout"],
                "warmup_ratio": params["warmup_ratio"],
            }
        )
        model, tok = model_factory() if model_factory else (None, None)
        result = train_generator(cfg, cache_dir, model, tok, corpus_dir, progress=console is not None)
        base_model, base_tok = model_factory() if model_factory else (None, None)
        score = validation_rouge_l(
            result.adapter_dir, cfg, cache_dir, corpus_dir, n_val_items, base_model, base_tok, max_new_tokens
        )
        row = {
            "trial": k,
            **params,
            "lora_alpha": cfg.lora_alpha,
            "val_loss": result.best_val_loss,
            "val_rougeL": score,
            "steps": result.steps,
            "wall_s": round(result.wall_s, 1),
        }
        rows.append(row)
        with (root / "search.jsonl").open("a") as fh:
            fh.write(json.dumps(row) + "\n")
        if console is not None:
            console.print(f"trial {k}: {params} -> val ROUGE-L {score:.4f}, val loss {result.best_val_loss}")
    rows.sort(key=lambda r: -r["val_rougeL"])
    header = [
        "trial",
        "learning_rate",
        "lora_r",
        "lora_alpha",
        "lora_dropout",
        "warmup_ratio",
        "val_loss",
        "val_rougeL",
    ]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += [
        "| " + " | ".join(f"{r[h]:.4f}" if isinstance(r[h], float) else str(r[h]) for h in header) + " |"
        for r in rows
    ]
    (root / "search.md").write_text("\n".join(lines) + "\n")
    _plot(rows, root / "search.png")
    best = rows[0]
    import shutil

    shutil.rmtree(root / "adapter", ignore_errors=True)
    shutil.copytree(root / f"trial-{best['trial']:02d}" / "adapter", root / "adapter")
    (root / "best.json").write_text(json.dumps(best, indent=1))
    return root / "search.md"


def _plot(rows: list[dict[str, Any]], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4))
    labels = [f"t{r['trial']} lr{r['learning_rate']:.0e} r{r['lora_r']}" for r in rows]
    ax.barh(labels, [r["val_rougeL"] for r in rows], color="#4c72b0")
    ax.invert_yaxis()
    ax.set_xlabel("validation ROUGE-L (answers)")
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)
