"""Training callbacks: Rich progress (loss, tokens/s, ETA), JSONL metrics, throughput/MFU, early stopping."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any, Protocol

H100_BF16_PEAK_FLOPS = 989e12  # dense bf16 tensor-core peak, the usual MFU denominator


class Callback(Protocol):
    def on_start(self, total_steps: int, state: Any) -> None: ...
    def on_step(self, metrics: dict[str, float]) -> None: ...
    def on_eval(self, metrics: dict[str, float]) -> None: ...
    def on_end(self, result: dict[str, Any]) -> None: ...


class JsonlLogger:
    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)

    def _write(self, row: dict[str, Any]) -> None:
        with self.path.open("a", encoding="utf-8") as fh:
            fh.write(json.dumps(row) + "\n")

    def on_start(self, total_steps: int, state: Any) -> None:
        pass

    def on_step(self, metrics: dict[str, float]) -> None:
        self._write(metrics)

    def on_eval(self, metrics: dict[str, float]) -> None:
        self._write(metrics)

    def on_end(self, result: dict[str, Any]) -> None:
        pass


class RichProgress:
    """One progress bar: step, loss, tokens/s and ETA; validation results printed above it."""

    def __init__(self) -> None:
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

        self.progress = Progress(
            TextColumn("[bold]train[/bold] step {task.completed}/{task.total}"),
            BarColumn(),
            TextColumn("loss {task.fields[loss]}  {task.fields[tps]} tok/s"),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
        )
        self.task: Any = None

    def on_start(self, total_steps: int, state: Any) -> None:
        self.progress.start()
        self.task = self.progress.add_task(
            "train", total=total_steps, completed=state.step, loss="-", tps="-"
        )

    def on_step(self, metrics: dict[str, float]) -> None:
        self.progress.update(
            self.task,
            completed=metrics["step"],
            loss=f"{metrics['train_loss']:.4f}",
            tps=f"{metrics['tokens_per_s']:.0f}",
        )

    def on_eval(self, metrics: dict[str, float]) -> None:
        self.progress.console.print(
            f"step {metrics['step']}: val_loss {metrics['val_loss']:.4f}"
            + (" (best)" if metrics.get("is_best") else "")
        )

    def on_end(self, result: dict[str, Any]) -> None:
        self.progress.stop()


class Throughput:
    """Tokens/s and samples/s over a window; model-FLOPs utilisation on GPU (4N FLOPs per token for LoRA:
    forward 2N plus activation gradients 2N; frozen weights get no weight gradients)."""

    def __init__(self, n_params: int, peak_flops: float | None) -> None:
        self.n_params = n_params
        self.peak = peak_flops
        self.t0 = time.perf_counter()
        self.tokens = 0
        self.samples = 0

    def add(self, tokens: int, samples: int) -> None:
        self.tokens += tokens
        self.samples += samples

    def read(self) -> dict[str, float]:
        dt = max(time.perf_counter() - self.t0, 1e-9)
        out = {"tokens_per_s": self.tokens / dt, "samples_per_s": self.samples / dt}
        if self.peak:
            out["mfu"] = 4 * self.n_params * out["tokens_per_s"] / self.peak
        self.t0, self.tokens, self.samples = time.perf_counter(), 0, 0
        return out


class StepProgress:
    """A Rich bar over optimizer steps showing the loss and ETA (the router's and retriever's loops), or nothing
    when disabled."""

    def __init__(self, label: str, enabled: bool, total: int) -> None:
        self.p: Any = None
        if enabled:
            from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

            self.p = Progress(
                TextColumn(f"{label} step {{task.completed}}/{{task.total}}"),
                BarColumn(),
                TextColumn("loss {task.fields[loss]}"),
                TimeRemainingColumn(),
            )
            self.p.start()
            self.task = self.p.add_task(label, total=total, loss="-")

    def advance(self, loss: float) -> None:
        if self.p:
            self.p.update(self.task, advance=1, loss=f"{loss:.3f}")

    def note(self, msg: str) -> None:
        if self.p:
            self.p.console.print(msg)

    def close(self) -> None:
        if self.p:
            self.p.stop()
