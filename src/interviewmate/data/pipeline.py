"""Entry functions of the corpus pipeline, shared by the CLI and the tests."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from interviewmate.data.io import load_corpus
from interviewmate.data.split import DEFAULT_SEED, Splits, build_splits
from interviewmate.data.stats import compute_stats, render_stats_markdown, write_card
from interviewmate.data.validate import Progress, ValidationReport, validate_corpus
from interviewmate.errors import DataError
from interviewmate.models.embedder import Embedder

SPLITS_FILE = "splits.json"


@dataclass
class BuildResult:
    report: ValidationReport
    splits: Splits | None
    written: Path | None


def build_corpus(
    corpus_dir: Path,
    embedder: Embedder,
    seed: int = DEFAULT_SEED,
    out: Path | None = None,
    progress: Progress | None = None,
) -> BuildResult:
    """Validate everything, then write the splits; on any error nothing is written."""
    report = validate_corpus(corpus_dir, embedder, progress)
    if not report.ok:
        return BuildResult(report, None, None)
    if progress:
        progress("splitting 70/15/15")
    splits = build_splits(load_corpus(corpus_dir), embedder, seed)
    target = out or corpus_dir / SPLITS_FILE
    tmp = target.with_suffix(".tmp")
    tmp.write_text(json.dumps(splits.to_json(), indent=1) + "\n", encoding="utf-8")
    os.replace(tmp, target)
    return BuildResult(report, splits, target)


def read_splits(path: Path) -> Splits:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise DataError(f"cannot read {path}: {exc}; run `interviewmate data build`") from exc
    splits = Splits(seed=int(raw["seed"]))
    for file, parts in raw.items():
        if isinstance(parts, dict) and all(isinstance(v, list) for v in parts.values()) and parts:
            splits.assignment[file] = {i: s for s, ids in parts.items() for i in ids}
    return splits


def write_stats(
    corpus_dir: Path,
    card: Path,
    plot_dir: Path,
    embedder: Embedder | None,
    tokenizer: Any | None,
    command: str = "interviewmate data stats",
) -> Path:
    loaded = load_corpus(corpus_dir)
    if loaded.errors:
        first = "; ".join(str(e) for e in loaded.errors[:3])
        raise DataError(
            f"the corpus has {len(loaded.errors)} errors ({first}); run `interviewmate data validate`"
        )
    splits_path = corpus_dir / SPLITS_FILE
    splits = read_splits(splits_path) if splits_path.exists() else None
    stats = compute_stats(loaded, splits, embedder, tokenizer, plot_dir)
    card.parent.mkdir(parents=True, exist_ok=True)
    write_card(card, render_stats_markdown(stats, card, command))
    return card
