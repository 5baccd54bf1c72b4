"""Configuration of a generator fine-tuning run. Every field says what it does; errors name the CLI flag."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, field_validator

ALL_PROJECTIONS = ("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj")


class GeneratorTrainConfig(BaseModel):
    base_model: str = "smollm2-135m-instruct"
    """Registry name of the base LLM (--base-model)."""

    output_dir: Path = Path("runs/generator")
    """Run folder: checkpoints, metrics.jsonl, curves.png, the final adapter (--output-dir)."""

    lora_r: int = Field(default=16, ge=1, le=256)
    """LoRA rank (--lora-r): capacity of the update; 8-32 is plenty for a 135M model."""

    lora_alpha: int = Field(default=32, ge=1)
    """LoRA alpha (--lora-alpha): update scale is alpha / r."""

    lora_dropout: float = Field(default=0.0, ge=0.0, lt=1.0)
    """LoRA dropout (--lora-dropout): 0 keeps torch.compile's fusion; 0.05 regularises small data."""

    target_modules: tuple[str, ...] = ALL_PROJECTIONS
    """Projections that get LoRA (--target-modules): default all attention and MLP projections."""

    learning_rate: float = Field(default=2e-4, gt=0)
    """Peak learning rate after warmup (--lr)."""

    warmup_ratio: float = Field(default=0.05, ge=0.0, lt=1.0)
    """Share of optimizer steps spent warming up linearly (--warmup)."""

    weight_decay: float = Field(default=0.0, ge=0.0)
    """AdamW weight decay on the LoRA weights (--weight-decay)."""

    epochs: float = Field(default=3.0, gt=0)
    """Passes over the training data (--epochs); early stopping may end sooner."""

    max_steps: int | None = Field(default=None, ge=1)
    """Hard cap on optimizer steps (--max-steps); overrides epochs when smaller."""

    batch_tokens: int = Field(default=4096, ge=64)
    """Tokens per micro-batch incl. padding (--batch-tokens): batches are built by length, so a batch of short
    examples holds more of them. Bigger is faster on GPU until memory runs out."""

    forward_tokens: int | None = Field(default=None, ge=64)
    """Largest forward/backward pass in tokens incl. padding (--forward-tokens): a micro-batch above it runs as
    several passes whose gradients add up to the same step. Caps activation memory. Default: 1024 on CPU (where
    a 4,096-token pass would keep ~6 GB of activations), the whole micro-batch on GPU."""

    grad_accum: int = Field(default=1, ge=1)
    """Micro-batches per optimizer step (--grad-accum)."""

    max_length: int = Field(default=512, ge=16)
    """Longest example in tokens (--max-length); longer ones are dropped and counted in the log."""

    clip_grad_norm: float = 1.0
    """Gradient clipping (max L2 norm)."""

    eval_every: int = Field(default=50, ge=1)
    """Validate every N optimizer steps (--eval-every)."""

    save_every: int = Field(default=50, ge=1)
    """Checkpoint every N optimizer steps (--save-every)."""

    keep_best: int = Field(default=2, ge=1)
    """Keep the best K checkpoints by validation loss, plus the latest (--keep-best)."""

    patience: int = Field(default=3, ge=1)
    """Stop after this many validations without improvement (--patience)."""

    seed: int = 13
    """Seed for data order, LoRA init and dropout (--seed)."""

    device: str = "auto"
    """auto, cpu or cuda (--device)."""

    precision: Literal["auto", "bf16", "fp32"] = "auto"
    """Matmul precision of training and validation (--precision): bf16 autocast keeps the weights, optimizer state, norms and the loss in
    fp32 and runs the matmuls in bf16. auto = bf16 on a GPU that supports it and on a CPU with native bf16
    instructions (AVX512-BF16 or AMX, about twice the fp32 matmul speed), fp32 elsewhere. The run's result.json
    records what it resolved to."""

    compile: bool = False  # faster after warm-up on GPU; the first steps pay minutes of compilation
    """torch.compile the model (--compile)."""

    max_train_examples: int | None = None
    """Use only the first N training examples after shuffling (--limit), for smoke runs."""

    resume: bool = False
    """Continue from the latest checkpoint in output_dir (--resume)."""

    stop_after_steps: int | None = None
    """Stop (as if killed) after N optimizer steps of this invocation; for tests of --resume."""

    @field_validator("target_modules")
    @classmethod
    def _known_modules(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        unknown = set(v) - set(ALL_PROJECTIONS)
        if unknown:
            raise ValueError(
                f"--target-modules: unknown {sorted(unknown)}; choose from {', '.join(ALL_PROJECTIONS)}"
            )
        return v
