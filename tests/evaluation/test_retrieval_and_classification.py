from __future__ import annotations

import math

import pytest

from interviewmate.evaluation.classification import classification_report, expected_calibration_error
from interviewmate.evaluation.retrieval_metrics import (
    hit_at_k,
    mrr_at_k,
    ndcg_at_k,
    precision_at_k,
    recall_at_k,
    retrieval_report,
)

RANKED = ["b", "a", "c", "d"]


@pytest.mark.parametrize(
    ("fn", "k", "expected"),
    [
        (hit_at_k, 1, 0.0),
        (hit_at_k, 2, 1.0),
        (precision_at_k, 2, 0.5),
        (recall_at_k, 2, 0.5),
        (recall_at_k, 4, 1.0),
    ],
)
def test_ranking_metrics_by_hand(fn, k: int, expected: float) -> None:  # type: ignore[no-untyped-def]
    assert fn(RANKED, {"a", "d"}, k) == pytest.approx(expected)


def test_mrr_and_ndcg_by_hand() -> None:
    assert mrr_at_k(RANKED, {"c"}) == pytest.approx(1 / 3)
    assert mrr_at_k(RANKED, {"z"}) == 0.0
    # relevant at ranks 2 and 4: DCG = 1/log2(3) + 1/log2(5); IDCG = 1 + 1/log2(3)
    expected = (1 / math.log2(3) + 1 / math.log2(5)) / (1 + 1 / math.log2(3))
    assert ndcg_at_k(RANKED, {"a", "d"}) == pytest.approx(expected)


def test_retrieval_report_averages_over_queries() -> None:
    rep = retrieval_report([["a", "b"], ["b", "a"]], [{"a"}, {"a"}], ks=(1, 2))
    assert rep["hit@1"] == 0.5 and rep["hit@2"] == 1.0 and rep["mrr@10"] == pytest.approx(0.75)


def test_classification_matches_sklearn() -> None:
    from sklearn.metrics import accuracy_score, confusion_matrix, f1_score

    y_true = ["tech", "tech", "coding", "behavioral", "coding", "tech", "behavioral", "coding"]
    y_pred = ["tech", "coding", "coding", "behavioral", "tech", "tech", "coding", "coding"]
    labels = ["behavioral", "coding", "tech"]
    rep = classification_report(y_true, y_pred, labels)
    assert rep.accuracy == pytest.approx(accuracy_score(y_true, y_pred))
    assert rep.macro_f1 == pytest.approx(f1_score(y_true, y_pred, average="macro"))
    assert rep.confusion == confusion_matrix(y_true, y_pred, labels=labels).tolist()
    assert rep.per_class["tech"]["support"] == 3


def test_expected_calibration_error() -> None:
    assert expected_calibration_error([0.9, 0.9], [True, True]) == pytest.approx(0.1)
    assert expected_calibration_error([0.55, 0.55, 0.55, 0.55], [True, False, True, False]) == pytest.approx(
        0.05
    )
