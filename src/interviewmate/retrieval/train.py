"""train_retriever(cfg, model) -> RetrieverRunResult: LoRA-tune the packaged MiniLM for question -> bullet search.

Loss: sentence-transformers' MultipleNegativesRankingLoss (InfoNCE, cosine similarity x 20) over
(query, positive bullet, one same-resume hard negative) triplets, with every other bullet in the batch as an
extra negative. Batches never hold the same text twice (a bullet that is one pair's positive and another's
negative would otherwise be pushed away from its own query). The epoch with the best validation MRR@10
(queries ranking the bullets of their own resume) is kept.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from interviewmate.data import CORPUS_DIR
from interviewmate.errors import DataError
from interviewmate.retrieval.examples import RetrievalSplit, load_split
from interviewmate.retrieval.model import ADAPTER_SUBDIR, SentenceModelEmbedder
from interviewmate.retrieval.query import DEFAULT_QUERY_FORM, QUERY_FORMS, QueryForm
from interviewmate.training.callbacks import StepProgress


class RetrieverTrainConfig(BaseModel):
    output_dir: Path = Path("runs/retriever")
    """Run folder (--output-dir); the adapter is saved in output_dir/retriever."""

    query_form: QueryForm = DEFAULT_QUERY_FORM
    """How a (question, JD) pair becomes the query text (--query-form)."""

    epochs: int = Field(default=4, ge=1)
    """Passes over the training split (--epochs); the best epoch on validation is kept."""

    learning_rate: float = Field(default=5e-4, gt=0)
    """Peak learning rate for the LoRA weights (--lr), linear warm-up over 10% of steps then linear decay."""

    batch_size: int = Field(default=32, ge=2)
    """Triplets per step (--batch-size); more triplets = more in-batch negatives."""

    lora_r: int = Field(default=16, ge=1)
    """LoRA rank on the encoder's query/key/value/dense projections."""

    scale: float = Field(default=20.0, gt=0)
    """MultipleNegativesRankingLoss scale (1 / temperature)."""

    seed: int = 13
    """Seed for LoRA initialisation, batch order and hard-negative choice (--seed)."""


@dataclass
class RetrieverRunResult:
    retriever_dir: str
    query_form: str
    epochs_run: int
    best_epoch: int
    best_val_mrr10: float
    best_val_hit1: float
    base_val_mrr10: float
    train_examples: int
    steps: int
    wall_s: float


def no_duplicate_batches(
    rows: Sequence[Sequence[str]], batch_size: int, rng: random.Random
) -> list[list[int]]:
    """Shuffled batches of row indices in which no text occurs twice (across all columns of all rows)."""
    pending = list(range(len(rows)))
    rng.shuffle(pending)
    batches: list[list[int]] = []
    while pending:
        batch: list[int] = []
        seen: set[str] = set()
        rest: list[int] = []
        for i in pending:
            texts = set(rows[i])
            if len(batch) < batch_size and len(texts) == len(rows[i]) and not texts & seen:
                batch.append(i)
                seen |= texts
            else:
                rest.append(i)
        if not batch:  # a row that repeats a text within itself can never be batched: drop it
            break
        batches.append(batch)
        pending = rest
    return batches


def triplets(split: RetrievalSplit, form: QueryForm, rng: random.Random) -> list[tuple[str, str, str]]:
    """(query, positive bullet, one hard negative drawn at random) for every example."""
    return [
        (
            e.query(form),
            split.text(e.resume_id, e.positive_id),
            split.text(e.resume_id, rng.choice(e.negative_ids)),
        )
        for e in split.examples
    ]


def validation_score(model: Any, val: RetrievalSplit, form: QueryForm) -> tuple[float, float]:
    """(MRR@10, hit@1) on the validation pairs, each query ranking its own resume's bullets."""
    from interviewmate.retrieval.evaluate import evaluate_embedder

    model.eval()
    result = evaluate_embedder(SentenceModelEmbedder(model, "training"), val, form)
    return result.metrics["mrr@10"], result.metrics["hit@1"]


def train_retriever(
    cfg: RetrieverTrainConfig,
    model: Any,
    corpus_dir: Path = CORPUS_DIR,
    progress: bool = True,
    encoder_source: str = "all-minilm-l6-v2",
) -> RetrieverRunResult:
    """Adds a LoRA to `model` (a sentence-transformers model whose first module is a Transformer), trains it and
    saves the best epoch's adapter to cfg.output_dir/retriever."""
    import torch
    from peft import LoraConfig, get_peft_model
    from sentence_transformers.sentence_transformer.losses import MultipleNegativesRankingLoss

    started = time.perf_counter()
    torch.manual_seed(cfg.seed)
    rng = random.Random(cfg.seed)
    train, val = load_split(corpus_dir, "train"), load_split(corpus_dir, "val")
    if not train.examples:
        raise DataError("no retrieval pairs in the train split: run `interviewmate data build`")
    val = val if val.examples else train  # a tiny corpus may have no val split
    base_mrr, _ = validation_score(model, val, cfg.query_form)

    module = model[0]
    lora = LoraConfig(
        r=cfg.lora_r,
        lora_alpha=2 * cfg.lora_r,
        lora_dropout=0.1,
        target_modules=["query", "key", "value", "dense"],
    )
    module.model = get_peft_model(module.model, lora)
    loss_fn = MultipleNegativesRankingLoss(model, scale=cfg.scale)
    params = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(params, lr=cfg.learning_rate, weight_decay=0.01)
    steps_per_epoch = len(
        no_duplicate_batches(
            triplets(train, cfg.query_form, random.Random(0)), cfg.batch_size, random.Random(0)
        )
    )
    total = cfg.epochs * steps_per_epoch
    warmup = max(1, total // 10)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / warmup, max(0.0, (total - s) / max(1, total - warmup)))
    )
    cfg.output_dir.mkdir(parents=True, exist_ok=True)
    log = cfg.output_dir / "metrics.jsonl"
    log.unlink(missing_ok=True)
    bar = StepProgress("retriever", progress, total)
    best: tuple[float, float, int] = (base_mrr, 0.0, 0)
    best_state: dict[str, Any] | None = None
    step = 0
    for epoch in range(1, cfg.epochs + 1):
        rows = triplets(train, cfg.query_form, rng)
        model.train()
        for batch in no_duplicate_batches(rows, cfg.batch_size, rng):
            columns = [[rows[i][c] for i in batch] for c in range(3)]
            features = [_to(model.preprocess(col), model.device) for col in columns]
            loss = loss_fn(features, torch.zeros(len(batch), device=model.device))
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            opt.step()
            sched.step()
            step += 1
            bar.advance(float(loss.detach()))
            with log.open("a") as fh:
                fh.write(
                    json.dumps({"step": step, "epoch": epoch, "train_loss": float(loss.detach())}) + "\n"
                )
        mrr, hit1 = validation_score(model, val, cfg.query_form)
        with log.open("a") as fh:
            fh.write(json.dumps({"step": step, "epoch": epoch, "val_mrr10": mrr, "val_hit1": hit1}) + "\n")
        bar.note(f"epoch {epoch}: val MRR@10 {mrr:.3f}, hit@1 {hit1:.3f} (base MRR@10 {base_mrr:.3f})")
        if best_state is None or mrr > best[0] + 1e-4:
            best = (mrr, hit1, epoch)
            best_state = {k: v.detach().clone() for k, v in module.model.state_dict().items() if "lora_" in k}
    bar.close()
    assert best_state is not None
    module.model.load_state_dict(best_state, strict=False)
    retriever_dir = cfg.output_dir / "retriever"
    module.model.save_pretrained(str(retriever_dir / ADAPTER_SUBDIR))
    result = RetrieverRunResult(
        str(retriever_dir),
        cfg.query_form,
        cfg.epochs,
        best[2],
        best[0],
        best[1],
        base_mrr,
        len(train.examples),
        step,
        time.perf_counter() - started,
    )
    meta = {"encoder": encoder_source, "config": cfg.model_dump(mode="json"), "result": asdict(result)}
    (retriever_dir / "retriever.json").write_text(json.dumps(meta, indent=1))
    (cfg.output_dir / "result.json").write_text(json.dumps(asdict(result), indent=1))
    return result


def _to(features: dict[str, Any], device: Any) -> dict[str, Any]:
    return {k: v.to(device) if hasattr(v, "to") else v for k, v in features.items()}


def ablate_query_forms(
    cfg: RetrieverTrainConfig,
    new_model: Callable[[], Any],
    corpus_dir: Path = CORPUS_DIR,
    progress: bool = True,
    forms: Sequence[QueryForm] = QUERY_FORMS,
) -> dict[str, Any]:
    """One run per query form (same settings, fresh base model each) into output_dir/<form>; the best form is
    the one with the highest validation MRR@10. Writes output_dir/ablation.json."""
    runs: dict[str, Any] = {}
    for form in forms:
        sub = cfg.model_copy(
            update={"query_form": form, "output_dir": cfg.output_dir / form.replace("+", "_")}
        )
        runs[form] = asdict(train_retriever(sub, new_model(), corpus_dir, progress))
    best = max(forms, key=lambda f: (runs[f]["best_val_mrr10"], -forms.index(f)))
    summary = {"best_form": best, "runs": runs}
    cfg.output_dir.mkdir(parents=True, exist_ok=True)
    (cfg.output_dir / "ablation.json").write_text(json.dumps(summary, indent=1))
    return summary
