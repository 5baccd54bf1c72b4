"""PNG plots for reports. Each function takes plain data and returns PNG bytes (Agg backend, no display)."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import Any


def _fig(width: float = 7, height: float = 4) -> tuple[Any, Any]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt.subplots(figsize=(width, height))


def _png(fig: Any) -> bytes:
    import matplotlib.pyplot as plt

    buf = io.BytesIO()
    fig.tight_layout()
    fig.savefig(buf, format="png", dpi=90)
    plt.close(fig)
    return buf.getvalue()


def metric_bars(
    tuned: Mapping[str, float],
    base: Mapping[str, float] | None = None,
    ci: Mapping[str, Sequence[float]] | None = None,
) -> bytes:
    """Bars per metric; with a baseline, side by side, and the tuned bar's error bar = the paired-diff CI."""
    import numpy as np

    names = list(tuned)
    x = np.arange(len(names))
    fig, ax = _fig(max(6, len(names) * 0.9), 4)
    width = 0.38 if base else 0.6
    if base:
        ax.bar(x - width / 2, [base[n] for n in names], width, label="base", color="#bbbbbb")
    yerr = None
    if ci and base:
        # the CI is of the paired difference: draw it around the tuned bar as base + [lo, hi]
        lower = [max(tuned[n] - (base[n] + ci[n][0]), 0.0) if n in ci else 0.0 for n in names]
        upper = [max((base[n] + ci[n][1]) - tuned[n], 0.0) if n in ci else 0.0 for n in names]
        yerr = np.array([lower, upper])
    ax.bar(x + (width / 2 if base else 0), [tuned[n] for n in names], width, label="tuned", color="#4c72b0")
    if yerr is not None:
        ax.errorbar(
            x + width / 2, [tuned[n] for n in names], yerr=yerr, fmt="none", ecolor="black", capsize=3
        )
    ax.set_xticks(x, names, rotation=30, ha="right")
    ax.set_ylim(0, 1)
    ax.legend()
    ax.set_title("metrics (error bars: 95% CI of the paired difference)" if base else "metrics")
    return _png(fig)


def error_bars(shares: Mapping[str, float], base: Mapping[str, float] | None = None) -> bytes:
    import numpy as np

    names = list(shares)
    y = np.arange(len(names))
    fig, ax = _fig(7, 4)
    h = 0.38 if base else 0.6
    if base:
        ax.barh(y + h / 2, [base.get(n, 0) for n in names], h, label="base", color="#bbbbbb")
    ax.barh(y - (h / 2 if base else 0), [shares[n] for n in names], h, label="tuned", color="#c44e52")
    ax.set_yticks(y, names)
    ax.set_xlabel("share of outputs")
    ax.legend()
    ax.set_title("error categories")
    return _png(fig)


def length_histograms(lengths: Mapping[str, Sequence[int]]) -> bytes:
    fig, ax = _fig(7, 4)
    for name, values in lengths.items():
        ax.hist(values, bins=30, alpha=0.5, label=name)
    ax.set_xlabel("words")
    ax.legend()
    ax.set_title("output lengths")
    return _png(fig)


def confusion_matrix(matrix: Sequence[Sequence[int]], labels: Sequence[str], title: str) -> bytes:
    import numpy as np

    grid = np.asarray(matrix)
    fig, ax = _fig(1.2 * len(labels) + 2.5, 1.0 * len(labels) + 2)
    ax.imshow(grid, cmap="Blues")
    ax.set_xticks(range(len(labels)), labels, rotation=30, ha="right")
    ax.set_yticks(range(len(labels)), labels)
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    for (i, j), v in np.ndenumerate(grid):
        ax.text(j, i, str(v), ha="center", va="center", color="white" if v > grid.max() / 2 else "black")
    ax.set_title(title)
    return _png(fig)


def training_curves(rows: Sequence[Mapping[str, Any]]) -> bytes:
    fig, ax = _fig(7, 4)
    for key in ("train_loss", "loss", "val_loss", "eval_loss"):
        pts = [(r["step"], r[key]) for r in rows if key in r and "step" in r and r[key] is not None]
        if pts:
            ax.plot(*zip(*pts, strict=True), label=key, marker="." if len(pts) < 50 else None)
    ax.set_xlabel("step")
    ax.set_ylabel("loss")
    ax.legend()
    ax.set_title("training curves")
    return _png(fig)
