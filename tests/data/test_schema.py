from __future__ import annotations

import pytest

from interviewmate.data.schema import QuestionItem, is_question_or_imperative


@pytest.mark.parametrize(
    "text",
    [
        "What is a p-value?",
        "Walk me through how you would design a feature store.",
        "Our churn model's AUC fell from 0.82 to 0.71 after a release. Explain what you would check first.",
        "Given a stream of events, find the top ten users by count in each hour.",
        "Implement, verbally, a rate limiter for an API gateway.",
    ],
)
def test_questions_and_imperatives_pass(text: str) -> None:
    assert is_question_or_imperative(text)


@pytest.mark.parametrize(
    "text",
    ["Our churn model's AUC fell after a release.", "I like pandas.", "The cache was cold", ""],
)
def test_statements_fail(text: str) -> None:
    assert not is_question_or_imperative(text)


def _item(**over: object) -> dict[str, object]:
    base: dict[str, object] = {
        "id": "q-ds-9999",
        "role": "data_scientist",
        "interview_type": "technical",
        "difficulty": "easy",
        "topic": "overfitting",
        "question": "What is overfitting and how do you detect it?",
        "reference_answer": " ".join(["word"] * 80),
        "key_points": ["a", "b", "c"],
        "follow_ups": ["How would you fix it?"],
    }
    base.update(over)
    return base


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"reference_answer": "too short"}, "reference_answer has 2 words"),
        ({"reference_answer": " ".join(["w"] * 201)}, "expected 60-200"),
        ({"key_points": ["a", "b"]}, "at least 3"),
        ({"key_points": list("abcdefg")}, "at most 6"),
        ({"role": "wizard"}, "role"),
        ({"difficulty": "brutal"}, "difficulty"),
        ({"follow_ups": ["This is not a question."]}, "follow-up is not a question"),
        ({"extra": 1}, "Extra inputs"),
    ],
)
def test_question_schema_rejects(override: dict[str, object], message: str) -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match=message):
        QuestionItem.model_validate(_item(**override))
