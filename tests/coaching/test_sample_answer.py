from __future__ import annotations

from interviewmate.coaching.sample_answer import build_sample_answer, check_answer, first_person
from interviewmate.domain import RetrievedBullet
from interviewmate.errors import BackendError
from interviewmate.models.backends import FakeBackend

RETRIEVED = [
    RetrievedBullet(
        "Added a composite index on (account_id, created_at), dropping the invoice list p95 from 1.4 seconds "
        "to 90 ms",
        "Experience",
        1,
        0.71,
        1,
    ),
    RetrievedBullet(
        "Fixed an N+1 query in the team-members endpoint, reducing round trips per request from 51 to 2",
        "Experience",
        5,
        0.62,
        2,
    ),
    RetrievedBullet("Mentored a junior engineer through code reviews", "Experience", 8, 0.30, 3),
]
QUESTION = "Tell me about a time you made a slow query faster."
GOOD = (
    "Our invoice list page was slow, so I read the query plan and added a composite index on account_id and "
    "created_at, which dropped p95 from 1.4 seconds to 90 ms [1]. I also fixed an N+1 query that cut round "
    "trips from 51 to 2 [2]."
)


def test_a_good_answer_is_kept_with_its_citations() -> None:
    fake = FakeBackend([GOOD])
    answer = build_sample_answer(QUESTION, RETRIEVED, fake)
    assert answer.source == "generator" and answer.text == GOOD
    assert answer.cited == (1, 2) and answer.notes == ()
    prompt = fake.calls[0][0][-1].content
    assert "[1] Added a composite index" in prompt and "[3] Mentored" in prompt and QUESTION in prompt
    assert "first person" in prompt


def test_a_citation_of_a_missing_bullet_is_dropped_and_noted() -> None:
    answer = build_sample_answer(
        QUESTION, RETRIEVED, FakeBackend([GOOD.replace("[2]", "[2, 9]") + " See [9]."])
    )
    assert answer.source == "generator" and answer.cited == (1, 2)
    assert "[9]" not in answer.text and "[2]" in answer.text and answer.text.endswith("See.")
    assert any("dropped citation [9]" in n for n in answer.notes)


def test_only_missing_citations_fall_back_to_the_template() -> None:
    answer = build_sample_answer(
        QUESTION, RETRIEVED, FakeBackend(["I added an index and it was faster [9]."])
    )
    assert answer.source == "template"
    assert any("dropped citation [9]" in n for n in answer.notes)
    assert any("cites none of your bullets" in n for n in answer.notes)


def test_no_citations_falls_back_to_a_star_template_from_the_top_bullets() -> None:
    answer = build_sample_answer(QUESTION, RETRIEVED, FakeBackend(["I made the query faster with an index."]))
    assert answer.source == "template" and answer.cited == (1, 2, 3)
    assert (
        answer.text.startswith("Situation:")
        and "Task:" in answer.text
        and "Action and result:" in answer.text
    )
    assert "I added a composite index on (account_id, created_at)" in answer.text and "[1]" in answer.text
    assert "I fixed an N+1 query" in answer.text and "[3]" in answer.text
    # the template states no figure that the bullets do not
    assert check_answer(answer.text, RETRIEVED)[3] is None
    assert any("cites none" in n for n in answer.notes) and any("template" in n for n in answer.notes)


def test_an_invented_number_falls_back_to_the_template() -> None:
    answer = build_sample_answer(QUESTION, RETRIEVED, FakeBackend([GOOD.replace("90 ms", "40 ms")]))
    assert answer.source == "template"
    assert any("mentions 40 but no bullet says 40" in n for n in answer.notes)


def test_backend_failure_and_no_bullets() -> None:
    class Broken(FakeBackend):
        def generate(self, messages, params):  # type: ignore[no-untyped-def]
            raise BackendError("the llama.cpp server is not running")

    answer = build_sample_answer(QUESTION, RETRIEVED, Broken())
    assert answer.source == "template" and any("generator failed" in n for n in answer.notes)
    fake = FakeBackend([GOOD])
    empty = build_sample_answer(QUESTION, [], fake)
    assert empty.source == "template" and empty.cited == () and fake.calls == []
    assert "no resume bullet" in empty.notes[0]


def test_empty_output_is_rejected() -> None:
    assert check_answer("   ", RETRIEVED)[3] == "the generator returned no text"


def test_first_person() -> None:
    assert first_person("Built a Slack bot.") == "I built a Slack bot"
    assert first_person("Reduced costs by 20%") == "I reduced costs by 20%"
    assert first_person("Team lead for 4 engineers") == "my resume says: Team lead for 4 engineers"
