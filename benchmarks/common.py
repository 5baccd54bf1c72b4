"""Helpers shared by the benchmarks: machine description, peak memory, RESULTS.md sections."""

from __future__ import annotations

import datetime as dt
import os
import platform
import resource
import subprocess
from pathlib import Path

RESULTS = Path(__file__).parent / "RESULTS.md"


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        import torch

        if torch.cuda.is_available():
            return f"{torch.cuda.get_device_name(0)} (torch {torch.__version__}), {os.cpu_count()} CPU cores"
        return f"CPU only, {os.cpu_count()} cores ({cpu}), torch {torch.__version__}"
    except ImportError:
        return f"{os.cpu_count()} cores ({cpu})"


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def git_rev() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True
        ).stdout.strip()
    except OSError:
        return "?"


def write_section(name: str, command: str, body: str, results: Path = RESULTS) -> None:
    """Replace (or append) the `## name` section of RESULTS.md with a dated, attributed body."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    section = f"## {name}\n\n- date: {stamp}\n- machine: {machine()}\n- commit: {git_rev()}\n- command: `{command}`\n\n{body.strip()}\n"
    text = (
        results.read_text()
        if results.exists()
        else "# Benchmark results\n\nEach section is rewritten by its benchmark.\n"
    )
    marker = f"## {name}\n"
    if marker in text:
        head, rest = text.split(marker, 1)
        nxt = rest.find("\n## ")
        tail = rest[nxt + 1 :] if nxt >= 0 else ""
        text = head + section + ("\n" + tail if tail else "")
    else:
        text = text.rstrip() + "\n\n" + section
    results.write_text(text)
