"""The technical component: key points covered or missed, similarity to the reference answer, ROUGE-L.

A key point is matched against answer *windows* (each sentence, each pair of adjacent sentences, and 25-word
slices of long run-on sentences such as transcripts). For the best window we keep two signals:
  - cosine: embedder cosine of key point and window (none without an embedder),
  - overlap: share of the key point's content-word stems that appear in that window.
covered  when cosine >= KP_COSINE or overlap >= KP_OVERLAP  (credit 1)
partial  when cosine >= KP_PARTIAL_COSINE or overlap >= KP_PARTIAL_OVERLAP  (credit 0.5)
missed   otherwise (credit 0).
coverage = 100 * mean credit.  similarity = 100 * clip((cos(answer, reference) - SIM_FLOOR) / (SIM_CEIL - SIM_FLOOR)).
rouge_l  = 100 * clip(ROUGE-L F / ROUGE_CEIL)  (a good answer in its own words rarely shares more than ~40%).
score    = weighted mean of the parts that ran (TECH_WEIGHTS), or None when none ran.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise
from typing import Any

import numpy as np

from interviewmate.data.text import content_words, sentences, stem
from interviewmate.evaluation.text_metrics import rouge

KP_COSINE = 0.6  # MiniLM cosine of a key point and an answer window that states it (tuned on the dev set)
KP_PARTIAL_COSINE = 0.45
KP_OVERLAP = 0.67  # ...or over two thirds of its content stems appear in one window (2 of 3 is partial)
KP_PARTIAL_OVERLAP = 0.34
SIM_FLOOR, SIM_CEIL = 0.3, 0.8  # answer-reference cosine mapped linearly onto 0-100
ROUGE_CEIL = 0.4
WINDOW_WORDS, WINDOW_STRIDE = 25, 12
TECH_WEIGHTS = {"coverage": 0.6, "similarity": 0.3, "rouge_l": 0.1}


def clip01(x: float) -> float:
    return float(min(1.0, max(0.0, x)))


def answer_windows(answer: str) -> list[str]:
    """Sentences, adjacent pairs, and word slices of long sentences: the spans a key point may be stated in."""
    sents = sentences(answer)
    out: list[str] = []
    for s in sents:
        toks = s.split()
        if len(toks) > 2 * WINDOW_WORDS:
            out.extend(
                " ".join(toks[i : i + WINDOW_WORDS])
                for i in range(0, len(toks) - WINDOW_STRIDE, WINDOW_STRIDE)
            )
        else:
            out.append(s)
    out.extend(f"{a} {b}" for a, b in pairwise(sents))
    return list(dict.fromkeys(out))


def stems(text: str) -> set[str]:
    return {stem(w) for w in content_words(text)}


def match_key_points(
    key_points: Sequence[str], windows: Sequence[str], vectors: dict[str, np.ndarray] | None
) -> list[dict[str, Any]]:
    """One row per key point: status (covered/partial/missed), the best window and both signals."""
    window_stems = [stems(w) for w in windows]
    rows = []
    for kp in key_points:
        kp_stems = stems(kp)
        best: dict[str, Any] = {"cosine": None, "overlap": 0.0, "window": None}
        best_key = -1.0
        for w, ws in zip(windows, window_stems, strict=True):
            overlap = len(kp_stems & ws) / max(len(kp_stems), 1)
            cos = float(vectors[kp] @ vectors[w]) if vectors is not None else None
            key = max(overlap / KP_OVERLAP, (cos or 0.0) / KP_COSINE)
            if key > best_key:
                best_key, best = key, {"cosine": cos, "overlap": overlap, "window": w}
        cos, overlap = best["cosine"] or 0.0, best["overlap"]
        if cos >= KP_COSINE or overlap >= KP_OVERLAP:
            status = "covered"
        elif cos >= KP_PARTIAL_COSINE or overlap >= KP_PARTIAL_OVERLAP:
            status = "partial"
        else:
            status = "missed"
        rows.append(
            {
                "key_point": kp,
                "status": status,
                "cosine": None if best["cosine"] is None else round(best["cosine"], 3),
                "overlap": round(overlap, 3),
                "evidence": best["window"] if status != "missed" else None,
            }
        )
    return rows


def technical_component(
    answer: str,
    key_points: Sequence[str],
    reference: str,
    vectors: dict[str, np.ndarray] | None,
    windows: Sequence[str],
) -> tuple[dict[str, Any], list[str]]:
    """The component dict and the notes it raises. `vectors` maps every text needed to its embedding."""
    notes: list[str] = []
    parts: dict[str, float | None] = {"coverage": None, "similarity": None, "rouge_l": None}
    comp: dict[str, Any] = {}
    if key_points:
        rows = match_key_points(key_points, windows, vectors)
        credit = {"covered": 1.0, "partial": 0.5, "missed": 0.0}
        parts["coverage"] = 100 * float(np.mean([credit[r["status"]] for r in rows]))
        comp["key_points"] = rows
        comp["covered"] = [r["key_point"] for r in rows if r["status"] == "covered"]
        comp["partial"] = [r["key_point"] for r in rows if r["status"] == "partial"]
        comp["missed"] = [r["key_point"] for r in rows if r["status"] == "missed"]
        if vectors is None:
            notes.append("key points matched by word overlap only (no embedder)")
    else:
        notes.append("key-point coverage not scored: no key points for this question")
    if reference.strip():
        rl = rouge([answer], [reference])["rougeL"][0]
        comp["rouge_l_f"] = round(rl, 4)
        parts["rouge_l"] = 100 * clip01(rl / ROUGE_CEIL)
        if vectors is not None:
            cos = float(vectors[answer] @ vectors[reference])
            comp["reference_cosine"] = round(cos, 4)
            parts["similarity"] = 100 * clip01((cos - SIM_FLOOR) / (SIM_CEIL - SIM_FLOOR))
        else:
            notes.append("similarity to the reference not scored: no embedder")
    else:
        notes.append("similarity to the reference and ROUGE-L not scored: no reference answer")
    comp["parts"] = {k: None if v is None else round(v, 1) for k, v in parts.items()}
    comp["score"] = weighted_mean(parts, TECH_WEIGHTS)
    return comp, notes


def weighted_mean(parts: dict[str, float | None], weights: dict[str, float]) -> float | None:
    """Mean of the parts that ran, weights renormalised over them; None when none ran."""
    ran = {k: v for k, v in parts.items() if v is not None and weights.get(k, 0) > 0}
    if not ran:
        return None
    total = sum(weights[k] for k in ran)
    return round(sum(weights[k] * v for k, v in ran.items()) / total, 1)
