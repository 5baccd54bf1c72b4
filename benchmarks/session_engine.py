"""Session engine overhead on SQLite: the database work behind the web app's non-LLM pages.

Builds one user with N finished sessions (5 bank questions each, every answer scored by a constant scorer, so
no model runs), then times the engine calls a page makes. This isolates the engine and the store from the
models: question generation and scoring costs are in the generation benchmark and the scorer's docs.

    python benchmarks/session_engine.py --sessions 50 --write
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import peak_rss_mb, write_section

RESUME = "EXPERIENCE\n" + "\n".join(
    f"- Built service {i} in Python and cut p95 latency by {10 + i}% for 2M users" for i in range(12)
)
JD = "Machine Learning Engineer\nTrain, serve and monitor PyTorch models on Kubernetes with FastAPI and Airflow."


def timed(fn: Callable[[], object], repeats: int) -> tuple[float, float]:
    """Median and p95 in milliseconds, after one warm-up call."""
    fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--sessions", type=int, default=50)
    p.add_argument("--repeats", type=int, default=30)
    p.add_argument("--write", action="store_true")
    args = p.parse_args()

    from interviewmate.accounts import get_or_create_local_user
    from interviewmate.coaching.progress import progress
    from interviewmate.coaching.report import session_report, to_markdown
    from interviewmate.coaching.session import CoachService
    from interviewmate.config import Settings
    from interviewmate.domain import Feedback
    from interviewmate.models.backends import FakeBackend
    from interviewmate.models.embedder import HashingEmbedder
    from interviewmate.store import create_db_engine, make_session_factory, upgrade

    def scorer(question: object, answer: str, context: object) -> Feedback:
        return Feedback(60.0, {"technical": {"score": 60.0, "missed": ["a key point"]}}, ())

    url = f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.db'}"
    upgrade(url)
    engine = create_db_engine(url)
    factory = make_session_factory(engine)
    coach = CoachService(factory, Settings(), FakeBackend(), HashingEmbedder(), scorer=scorer)
    with factory() as db:
        user = get_or_create_local_user(db).id
    resume = coach.add_resume(user, "cv.txt", RESUME.encode())
    jd = coach.add_job_description(user, JD)
    start = time.perf_counter()
    for _ in range(args.sessions):
        sid = coach.start_session(user, resume, jd, interview_type="technical", difficulty="medium", n=5)
        while (q := coach.next_question(user, sid)) is not None:
            coach.score(user, coach.submit_answer(user, q.id, "I would profile first, then cache."))
        coach.finish(user, sid)
    build_s = time.perf_counter() - start
    q0 = coach.get_session(user, sid).questions[0]

    def answer_and_score() -> None:
        coach.score(user, coach.submit_answer(user, q0.id, "A retry of the first question."))

    calls: list[tuple[str, Callable[[], object]]] = [
        ("list_sessions (dashboard)", lambda: coach.list_sessions(user)),
        ("get_session (session page)", lambda: coach.get_session(user, sid)),
        ("resume_point / next_question", lambda: coach.resume_point(user, sid)),
        ("submit_answer + score (constant scorer)", answer_and_score),
        ("session_report + to_markdown", lambda: to_markdown(session_report(coach, user, sid))),
        ("progress (all sessions)", lambda: progress(factory, user)),
    ]
    rows = []
    for name, fn in calls:
        median, p95 = timed(fn, args.repeats)
        rows.append(f"| {name} | {median:.1f} | {p95:.1f} |")
        print(f"{name:45s} median {median:7.1f} ms   p95 {p95:7.1f} ms")
    engine.dispose()
    per_session = 1000 * build_s / args.sessions
    body = "\n".join(
        [
            "| call | median ms | p95 ms |",
            "|---|---|---|",
            *rows,
            "",
            f"One user, {args.sessions} finished sessions of 5 scored bank questions on SQLite (WAL), "
            f"{args.repeats} timed calls each after a warm-up; a constant scorer and an empty fake backend, so "
            f"no model runs. Building the data took {per_session:.0f} ms per session "
            f"(plan + 5 x (submit + score) + finish). Peak RSS {peak_rss_mb():.0f} MB.",
        ]
    )
    print(body)
    if args.write:
        write_section(
            "Session engine (SQLite)",
            f"python benchmarks/session_engine.py --sessions {args.sessions} --write",
            body,
        )


if __name__ == "__main__":
    main()
