"""`interviewmate prep-guide PATH`: parse options, build the guide, write Markdown/HTML."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console


def register(app: typer.Typer, console: Console) -> None:
    @app.command("prep-guide")
    def prep_guide(
        path: Annotated[
            Path, typer.Argument(help="Project folder, a .zip of one, or its README/markdown file.")
        ],
        role: Annotated[str | None, typer.Option(help="Target role, free text (e.g. 'Senior MLE').")] = None,
        out: Annotated[
            Path | None, typer.Option(help="Write the Markdown guide here (default: stdout).")
        ] = None,
        html: Annotated[Path | None, typer.Option(help="Also write a self-contained HTML page here.")] = None,
        no_llm: Annotated[
            bool, typer.Option("--no-llm", help="Fully extractive: no LLM phrasing of pitch or outlines.")
        ] = False,
    ) -> None:
        """A prep guide from your own project: pitch, key numbers with sources, likely questions with
        grounded outlines, a two-minute demo script and a readiness checklist."""
        from interviewmate.config import Settings
        from interviewmate.prepguide import guide_from_path, render_html, render_markdown

        start = time.perf_counter()
        guide = guide_from_path(path, Settings(), role=role, use_llm=not no_llm)
        markdown = render_markdown(guide)
        if out is None:
            print(markdown, end="")
        else:
            out.write_text(markdown, encoding="utf-8")
        if html is not None:
            html.write_text(render_html(guide), encoding="utf-8")
        written = ", ".join(str(p) for p in (out, html) if p is not None)
        if written:
            console.print(
                f"wrote {written}: {len(guide.numbers)} numbers, {len(guide.stack)} libraries, "
                f"{len(guide.components)} components, {len(guide.questions)} questions "
                f"in {time.perf_counter() - start:.1f} s",
                highlight=False,
            )
            for note in guide.notes:  # with stdout output they are in the guide's Notes section
                console.print(f"[yellow]note:[/yellow] {note}", highlight=False)
