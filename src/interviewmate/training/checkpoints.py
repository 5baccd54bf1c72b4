"""Checkpoints that resume a run exactly: adapter, optimizer, scheduler, RNG states and data position."""

from __future__ import annotations

import json
import random
import shutil
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

PREFIX = "ckpt-"


@dataclass
class TrainState:
    step: int = 0  # optimizer steps done
    epoch: int = 0
    batch_in_epoch: int = 0  # micro-batches of `epoch` already consumed
    best_val: float | None = None
    best_step: int | None = None
    evals_without_improvement: int = 0
    tokens_seen: int = 0
    history: list[dict[str, float]] = field(default_factory=list)  # val losses by step


def save_checkpoint(run_dir: Path, model: Any, optimizer: Any, scheduler: Any, state: TrainState) -> Path:
    import torch

    path = run_dir / f"{PREFIX}{state.step:06d}"
    tmp = run_dir / f".{path.name}.partial"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    model.save_pretrained(tmp / "adapter")
    torch.save(optimizer.state_dict(), tmp / "optimizer.pt")
    torch.save(scheduler.state_dict(), tmp / "scheduler.pt")
    rng = {
        "torch": torch.get_rng_state(),
        "cuda": torch.cuda.get_rng_state_all() if torch.cuda.is_available() else None,
        "numpy": np.random.get_state(),
        "python": random.getstate(),
    }
    torch.save(rng, tmp / "rng.pt")
    (tmp / "state.json").write_text(json.dumps(asdict(state), indent=1))
    shutil.rmtree(path, ignore_errors=True)
    tmp.rename(path)
    return path


def list_checkpoints(run_dir: Path) -> list[Path]:
    return sorted(p for p in run_dir.glob(f"{PREFIX}*") if (p / "state.json").exists())


def load_checkpoint(path: Path, model: Any, optimizer: Any, scheduler: Any) -> TrainState:
    import torch
    from peft import set_peft_model_state_dict
    from safetensors.torch import load_file

    weights = load_file(str(path / "adapter" / "adapter_model.safetensors"))
    set_peft_model_state_dict(model, weights)
    optimizer.load_state_dict(torch.load(path / "optimizer.pt", weights_only=False))
    scheduler.load_state_dict(torch.load(path / "scheduler.pt", weights_only=False))
    rng = torch.load(path / "rng.pt", weights_only=False)
    torch.set_rng_state(rng["torch"])
    if rng["cuda"] is not None and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(rng["cuda"])
    np.random.set_state(rng["numpy"])
    random.setstate(rng["python"])
    return TrainState(**json.loads((path / "state.json").read_text()))


def prune_checkpoints(run_dir: Path, keep_best: int) -> None:
    """Keep the K checkpoints with the lowest validation loss and the latest one."""
    ckpts = list_checkpoints(run_dir)
    if len(ckpts) <= keep_best + 1:
        return
    latest = ckpts[-1]

    def val_of(p: Path) -> float:
        state = json.loads((p / "state.json").read_text())
        hist = [h["val_loss"] for h in state.get("history", []) if h.get("step") == state["step"]]
        return hist[0] if hist else float("inf")

    best = set(sorted(ckpts, key=val_of)[:keep_best])
    for p in ckpts:
        if p != latest and p not in best:
            shutil.rmtree(p, ignore_errors=True)
