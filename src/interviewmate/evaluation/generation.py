"""evaluate_generation: text metrics for a system (and a baseline), paired significance, error analysis."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from interviewmate.evaluation.errors import ErrorAnalysis, ErrorItem, analyze_errors
from interviewmate.evaluation.significance import PairedResult, compare_paired
from interviewmate.evaluation.text_metrics import METRICS, TextScores, score_texts
from interviewmate.models.embedder import Embedder


@dataclass
class GenerationReport:
    n: int
    metrics: dict[str, float]
    per_item: dict[str, list[float]]
    baseline_metrics: dict[str, float] | None = None
    baseline_per_item: dict[str, list[float]] | None = None
    significance: dict[str, PairedResult] = field(default_factory=dict)
    errors: ErrorAnalysis | None = None
    baseline_errors: ErrorAnalysis | None = None
    ids: list[str] = field(default_factory=list)
    lengths: dict[str, list[int]] = field(
        default_factory=dict
    )  # words per text: predictions, references, baseline

    def to_json(self) -> dict[str, object]:
        sig = {
            m: {
                "mean_diff": r.mean_diff,
                "ci95": list(r.ci95),
                "p_ttest": r.p_ttest,
                "p_wilcoxon": r.p_wilcoxon,
                "cohens_d": r.cohens_d,
                "n": r.n,
                "warning": r.warning,
            }
            for m, r in self.significance.items()
        }
        return {
            "n": self.n,
            "metrics": self.metrics,
            "baseline_metrics": self.baseline_metrics,
            "significance": sig,
            "errors": self.errors.shares if self.errors else {},
            "baseline_errors": self.baseline_errors.shares if self.baseline_errors else None,
            "error_details": self.errors.to_json() if self.errors else None,
            "lengths": self.lengths,
        }


def evaluate_generation(
    ids: Sequence[str],
    predictions: Sequence[str],
    references: Sequence[str],
    embedder: Embedder,
    cache_dir: Path,
    baseline: Sequence[str] | None = None,
    questions: Sequence[str] | None = None,
    resamples: int = 10_000,
) -> GenerationReport:
    """All text metrics (means over items; corpus BLEU), significance vs the baseline, and error shares."""
    scores: TextScores = score_texts(predictions, references, embedder, cache_dir)
    report = GenerationReport(n=len(ids), metrics=scores.means(), per_item=scores.per_item, ids=list(ids))

    def items(texts: Sequence[str]) -> list[ErrorItem]:
        qs = questions or [""] * len(ids)
        return [ErrorItem(i, t, r, q) for i, t, r, q in zip(ids, texts, references, qs, strict=True)]

    report.lengths = {
        "predictions": [len(t.split()) for t in predictions],
        "references": [len(t.split()) for t in references],
    }
    report.errors = analyze_errors(items(predictions), embedder)
    if baseline is not None:
        base = score_texts(baseline, references, embedder, cache_dir)
        report.baseline_metrics = base.means()
        report.baseline_per_item = base.per_item
        report.baseline_errors = analyze_errors(items(baseline), embedder)
        report.lengths["baseline"] = [len(t.split()) for t in baseline]
        for m in METRICS:
            report.significance[m] = compare_paired(base.per_item[m], scores.per_item[m], resamples=resamples)
    return report
