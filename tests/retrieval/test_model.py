from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest

from interviewmate.models.embedder import HashingEmbedder
from interviewmate.retrieval.examples import RetrievalSplit
from interviewmate.retrieval.query import DEFAULT_QUERY_FORM, QUERY_FORMS, build_query, jd_summary


class OracleEmbedder:
    """Embeds every query of `split` exactly like its positive bullet: a perfect retriever, for tests."""

    def __init__(self, split: RetrievalSplit) -> None:
        self.name = "oracle"
        self._inner = HashingEmbedder()
        self._answer = {
            e.query(form): split.text(e.resume_id, e.positive_id)
            for e in split.examples
            for form in QUERY_FORMS
        }

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        return self._inner.encode([self._answer.get(t, t) for t in texts])


JD = "We build search for groceries. You will own ranking models and A/B tests. " + "More detail here. " * 60


def test_query_forms_differ_and_keep_the_question_first() -> None:
    q = "  How did you evaluate the ranking model?  "
    forms = {form: build_query(q, JD, form) for form in QUERY_FORMS}
    assert forms["question"] == q.strip()
    assert all(text.startswith(q.strip()) for text in forms.values())
    assert len(forms["question"]) < len(forms["jd_summary+question"]) < len(forms["jd+question"])
    assert "[JOB]" in forms["jd_summary+question"] and "groceries" in forms["jd_summary+question"]
    assert DEFAULT_QUERY_FORM in QUERY_FORMS


def test_without_a_jd_every_form_is_the_question() -> None:
    assert {build_query("Why this team?", None, form) for form in QUERY_FORMS} == {"Why this team?"}
    assert {build_query("Why this team?", "", form) for form in QUERY_FORMS} == {"Why this team?"}


def test_jd_summary_is_cut_to_the_word_budget() -> None:
    assert len(jd_summary(JD, words=12).split()) == 12
    assert jd_summary("Short one. Two.", words=40) == "Short one. Two."


def test_load_retriever_base_and_missing_tuned(tmp_path: object) -> None:
    from pathlib import Path

    from interviewmate.config import Settings
    from interviewmate.errors import ModelUnavailableError
    from interviewmate.retrieval.model import load_tuned_model

    with pytest.raises(ModelUnavailableError, match="train retriever"):
        load_tuned_model(Settings(), Path(str(tmp_path)) / "nothing")


@pytest.mark.slow
def test_shipped_tuned_retriever_beats_base_on_held_out_pairs() -> None:
    """Every 8th held-out test pair (test resumes are unseen in training): the shipped retriever must put the
    positive bullet first for at least 55% of them, and for at least 10 points more of them than the base."""
    from interviewmate.config import Settings
    from interviewmate.data import CORPUS_DIR
    from interviewmate.retrieval.evaluate import evaluate_embedder
    from interviewmate.retrieval.examples import load_split
    from interviewmate.retrieval.model import load_retriever

    full = load_split(CORPUS_DIR, "test")
    subset = RetrievalSplit(full.examples[::8], full.bullets)
    settings = Settings()
    tuned = evaluate_embedder(load_retriever(settings, "tuned"), subset, DEFAULT_QUERY_FORM).metrics["hit@1"]
    base = evaluate_embedder(load_retriever(settings, "base"), subset, DEFAULT_QUERY_FORM).metrics["hit@1"]
    assert len(subset.examples) >= 30
    assert tuned >= 0.55 and tuned >= base + 0.10, f"tuned hit@1 {tuned:.2f}, base {base:.2f}"
