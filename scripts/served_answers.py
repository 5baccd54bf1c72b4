"""Task (b) answers from the model the coach actually serves (the configured backend: by default llama.cpp with
the tuned adapter merged into the packaged GGUF), written as `interviewmate eval generation` input files.

  python scripts/served_answers.py --split test --out runs/served [--limit N] [--repetition-penalty 1.1]
  INTERVIEWMATE_USE_TUNED_ADAPTER=false python scripts/served_answers.py ... --name base   # the plain base model

Writes OUT/<name>.jsonl ({"id", "text"} per question, greedy decoding) plus references.jsonl and questions.jsonl.
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

from rich.progress import Progress

from interviewmate.coaching.prompts import answer_messages
from interviewmate.config import Settings
from interviewmate.data import CORPUS_DIR
from interviewmate.domain import GenerationParams
from interviewmate.models.backends.base import make_backend
from interviewmate.training.sft_data import load_split_items


def _write(path: Path, rows: dict[str, str]) -> None:
    path.write_text(
        "".join(json.dumps({"id": k, "text": v}) + "\n" for k, v in rows.items()), encoding="utf-8"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", default="test", choices=["train", "val", "test"])
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--name", default="tuned", help="predictions file name (without .jsonl)")
    ap.add_argument("--limit", type=int, default=None, help="first N questions by id")
    ap.add_argument("--repetition-penalty", type=float, default=1.0)
    ap.add_argument("--max-tokens", type=int, default=320)
    args = ap.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")

    items, _ = load_split_items(CORPUS_DIR, args.split)
    items = sorted(items, key=lambda q: q.id)[: args.limit]
    args.out.mkdir(parents=True, exist_ok=True)
    _write(args.out / "references.jsonl", {q.id: q.reference_answer for q in items})
    _write(args.out / "questions.jsonl", {q.id: q.question for q in items})
    params = GenerationParams(max_tokens=args.max_tokens, repetition_penalty=args.repetition_penalty)
    backend = make_backend(Settings())
    answers: dict[str, str] = {}
    try:
        with Progress() as progress:
            task = progress.add_task(f"{args.name} ({backend.name})", total=len(items))
            for q in items:
                answers[q.id] = backend.generate(answer_messages(q.question), params).strip()
                progress.advance(task)
    finally:
        backend.close()
    _write(args.out / f"{args.name}.jsonl", answers)
    print(f"wrote {len(answers)} answers to {args.out / (args.name + '.jsonl')}")


if __name__ == "__main__":
    main()
