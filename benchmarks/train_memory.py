"""Peak resident memory of CPU training of the default generator (the packaged SmolLM2-135M, default config).

Runs `train_generator` for a few optimizer steps in this process and reports ru_maxrss, the loss and the speed.
Target (issue #9): peak RSS < 4 GB.

    python benchmarks/train_memory.py [--steps 4] [--examples 96] --write
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import peak_rss_mb, write_section


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--steps", type=int, default=4)
    p.add_argument("--examples", type=int, default=96)
    p.add_argument("--write", action="store_true")
    args = p.parse_args()

    import torch

    from interviewmate.config import Settings
    from interviewmate.training.config import GeneratorTrainConfig
    from interviewmate.training.generator import train_generator

    settings = Settings()
    settings.ensure_dirs()
    with tempfile.TemporaryDirectory() as tmp:
        cfg = GeneratorTrainConfig(
            output_dir=Path(tmp),
            max_steps=args.steps,
            device="cpu",
            max_train_examples=args.examples,
            eval_every=10**6,
            save_every=10**6,
        )
        t = time.perf_counter()
        result = train_generator(cfg, settings.model_cache_dir, progress=False)
        wall = time.perf_counter() - t
    peak = peak_rss_mb()
    row = {
        "threads": torch.get_num_threads(),
        "steps": result.steps,
        "train_s": round(result.train_s, 1),
        "wall_s": round(wall, 1),
        "tokens_per_s": round(result.tokens_per_s, 1),
        "final_train_loss": result.final_train_loss,
        "final_val_loss": result.final_val_loss,
        "peak_rss_mb": round(peak),
    }
    print(json.dumps(row))
    body = (
        "| steps | examples | batch tokens | forward tokens | train s | tokens/s | train loss | val loss | peak RSS MB |\n"
        "|---|---|---|---|---|---|---|---|---|\n"
        f"| {result.steps} | {args.examples} | {cfg.batch_tokens} | {cfg.forward_tokens or 1024} | "
        f"{result.train_s:.1f} | {result.tokens_per_s:.0f} | {result.final_train_loss:.5f} | "
        f"{result.final_val_loss:.5f} | **{peak:.0f}** |\n\n"
        f"Packaged SmolLM2-135M (float copy of the GGUF), default LoRA config, CPU, {row['threads']} threads. "
        f"Target peak RSS < 4096 MB: {'met' if peak < 4096 else 'NOT met'}. Before the completion-only chunked "
        "loss (commit 27d3e08) the same run peaked at 12,341 MB (measured with the same call from a scratch script)."
    )
    if args.write:
        write_section(
            "Training memory (CPU)",
            f"python benchmarks/train_memory.py --steps {args.steps} --examples {args.examples} --write",
            body,
        )


if __name__ == "__main__":
    main()
