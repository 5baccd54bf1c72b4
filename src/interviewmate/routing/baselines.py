"""Baselines on the same split: TF-IDF + logistic regression, and zero-shot nearest-label similarity."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from interviewmate.models.embedder import Embedder

# one plain-language description per label, for the zero-shot baseline
LABEL_DESCRIPTIONS = {
    "technical": "questions about concepts, theory and how tools and methods work",
    "coding": "solve a coding or algorithm problem, write SQL or code live",
    "system_design": "design and architect a large scalable system or pipeline",
    "behavioral": "tell me about a time, past experience, teamwork, conflict and leadership stories",
    "easy": "junior, intern, beginner, first interview, go gentle, fundamentals",
    "medium": "mid-level, standard interview loop, typical questions",
    "hard": "senior, staff, principal, grill me, tough, deep dive",
}


class TfidfLogReg:
    def __init__(self, seed: int = 0) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline

        self.pipe = make_pipeline(
            TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=1),
            LogisticRegression(max_iter=2000, C=10.0, random_state=seed),
        )

    def fit(self, texts: Sequence[str], labels: Sequence[str]) -> TfidfLogReg:
        self.pipe.fit(list(texts), list(labels))
        return self

    def predict(self, texts: Sequence[str]) -> tuple[list[str], list[float]]:
        probs = self.pipe.predict_proba(list(texts))
        classes = list(self.pipe.classes_)
        idx = probs.argmax(axis=1)
        return [classes[i] for i in idx], [float(probs[r, i]) for r, i in enumerate(idx)]


def zero_shot(
    texts: Sequence[str], labels: Sequence[str], embedder: Embedder
) -> tuple[list[str], list[float]]:
    """Nearest label description by cosine; confidence = softmax over cosines (temperature 0.05)."""
    label_vecs = embedder.encode([f"{lab.replace('_', ' ')}: {LABEL_DESCRIPTIONS[lab]}" for lab in labels])
    sims = embedder.encode(list(texts)) @ label_vecs.T
    e = np.exp((sims - sims.max(axis=1, keepdims=True)) / 0.05)
    probs = e / e.sum(axis=1, keepdims=True)
    idx = sims.argmax(axis=1)
    return [labels[i] for i in idx], [float(probs[r, i]) for r, i in enumerate(idx)]
