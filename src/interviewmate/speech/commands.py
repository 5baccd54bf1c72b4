"""`interviewmate transcribe FILE`: parse options, call analyze_media, render the report."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console


def register(app: typer.Typer, console: Console) -> None:
    @app.command("transcribe")
    def transcribe(
        file: Annotated[Path, typer.Argument(help="Audio or video answer (wav, mp3, m4a, webm, mp4, ...).")],
        expected_seconds: Annotated[
            float | None,
            typer.Option("--expected-seconds", help="The question's expected answer length.", min=1.0),
        ] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    ) -> None:
        """Transcribe a spoken or video answer offline and measure its delivery (pace, fillers, pauses)."""
        from interviewmate.config import Settings
        from interviewmate.speech import analyze_media

        report = analyze_media(file, Settings(), expected_seconds)
        if as_json:
            print(json.dumps(report.to_json(), indent=2))
            return
        console.print(report.text, highlight=False)
        console.print(
            f"[dim]{report.duration_s:.1f} s audio, {report.word_count} words, "
            f"{report.words_per_minute:.0f} wpm, {report.fillers_per_100_words:.1f} fillers/100 words, "
            f"{len(report.long_pauses)} long pauses, {len(report.hedges)} hedges[/dim]"
        )
        if report.fillers:
            console.print("fillers: " + ", ".join(f"{m.text} @{m.start:.1f}s" for m in report.fillers))
        if report.video is not None:
            v = report.video
            console.print(
                f"video (rough): face in {v['face_present_ratio']} of {v['frames_sampled']} frames, "
                f"facing the camera in {v['looking_at_camera_ratio']}"
            )
        for note in report.notes:
            console.print(f"[yellow]-[/yellow] {note}", highlight=False)
