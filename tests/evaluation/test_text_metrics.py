from __future__ import annotations

import json
from pathlib import Path

import pytest

from interviewmate.evaluation import text_metrics as tm
from interviewmate.models.embedder import HashingEmbedder

GOLDEN = json.loads((Path(__file__).parent / "golden" / "golden.json").read_text())
PREDS = [r["prediction"] for r in GOLDEN["items"]]
REFS = [r["reference"] for r in GOLDEN["items"]]


@pytest.mark.parametrize("metric", ["rouge1", "rouge2", "rougeL", "rougeLsum"])
def test_rouge_matches_rouge_score(metric: str) -> None:
    ours = tm.rouge(PREDS, REFS)[metric]
    assert ours == pytest.approx([r[metric] for r in GOLDEN["items"]], abs=1e-9)


def test_bleu_matches_sacrebleu() -> None:
    assert tm.sentence_bleu(PREDS, REFS) == pytest.approx(
        [r["sentence_bleu"] for r in GOLDEN["items"]], abs=1e-9
    )
    assert tm.corpus_bleu(PREDS, REFS) == pytest.approx(GOLDEN["corpus_bleu"], abs=1e-9)


def test_meteor_matches_nltk_offline(tmp_path: Path) -> None:
    ours = tm.meteor(PREDS, REFS, tmp_path)
    assert ours == pytest.approx([r["meteor"] for r in GOLDEN["items"]], abs=1e-9)
    assert (tmp_path / "nltk_data" / "corpora" / "wordnet" / "data.noun").exists()
    assert (
        b"\r\n" not in (tmp_path / "nltk_data" / "corpora" / "wordnet" / "index.noun").read_bytes()[:100000]
    )


@pytest.mark.parametrize(
    ("pred", "ref", "same"),
    [
        ("The answer is 42.", "the answer is 42", True),
        ("An LRU cache!", "lru cache", True),
        ("The answer is 41.", "the answer is 42", False),
    ],
)
def test_exact_match_normalises_case_punctuation_articles(pred: str, ref: str, same: bool) -> None:
    assert tm.exact_match([pred], [ref]) == [float(same)]


def test_score_texts_means_and_identity(tmp_path: Path) -> None:
    scores = tm.score_texts(PREDS, REFS, HashingEmbedder(), tmp_path)
    means = scores.means()
    assert set(means) == set(tm.METRICS)
    assert means["bleu"] == pytest.approx(GOLDEN["corpus_bleu"])
    identical = scores.per_item["exact_match"][3]
    assert identical == 1.0 and scores.per_item["semantic_similarity"][3] == pytest.approx(1.0)
    assert all(
        0.0 <= v <= 1.0 + 1e-9 for k in tm.METRICS for v in scores.per_item[k] if k != "semantic_similarity"
    )
