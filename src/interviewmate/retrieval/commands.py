"""`interviewmate retrieve`, `interviewmate train retriever` and `interviewmate eval retriever`: options -> one
service call -> a summary."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

from interviewmate.retrieval.query import DEFAULT_QUERY_FORM, QUERY_FORMS

FORMS_HELP = f"Query text: {', '.join(QUERY_FORMS)}."


def _form(value: str) -> Any:
    from interviewmate.errors import ConfigError

    if value not in QUERY_FORMS:
        raise ConfigError(f"--query-form must be one of {', '.join(QUERY_FORMS)}, not {value!r}")
    return value


def _encoder_dir(encoder_dir: Path | None) -> Path:
    from interviewmate.config import Settings
    from interviewmate.models.loaders import embedding_model_dir

    if encoder_dir is not None:
        return encoder_dir
    settings = Settings()
    return embedding_model_dir(settings.embedding_model, settings.model_cache_dir)


def _device(device: str) -> str:
    from interviewmate.training.loop import resolve_device

    return resolve_device(device)


EncoderOpt = Annotated[
    Path | None,
    typer.Option(help="sentence-transformers folder to start from (default: the packaged MiniLM)."),
]
DeviceOpt = Annotated[str, typer.Option(help="auto, cpu or cuda.")]
CorpusOpt = Annotated[Path | None, typer.Option(help="Corpus folder (default: the packaged corpus).")]


def register_train(app: typer.Typer, console: Console) -> None:
    @app.command("retriever")
    def retriever(
        query_form: Annotated[str, typer.Option(help=FORMS_HELP)] = DEFAULT_QUERY_FORM,
        epochs: Annotated[int, typer.Option(help="Epochs; the best one on validation is kept.")] = 4,
        lr: Annotated[float, typer.Option(help="Peak learning rate (LoRA).")] = 5e-4,
        batch_size: Annotated[int, typer.Option(help="Triplets per step.")] = 32,
        lora_r: Annotated[int, typer.Option(help="LoRA rank.")] = 16,
        seed: Annotated[int, typer.Option(help="Random seed.")] = 13,
        ablate: Annotated[
            bool, typer.Option(help="Train one adapter per query form and report which wins on validation.")
        ] = False,
        output_dir: Annotated[
            Path, typer.Option(help="Run folder; the adapter lands in OUTPUT_DIR/retriever.")
        ] = Path("runs/retriever"),
        encoder_dir: EncoderOpt = None,
        device: DeviceOpt = "auto",
        corpus: CorpusOpt = None,
    ) -> None:
        """Fine-tune the bullet retriever (MiniLM + LoRA, MultipleNegativesRankingLoss, same-resume hard negatives)."""
        from pydantic import ValidationError

        from interviewmate.data import CORPUS_DIR
        from interviewmate.errors import flag_errors
        from interviewmate.retrieval.model import load_sentence_model
        from interviewmate.retrieval.train import RetrieverTrainConfig, ablate_query_forms, train_retriever

        try:
            cfg = RetrieverTrainConfig(
                output_dir=output_dir,
                query_form=_form(query_form),
                epochs=epochs,
                learning_rate=lr,
                batch_size=batch_size,
                lora_r=lora_r,
                seed=seed,
            )
        except ValidationError as exc:
            raise flag_errors(exc, {"learning_rate": "--lr"}) from None
        folder, dev = _encoder_dir(encoder_dir), _device(device)
        if ablate:
            summary = ablate_query_forms(cfg, lambda: load_sentence_model(folder, dev), corpus or CORPUS_DIR)
            for form, run in summary["runs"].items():
                console.print(
                    f"{form:22s} val MRR@10 {run['best_val_mrr10']:.3f} hit@1 {run['best_val_hit1']:.3f} "
                    f"(base MRR@10 {run['base_val_mrr10']:.3f}, best epoch {run['best_epoch']})"
                )
            console.print(f"[green]best query form on validation[/green]: {summary['best_form']}")
            return
        result = train_retriever(cfg, load_sentence_model(folder, dev), corpus or CORPUS_DIR)
        console.print(json.dumps(result.__dict__, indent=1))


def register_eval(app: typer.Typer, console: Console) -> None:
    @app.command("retriever")
    def retriever(
        adapter_dir: Annotated[
            Path | None, typer.Option(help="Tuned retriever folder (default: the shipped one).")
        ] = None,
        query_form: Annotated[str, typer.Option(help=FORMS_HELP)] = DEFAULT_QUERY_FORM,
        split: Annotated[str, typer.Option(help="Split to evaluate: test or val.")] = "test",
        output_dir: Annotated[Path, typer.Option(help="Where retriever_eval.json goes.")] = Path(
            "runs/retriever-eval"
        ),
        plot: Annotated[
            Path, typer.Option(help="Where the t-SNE plot of queries and positives (base vs tuned) goes.")
        ] = Path("docs/img/retriever_tsne.png"),
        tsne: Annotated[bool, typer.Option(help="Draw the t-SNE plot.")] = True,
        ablation: Annotated[
            bool, typer.Option(help="Also compare the query forms on val and the split.")
        ] = True,
        encoder_dir: EncoderOpt = None,
        device: DeviceOpt = "cpu",
        corpus: CorpusOpt = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print the summary JSON.")] = False,
    ) -> None:
        """Base vs tuned retriever on held-out pairs: Hit@k, MRR@10, nDCG@10, paired tests, ablation, t-SNE."""
        from interviewmate.data import CORPUS_DIR
        from interviewmate.retrieval.evaluate import REPORTED, evaluate_retriever
        from interviewmate.retrieval.model import (
            PACKAGED_RETRIEVER,
            MemoEmbedder,
            SentenceModelEmbedder,
            load_sentence_model,
            merge_adapter,
        )

        folder, dev = _encoder_dir(encoder_dir), _device(device)
        adapter = adapter_dir or PACKAGED_RETRIEVER
        from interviewmate.errors import ModelUnavailableError
        from interviewmate.retrieval.model import has_adapter

        if not has_adapter(adapter):
            raise ModelUnavailableError(
                f"no tuned retriever at {adapter}: run `interviewmate train retriever`"
            )
        base = MemoEmbedder(SentenceModelEmbedder(load_sentence_model(folder, dev), "base"))
        tuned = MemoEmbedder(
            SentenceModelEmbedder(merge_adapter(load_sentence_model(folder, dev), adapter), "tuned")
        )
        summary = evaluate_retriever(
            base,
            tuned,
            output_dir,
            corpus or CORPUS_DIR,
            form=_form(query_form),
            split=split,
            ablation_splits=("val", split) if ablation and split != "val" else (("val",) if ablation else ()),
            plot_path=plot if tsne else None,
        )
        if as_json:
            print(json.dumps(summary, indent=1))
            return
        for setting in ("own_resume", "pooled"):
            console.print(f"[bold]{setting}[/bold] ({split}, n={summary['n']}, query form {query_form})")
            for name in ("base", "tuned"):
                row = summary[setting][name]
                console.print(f"  {name:5s} " + "  ".join(f"{k} {row[k]:.3f}" for k in REPORTED))
            if "base_question_only" in summary[setting]:
                row = summary[setting]["base_question_only"]
                console.print("  base (question only) " + "  ".join(f"{k} {row[k]:.3f}" for k in REPORTED))
            for key in ("tuned_vs_base", "tuned_vs_base_question_only"):
                for metric, d in summary[setting].get(key, {}).items():
                    console.print(
                        f"  {key} {metric}: {d['mean_diff']:+.3f} (95% CI {d['ci95'][0]:+.3f}..{d['ci95'][1]:+.3f}, "
                        f"paired t p={d['p_ttest']:.2g}, Wilcoxon p={d['p_wilcoxon']:.2g})"
                    )
        console.print(f"written: {output_dir / 'retriever_eval.json'}")


def _settings():  # type: ignore[no-untyped-def]
    from interviewmate.config import Settings

    return Settings()


def register(app: typer.Typer, console: Console) -> None:
    @app.command("retrieve")
    def retrieve_cmd(
        resume: Annotated[Path, typer.Option(help="Resume file (.pdf, .docx, .txt, .md).")],
        jd: Annotated[Path, typer.Option(help="Job description file (plain text).")],
        question: Annotated[str, typer.Option(help="The interview question.")],
        k: Annotated[int, typer.Option(help="How many bullets.", min=1, max=50)] = 5,
        model: Annotated[
            str | None,
            typer.Option(help="base or tuned (default: tuned, or base with a note when it is not packaged)."),
        ] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    ) -> None:
        """The resume bullets that best answer a question for this job, best first."""
        from interviewmate.errors import ConfigError, DataError
        from interviewmate.resume import parse_resume
        from interviewmate.retrieval.model import RetrieverName
        from interviewmate.retrieval.service import choose_retriever, retrieve

        if model not in (None, "base", "tuned"):
            raise ConfigError(f"--model must be base or tuned (got {model!r})")
        if not question.strip():
            raise DataError("--question is empty: give the interview question to find evidence for")
        parsed = parse_resume(resume)
        if not parsed.bullets:
            raise DataError(f"{resume.name}: no bullets were found in the resume")
        try:
            jd_text = jd.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise DataError(f"cannot read {jd}: {exc}") from None
        which: RetrieverName | None = None if model is None else ("base" if model == "base" else "tuned")
        choice = choose_retriever(_settings(), which)
        hits = retrieve(question, jd_text, parsed.bullets, choice.embedder, k)
        for note in choice.notes:  # stderr: with --json, stdout holds only the JSON
            typer.echo(note, err=True)
        if as_json:
            rows = [{"text": h.text, "section": h.section, "score": round(h.score, 4)} for h in hits]
            print(json.dumps({"bullets": rows}, indent=2))
            return
        console.print(f"[dim]retriever: {choice.which} ({choice.embedder.name})[/dim]")
        for h in hits:
            console.print(
                f"{escape(f'[{h.number}]')} {h.score:.3f}  {escape(h.text)}  [dim]({escape(h.section)})[/dim]",
                highlight=False,
            )
