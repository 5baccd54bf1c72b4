from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from interviewmate.accounts import create_user
from interviewmate.coaching.progress import progress
from interviewmate.coaching.report import session_report, to_markdown
from tests.coaching.coach_helpers import FakeScorer, local, make_coach, migrated_db, started


@pytest.fixture
def factory(tmp_path: Path) -> Iterator[object]:
    engine, factory = migrated_db(tmp_path)
    yield factory
    engine.dispose()


def answer_all(factory: object, user_id: int, sid: int, overall: float, prefix: str) -> None:
    coach = make_coach(factory, FakeScorer(overall=overall))
    while (q := coach.next_question(user_id, sid)) is not None:
        coach.score(user_id, coach.submit_answer(user_id, q.id, f"{prefix} answer to {q.number}"))


def test_report_has_every_answer_its_score_and_unanswered_questions(factory: object) -> None:
    coach = make_coach(factory, FakeScorer(overall=64.0))
    user = local(factory)
    sid = started(coach, user.id, n=3)
    q1 = coach.next_question(user.id, sid)
    assert q1 is not None
    coach.score(user.id, coach.submit_answer(user.id, q1.id, "First line of my answer.\n\nSecond paragraph."))
    q2 = coach.get_session(user.id, sid).questions[1]
    coach.submit_answer(user.id, q2.id, "An unscored answer")
    report = session_report(coach, user.id, sid)
    assert [q.overall for q in report.questions] == [64.0, None, None]
    assert report.overall_average == 64.0 and report.component_averages == {"technical": 64.0}
    assert report.questions[0].missed_key_points == (q1.key_points[0],)
    md = to_markdown(report)
    assert "> First line of my answer.\n>\n> Second paragraph." in md
    assert "> An unscored answer" in md and "_Not answered._" in md
    assert "**Score: 64/100**" in md and f"## 1. {q1.text}" in md
    assert report.to_json()["questions"][1]["answer"] == "An unscored answer"


def test_progress_trend_topics_and_weak_areas(factory: object) -> None:
    user = local(factory)
    first = started(make_coach(factory), user.id, n=2)
    answer_all(factory, user.id, first, 40.0, "weak")
    second = started(make_coach(factory), user.id, n=2)
    answer_all(factory, user.id, second, 70.0, "better")
    p = progress(factory, user.id)  # type: ignore[arg-type]
    assert p.n_sessions == 2 and p.n_scored == 4
    assert [(t.session_id, t.average) for t in p.trends["technical"]] == [(first, 40.0), (second, 70.0)]
    assert p.change("technical") == 30.0 and p.change("behavioral") is None
    assert p.topics and all(t.interview_type == "technical" for t in p.topics)
    assert p.topics == tuple(sorted(p.topics, key=lambda t: (t.average, t.topic)))
    repeated = [t for t in p.topics if t.n_scored > 1]  # the same bank topics come up in both sessions
    assert (
        repeated
        and all(t.change == 30.0 for t in repeated)
        and all(t.change is None for t in p.topics if t.n_scored == 1)
    )
    assert sum(n for _, n in p.missed_key_points) >= 2 and p.missed_key_points[0][1] >= 1
    assert p.weakest_components[0].name == "technical" and p.weakest_components[0].n_scored == 4
    assert p.to_json()["n_scored"] == 4


def test_a_retry_replaces_the_earlier_score_and_other_users_see_nothing(factory: object) -> None:
    user = local(factory)
    sid = started(make_coach(factory), user.id, n=1)
    answer_all(factory, user.id, sid, 30.0, "first")
    q = make_coach(factory).get_session(user.id, sid).questions[0]
    better = make_coach(factory, FakeScorer(overall=90.0))
    better.score(user.id, better.retry(user.id, q.id, "second try"))
    p = progress(factory, user.id)  # type: ignore[arg-type]
    assert p.n_scored == 1 and p.trends["technical"][0].average == 90.0
    with factory() as db:  # type: ignore[operator]
        other = create_user(db, "eve@example.com", "long enough password")
    empty = progress(factory, other.id)  # type: ignore[arg-type]
    assert (empty.n_sessions, empty.n_scored, empty.trends, empty.topics) == (0, 0, {}, ())
