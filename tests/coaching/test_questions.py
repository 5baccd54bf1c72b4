from __future__ import annotations

import pytest

from interviewmate.coaching.prompts import parse_question_list
from interviewmate.coaching.questions import generate_questions, skills_in
from interviewmate.coaching.roles import resolve_role
from interviewmate.data.corpus import load_bank, skill_vocabulary
from interviewmate.domain import Role
from interviewmate.errors import ConfigError
from interviewmate.models.backends import FakeBackend
from interviewmate.models.embedder import HashingEmbedder

JD = "We need a backend engineer to build payment APIs in Go with PostgreSQL, Kafka and Redis caching at scale."


def test_good_questions_pass_and_bad_ones_are_replaced_from_the_bank() -> None:
    fake = FakeBackend(
        [
            "1. How would you design idempotent payment APIs in Go backed by PostgreSQL?\n"
            "2. How would you design idempotent payment APIs in Go backed by PostgreSQL?\n"  # duplicate
            "3. Bananas are yellow and grow in warm places.\n",  # not a question
            "1. Tell me about my favourite holiday recipes for a family dinner with cheese?",  # off-topic
        ]
    )
    result = generate_questions(
        fake, HashingEmbedder(), load_bank(), "backend_engineer", "system_design", "hard", 3, jd_text=JD
    )
    sources = [q.source for q in result.questions]
    assert len(result.questions) == 3 and sources[0] == "generator" and sources[1:] == ["bank", "bank"]
    assert any("near-duplicate" in n for n in result.notes) and any(
        "not a question" in n for n in result.notes
    )
    assert any("off-topic" in n for n in result.notes)
    assert len(fake.calls) == 2 and fake.calls[1][1].temperature > 0, "one regeneration, sampled"
    bank_ids = {q.id: q for q in load_bank()}
    for q in result.questions[1:]:
        item = bank_ids[q.bank_id or ""]
        assert (item.role, item.interview_type) == ("backend_engineer", "system_design")
    assert result.to_json()["questions"][1]["source"] == "bank"  # type: ignore[index]


def test_parse_question_list_strips_numbering() -> None:
    assert parse_question_list("1. A?\n2) B?\n- C?\n\n") == ["A?", "B?", "C?"]


def test_skills_in_finds_known_skills_in_order() -> None:
    found = skills_in(JD, skill_vocabulary())
    assert "Go" in found or "Kafka" in found
    assert found == sorted(found, key=lambda s: JD.lower().find(s.lower()))
    assert len({s.lower() for s in found}) == len(found)


@pytest.mark.parametrize(
    ("text", "role"),
    [
        ("Senior MLE", Role.ML_ENGINEER),
        ("ai engineer", Role.AI_ENGINEER),
        ("backend dev", Role.BACKEND_ENGINEER),
        ("Staff Data Scientist", Role.DATA_SCIENTIST),
        ("data_analyst", Role.DATA_ANALYST),
        ("junior analytics engineer", Role.DATA_ENGINEER),
    ],
)
def test_resolve_role(text: str, role: Role) -> None:
    assert resolve_role(text) is role


def test_unknown_role_lists_the_known_ones() -> None:
    # no CLI flag in the text: the web form shows the same message
    with pytest.raises(ConfigError, match=r"^role 'astronaut': not a role I know; try one of data_scientist"):
        resolve_role("astronaut")


@pytest.mark.parametrize(
    ("text", "role"),
    [
        ("LLM applications developer working on RAG agents", Role.AI_ENGINEER),
        ("dashboard and reporting person", Role.DATA_ANALYST),
    ],
)
def test_unlisted_titles_map_to_the_nearest_role(text: str, role: Role) -> None:
    from interviewmate.models.embedder import SentenceEmbedder

    assert resolve_role(text, SentenceEmbedder()) is role


def test_a_jd_title_that_names_no_role_asks_for_one() -> None:
    from interviewmate.coaching.session_plan import choose_role

    with pytest.raises(
        ConfigError, match=r"the job description's title 'About us' names none I know: pick a role"
    ):
        choose_role(None, "About us", None, None)  # type: ignore[arg-type]
    assert choose_role(None, "Senior Data Engineer", None, None) == "data_engineer"  # type: ignore[arg-type]
