"""`interviewmate eval ...`: parse options, call the evaluation services, render JSON/HTML/tables."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console


def register(app: typer.Typer, console: Console) -> None:
    @app.command("generation")
    def generation(
        predictions: Annotated[Path, typer.Option(help='JSON Lines {"id", "text"}: the system under test.')],
        references: Annotated[Path, typer.Option(help='JSON Lines {"id", "text"}: the reference answers.')],
        baseline: Annotated[Path | None, typer.Option(help="Optional baseline outputs, same ids.")] = None,
        questions: Annotated[
            Path | None, typer.Option(help="Optional questions, same ids (off-topic check).")
        ] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
        html_out: Annotated[
            Path | None, typer.Option("--html", help="Also write an HTML report here.")
        ] = None,
        resamples: Annotated[
            int, typer.Option(help="Bootstrap resamples for the 95% CI.", min=100, max=100_000)
        ] = 10_000,
    ) -> None:
        """ROUGE-1/2/L/Lsum, BLEU, METEOR, exact match, semantic similarity; significance vs a baseline; errors."""
        from interviewmate.config import Settings
        from interviewmate.evaluation.generation import evaluate_generation
        from interviewmate.evaluation.io import match_ids, read_texts
        from interviewmate.models.embedder import SentenceEmbedder

        refs = read_texts(references)
        preds = read_texts(predictions)
        ids = match_ids(preds, refs)
        base = read_texts(baseline) if baseline else None
        if base is not None:
            match_ids(base, refs, what="baseline")
        qs = read_texts(questions) if questions else None
        if qs is not None:
            match_ids(qs, refs, what="questions")
        settings = Settings()
        settings.ensure_dirs()
        with console.status(f"scoring {len(ids)} items", spinner="dots"):
            report = evaluate_generation(
                ids,
                [preds[i] for i in ids],
                [refs[i] for i in ids],
                SentenceEmbedder(settings.embedding_model, settings.model_cache_dir),
                settings.model_cache_dir,
                baseline=[base[i] for i in ids] if base else None,
                questions=[qs[i] for i in ids] if qs else None,
                resamples=resamples,
            )
        data = report.to_json()
        if html_out is not None:
            import tempfile

            from interviewmate.evaluation.report import render_run_dir

            with tempfile.TemporaryDirectory() as tmp:
                (Path(tmp) / "eval_generation.json").write_text(json.dumps(data))
                html_out.write_text(render_run_dir(Path(tmp)), encoding="utf-8")
        if as_json:
            print(json.dumps(data, indent=2))
            return
        from rich.table import Table

        table = Table(title=f"generation metrics (n = {report.n})")
        for col in ("metric", "system", "baseline", "diff [95% CI]", "p (t / W)"):
            table.add_column(col)
        for m, v in report.metrics.items():
            b = report.baseline_metrics[m] if report.baseline_metrics else None
            s = report.significance.get(m)
            table.add_row(
                m,
                f"{v:.4f}",
                f"{b:.4f}" if b is not None else "-",
                f"{s.mean_diff:+.4f} [{s.ci95[0]:+.4f}, {s.ci95[1]:+.4f}]" if s else "-",
                f"{s.p_ttest:.3g} / {s.p_wilcoxon:.3g}" if s else "-",
            )
        console.print(table)
        if report.errors:
            shares = ", ".join(f"{k} {v:.0%}" for k, v in report.errors.shares.items() if v)
            console.print(f"errors: {shares or 'none found'}")
        if html_out:
            console.print(f"[green]wrote[/green] {html_out}")

    @app.command("report")
    def report(
        run_dir: Annotated[Path, typer.Argument(help="A training or evaluation run directory.")],
        out: Annotated[Path | None, typer.Option(help="HTML file (default: RUN_DIR/report.html).")] = None,
    ) -> None:
        """Turn a run directory into one HTML page with PNG plots."""
        from interviewmate.evaluation.report import render_run_dir

        target = out or run_dir / "report.html"
        target.write_text(render_run_dir(run_dir), encoding="utf-8")
        console.print(f"[green]wrote[/green] {target}")
