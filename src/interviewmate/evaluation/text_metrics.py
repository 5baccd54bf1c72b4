"""Text metrics as thin wrappers over the reference libraries (rouge-score, sacrebleu, nltk).

Golden values in tests/evaluation/golden come from calling those libraries directly; these wrappers must match.
"""

from __future__ import annotations

import re
import string
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from interviewmate.models.embedder import Embedder

METRICS = ("rouge1", "rouge2", "rougeL", "rougeLsum", "bleu", "meteor", "exact_match", "semantic_similarity")
_SENT = re.compile(r"(?<=[.!?])\s+")


def rouge(predictions: Sequence[str], references: Sequence[str]) -> dict[str, list[float]]:
    """F-measures of ROUGE-1/2/L/Lsum with stemming (Lsum splits sentences onto lines, as rouge-score expects)."""
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL", "rougeLsum"], use_stemmer=True)
    out: dict[str, list[float]] = {k: [] for k in ("rouge1", "rouge2", "rougeL", "rougeLsum")}
    for pred, ref in zip(predictions, references, strict=True):
        scores = scorer.score("\n".join(_SENT.split(ref.strip())), "\n".join(_SENT.split(pred.strip())))
        for k in out:
            out[k].append(scores[k].fmeasure)
    return out


def sentence_bleu(predictions: Sequence[str], references: Sequence[str]) -> list[float]:
    """sacrebleu sentence BLEU (with its default exp smoothing), scaled to 0-1."""
    import sacrebleu

    return [sacrebleu.sentence_bleu(p, [r]).score / 100 for p, r in zip(predictions, references, strict=True)]


def corpus_bleu(predictions: Sequence[str], references: Sequence[str]) -> float:
    import sacrebleu

    return float(sacrebleu.corpus_bleu(list(predictions), [list(references)]).score / 100)


def meteor(predictions: Sequence[str], references: Sequence[str], cache_dir: Path) -> list[float]:
    """nltk METEOR on lower-cased whitespace tokens, with WordNet from the packaged files (no download)."""
    from interviewmate.evaluation.wordnet import ensure_wordnet

    ensure_wordnet(cache_dir)
    from nltk.translate.meteor_score import meteor_score

    return [
        float(meteor_score([r.lower().split()], p.lower().split()))
        for p, r in zip(predictions, references, strict=True)
    ]


def normalise_for_match(text: str) -> str:
    text = text.lower().translate(str.maketrans("", "", string.punctuation))
    text = re.sub(r"\b(a|an|the)\b", " ", text)
    return " ".join(text.split())


def exact_match(predictions: Sequence[str], references: Sequence[str]) -> list[float]:
    return [
        float(normalise_for_match(p) == normalise_for_match(r))
        for p, r in zip(predictions, references, strict=True)
    ]


def semantic_similarity(
    predictions: Sequence[str], references: Sequence[str], embedder: Embedder
) -> list[float]:
    if not predictions:
        return []
    a, b = embedder.encode(list(predictions)), embedder.encode(list(references))
    return [float(x) for x in np.sum(a * b, axis=1)]


def length_ratio(predictions: Sequence[str], references: Sequence[str]) -> list[float]:
    return [len(p.split()) / max(len(r.split()), 1) for p, r in zip(predictions, references, strict=True)]


@dataclass
class TextScores:
    per_item: dict[str, list[float]] = field(default_factory=dict)  # metric -> one value per item
    corpus_bleu: float = 0.0

    def means(self) -> dict[str, float]:
        out = {k: float(np.mean(v)) if v else 0.0 for k, v in self.per_item.items() if k in METRICS}
        out["bleu"] = self.corpus_bleu  # the headline BLEU is the corpus score; per-item BLEU feeds the tests
        return out


def score_texts(
    predictions: Sequence[str], references: Sequence[str], embedder: Embedder, cache_dir: Path
) -> TextScores:
    per_item: dict[str, list[float]] = dict(rouge(predictions, references))
    per_item["bleu"] = sentence_bleu(predictions, references)
    per_item["meteor"] = meteor(predictions, references, cache_dir)
    per_item["exact_match"] = exact_match(predictions, references)
    per_item["semantic_similarity"] = semantic_similarity(predictions, references, embedder)
    per_item["length_ratio"] = length_ratio(predictions, references)
    return TextScores(per_item, corpus_bleu(predictions, references))
