"""How high can ROUGE-L go on the generator's task (b) without copying the test answers?

Scores two retrieval "systems" on the test split's reference answers, using only training-split answers:
  nearest-question: the training answer of the most similar training question (TF-IDF over question text);
  oracle: the training answer whose wording is closest to the test reference itself (an upper bound for any
          system that writes an expert-style answer without having seen that exact answer).
Run: python scripts/rouge_ceiling.py
"""

from __future__ import annotations

import json

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics.pairwise import cosine_similarity

from interviewmate.data import CORPUS_DIR
from interviewmate.evaluation.text_metrics import rouge


def main() -> None:
    items = {}
    for line in (CORPUS_DIR / "questions.jsonl").read_text(encoding="utf-8").splitlines():
        d = json.loads(line)
        items[d["id"]] = d
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
    systems = {
        "nearest-question answer": [train[int(row.argmax())]["reference_answer"] for row in sim_q],
        "oracle closest answer": [train[int(row.argmax())]["reference_answer"] for row in sim_a],
    }
    print(f"test questions: {len(test)}")
    for name, preds in systems.items():
        scores = rouge(preds, refs)
        print(name, {k: round(float(np.mean(v)), 4) for k, v in scores.items()})


if __name__ == "__main__":
    main()
