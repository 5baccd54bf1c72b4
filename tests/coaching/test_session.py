from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from interviewmate.accounts import create_user
from interviewmate.errors import DataError, NotFoundError
from interviewmate.models.backends import FakeBackend
from interviewmate.store.tables import AnswerRecord, FeedbackRecord, QuestionRecord
from tests.coaching.coach_helpers import JD, RESUME, FakeScorer, local, make_coach, migrated_db, started


@pytest.fixture
def factory(tmp_path: Path) -> Iterator[object]:
    engine, factory = migrated_db(tmp_path)
    yield factory
    engine.dispose()


def test_resume_and_jd_are_stored_with_bullets_embeddings_and_role(factory: object) -> None:
    coach = make_coach(factory)
    user = local(factory)
    rid = coach.add_resume(user.id, "cv.txt", RESUME)
    jid = coach.add_job_description(user.id, JD)
    [resume] = coach.list_resumes(user.id)
    assert resume.id == rid and resume.n_bullets == len(coach.resume_bullets(user.id, rid)) > 3
    [jd] = coach.list_job_descriptions(user.id)
    assert (jd.id, jd.title, jd.role) == (jid, "Machine Learning Engineer", "ml_engineer")
    with pytest.raises(DataError):
        coach.add_resume(user.id, "cv.exe", b"hello")


def test_generation_failure_falls_back_to_the_bank_and_questions_are_labelled(factory: object) -> None:
    coach = make_coach(factory)  # the fake backend has no responses: every call raises BackendError
    user = local(factory)
    sid = started(coach, user.id, n=3)
    view = coach.get_session(user.id, sid)
    assert view.summary.role == "ml_engineer" and len(view.questions) == 3
    assert {q.source for q in view.questions} == {"corpus"}
    assert all(q.key_points for q in view.questions), "bank questions carry their key points"
    assert any("generator failed" in n for n in view.notes)
    assert view.route is not None and view.route.type_source == "user"


def test_router_fills_missing_choices_and_explicit_ones_win(factory: object) -> None:
    coach = make_coach(factory)
    user = local(factory)
    jd_id = coach.add_job_description(user.id, JD)
    sid = coach.start_session(user.id, None, jd_id, difficulty="easy", n=2, request="design practice")
    route = coach.get_session(user.id, sid).route
    assert route is not None
    assert (route.interview_type, route.type_source) == ("system_design", "router")
    assert (route.difficulty, route.difficulty_source) == ("easy", "user")
    assert route.low_confidence == ()  # difficulty was the user's, so the router's 0.4 does not matter


def test_answer_is_committed_even_when_the_scorer_raises(factory: object) -> None:
    coach = make_coach(factory, FakeScorer(fail=True))
    user = local(factory)
    sid = started(coach, user.id)
    q = coach.next_question(user.id, sid)
    assert q is not None and q.number == 1
    aid = coach.submit_answer(user.id, q.id, "I would lower the learning rate and clip gradients.")
    fb = coach.score(user.id, aid)
    assert fb.overall is None and not fb.scored and "scoring failed" in fb.notes[0]
    with factory() as db:  # type: ignore[operator]
        saved = db.get(AnswerRecord, aid)
        assert saved is not None and saved.text.startswith("I would lower")
        assert db.scalar(select(FeedbackRecord.overall).where(FeedbackRecord.answer_id == aid)) is None


def test_scorer_gets_the_question_bullets_and_feedback_is_stored(factory: object) -> None:
    scorer = FakeScorer(overall=72.5)
    coach = make_coach(factory, scorer)
    user = local(factory)
    sid = started(coach, user.id)
    q = coach.next_question(user.id, sid)
    assert q is not None
    aid = coach.submit_answer(user.id, q.id, "An answer", delivery={"score": 70, "wpm": 140.0})
    fb = coach.score(user.id, aid)
    question, answer, context = scorer.seen[0]
    assert question.text == q.text and answer == "An answer" and question.key_points == q.key_points
    assert len(context.bullets) > 3 and context.delivery == {"score": 70, "wpm": 140.0}
    assert fb.overall == 72.5 and coach.feedback(user.id, aid) == fb
    summary = coach.list_sessions(user.id)[0]
    assert (summary.n_answered, summary.average_overall) == (1, 72.5)


def test_interrupted_session_resumes_at_the_first_unanswered_question(factory: object) -> None:
    user = local(factory)
    sid = started(make_coach(factory), user.id, n=3)
    first = make_coach(factory).next_question(user.id, sid)
    assert first is not None
    make_coach(factory).submit_answer(user.id, first.id, "answer one")
    coach = make_coach(factory)  # a new process: nothing but the DB carries over
    point = coach.resume_point(user.id, sid)
    assert point.question is not None and point.question.number == 2
    assert (point.n_answered, point.n_questions) == (1, 3)
    for _ in range(2):
        q = coach.next_question(user.id, sid)
        assert q is not None
        coach.submit_answer(user.id, q.id, "more")
    assert coach.next_question(user.id, sid) is None
    assert coach.finish(user.id, sid).status == "finished"


def test_another_users_objects_are_not_found(factory: object) -> None:
    coach = make_coach(factory)
    owner = local(factory)
    with factory() as db:  # type: ignore[operator]
        other = create_user(db, "eve@example.com", "long enough password")
    sid = started(coach, owner.id)
    q = coach.next_question(owner.id, sid)
    assert q is not None
    aid = coach.submit_answer(owner.id, q.id, "mine")
    resume_id = coach.get_session(owner.id, sid).summary.resume_id
    for call in (
        lambda: coach.get_session(other.id, sid),
        lambda: coach.next_question(other.id, sid),
        lambda: coach.submit_answer(other.id, q.id, "stolen"),
        lambda: coach.score(other.id, aid),
        lambda: coach.finish(other.id, sid),
        lambda: coach.get_question(other.id, q.id),
        lambda: coach.get_session(owner.id, 10_000),
        lambda: coach.get_session(owner.id, 10**30),  # past 64-bit keys: not found, not an OverflowError
        lambda: coach.get_question(owner.id, -1),
        lambda: coach.start_session(other.id, resume_id, None, role="mle", interview_type="coding", n=1),
        lambda: coach.resume_bullets(other.id, resume_id),
        lambda: coach.sample_answer(other.id, q.id),
        lambda: coach.maybe_follow_up(other.id, aid),
    ):
        with pytest.raises(NotFoundError):
            call()
    assert coach.list_sessions(other.id) == []
    with factory() as db:  # type: ignore[operator]
        assert db.scalars(select(AnswerRecord.text)).all() == ["mine"]


def test_weak_answer_gets_one_follow_up_right_after_its_question(factory: object) -> None:
    coach = make_coach(factory, FakeScorer(overall=20.0))
    user = local(factory)
    sid = started(coach, user.id, n=3)
    before = coach.get_session(user.id, sid).questions
    aid = coach.submit_answer(user.id, before[0].id, "not sure")
    coach.score(user.id, aid)
    follow = coach.maybe_follow_up(user.id, aid)
    assert follow is not None and follow.source == "follow_up" and follow.follow_up_of == before[0].id
    after = coach.get_session(user.id, sid).questions
    assert [q.id for q in after] == [before[0].id, follow.id, before[1].id, before[2].id]
    assert [q.number for q in after] == [1, 2, 3, 4] and follow.number == 2
    assert coach.next_question(user.id, sid) == after[1]
    assert coach.maybe_follow_up(user.id, aid) is None, "one follow-up per question"
    fid = coach.submit_answer(user.id, follow.id, "still not sure")
    coach.score(user.id, fid)
    assert coach.maybe_follow_up(user.id, fid) is None, "no follow-up of a follow-up"
    with factory() as db:  # type: ignore[operator]
        positions = db.scalars(select(QuestionRecord.position).where(QuestionRecord.session_id == sid)).all()
        assert sorted(positions) == [0, 1, 2, 3]


def test_bank_follow_up_is_the_corpus_one_and_strong_answers_get_none(factory: object) -> None:
    from interviewmate.data.corpus import load_bank

    weak = make_coach(factory, FakeScorer(overall=10.0))
    user = local(factory)
    sid = started(weak, user.id, n=2)
    q = weak.next_question(user.id, sid)
    assert q is not None and q.source == "corpus"
    aid = weak.submit_answer(user.id, q.id, "no idea")
    weak.score(user.id, aid)
    follow = weak.maybe_follow_up(user.id, aid)
    bank = {b.question: b for b in load_bank()}
    assert follow is not None and follow.text == bank[q.text].follow_ups[0]
    strong = make_coach(factory, FakeScorer(overall=90.0))
    q2 = strong.next_question(user.id, sid)
    assert q2 is not None and q2.id != q.id
    aid2 = strong.submit_answer(user.id, q2.id, "great answer")
    strong.score(user.id, aid2)
    assert strong.maybe_follow_up(user.id, aid2) is None


def test_retry_keeps_both_answers_and_average_uses_the_latest(factory: object) -> None:
    user = local(factory)
    low = make_coach(factory, FakeScorer(overall=40.0))
    sid = started(low, user.id, n=1)
    q = low.next_question(user.id, sid)
    assert q is not None
    with pytest.raises(DataError):
        low.retry(user.id, q.id, "too early")
    low.score(user.id, low.submit_answer(user.id, q.id, "first try"))
    high = make_coach(factory, FakeScorer(overall=85.0))
    high.score(user.id, high.retry(user.id, q.id, "second try"))
    view = high.get_session(user.id, sid)
    assert [a.text for a in view.answers[q.id]] == ["first try", "second try"]
    assert view.summary.average_overall == 85.0


def test_session_page_summary_agrees_with_the_listing_summary(factory: object) -> None:
    """get_session counts from the loaded rows, list_sessions in SQL: retries, unscored and unanswered
    questions must come out the same both ways."""
    user = local(factory)
    low = make_coach(factory, FakeScorer(overall=40.0))
    sid = started(low, user.id, n=3)
    first, second, _third = low.get_session(user.id, sid).questions
    low.score(user.id, low.submit_answer(user.id, first.id, "first try"))
    high = make_coach(factory, FakeScorer(overall=90.0))
    high.score(user.id, high.retry(user.id, first.id, "second try"))
    low.retry(user.id, first.id, "third try, not scored yet")
    low.submit_answer(user.id, second.id, "answered, never scored")
    other = started(low, user.id, n=2)  # a second session: the listing must not mix their rows
    low.score(user.id, low.submit_answer(user.id, low.get_session(user.id, other).questions[0].id, "x"))

    listed = {s.id: s for s in low.list_sessions(user.id)}
    for session_id in (sid, other):
        assert low.get_session(user.id, session_id).summary == listed[session_id]
    assert (listed[sid].n_questions, listed[sid].n_answered, listed[sid].average_overall) == (3, 2, 90.0)
    assert (listed[other].n_questions, listed[other].n_answered, listed[other].average_overall) == (
        2,
        1,
        40.0,
    )


def test_bad_inputs_are_data_errors(factory: object) -> None:
    coach = make_coach(factory)
    user = local(factory)
    with pytest.raises(DataError):
        coach.add_job_description(user.id, "too short")
    with pytest.raises(DataError):
        coach.start_session(user.id, None, None, role="ml engineer", interview_type="technical", n=0)
    sid = started(coach, user.id, n=1)
    q = coach.next_question(user.id, sid)
    assert q is not None
    with pytest.raises(DataError):
        coach.submit_answer(user.id, q.id, "x", modality="smell")
    with pytest.raises(DataError, match="empty"):
        coach.submit_answer(user.id, q.id, "  \n ")
    assert coach.submit_answer(user.id, q.id, "", modality="audio", duration_s=3.0) > 0  # silence is kept
    with pytest.raises(DataError):
        coach.submit_answer(user.id, q.id, "x", duration_s=float("nan"))
    coach.finish(user.id, sid)
    with pytest.raises(DataError, match="is finished"):
        coach.retry(user.id, q.id, "a better answer after the report")


def test_sample_answer_cites_the_sessions_own_bullets(factory: object) -> None:
    backend = FakeBackend()
    coach = make_coach(factory, backend=backend)
    user = local(factory)
    sid = started(coach, user.id, n=1)
    q = coach.next_question(user.id, sid)
    assert q is not None
    backend.queue("I deployed and monitored the model in production myself [1].")
    sample = coach.sample_answer(user.id, q.id, k=3)
    bullets = coach.resume_bullets(user.id, coach.get_session(user.id, sid).summary.resume_id or 0)
    assert len(sample.bullets) == 3 and [b.number for b in sample.bullets] == [1, 2, 3]
    assert {b.text for b in sample.bullets} <= {b.text for b in bullets}
    assert sample.text.startswith("I deployed") and "[1]" in sample.text
    no_resume = coach.start_session(user.id, None, None, role="ml engineer", interview_type="technical", n=1)
    q2 = coach.next_question(user.id, no_resume)
    assert q2 is not None
    empty = coach.sample_answer(user.id, q2.id)
    assert empty.text == "" and empty.bullets == () and "no resume" in empty.notes[0]
    with pytest.raises(NotFoundError):
        coach.sample_answer(user.id + 1, q.id)


def test_real_scorer_weak_answer_to_a_generated_question_gets_a_probe(factory: object) -> None:
    from interviewmate.coaching.scoring import score_answer
    from interviewmate.coaching.session import CoachService
    from interviewmate.config import Settings
    from interviewmate.data.schema import is_question_or_imperative
    from interviewmate.models.embedder import HashingEmbedder

    backend = FakeBackend(
        [
            "1. How would you monitor PyTorch model serving latency with FastAPI on Kubernetes?\n"
            "2. How would you debug PyTorch training runs that diverge on Kubernetes?"
        ]
    )
    coach = CoachService(factory, Settings(), backend, HashingEmbedder(), scorer=score_answer)  # type: ignore[arg-type]
    user = local(factory)
    sid = started(coach, user.id, n=2)
    q = coach.next_question(user.id, sid)
    assert q is not None and q.source == "generator" and q.topic in {"PyTorch", "FastAPI", "Kubernetes"}
    weak = coach.score(user.id, coach.submit_answer(user.id, q.id, "Not sure."))
    assert weak.overall is not None and weak.overall < 50 and "technical" in weak.components
    assert "grounding" in weak.components or any("grounding" in n for n in weak.notes)
    follow = coach.maybe_follow_up(user.id, weak.answer_id)
    assert follow is not None and follow.number == 2 and is_question_or_imperative(follow.text)
    assert q.topic in follow.text


@pytest.mark.postgres
def test_follow_up_insertion_and_resume_on_postgres() -> None:
    """The position shift must hold the (session, position) unique constraint on PostgreSQL too."""
    import os

    from interviewmate.store import create_db_engine, downgrade, make_session_factory, upgrade

    url = os.environ.get("INTERVIEWMATE_TEST_POSTGRES_URL")
    if not url:
        if os.environ.get("CI"):
            pytest.fail("CI must provide INTERVIEWMATE_TEST_POSTGRES_URL")
        pytest.skip("set INTERVIEWMATE_TEST_POSTGRES_URL to run against PostgreSQL")
    downgrade(url)
    upgrade(url)
    engine = create_db_engine(url)
    try:
        factory = make_session_factory(engine)
        coach = make_coach(factory, FakeScorer(overall=10.0))
        user = local(factory)
        sid = started(coach, user.id, n=3)
        first, second, _ = coach.get_session(user.id, sid).questions
        for q in (second, first):  # the later question first: two follow-ups, two shifts
            coach.score(user.id, aid := coach.submit_answer(user.id, q.id, "no idea"))
            assert coach.maybe_follow_up(user.id, aid) is not None
        order = [(q.follow_up_of, q.number) for q in coach.get_session(user.id, sid).questions]
        assert order == [(None, 1), (first.id, 2), (None, 3), (second.id, 4), (None, 5)]
        point = coach.resume_point(user.id, sid)
        assert point.question is not None and point.question.follow_up_of == first.id
    finally:
        engine.dispose()
        downgrade(url)


def test_follow_up_text_probes_what_the_feedback_says_is_missing() -> None:
    from interviewmate.coaching.session_follow_up import follow_up_text
    from interviewmate.data.schema import is_question_or_imperative
    from interviewmate.store.tables import QuestionRecord

    q = QuestionRecord(text="Tell me about a conflict.", topic="", bank_id=None, key_points=[])
    star = {"situation": {"found": True}, "task": {"found": False}, "action": {"found": True}}
    star["result"] = {"found": False}
    text, points = follow_up_text(q, {"behavioral": {"score": 20, "star": star}})
    assert "task and the result" in text and points == [] and is_question_or_imperative(text)
    text, points = follow_up_text(q, {"technical": {"missed": ["idempotency", "retries", "timeouts"]}})
    assert "idempotency; retries" in text and "timeouts" not in text and points == ["idempotency", "retries"]
    text, _ = follow_up_text(q, {"technical": "not a dict"})
    assert text.startswith("Let's go deeper on that")


def test_without_a_router_missing_choices_use_labelled_defaults(
    factory: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    from interviewmate.coaching.session import CoachService
    from interviewmate.config import Settings
    from interviewmate.errors import ModelUnavailableError
    from interviewmate.models.embedder import HashingEmbedder
    from interviewmate.routing import service

    def missing() -> object:
        raise ModelUnavailableError("no trained router")

    monkeypatch.setattr(service, "load_default_router", missing)
    coach = CoachService(factory, Settings(), FakeBackend(), HashingEmbedder(), scorer=FakeScorer())  # type: ignore[arg-type]
    user = local(factory)
    sid = coach.start_session(user.id, None, None, role="data analyst", difficulty="hard", n=1)
    view = coach.get_session(user.id, sid)
    assert view.route is not None
    assert (view.route.interview_type, view.route.type_source) == ("technical", "default")
    assert (view.route.difficulty, view.route.difficulty_source) == ("hard", "user")
    assert any("no router available" in n for n in view.notes)


def test_generated_question_without_a_bank_match_gets_drafted_key_points_once(factory: object) -> None:
    backend = FakeBackend(
        [
            "1. How would you monitor PyTorch model serving latency with FastAPI on Kubernetes?\n"
            "2. How would you debug PyTorch training runs that diverge on Kubernetes?"
        ]
    )
    scorer = FakeScorer()
    coach = make_coach(factory, scorer, backend)
    user = local(factory)
    sid = started(coach, user.id, n=2)
    q = coach.next_question(user.id, sid)
    assert q is not None and q.source == "generator"
    backend.queue(
        "1. p50 and p95 latency\n2. request tracing\n3. autoscaling on queue depth\n4. alerting on error budgets"
    )
    first = coach.score(user.id, coach.submit_answer(user.id, q.id, "I would track p95 latency per route."))
    assert scorer.seen[-1][0].key_points == (
        "p50 and p95 latency",
        "request tracing",
        "autoscaling on queue depth",
        "alerting on error budgets",
    )
    assert any("drafted by the generator" in n for n in first.notes)
    # a retry reuses the stored key points: no second generator call (the queue is empty, so one would fail)
    second = coach.score(user.id, coach.retry(user.id, q.id, "I would add tracing and alerts."))
    assert scorer.seen[-1][0].key_points[0] == "p50 and p95 latency"
    assert not any("drafted" in n or "could not draft" in n for n in second.notes)
