"""`interviewmate data ...`: parse options, call the pipeline, render the result."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from interviewmate.data import CORPUS_DIR

CorpusOpt = Annotated[Path, typer.Option("--corpus", help="Corpus folder (default: the packaged corpus).")]
FastOpt = Annotated[
    bool, typer.Option("--fast", help="Skip the embedding checks (key-point support, near-duplicates).")
]


def _embedder():  # type: ignore[no-untyped-def]
    from interviewmate.config import Settings
    from interviewmate.models.embedder import SentenceEmbedder

    settings = Settings()
    return SentenceEmbedder(settings.embedding_model, settings.model_cache_dir)


def register(app: typer.Typer, console: Console) -> None:
    def print_report(report, as_json: bool) -> None:  # type: ignore[no-untyped-def]
        if as_json:
            print(
                json.dumps(
                    {
                        "ok": report.ok,
                        "counts": report.counts,
                        "errors": [str(e) for e in report.errors],
                        "warnings": [str(w) for w in report.warnings],
                        "whitelisted": [
                            {"a": p.a, "b": p.b, "similarity": p.similarity, "reason": r}
                            for p, r in report.whitelisted
                        ],
                    },
                    indent=2,
                )
            )
            return
        for e in report.errors[:200]:
            console.print(f"[red]error[/red] {e}", highlight=False)
        if len(report.errors) > 200:
            console.print(f"... and {len(report.errors) - 200} more errors")
        for w in report.warnings[:20]:
            console.print(f"[yellow]warning[/yellow] {w}", highlight=False)
        if len(report.warnings) > 20:
            console.print(f"... and {len(report.warnings) - 20} more warnings")
        counts = ", ".join(f"{k}: {v}" for k, v in report.counts.items())
        verdict = "[green]valid[/green]" if report.ok else f"[red]{len(report.errors)} errors[/red]"
        console.print(f"{verdict} ({counts}; {len(report.warnings)} warnings)")

    @app.command("validate")
    def validate(
        corpus: CorpusOpt = CORPUS_DIR,
        fast: FastOpt = False,
        as_json: Annotated[bool, typer.Option("--json")] = False,
    ) -> None:
        """Check schemas, references, bounds, key-point support and duplicates; errors name file:line."""
        from interviewmate.data.validate import validate_corpus

        with console.status("validating", spinner="dots") as status:
            embedder = None if fast else _embedder()
            report = validate_corpus(corpus, embedder, progress=lambda m: status.update(m))
        print_report(report, as_json)
        raise typer.Exit(0 if report.ok else 1)

    @app.command("build")
    def build(
        corpus: CorpusOpt = CORPUS_DIR,
        seed: Annotated[
            int, typer.Option(help="Split seed; the same seed gives the same splits.")
        ] = 20261122,
        out: Annotated[
            Path | None, typer.Option(help="Where to write splits.json (default: in the corpus).")
        ] = None,
    ) -> None:
        """Validate, then write deterministic stratified 70/15/15 splits (nothing is written on errors)."""
        from interviewmate.data.pipeline import build_corpus

        with console.status("building", spinner="dots") as status:
            result = build_corpus(corpus, _embedder(), seed, out, progress=lambda m: status.update(m))
        if result.written is None:
            print_report(result.report, as_json=False)
            console.print("[red]nothing written[/red]")
            raise typer.Exit(1)
        assert result.splits is not None
        sizes = {
            f: {s: len(result.splits.ids(f, s)) for s in ("train", "val", "test")}
            for f in result.splits.assignment
        }
        for f, s in sizes.items():
            console.print(f"{f}: train {s['train']}, val {s['val']}, test {s['test']}")
        console.print(f"[green]wrote[/green] {result.written}")

    @app.command("stats")
    def stats(
        corpus: CorpusOpt = CORPUS_DIR,
        card: Annotated[Path, typer.Option(help="Dataset card to update.")] = Path("docs/dataset_card.md"),
        plots: Annotated[Path, typer.Option(help="Folder for the PNG plots.")] = Path("docs/img"),
        fast: FastOpt = False,
    ) -> None:
        """Counts, length and token-length distributions, vocabulary, topics, diversity -> the dataset card."""
        from interviewmate.config import Settings
        from interviewmate.data.pipeline import write_stats
        from interviewmate.models.loaders import load_llm_tokenizer

        settings = Settings()
        with console.status("computing corpus statistics", spinner="dots"):
            embedder = None if fast else _embedder()
            tokenizer = None if fast else load_llm_tokenizer(settings.llm_model, settings.model_cache_dir)
            path = write_stats(corpus, card, plots, embedder, tokenizer)
        console.print(f"[green]updated[/green] {path} and plots in {plots}")
