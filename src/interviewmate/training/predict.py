"""Answer predictions (task b) of the base model and a tuned adapter on a corpus split, as eval input files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from interviewmate.coaching.prompts import answer_messages
from interviewmate.data import CORPUS_DIR
from interviewmate.training.sft_data import load_split_items


def _write(path: Path, rows: dict[str, str]) -> None:
    path.write_text(
        "".join(json.dumps({"id": k, "text": v}) + "\n" for k, v in rows.items()), encoding="utf-8"
    )


def predict_split(
    model: Any,
    tokenizer: Any,
    out_dir: Path,
    adapter_dir: Path | None,
    split: str = "test",
    corpus_dir: Path = CORPUS_DIR,
    limit: int | None = None,
    device: str = "cpu",
    max_new_tokens: int = 320,
    batch_size: int = 32,
    repetition_penalty: float = 1.0,
) -> dict[str, Path]:
    """Writes references.jsonl, questions.jsonl, base.jsonl and (with an adapter) tuned.jsonl in out_dir."""
    from interviewmate.models.batch_generate import batch_generate

    items, _ = load_split_items(corpus_dir, split)
    items = sorted(items, key=lambda q: q.id)[:limit]
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {"references": out_dir / "references.jsonl", "questions": out_dir / "questions.jsonl"}
    _write(paths["references"], {q.id: q.reference_answer for q in items})
    _write(paths["questions"], {q.id: q.question for q in items})
    prompts = [answer_messages(q.question) for q in items]
    model = model.to(device)
    base = batch_generate(
        model, tokenizer, prompts, max_new_tokens, batch_size, device, repetition_penalty=repetition_penalty
    )
    paths["base"] = out_dir / "base.jsonl"
    _write(paths["base"], {q.id: t for q, t in zip(items, base, strict=True)})
    if adapter_dir is not None:
        from peft import PeftModel

        tuned_model = PeftModel.from_pretrained(model, str(adapter_dir)).to(device)
        tuned = batch_generate(
            tuned_model,
            tokenizer,
            prompts,
            max_new_tokens,
            batch_size,
            device,
            repetition_penalty=repetition_penalty,
        )
        paths["tuned"] = out_dir / "tuned.jsonl"
        _write(paths["tuned"], {q.id: t for q, t in zip(items, tuned, strict=True)})
    return paths
