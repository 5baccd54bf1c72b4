"""One self-contained HTML page (PNG plots inlined) for a training or evaluation run directory.

A run directory may hold any of these; the page shows what it finds:
- `eval_generation.json`: the output of `interviewmate eval generation --json` (metrics, baseline, significance,
  errors, lengths);
- `metrics.jsonl`: training log lines with `step` and `train_loss`/`val_loss`;
- `classification*.json`: ClassificationReport JSON (`labels`, `confusion`, `accuracy`, `macro_f1`, ...);
- `retrieval*.json`: `{"tuned": {metric: value}, "base": {...}}` or a flat `{metric: value}`.
"""

from __future__ import annotations

import base64
import html
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from interviewmate.errors import DataError
from interviewmate.evaluation import plots

STYLE = """body{font-family:system-ui,sans-serif;max-width:980px;margin:2rem auto;padding:0 1rem;color:#1d1d1f}
table{border-collapse:collapse;margin:.5rem 0 1rem}td,th{border:1px solid #ddd;padding:.25rem .6rem;text-align:right}
th:first-child,td:first-child{text-align:left}img{max-width:100%;display:block;margin:.5rem 0 1.5rem}
.warn{color:#a15c00}"""


def _img(png: bytes, alt: str) -> str:
    return f'<img alt="{html.escape(alt)}" src="data:image/png;base64,{base64.b64encode(png).decode()}">'


def _fmt(v: Any) -> str:
    if isinstance(v, float):
        return f"{v:.4f}" if abs(v) < 1000 else f"{v:.1f}"
    return html.escape(str(v))


def _table(header: list[str], rows: list[list[Any]]) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{_fmt(c)}</td>" for c in r) + "</tr>" for r in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


def generation_section(data: dict[str, Any]) -> str:
    metrics, base = data["metrics"], data.get("baseline_metrics")
    sig = data.get("significance") or {}
    parts = [f"<h2>Generation (n = {data['n']})</h2>"]
    rows = []
    for m, v in metrics.items():
        s = sig.get(m, {})
        rows.append(
            [
                m,
                v,
                base[m] if base else "-",
                s.get("mean_diff", "-"),
                s.get("ci95", "-"),
                s.get("p_ttest", "-"),
                s.get("p_wilcoxon", "-"),
                s.get("cohens_d", "-"),
            ]
        )
    parts.append(_table(["metric", "tuned", "base", "diff", "95% CI", "p (t)", "p (Wilcoxon)", "d"], rows))
    warnings = {s["warning"] for s in sig.values() if s.get("warning")}
    parts += [f'<p class="warn">{html.escape(w)}</p>' for w in sorted(warnings)]
    ci = {m: s["ci95"] for m, s in sig.items() if "ci95" in s}
    parts.append(_img(plots.metric_bars(metrics, base, ci), "metrics"))
    if data.get("errors"):
        parts.append("<h3>Error analysis</h3>")
        parts.append(_img(plots.error_bars(data["errors"], data.get("baseline_errors")), "error categories"))
        details = data.get("error_details") or {}
        for cat, examples in (details.get("worst_examples") or {}).items():
            if examples:
                parts.append(
                    f"<h4>{html.escape(cat)}</h4><p>{html.escape(details['suggested_fixes'].get(cat, ''))}</p>"
                )
                parts.append(
                    _table(
                        ["id", "why", "output"], [[e["id"], e["reason"], e["prediction"]] for e in examples]
                    )
                )
    if data.get("lengths"):
        parts.append(_img(plots.length_histograms(data["lengths"]), "lengths"))
    return "\n".join(parts)


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise DataError(
            f"{path}: not valid JSON ({exc}); write it again with the command that made it"
        ) from None


def render_run_dir(run_dir: Path) -> str:
    if not run_dir.is_dir():
        raise DataError(f"{run_dir} is not a directory")
    return _render_run_dir(run_dir)


@contextmanager
def _shape_of(path: Path) -> Iterator[None]:
    """Valid JSON that is not the shape our commands write: name the file rather than trace."""
    try:
        yield
    except (KeyError, TypeError, IndexError, ValueError) as exc:
        if isinstance(exc, DataError):
            raise
        raise DataError(
            f"{path}: not the shape InterviewMate's commands write ({type(exc).__name__}: {exc}); write it again "
            "with the command that made it"
        ) from None


def _render_run_dir(run_dir: Path) -> str:
    sections: list[str] = []
    gen = run_dir / "eval_generation.json"
    if gen.exists():
        with _shape_of(gen):
            sections.append(generation_section(_read_json(gen)))
    log = run_dir / "metrics.jsonl"
    if log.exists():
        try:
            rows = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines() if line.strip()]
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise DataError(f"{log}: a line is not valid JSON ({exc})") from None
        with _shape_of(log):
            sections.append("<h2>Training</h2>" + _img(plots.training_curves(rows), "training curves"))
        last = rows[-1] if rows else {}
        sections.append(_table(["key", "last value"], [[k, v] for k, v in last.items()]))
    for path in sorted(run_dir.glob("classification*.json")):
        with _shape_of(path):
            rep = _read_json(path)
            title = path.stem.replace("_", " ")
            sections.append(f"<h2>{html.escape(title)}</h2>")
            sections.append(
                _table(["accuracy", "macro-F1", "ECE"], [[rep["accuracy"], rep["macro_f1"], rep.get("ece")]])
            )
            per = rep.get("per_class", {})
            sections.append(
                _table(
                    ["class", "precision", "recall", "F1", "support"],
                    [[k, v["precision"], v["recall"], v["f1"], v["support"]] for k, v in per.items()],
                )
            )
            sections.append(_img(plots.confusion_matrix(rep["confusion"], rep["labels"], title), title))
    for path in sorted(run_dir.glob("retrieval*.json")):
        with _shape_of(path):
            rep = _read_json(path)
            tuned, base = (rep["tuned"], rep.get("base")) if "tuned" in rep else (rep, None)
            sections.append(f"<h2>{html.escape(path.stem)}</h2>")
            sections.append(
                _table(
                    ["metric", "tuned", "base"],
                    [[k, v, base.get(k, "-") if base else "-"] for k, v in tuned.items()],
                )
            )
    if not sections:
        raise DataError(
            f"{run_dir} has no eval_generation.json, metrics.jsonl, classification*.json or retrieval*.json"
        )
    body = "\n".join(sections)
    title = f"InterviewMate run report: {run_dir.name}"
    return f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title><style>{STYLE}</style></head><body><h1>{html.escape(title)}</h1>{body}</body></html>"
