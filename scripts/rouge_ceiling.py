"""How high can ROUGE-L go on the generator's task (b)? Three answer "systems" scored on the test references.

  nearest-question: the training answer of the most similar training question (TF-IDF over question text);
  oracle:           the training answer whose wording is closest to the test reference itself (an upper bound
                    for any system that reuses the answers it was trained on);
  blind writer:     scripts/blind_answers.jsonl, an independent answer to each test question written for this
                    measurement by a second writer who saw only the question (role, type, difficulty) and the
                    model's own instruction ("Write a strong answer in 80-180 words"), never the reference.
                    How closely two competent writers agree is the usual ceiling for an overlap metric.
Each line prints the mean with a 95% bootstrap interval over questions (10,000 resamples, seed 0).
Run: python scripts/rouge_ceiling.py
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics.pairwise import cosine_similarity

from interviewmate.data import CORPUS_DIR
from interviewmate.evaluation.text_metrics import rouge

BLIND_ANSWERS = Path(__file__).with_name("blind_answers.jsonl")


def _read_jsonl(path: Path) -> list[dict[str, str]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _mean_ci(values: list[float], resamples: int = 10_000) -> str:
    x = np.asarray(values, dtype=float)
    idx = np.random.default_rng(0).integers(0, len(x), size=(resamples, len(x)))
    lo, hi = np.percentile(x[idx].mean(axis=1), [2.5, 97.5])
    return f"{x.mean():.4f} [{lo:.4f}, {hi:.4f}]"


def main() -> None:
    items = {d["id"]: d for d in _read_jsonl(CORPUS_DIR / "questions.jsonl")}
    split = json.loads((CORPUS_DIR / "splits.json").read_text(encoding="utf-8"))["questions.jsonl"]
    train = [items[i] for i in split["train"]]
    test = [items[i] for i in split["test"]]
    refs = [q["reference_answer"] for q in test]

    vq = TfidfVectorizer().fit([q["question"] for q in train])
    sim_q = cosine_similarity(
        vq.transform([q["question"] for q in test]), vq.transform([q["question"] for q in train])
    )
    va = TfidfVectorizer().fit([q["reference_answer"] for q in train])
    sim_a = cosine_similarity(va.transform(refs), va.transform([q["reference_answer"] for q in train]))
    blind = {row["id"]: row["answer"] for row in _read_jsonl(BLIND_ANSWERS)}
    missing = [q["id"] for q in test if q["id"] not in blind]
    if missing:
        raise SystemExit(
            f"{BLIND_ANSWERS.name} has no answer for {len(missing)} test ids, e.g. {missing[:3]}"
        )
    systems = {
        "nearest-question answer": [train[int(row.argmax())]["reference_answer"] for row in sim_q],
        "oracle closest answer": [train[int(row.argmax())]["reference_answer"] for row in sim_a],
        "blind writer": [blind[q["id"]] for q in test],
    }
    print(f"test questions: {len(test)}")
    for name, preds in systems.items():
        scores = rouge(preds, refs)
        rl = np.asarray(scores["rougeL"])
        print(
            f"{name}: ROUGE-L {_mean_ci(list(rl))}, share >= 0.40: {float((rl >= 0.40).mean()):.3f}; "
            + ", ".join(f"{k} {float(np.mean(v)):.4f}" for k, v in scores.items() if k != "rougeL")
        )
    by_type: dict[str, list[float]] = {}
    blind_rl = rouge(systems["blind writer"], refs)["rougeL"]
    for q, value in zip(test, blind_rl, strict=True):
        by_type.setdefault(q["interview_type"], []).append(float(value))
    print(
        "blind writer ROUGE-L by type:", {k: round(float(np.mean(v)), 3) for k, v in sorted(by_type.items())}
    )


if __name__ == "__main__":
    main()
