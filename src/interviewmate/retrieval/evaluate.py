"""Base vs tuned retriever on held-out pairs: ranking metrics, paired significance, query-form ablation, t-SNE.

Product setting: each query ranks all bullets of its own resume. Secondary, harder setting ("pooled"): each
query ranks the bullets of every resume in the split.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from interviewmate.data import CORPUS_DIR
from interviewmate.evaluation.retrieval_metrics import hit_at_k, mrr_at_k, retrieval_report
from interviewmate.evaluation.significance import compare_paired
from interviewmate.models.embedder import Embedder
from interviewmate.retrieval.examples import RetrievalSplit, load_split
from interviewmate.retrieval.query import DEFAULT_QUERY_FORM, QUERY_FORMS, QueryForm

REPORTED = ("hit@1", "hit@3", "hit@5", "hit@10", "mrr@10", "ndcg@10")


@dataclass
class SplitEval:
    metrics: dict[str, float]
    reciprocal_rank: list[float]  # per query, RR@10
    hit1: list[float]  # per query

    def to_json(self) -> dict[str, object]:
        return {"n": len(self.hit1), **{k: round(self.metrics[k], 4) for k in REPORTED}}


def rank_bullets(
    embedder: Embedder, split: RetrievalSplit, form: QueryForm, pooled: bool = False
) -> list[list[str]]:
    """Bullet ids ranked by cosine similarity, one list per example (own resume, or all resumes if pooled)."""
    order = [(rid, bid) for rid, bullets in split.bullets.items() for bid in bullets]
    vectors = embedder.encode([split.text(rid, bid) for rid, bid in order])
    queries = embedder.encode([e.query(form) for e in split.examples])
    rows_of: dict[str, list[int]] = {}
    for i, (rid, _) in enumerate(order):
        rows_of.setdefault(rid, []).append(i)
    everything = list(range(len(order)))
    out = []
    for q, example in zip(queries, split.examples, strict=True):
        rows = everything if pooled else rows_of[example.resume_id]
        scores = vectors[rows] @ q
        ranked = np.argsort(-scores, kind="stable")
        out.append([order[rows[j]][1] for j in ranked])
    return out


def evaluate_rankings(split: RetrievalSplit, rankings: Sequence[Sequence[str]]) -> SplitEval:
    relevant = [{e.positive_id} for e in split.examples]
    return SplitEval(
        retrieval_report(rankings, relevant),
        [mrr_at_k(r, rel, 10) for r, rel in zip(rankings, relevant, strict=True)],
        [hit_at_k(r, rel, 1) for r, rel in zip(rankings, relevant, strict=True)],
    )


def evaluate_embedder(
    embedder: Embedder, split: RetrievalSplit, form: QueryForm, pooled: bool = False
) -> SplitEval:
    return evaluate_rankings(split, rank_bullets(embedder, split, form, pooled))


def compare(base: SplitEval, tuned: SplitEval) -> dict[str, object]:
    """Paired tests (t-test, Wilcoxon, bootstrap CI) of tuned minus base on per-query RR@10 and hit@1."""
    return {
        "reciprocal_rank": compare_paired(base.reciprocal_rank, tuned.reciprocal_rank).to_json(),
        "hit@1": compare_paired(base.hit1, tuned.hit1).to_json(),
    }


def ablation(
    embedders: Mapping[str, Embedder],
    splits: Mapping[str, RetrievalSplit],
    forms: Sequence[QueryForm] = QUERY_FORMS,
) -> list[dict[str, object]]:
    """One row per (model, split, query form), product setting."""
    rows: list[dict[str, object]] = []
    for model_name, embedder in embedders.items():
        for split_name, split in splits.items():
            for form in forms:
                result = evaluate_embedder(embedder, split, form)
                rows.append({"model": model_name, "split": split_name, "form": form, **result.to_json()})
    return rows


def tsne_plot(
    embedders: Mapping[str, Embedder], split: RetrievalSplit, form: QueryForm, path: Path, seed: int = 0
) -> Path:
    """Side-by-side 2-D t-SNE of the split's queries and their positive bullets, one panel per model."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from sklearn.manifold import TSNE

    positives = sorted({(e.resume_id, e.positive_id) for e in split.examples})
    resumes = sorted({rid for rid, _ in positives})
    colour = {rid: plt.get_cmap("tab10")(i % 10) for i, rid in enumerate(resumes)}
    fig, axes = plt.subplots(1, len(embedders), figsize=(6.5 * len(embedders), 6))
    axes_list: list[Any] = list(np.atleast_1d(axes))
    for ax, (name, embedder) in zip(axes_list, embedders.items(), strict=True):
        q = embedder.encode([e.query(form) for e in split.examples])
        b = embedder.encode([split.text(rid, bid) for rid, bid in positives])
        points = TSNE(
            n_components=2, perplexity=min(30, (len(q) + len(b) - 1) // 3), init="pca", random_state=seed
        ).fit_transform(np.vstack([q, b]))
        pq, pb = points[: len(q)], points[len(q) :]
        index = {bid: i for i, (_, bid) in enumerate(positives)}
        for i, e in enumerate(split.examples):
            j = index[e.positive_id]
            ax.plot([pq[i, 0], pb[j, 0]], [pq[i, 1], pb[j, 1]], color="grey", alpha=0.15, linewidth=0.5)
        ax.scatter(pq[:, 0], pq[:, 1], s=8, marker="o", c=[colour[e.resume_id] for e in split.examples])
        ax.scatter(
            pb[:, 0], pb[:, 1], s=40, marker="*", c=[colour[rid] for rid, _ in positives], edgecolors="k"
        )
        ax.set_title(f"{name}: test queries (dots) and positive bullets (stars)")
        ax.set_xticks([])
        ax.set_yticks([])
    fig.suptitle("Colour = resume; grey line = query to its positive bullet")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def evaluate_retriever(
    base: Embedder,
    tuned: Embedder,
    out_dir: Path,
    corpus_dir: Path = CORPUS_DIR,
    form: QueryForm = DEFAULT_QUERY_FORM,
    split: str = "test",
    ablation_splits: Sequence[str] = ("val", "test"),
    plot_path: Path | None = None,
) -> dict[str, Any]:
    """Everything the model card reports, written to out_dir/retriever_eval.json and returned."""
    data = load_split(corpus_dir, split)
    if not data.examples:
        from interviewmate.errors import DataError

        raise DataError(f"no retrieval pairs in the {split} split of {corpus_dir}")
    summary: dict[str, Any] = {"split": split, "query_form": form, "n": len(data.examples)}
    for setting, pooled in (("own_resume", False), ("pooled", True)):
        b = evaluate_embedder(base, data, form, pooled)
        t = evaluate_embedder(tuned, data, form, pooled)
        summary[setting] = {"base": b.to_json(), "tuned": t.to_json(), "tuned_vs_base": compare(b, t)}
        if form != "question":  # the base model's best form on validation is the bare question
            bq = evaluate_embedder(base, data, "question", pooled)
            summary[setting]["base_question_only"] = bq.to_json()
            summary[setting]["tuned_vs_base_question_only"] = compare(bq, t)
    if ablation_splits:
        splits = {name: data if name == split else load_split(corpus_dir, name) for name in ablation_splits}
        summary["ablation"] = ablation({"base": base, "tuned": tuned}, splits)
    if plot_path is not None:
        summary["tsne_plot"] = str(tsne_plot({"base": base, "tuned": tuned}, data, form, plot_path))
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "retriever_eval.json").write_text(json.dumps(summary, indent=1))
    return summary
