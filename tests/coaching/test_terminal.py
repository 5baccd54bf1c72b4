from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from interviewmate.cli import app
from interviewmate.coaching import terminal
from interviewmate.coaching.session import CoachService
from interviewmate.coaching.terminal import Typed, read_answer, run_interview
from interviewmate.errors import DataError
from tests.coaching.coach_helpers import JD, RESUME, FakeScorer, make_coach, migrated_db


@pytest.fixture
def files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Path, Path]]:
    engine, factory = migrated_db(tmp_path)

    def fake_build(_settings: object) -> tuple[CoachService, Callable[[], None]]:
        return make_coach(factory, FakeScorer(overall=75.0)), lambda: None

    monkeypatch.setattr(terminal, "build_coach", fake_build)
    resume, jd = tmp_path / "cv.txt", tmp_path / "jd.txt"
    resume.write_bytes(RESUME)
    jd.write_text(JD, encoding="utf-8")
    yield resume, jd
    engine.dispose()


def _start(files: tuple[Path, Path], interview_type: str = "technical") -> list[str]:
    """`interview` arguments that start a new session from the fixture's resume and JD."""
    resume, jd = files
    return ["interview", "--resume", str(resume), "--jd", str(jd), "--type", interview_type]


def test_interview_quits_with_q_and_continues_where_it_stopped(
    files: tuple[Path, Path], tmp_path: Path
) -> None:
    runner = CliRunner()
    args = [*_start(files), "--n", "2"]
    first = runner.invoke(
        app, [*args, "--difficulty", "medium"], input="\nI would check the learning rate.\nAnd clip.\n\n:q\n"
    )
    assert first.exit_code == 0, first.output
    assert "interview type: technical (user)   difficulty: medium (user)" in first.output
    assert "Question 1/2" in first.output and "Score: 75/100" in first.output
    assert "Question 2/2" in first.output and "--continue 1" in first.output
    assert "finished" not in first.output
    report = tmp_path / "report.md"
    second = runner.invoke(
        app, ["interview", "--continue", "1", "--export", str(report)], input="My second answer.\n\n"
    )
    assert second.exit_code == 0, second.output
    assert "1 of 2 answered" in second.output and "Question 2/2" in second.output
    assert "Question 1/2" not in second.output and "Session 1 finished" in second.output
    md = report.read_text(encoding="utf-8")
    assert "> I would check the learning rate.\n> And clip." in md and "> My second answer." in md
    listed = runner.invoke(app, ["interview", "--list"])
    assert listed.exit_code == 0 and "2/2 answered  average 75  finished" in listed.output
    again = runner.invoke(app, ["interview", "--continue", "1"], input="An answer it would refuse.\n\n")
    assert isinstance(again.exception, DataError) and "session 1 is finished" in str(again.exception)
    assert "Question" not in again.output, "refused before asking anything"


def test_sample_answer_on_request_then_the_answer(files: tuple[Path, Path]) -> None:
    args = _start(files)
    result = CliRunner().invoke(app, [*args, "--difficulty", "easy", "--n", "1"], input=":s\nMy answer.\n\n")
    assert result.exit_code == 0, result.output
    assert "[1] " in result.output and "Now your answer" in result.output  # the bullets it may cite
    assert "Score: 75/100" in result.output and "Session 1 finished" in result.output


def test_interview_needs_files_or_a_session_to_continue(files: tuple[Path, Path]) -> None:
    result = CliRunner().invoke(app, ["interview", "--n", "2"])
    assert isinstance(result.exception, DataError) and "--continue" in str(result.exception)


def test_read_answer_joins_lines_until_a_blank_one() -> None:
    def feed(*lines: str) -> Callable[[], str]:
        it = iter(lines)

        def read() -> str:
            try:
                return next(it)
            except StopIteration:
                raise EOFError from None

        return read

    assert read_answer(feed("", "first", "second  ", "", "ignored")) == Typed("first\nsecond")
    assert read_answer(feed("partial")) == Typed("partial", quit=True)  # end of input: kept, then quit
    assert read_answer(feed("some text", " :q ")) == Typed(
        "some text", quit=True
    )  # typed text is not dropped
    assert read_answer(feed(" :q ")) == Typed(None, quit=True)
    assert read_answer(feed(":s")) == Typed(":s")
    assert read_answer(feed()) == Typed(None, quit=True)
    assert read_answer(feed("caf\udce9 latte", "")) == Typed("caf\ufffd latte")  # undecodable byte from stdin


def test_ctrl_c_while_typing_keeps_the_lines_typed() -> None:
    lines = iter(["I would shard by user id", "and replicate"])

    def read() -> str:
        try:
            return next(lines)
        except StopIteration:
            raise KeyboardInterrupt from None

    assert read_answer(read) == Typed("I would shard by user id\nand replicate", quit=True)


def test_quitting_mid_answer_saves_it_and_an_over_long_answer_is_asked_again(
    files: tuple[Path, Path], tmp_path: Path
) -> None:
    runner = CliRunner()
    args = [*_start(files), "--n", "2"]
    too_long = "x" * 20_001
    first = runner.invoke(
        app, [*args, "--difficulty", "easy"], input=f"{too_long}\n\nline one\nline two\n:q\n"
    )
    assert first.exit_code == 0, first.output
    assert "not saved; the question comes again" in " ".join(first.output.split())  # the console wraps lines
    assert "Your answer so far is saved" in first.output and "Score: 75/100" in first.output
    listed = runner.invoke(app, ["interview", "--list"])
    assert "1/2 answered" in listed.output
    folder = runner.invoke(app, ["interview", "--continue", "1", "--export", str(tmp_path)])
    assert isinstance(folder.exception, DataError) and "is a folder" in str(folder.exception)
    assert "Question" not in folder.output, "refused before the interview starts"


def test_a_finished_session_can_still_write_its_report(files: tuple[Path, Path], tmp_path: Path) -> None:
    runner = CliRunner()
    args = [*_start(files), "--n", "1"]
    done = runner.invoke(app, [*args, "--difficulty", "easy"], input="My only answer.\n\n")
    assert done.exit_code == 0 and "Session 1 finished" in done.output
    report = tmp_path / "late.md"
    again = runner.invoke(app, ["interview", "--continue", "1", "--export", str(report)])
    assert again.exit_code == 0 and "> My only answer." in report.read_text(encoding="utf-8")


def test_an_unknown_type_is_refused_before_anything_is_stored(files: tuple[Path, Path]) -> None:
    bad = CliRunner().invoke(app, _start(files, "quiz"))
    assert "--type 'quiz': use one of technical" in str(bad.exception)
    assert "no sessions yet" in CliRunner().invoke(app, ["interview", "--list"]).output


def test_an_answer_left_unscored_is_scored_when_the_session_continues(tmp_path: Path) -> None:
    from rich.console import Console

    from tests.coaching.coach_helpers import local, started

    engine, factory = migrated_db(tmp_path)
    coach = make_coach(factory, FakeScorer(overall=75.0))
    user = local(factory)
    sid = started(coach, user.id, n=2)
    q = coach.next_question(user.id, sid)
    assert q is not None
    aid = coach.submit_answer(user.id, q.id, "saved, then the program was stopped while scoring")
    [saved] = coach.get_session(user.id, sid).answers[q.id]
    assert saved.id == aid and saved.feedback is None
    lines = iter([":q"])
    console = Console(record=True, width=200)
    assert run_interview(coach, user.id, sid, console, lambda: next(lines)) is False
    [scored] = coach.get_session(user.id, sid).answers[q.id]
    assert scored.feedback is not None and scored.feedback.overall == 75.0
    shown = console.export_text()
    assert "scoring a saved answer that was not scored yet" in shown and "Score: 75/100" in shown
    engine.dispose()
