"""Ranking metrics for one query at a time; average them over queries. Relevance is binary."""

from __future__ import annotations

import math
from collections.abc import Sequence, Set


def hit_at_k(ranked: Sequence[str], relevant: Set[str], k: int) -> float:
    return float(any(r in relevant for r in ranked[:k]))


def precision_at_k(ranked: Sequence[str], relevant: Set[str], k: int) -> float:
    return sum(r in relevant for r in ranked[:k]) / k


def recall_at_k(ranked: Sequence[str], relevant: Set[str], k: int) -> float:
    return sum(r in relevant for r in ranked[:k]) / max(len(relevant), 1)


def mrr_at_k(ranked: Sequence[str], relevant: Set[str], k: int = 10) -> float:
    for i, r in enumerate(ranked[:k], start=1):
        if r in relevant:
            return 1.0 / i
    return 0.0


def ndcg_at_k(ranked: Sequence[str], relevant: Set[str], k: int = 10) -> float:
    dcg = sum(1.0 / math.log2(i + 1) for i, r in enumerate(ranked[:k], start=1) if r in relevant)
    ideal = sum(1.0 / math.log2(i + 1) for i in range(1, min(len(relevant), k) + 1))
    return dcg / ideal if ideal else 0.0


def retrieval_report(
    rankings: Sequence[Sequence[str]], relevants: Sequence[Set[str]], ks: Sequence[int] = (1, 3, 5, 10)
) -> dict[str, float]:
    """Means over queries: hit@k, precision@k, recall@k for each k, plus mrr@10 and ndcg@10."""
    n = len(rankings)
    if n == 0:
        return {}
    out: dict[str, float] = {}
    for k in ks:
        out[f"hit@{k}"] = sum(hit_at_k(r, rel, k) for r, rel in zip(rankings, relevants, strict=True)) / n
        out[f"precision@{k}"] = (
            sum(precision_at_k(r, rel, k) for r, rel in zip(rankings, relevants, strict=True)) / n
        )
        out[f"recall@{k}"] = (
            sum(recall_at_k(r, rel, k) for r, rel in zip(rankings, relevants, strict=True)) / n
        )
    out["mrr@10"] = sum(mrr_at_k(r, rel) for r, rel in zip(rankings, relevants, strict=True)) / n
    out["ndcg@10"] = sum(ndcg_at_k(r, rel) for r, rel in zip(rankings, relevants, strict=True)) / n
    return out
