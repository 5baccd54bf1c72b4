from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from interviewmate.cli import app
from interviewmate.coaching import terminal
from interviewmate.coaching.session import CoachService
from interviewmate.coaching.terminal import read_answer
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


def test_interview_quits_with_q_and_continues_where_it_stopped(
    files: tuple[Path, Path], tmp_path: Path
) -> None:
    resume, jd = files
    runner = CliRunner()
    args = ["interview", "--resume", str(resume), "--jd", str(jd), "--type", "technical", "--n", "2"]
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
    resume, jd = files
    args = ["interview", "--resume", str(resume), "--jd", str(jd), "--type", "technical"]
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

    assert read_answer(feed("", "first", "second  ", "", "ignored")) == "first\nsecond"
    assert read_answer(feed("partial")) == "partial"
    assert read_answer(feed("some text", " :q ")) is None
    assert read_answer(feed()) is None
