"""CLI commands for the corpus pipeline (registered on `interviewmate data`)."""

from __future__ import annotations

import typer
from rich.console import Console


def register(app: typer.Typer, console: Console) -> None:
    pass
