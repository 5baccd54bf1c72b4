"""train_router(cfg) -> RouterRunResult: LoRA-tune the packaged MiniLM with two heads on the router requests."""

from __future__ import annotations

import json
import random
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, cast

from pydantic import BaseModel, Field

from interviewmate.data import CORPUS_DIR
from interviewmate.data.io import load_corpus
from interviewmate.data.pipeline import SPLITS_FILE, read_splits
from interviewmate.data.schema import RouterRequest
from interviewmate.routing.model import (
    DIFFICULTIES,
    MAX_TOKENS,
    TYPES,
    build_router_module,
    router_text,
    save_router,
)
from interviewmate.training.callbacks import StepProgress


class RouterTrainConfig(BaseModel):
    output_dir: Path = Path("runs/router")
    """Run folder (--output-dir); the router is saved in output_dir/router."""

    epochs: int = Field(default=15, ge=1)
    """Most passes over the training split (--epochs); early stopping usually ends sooner."""

    learning_rate: float = Field(default=1e-3, gt=0)
    """Learning rate for the LoRA weights and heads (--lr)."""

    batch_size: int = Field(default=32, ge=1)
    """Requests per step (--batch-size)."""

    lora_r: int = Field(default=8, ge=1)
    """LoRA rank on the encoder's attention and feed-forward projections (--lora-r)."""

    patience: int = Field(default=3, ge=1)
    """Epochs without a better validation macro-F1 before stopping (--patience)."""

    seed: int = 13
    """Seed for data order and initialisation (--seed)."""


@dataclass
class RouterRunResult:
    router_dir: str
    epochs_run: int
    best_epoch: int
    best_val_macro_f1_type: float
    best_val_macro_f1_difficulty: float
    train_examples: int
    wall_s: float


def split_requests(corpus_dir: Path, split: str) -> list[RouterRequest]:
    loaded = load_corpus(corpus_dir)
    ids = set(read_splits(corpus_dir / SPLITS_FILE).ids("router_requests.jsonl", split))
    items = cast(list[RouterRequest], loaded.items["router_requests.jsonl"])
    return sorted((r for r in items if r.id in ids), key=lambda r: r.id)


def _macro_f1(y: list[int], p: list[int], k: int) -> float:
    f1s = []
    for c in range(k):
        tp = sum(1 for a, b in zip(y, p, strict=True) if a == b == c)
        fp = sum(1 for a, b in zip(y, p, strict=True) if b == c and a != c)
        fn = sum(1 for a, b in zip(y, p, strict=True) if a == c and b != c)
        f1s.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return sum(f1s) / k


def train_router(
    cfg: RouterTrainConfig,
    encoder: Any,
    tokenizer: Any,
    corpus_dir: Path = CORPUS_DIR,
    progress: bool = True,
    encoder_source: str = "all-minilm-l6-v2",
) -> RouterRunResult:
    import torch
    from peft import LoraConfig, get_peft_model

    started = time.perf_counter()
    torch.manual_seed(cfg.seed)
    train, val = split_requests(corpus_dir, "train"), split_requests(corpus_dir, "val")
    if not train:
        from interviewmate.errors import DataError

        raise DataError("no router requests in the train split: run `interviewmate data build`")
    val = val or train  # a tiny corpus may have no val split; early stopping then watches the train fit

    def encode(items: list[RouterRequest]) -> tuple[Any, Any, Any, Any]:
        enc = tokenizer(
            [router_text(r.role, r.text) for r in items],
            padding=True,
            truncation=True,
            max_length=MAX_TOKENS,
            return_tensors="pt",
        )
        yt = torch.tensor([TYPES.index(r.interview_type) for r in items])
        yd = torch.tensor([DIFFICULTIES.index(r.difficulty) for r in items])
        return enc["input_ids"], enc["attention_mask"], yt, yd

    lora = LoraConfig(
        r=cfg.lora_r,
        lora_alpha=2 * cfg.lora_r,
        lora_dropout=0.1,
        target_modules=["query", "key", "value", "dense"],
    )
    module = build_router_module(get_peft_model(encoder, lora))
    params = [p for p in module.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(params, lr=cfg.learning_rate, weight_decay=0.01)
    ids, mask, yt, yd = encode(train)
    vids, vmask, vyt, vyd = encode(val)
    loss_fn = torch.nn.CrossEntropyLoss()
    order = list(range(len(train)))
    rng = random.Random(cfg.seed)
    steps_per_epoch = (len(order) + cfg.batch_size - 1) // cfg.batch_size
    best: tuple[float, int, float, float] | None = None
    best_state: dict[str, Any] = {}
    bad = 0
    log = cfg.output_dir / "metrics.jsonl"
    cfg.output_dir.mkdir(parents=True, exist_ok=True)
    log.unlink(missing_ok=True)
    bar = StepProgress("router", progress, cfg.epochs * steps_per_epoch)
    epoch = 0
    step = 0
    for epoch in range(1, cfg.epochs + 1):
        module.train()
        rng.shuffle(order)
        for start in range(0, len(order), cfg.batch_size):
            b = torch.tensor(order[start : start + cfg.batch_size])
            lt, ld = module(ids[b], mask[b])
            loss = loss_fn(lt, yt[b]) + loss_fn(ld, yd[b])
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            opt.step()
            step += 1
            bar.advance(float(loss.detach()))
            with log.open("a") as fh:
                fh.write(json.dumps({"step": step, "train_loss": float(loss.detach())}) + "\n")
        module.eval()
        with torch.inference_mode():
            vt, vd = module(vids, vmask)
            val_loss = float(loss_fn(vt, vyt) + loss_fn(vd, vyd))
        f1_t = _macro_f1(vyt.tolist(), vt.argmax(-1).tolist(), len(TYPES))
        f1_d = _macro_f1(vyd.tolist(), vd.argmax(-1).tolist(), len(DIFFICULTIES))
        score = (f1_t + f1_d) / 2
        with log.open("a") as fh:
            fh.write(
                json.dumps(
                    {
                        "step": step,
                        "epoch": epoch,
                        "val_loss": val_loss,
                        "val_f1_type": f1_t,
                        "val_f1_difficulty": f1_d,
                    }
                )
                + "\n"
            )
        bar.note(f"epoch {epoch}: val macro-F1 type {f1_t:.3f}, difficulty {f1_d:.3f}")
        if best is None or score > best[0] + 1e-4:
            best, bad = (score, epoch, f1_t, f1_d), 0
            best_state = {k: v.detach().clone() for k, v in module.state_dict().items()}
        else:
            bad += 1
            if bad >= cfg.patience:
                break
    bar.close()
    assert best is not None
    module.load_state_dict(best_state)
    router_dir = cfg.output_dir / "router"
    save_router(
        module, Path(), router_dir, {"encoder": encoder_source, "config": cfg.model_dump(mode="json")}
    )
    result = RouterRunResult(
        str(router_dir), epoch, best[1], best[2], best[3], len(train), time.perf_counter() - started
    )
    (cfg.output_dir / "result.json").write_text(json.dumps(asdict(result), indent=1))
    return result
