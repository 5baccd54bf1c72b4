"""The LoRA SFT loop: length-bucketed batches, completion-only loss, cosine schedule with warmup, gradient
accumulation, clipping, bf16 autocast (GPU, and CPUs with native bf16), validation with early stopping, exact resume."""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from interviewmate.training.batching import collate, make_batches, padding_efficiency, split_batch
from interviewmate.training.callbacks import H100_BF16_PEAK_FLOPS, Callback, Throughput
from interviewmate.training.checkpoints import (
    TrainState,
    list_checkpoints,
    load_checkpoint,
    prune_checkpoints,
    save_checkpoint,
)
from interviewmate.training.config import GeneratorTrainConfig
from interviewmate.training.memory import fix_mmap_threshold
from interviewmate.training.sft_data import IGNORE, TokenizedExample

MIN_IMPROVEMENT = 1e-4  # a validation loss must beat the best by this much to count
CPU_FORWARD_TOKENS = 1024  # default largest forward/backward pass on CPU (see GeneratorTrainConfig)


@dataclass
class RunResult:
    run_dir: Path
    adapter_dir: Path
    steps: int
    total_steps: int
    best_val_loss: float | None
    best_step: int | None
    final_train_loss: float | None
    final_val_loss: float | None
    stopped_early: bool
    interrupted: bool
    tokens_per_s: float
    samples_per_s: float
    padding_efficiency: float
    wall_s: float
    train_s: float  # time in optimizer steps only: no setup, validation or checkpoint writing
    precision: str  # what --precision resolved to on this machine: "bf16" or "fp32"

    def to_json(self) -> dict[str, Any]:
        out = dict(self.__dict__)
        out["run_dir"], out["adapter_dir"] = str(self.run_dir), str(self.adapter_dir)
        return out


def resolve_device(name: str) -> str:
    import torch

    if name == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    return name


def cpu_has_native_bf16() -> bool:
    """True on CPUs whose instructions multiply bf16 natively (AVX512-BF16 or AMX); elsewhere bf16 is emulated
    and slower than fp32."""
    import torch

    try:
        return bool(torch.cpu._is_avx512_bf16_supported() or torch.cpu._is_amx_tile_supported())
    except (AttributeError, RuntimeError):  # private helpers: absent from some builds
        return False


def autocast_dtype(precision: str, device: str) -> Any:
    """torch.bfloat16 where the run should autocast its matmuls to bf16, None for plain fp32."""
    import torch

    if precision == "fp32":
        return None
    if precision == "bf16":
        return torch.bfloat16
    if device.startswith("cuda"):
        with torch.cuda.device(device):  # the run's GPU; emulated bf16 (pre-Ampere) is slower than fp32
            return torch.bfloat16 if torch.cuda.is_bf16_supported(including_emulation=False) else None
    return torch.bfloat16 if device == "cpu" and cpu_has_native_bf16() else None


def autocast(device: str, dtype: Any) -> Any:
    """The autocast context for `autocast_dtype`'s answer (a no-op one for fp32)."""
    import torch

    return torch.autocast(device.split(":")[0], dtype=dtype, enabled=dtype is not None)


def attention_kernels(device: str) -> Any:
    """SDPA without the cuDNN backend on a GPU: cuDNN builds an execution graph for every new (batch, length)
    shape, ~2 ms of CPU per attention call, and length-bucketed batches bring a new shape almost every step (an
    H100 profile: 329 -> 248 ms a step without it). Flash / memory-efficient attention have no such set-up cost."""
    import contextlib

    if not device.startswith("cuda"):
        return contextlib.nullcontext()
    from torch.nn.attention import SDPBackend, sdpa_kernel

    return sdpa_kernel([SDPBackend.FLASH_ATTENTION, SDPBackend.EFFICIENT_ATTENTION, SDPBackend.MATH])


def attach_lora(model: Any, cfg: GeneratorTrainConfig) -> Any:
    from peft import LoraConfig, get_peft_model

    lora = LoraConfig(
        r=cfg.lora_r,
        lora_alpha=cfg.lora_alpha,
        lora_dropout=cfg.lora_dropout,
        target_modules=list(cfg.target_modules),
        task_type="CAUSAL_LM",
    )
    return get_peft_model(model, lora)


def _completion_tokens(labels: Any) -> int:
    return int((labels[:, 1:] != IGNORE).sum().item())


def evaluate_loss(
    model: Any,
    data: Sequence[TokenizedExample],
    pad_id: int,
    device: str,
    batch_tokens: int,
    *,
    amp_dtype: Any,
) -> float:
    """Mean completion-token cross-entropy over the whole set (the LM head runs at completion positions only)."""
    import torch

    from interviewmate.training.loss import causal_lm_parts, completion_loss_sum

    if not data:
        return float("nan")
    body, head = causal_lm_parts(model)
    model.eval()
    total, count = 0.0, 0
    lengths = [len(e.input_ids) for e in data]
    with torch.inference_mode():
        for batch_idx in make_batches(lengths, batch_tokens, seed=0, epoch=0):
            batch = {k: v.to(device) for k, v in collate([data[i] for i in batch_idx], pad_id).items()}
            with autocast(device, amp_dtype), attention_kernels(device):
                loss_sum, n = completion_loss_sum(body, head, batch)
            total += float(loss_sum)
            count += n
    model.train()
    return total / max(count, 1)


def train_lora_sft(
    model: Any,
    pad_id: int,
    train: Sequence[TokenizedExample],
    val: Sequence[TokenizedExample],
    cfg: GeneratorTrainConfig,
    callbacks: Sequence[Callback] = (),
) -> RunResult:
    import torch
    from transformers import get_cosine_schedule_with_warmup

    from interviewmate.training.loss import causal_lm_parts, completion_loss_sum

    started = time.perf_counter()
    device = resolve_device(cfg.device)
    amp_dtype = autocast_dtype(cfg.precision, device)
    run_dir = cfg.output_dir
    run_dir.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(cfg.seed)
    if device == "cpu":
        fix_mmap_threshold()  # activations in their own mappings: no heap fragments piling up between steps
    model = attach_lora(model, cfg).to(device)
    model.train()
    body, head = causal_lm_parts(model)
    if cfg.compile:
        body = torch.compile(body)  # the transformer body; the chunked LM head + loss stays eager
    forward_tokens = cfg.forward_tokens or (CPU_FORWARD_TOKENS if device == "cpu" else cfg.batch_tokens)
    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(params, lr=cfg.learning_rate, weight_decay=cfg.weight_decay)

    lengths = [len(e.input_ids) for e in train]
    micro_per_epoch = len(make_batches(lengths, cfg.batch_tokens, cfg.seed, 0))
    steps_per_epoch = max(1, math.ceil(micro_per_epoch / cfg.grad_accum))
    total_steps = max(1, math.ceil(cfg.epochs * steps_per_epoch))
    if cfg.max_steps:
        total_steps = min(total_steps, cfg.max_steps)
    scheduler = get_cosine_schedule_with_warmup(optimizer, int(cfg.warmup_ratio * total_steps), total_steps)

    state = TrainState()
    if cfg.resume:
        ckpts = list_checkpoints(run_dir)
        if ckpts:
            state = load_checkpoint(ckpts[-1], model, optimizer, scheduler)

    n_params = sum(p.numel() for p in model.parameters())
    meter = Throughput(n_params, H100_BF16_PEAK_FLOPS if device == "cuda" else None)
    for cb in callbacks:
        cb.on_start(total_steps, state)

    steps_this_run = 0
    last_train_loss: float | None = None
    last_val: float | None = None
    stopped_early = interrupted = False
    total_tps = total_sps = 0.0
    tps_n = 0
    effs = []
    loop_start = time.perf_counter()
    side_s = 0.0  # validation and checkpoint time, excluded from train_s
    while state.step < total_steps and not (stopped_early or interrupted):
        batches = make_batches(lengths, cfg.batch_tokens, cfg.seed, state.epoch)
        effs.append(padding_efficiency(batches, lengths))
        while state.batch_in_epoch < len(batches) and state.step < total_steps:
            group = batches[state.batch_in_epoch : state.batch_in_epoch + cfg.grad_accum]
            pieces = [piece for b in group for piece in split_batch(b, lengths, forward_tokens)]
            tensors = [collate([train[i] for i in piece], pad_id) for piece in pieces]
            step_tokens = sum(_completion_tokens(t["labels"]) for t in tensors)  # on the host: no device sync
            loss_sum = 0.0
            for t in tensors:
                batch = {k: v.to(device) for k, v in t.items()}
                with autocast(device, amp_dtype), attention_kernels(device):
                    micro_sum, _ = completion_loss_sum(body, head, batch)
                # the step's loss is the mean over all its completion tokens, as with one big batch
                (micro_sum / max(step_tokens, 1)).backward()
                loss_sum += float(micro_sum.detach()) / max(step_tokens, 1)
                meter.add(int(t["attention_mask"].sum()), len(t["input_ids"]))
            torch.nn.utils.clip_grad_norm_(params, cfg.clip_grad_norm)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad(set_to_none=True)
            state.step += 1
            state.batch_in_epoch += len(group)
            state.tokens_seen += sum(int(t["attention_mask"].sum()) for t in tensors)
            steps_this_run += 1
            last_train_loss = loss_sum
            speed = meter.read()
            total_tps += speed["tokens_per_s"]
            total_sps += speed["samples_per_s"]
            tps_n += 1
            row = {
                "step": state.step,
                "epoch": state.epoch,
                "train_loss": loss_sum,
                "lr": scheduler.get_last_lr()[0],
            }
            row.update(speed)
            for cb in callbacks:
                cb.on_step(row)

            side_start = time.perf_counter()
            if state.step % cfg.eval_every == 0 or state.step == total_steps:
                last_val = evaluate_loss(model, val, pad_id, device, cfg.batch_tokens, amp_dtype=amp_dtype)
                improved = state.best_val is None or last_val < state.best_val - MIN_IMPROVEMENT
                if improved:
                    state.best_val, state.best_step = last_val, state.step
                    state.evals_without_improvement = 0
                    _unwrap(model).save_pretrained(run_dir / "best_adapter")
                else:
                    state.evals_without_improvement += 1
                state.history.append({"step": state.step, "val_loss": last_val})
                for cb in callbacks:
                    cb.on_eval({"step": state.step, "val_loss": last_val, "is_best": float(improved)})
                if state.evals_without_improvement >= cfg.patience:
                    stopped_early = True
            if state.step % cfg.save_every == 0 or stopped_early or state.step == total_steps:
                save_checkpoint(run_dir, _unwrap(model), optimizer, scheduler, state)
                prune_checkpoints(run_dir, cfg.keep_best)
            side_s += time.perf_counter() - side_start
            if stopped_early:
                break
            if cfg.stop_after_steps and steps_this_run >= cfg.stop_after_steps:
                interrupted = True  # as if killed: whatever came after the last checkpoint is lost
                break
        else:
            state.epoch += 1
            state.batch_in_epoch = 0

    train_s = time.perf_counter() - loop_start - side_s
    adapter_dir = run_dir / "adapter"
    if not interrupted:
        source = run_dir / "best_adapter" if (run_dir / "best_adapter").exists() else None
        if source is not None:
            import shutil

            shutil.rmtree(adapter_dir, ignore_errors=True)
            shutil.copytree(source, adapter_dir)
        else:
            _unwrap(model).save_pretrained(adapter_dir)
    result = RunResult(
        run_dir=run_dir,
        adapter_dir=adapter_dir,
        steps=state.step,
        total_steps=total_steps,
        best_val_loss=state.best_val,
        best_step=state.best_step,
        final_train_loss=last_train_loss,
        final_val_loss=last_val,
        stopped_early=stopped_early,
        interrupted=interrupted,
        tokens_per_s=total_tps / max(tps_n, 1),
        samples_per_s=total_sps / max(tps_n, 1),
        padding_efficiency=sum(effs) / max(len(effs), 1),
        wall_s=time.perf_counter() - started,
        train_s=train_s,
        precision="fp32" if amp_dtype is None else "bf16",
    )
    for cb in callbacks:
        cb.on_end(result.to_json())
    return result


def _unwrap(model: Any) -> Any:
    return getattr(model, "_orig_mod", model)
