"""`interviewmate train ...`: options -> config -> one entry function -> a summary."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console


def register(app: typer.Typer, console: Console) -> None:
    @app.command("generator")
    def generator(
        base_model: Annotated[
            str, typer.Option(help="Registry name of the base LLM.")
        ] = "smollm2-135m-instruct",
        output_dir: Annotated[Path, typer.Option(help="Run folder.")] = Path("runs/generator"),
        lora_r: Annotated[int, typer.Option(help="LoRA rank.")] = 16,
        lora_alpha: Annotated[int, typer.Option(help="LoRA alpha (scale = alpha / r).")] = 32,
        lora_dropout: Annotated[float, typer.Option(help="LoRA dropout.")] = 0.0,
        target_modules: Annotated[
            str, typer.Option(help="Comma-separated projections (default: all attention and MLP).")
        ] = "q_proj,k_proj,v_proj,o_proj,gate_proj,up_proj,down_proj",
        lr: Annotated[float, typer.Option(help="Peak learning rate.")] = 2e-4,
        warmup: Annotated[float, typer.Option(help="Warmup share of steps.")] = 0.05,
        epochs: Annotated[float, typer.Option(help="Passes over the training split.")] = 3.0,
        max_steps: Annotated[int | None, typer.Option(help="Cap on optimizer steps.")] = None,
        batch_tokens: Annotated[int, typer.Option(help="Tokens per micro-batch (padding included).")] = 4096,
        forward_tokens: Annotated[
            int | None,
            typer.Option(
                help="Largest forward pass in tokens (default: 1024 on CPU, the micro-batch on GPU)."
            ),
        ] = None,
        grad_accum: Annotated[int, typer.Option(help="Micro-batches per optimizer step.")] = 1,
        max_length: Annotated[int, typer.Option(help="Longest example in tokens.")] = 512,
        eval_every: Annotated[int, typer.Option(help="Validate every N steps.")] = 50,
        save_every: Annotated[int, typer.Option(help="Checkpoint every N steps.")] = 50,
        keep_best: Annotated[int, typer.Option(help="Best checkpoints to keep.")] = 2,
        patience: Annotated[int, typer.Option(help="Validations without improvement before stopping.")] = 3,
        seed: Annotated[int, typer.Option(help="Random seed.")] = 13,
        device: Annotated[str, typer.Option(help="auto, cpu or cuda.")] = "auto",
        precision: Annotated[
            str,
            typer.Option(
                help="auto, bf16 or fp32 matmuls; auto = bf16 on GPUs and on CPUs with native bf16 (AVX512-BF16/AMX)."
            ),
        ] = "auto",
        compile_model: Annotated[bool, typer.Option("--compile", help="torch.compile (GPU).")] = False,
        limit: Annotated[int | None, typer.Option(help="Use only N training examples (smoke runs).")] = None,
        resume: Annotated[
            bool, typer.Option(help="Continue from the latest checkpoint in --output-dir.")
        ] = False,
        search: Annotated[bool, typer.Option(help="Hyper-parameter search instead of one run.")] = False,
        trials: Annotated[
            int, typer.Option(help="With --search: number of random trials (0 = full grid).")
        ] = 6,
        corpus: Annotated[
            Path | None, typer.Option(help="Corpus folder (default: the packaged corpus).")
        ] = None,
        search_val_items: Annotated[
            int, typer.Option(help="With --search: val questions answered per trial.")
        ] = 48,
    ) -> None:
        """Fine-tune the question/answer generator with LoRA on the corpus (Rich progress, checkpoints, resume)."""
        from pydantic import ValidationError

        from interviewmate.config import Settings
        from interviewmate.data import CORPUS_DIR
        from interviewmate.errors import flag_errors
        from interviewmate.training.config import GeneratorTrainConfig

        try:
            cfg = GeneratorTrainConfig(
                base_model=base_model,
                output_dir=output_dir,
                lora_r=lora_r,
                lora_alpha=lora_alpha,
                lora_dropout=lora_dropout,
                target_modules=tuple(t.strip() for t in target_modules.split(",") if t.strip()),
                learning_rate=lr,
                warmup_ratio=warmup,
                epochs=epochs,
                max_steps=max_steps,
                batch_tokens=batch_tokens,
                forward_tokens=forward_tokens,
                grad_accum=grad_accum,
                max_length=max_length,
                eval_every=eval_every,
                save_every=save_every,
                keep_best=keep_best,
                patience=patience,
                seed=seed,
                device=device,
                precision=precision,  # type: ignore[arg-type]  # pydantic checks the value
                compile=compile_model,
                max_train_examples=limit,
                resume=resume,
            )
        except ValidationError as exc:
            raise flag_errors(
                exc, {"learning_rate": "--lr", "warmup_ratio": "--warmup", "max_train_examples": "--limit"}
            ) from None
        settings = Settings()
        settings.ensure_dirs()
        if search:
            from interviewmate.training.hpsearch import search_generator

            table = search_generator(
                cfg,
                settings.model_cache_dir,
                trials=trials,
                n_val_items=search_val_items,
                console=console,
                corpus_dir=corpus or CORPUS_DIR,
            )
            console.print(f"[green]search done[/green]: {table}")
            return
        from interviewmate.training.generator import train_generator

        result = train_generator(cfg, settings.model_cache_dir, corpus_dir=corpus or CORPUS_DIR)
        console.print(json.dumps(result.to_json(), indent=1))
        if result.interrupted:
            console.print("[yellow]stopped before the end; continue with --resume[/yellow]")

    @app.command("router")
    def router(
        output_dir: Annotated[
            Path, typer.Option(help="Run folder; the router lands in OUTPUT_DIR/router.")
        ] = Path("runs/router"),
        epochs: Annotated[int, typer.Option(help="Most epochs; early stopping usually ends sooner.")] = 15,
        lr: Annotated[float, typer.Option(help="Learning rate (LoRA and heads).")] = 1e-3,
        batch_size: Annotated[int, typer.Option(help="Requests per step.")] = 32,
        lora_r: Annotated[int, typer.Option(help="LoRA rank on the encoder.")] = 8,
        patience: Annotated[int, typer.Option(help="Epochs without improvement before stopping.")] = 3,
        seed: Annotated[int, typer.Option(help="Random seed.")] = 13,
        evaluate: Annotated[
            bool, typer.Option(help="Evaluate on the test split against the baselines.")
        ] = True,
    ) -> None:
        """Fine-tune the router (MiniLM + LoRA, two heads) on the corpus's router requests."""
        from transformers import AutoModel, AutoTokenizer

        from interviewmate.config import Settings
        from interviewmate.models.embedder import SentenceEmbedder
        from interviewmate.models.loaders import embedding_model_dir
        from interviewmate.models.registry import offline_env
        from interviewmate.routing.evaluate import evaluate_router
        from interviewmate.routing.service import load_default_router
        from interviewmate.routing.train import RouterTrainConfig, train_router

        offline_env()
        settings = Settings()
        settings.ensure_dirs()
        folder = embedding_model_dir(settings.embedding_model, settings.model_cache_dir)
        cfg = RouterTrainConfig(
            output_dir=output_dir,
            epochs=epochs,
            learning_rate=lr,
            batch_size=batch_size,
            lora_r=lora_r,
            patience=patience,
            seed=seed,
        )
        result = train_router(
            cfg, AutoModel.from_pretrained(str(folder)), AutoTokenizer.from_pretrained(str(folder))
        )
        console.print(json.dumps(result.__dict__, indent=1))
        if evaluate:
            summary = evaluate_router(
                load_default_router(Path(result.router_dir)),
                SentenceEmbedder(settings.embedding_model, settings.model_cache_dir),
                output_dir,
            )
            console.print(json.dumps(summary, indent=1))
