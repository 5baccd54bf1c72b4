from __future__ import annotations

from interviewmate.domain import Bullet
from interviewmate.models.embedder import HashingEmbedder
from interviewmate.retrieval.grounding import (
    DEFAULT_THRESHOLD,
    check_claims,
    is_claim,
    names_in,
    numbers_in,
    split_sentences,
)

BULLETS = [
    Bullet(
        "Reduced API p95 latency by 40% by adding Redis caching to the payments service at Acme", "Work", 0
    ),
    Bullet("Built a churn model in Python and scikit-learn that saved $120K a year", "Work", 1),
    Bullet("Cut cloud spend by 25% by moving nightly batch jobs to spot instances", "Work", 2),
]
EMB = HashingEmbedder()


def test_a_retold_bullet_is_supported_and_cites_its_bullet() -> None:
    [check] = check_claims(
        "I reduced API p95 latency by 40% by adding Redis caching at Acme [1].", BULLETS, EMB
    )
    assert check.supported, check.reason
    assert check.bullet_number == 1 and check.similarity >= DEFAULT_THRESHOLD
    assert "[1]" not in check.sentence


def test_money_with_another_spelling_still_matches() -> None:
    [check] = check_claims("I built a churn model in Python that saved $120k a year.", BULLETS, EMB)
    assert check.supported and check.bullet_number == 2, check.reason


def test_wrong_number_is_unsupported_and_says_which_number() -> None:
    [check] = check_claims("I reduced API p95 latency by 60% by adding Redis caching at Acme.", BULLETS, EMB)
    assert not check.supported
    assert check.bullet_number == 1
    assert check.reason == "mentions 60% but no bullet says 60%"


def test_number_from_an_unrelated_bullet_does_not_count() -> None:
    # 25% is on the cloud-spend bullet, not on the latency one this sentence retells
    [check] = check_claims("I reduced API p95 latency by 25% with Redis caching at Acme.", BULLETS, EMB)
    assert not check.supported and "25%" in check.reason and "something else" in check.reason


def test_invented_employer_is_unsupported() -> None:
    [check] = check_claims("At Google I built a churn model in Python that saved $120K a year.", BULLETS, EMB)
    assert not check.supported
    assert "Google" in check.reason and check.bullet_number == 2


def test_unrelated_claim_is_below_threshold() -> None:
    [check] = check_claims("I organised the office football tournament every summer.", BULLETS, EMB)
    assert not check.supported and "no bullet is close" in check.reason


def test_questions_opinions_and_definitions_are_not_claims() -> None:
    answer = (
        "What does caching buy you? Caching stores results so repeated reads are fast. "
        "I think testing matters a lot. I would start by profiling the service."
    )
    assert check_claims(answer, BULLETS, EMB) == []
    assert is_claim("We shipped the model to production.")
    assert is_claim("Latency fell by 40% after the change.")  # a figure is a claim even without "I"
    assert not is_claim("Is it 40%?")


def test_empty_answer_gives_no_checks() -> None:
    assert check_claims("", BULLETS, EMB) == []
    assert check_claims("   \n ", BULLETS, EMB) == []


def test_no_bullets_makes_every_claim_unsupported() -> None:
    checks = check_claims("I led the migration. I cut costs by 25%.", [], EMB)
    assert [c.supported for c in checks] == [False, False]
    assert all(c.bullet_number is None and "no resume bullets" in c.reason for c in checks)


def test_fact_extraction() -> None:
    assert numbers_in("$1.2M, 40 percent, 1,000 users, 3x faster, p95") == {"$1.2m", "40%", "1000", "3x"}
    assert names_in("Then I moved the jobs from Cron to Airflow on AWS.") == {"Cron", "Airflow", "AWS"}
    assert names_in("PyTorch was new to me") == {"PyTorch"}
    assert split_sentences("One. Two!\nThree? ") == ["One.", "Two!", "Three?"]


def test_employer_from_the_resume_header_counts_when_resume_text_is_given() -> None:
    raw = "Backend Engineer, Tallyhive (2021 - present)\n- " + "\n- ".join(b.text for b in BULLETS)
    claim = "In 2021 at Tallyhive I built a churn model in Python that saved $120K a year."
    [without] = check_claims(claim, BULLETS, EMB)
    [with_text] = check_claims(claim, BULLETS, EMB, resume_text=raw)
    assert not without.supported and "Tallyhive" in without.reason and "2021" in without.reason
    assert with_text.supported, with_text.reason
    # figures other than years still have to come from a close bullet
    [wrong] = check_claims(claim.replace("$120K", "$300K"), BULLETS, EMB, resume_text=raw)
    assert not wrong.supported and "$300k" in wrong.reason
