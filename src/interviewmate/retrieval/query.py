"""The text a retriever embeds for "which of my bullets answers this question for this job?".

Three forms are compared in the retriever's ablation (docs/model_card_retriever.md); the service uses
DEFAULT_QUERY_FORM.
"""

from __future__ import annotations

import re
from typing import Literal

QueryForm = Literal["question", "jd_summary+question", "jd+question"]
QUERY_FORMS: tuple[QueryForm, ...] = ("question", "jd_summary+question", "jd+question")
DEFAULT_QUERY_FORM: QueryForm = "jd_summary+question"
SUMMARY_WORDS = 40  # MiniLM reads 256 word pieces; a long JD would push the question out of the window


def jd_summary(jd_text: str, words: int = SUMMARY_WORDS) -> str:
    """The JD's first sentences, cut to about `words` words: the role and what it is about."""
    sentences = re.split(r"(?<=[.!?])\s+", jd_text.strip())
    out: list[str] = []
    for sentence in sentences:
        out.extend(sentence.split())
        if len(out) >= words:
            break
    return " ".join(out[:words])


def build_query(question: str, jd_text: str | None = None, form: QueryForm = DEFAULT_QUERY_FORM) -> str:
    """The query text for one (question, JD) pair; without a JD every form is the question alone."""
    question = question.strip()
    if not jd_text or form == "question":
        return question
    if form == "jd_summary+question":
        return f"{question} [JOB] {jd_summary(jd_text)}"
    return f"{question} [JOB] {jd_text.strip()}"
