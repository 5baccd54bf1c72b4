"""`interviewmate score`: parse options, call the scoring service, render the feedback."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

if TYPE_CHECKING:
    from interviewmate.config import Settings
    from interviewmate.domain import Feedback
    from interviewmate.models.backends.base import LLMBackend
    from interviewmate.models.embedder import Embedder


def _embedder(settings: Settings) -> Embedder:
    from interviewmate.models.embedder import SentenceEmbedder

    return SentenceEmbedder(settings.embedding_model, settings.model_cache_dir)


def _backend(settings: Settings) -> LLMBackend:
    from interviewmate.models.backends import make_backend

    return make_backend(settings)


def feedback_json(feedback: Feedback) -> dict[str, Any]:
    """Exactly the documented `score --json` shape."""
    return {"overall": feedback.overall, "components": feedback.components, "notes": list(feedback.notes)}


def register(app: typer.Typer, console: Console) -> None:
    @app.command("score")
    def score(
        question: Annotated[str, typer.Option(help="The interview question.")],
        answer: Annotated[str, typer.Option(help="Your answer, as text.")],
        reference: Annotated[
            str | None,
            typer.Option(
                help="A reference answer; without it the closest bank question (or the generator) is used."
            ),
        ] = None,
        interview_type: Annotated[
            str | None, typer.Option("--type", help="technical, coding, system_design or behavioral.")
        ] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    ) -> None:
        """Score an answer: key points or STAR parts, relevance, an overall 0-100, and why."""
        from interviewmate.coaching.scoring_reference import score_text_answer
        from interviewmate.config import Settings
        from interviewmate.data.corpus import load_bank

        settings = Settings()
        feedback = score_text_answer(
            question,
            answer,
            reference=reference,
            interview_type=interview_type,
            embedder=_embedder(settings),
            bank=load_bank(),
            backend_factory=lambda: _backend(settings),
            cache_dir=settings.model_cache_dir / "vectors",
        )
        if as_json:
            print(json.dumps(feedback_json(feedback), indent=2))
            return
        _render(console, feedback)


def _render(console: Console, feedback: Feedback) -> None:
    overall = "not scored" if feedback.overall is None else f"{feedback.overall:.0f}/100"
    console.print(f"overall: [bold]{overall}[/bold]")
    for name, comp in feedback.components.items():
        value = comp.get("score")
        console.print(f"  {name}: {'not scored' if value is None else f'{value:.0f}'}")
        for key in ("covered", "partial", "missed"):
            if comp.get(key):
                console.print(f"    {key}: {escape('; '.join(comp[key]))}")
        if name == "behavioral":
            missing = [part for part, found in comp["star"].items() if not found["found"]]
            if missing:
                console.print(f"    STAR parts missing: {', '.join(missing)}")
    for note in feedback.notes:
        console.print(f"[dim]- {escape(note)}[/dim]")
