"""`interviewmate retrieve`: rank a resume's bullets for a question and a job description."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape


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
