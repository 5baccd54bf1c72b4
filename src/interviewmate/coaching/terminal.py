"""`interviewmate interview`: a practice interview in the terminal, stored in the same database as the web app
(as the local user), so an interrupted session continues with `--continue ID`.

The loop is `run_interview(coach, user_id, session_id, console, read_line)`; the command only builds the
collaborators and parses options, so tests drive the loop with a fake backend and typed input.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NamedTuple

import typer
from rich.console import Console
from rich.markup import escape

if TYPE_CHECKING:
    from interviewmate.coaching.session import CoachService
    from interviewmate.coaching.session_views import FeedbackView, RouteView, SessionSummary
    from interviewmate.config import Settings

QUIT = ":q"
SAMPLE = ":s"  # typed alone before answering: show a sample answer built from the resume
ReadLine = Callable[[], str]  # raises EOFError at the end of input, as input() does


def build_coach(settings: Settings) -> tuple[CoachService, Callable[[], None]]:
    """The real collaborators (configured backend, packaged MiniLM) and a function that releases them."""
    from interviewmate.coaching.session import CoachService
    from interviewmate.models.backends import make_backend
    from interviewmate.models.embedder import SentenceEmbedder
    from interviewmate.retrieval.service import choose_retriever
    from interviewmate.store import create_db_engine, make_session_factory, upgrade

    settings.ensure_dirs()
    url = settings.resolved_database_url
    upgrade(url)
    engine = create_db_engine(url)
    backend = make_backend(settings)
    embedder = SentenceEmbedder(settings.embedding_model, settings.model_cache_dir)
    retriever = choose_retriever(settings).embedder  # the fine-tuned one that ships, else the base MiniLM
    coach = CoachService(
        make_session_factory(engine), settings, backend, embedder, retriever_embedder=retriever
    )

    def close() -> None:
        backend.close()
        engine.dispose()

    return coach, close


class Typed(NamedTuple):
    """What the user typed for one question: the answer (None: nothing; SAMPLE: asked for the sample answer),
    and whether to save and quit after it."""

    text: str | None
    quit: bool = False


def read_answer(read_line: ReadLine) -> Typed:
    """Lines until an empty line. `:q`, Ctrl-C or the end of input quit, and whatever was typed before them is
    kept as the answer: nothing typed is ever dropped. `:s` before any text asks for the sample answer."""
    lines: list[str] = []
    while True:
        try:
            line = _clean(read_line())
        except (EOFError, KeyboardInterrupt):
            return Typed("\n".join(lines) or None, quit=True)
        if line.strip() == QUIT:
            return Typed("\n".join(lines) or None, quit=True)
        if line.strip() == SAMPLE and not lines:
            return Typed(SAMPLE)
        if not line.strip():
            if lines:
                return Typed("\n".join(lines))
            continue  # a blank line before any text is not an answer
        lines.append(line.rstrip())


def _clean(line: str) -> str:
    """Bytes the terminal could not decode arrive as lone surrogates, which no database stores: make them U+FFFD."""
    return line.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def score_unscored(coach: CoachService, user_id: int, session_id: int, console: Console) -> None:
    """Answers saved but never scored (the user stopped the program while it was scoring) get their feedback,
    shown, and the follow-up a weak one earns, as if scoring had not been interrupted."""
    session = coach.get_session(user_id, session_id)
    key_points = {q.id: q.key_points for q in session.questions}
    pending = [a for answers in session.answers.values() for a in answers if a.feedback is None]
    for a in pending:
        console.print(f"[dim]scoring a saved answer that was not scored yet ({a.text[:40]!r}...)[/dim]")
        show_feedback(console, coach.score(user_id, a.id), key_points.get(a.question_id, ()))
        if coach.maybe_follow_up(user_id, a.id) is not None:
            console.print("[cyan]That one was weak: a follow-up question comes next.[/cyan]")


def run_interview(
    coach: CoachService, user_id: int, session_id: int, console: Console, read_line: ReadLine
) -> bool:
    """Ask every unanswered question in order, score each answer, add follow-ups after weak ones.
    Returns True when the session is complete, False when the user quit (it resumes later)."""
    from interviewmate.errors import DataError

    score_unscored(coach, user_id, session_id, console)
    resume_hint = f"interviewmate interview --continue {session_id}"
    while (q := coach.next_question(user_id, session_id)) is not None:
        total = coach.resume_point(user_id, session_id).n_questions
        tag = {"corpus": " [dim](from the question bank)[/dim]", "follow_up": " [cyan](follow-up)[/cyan]"}
        console.print(f"\n[bold]Question {q.number}/{total}[/bold]{tag.get(q.source, '')}")
        console.print(escape(q.text))
        console.print(
            f"[dim]Answer, then an empty line. {SAMPLE} shows a sample answer, {QUIT} saves and quits.[/dim]"
        )
        typed = read_answer(read_line)
        if typed.text == SAMPLE:
            show_sample(console, coach, user_id, q.id)
            typed = read_answer(read_line)
            if typed.text == SAMPLE:
                typed = Typed(None, quit=True)  # asked twice: quit rather than save ":s" as an answer
        if typed.text is not None:
            try:
                answer_id = coach.submit_answer(user_id, q.id, typed.text)
            except DataError as exc:  # too long, say: the question is asked again
                console.print(f"[red]{escape(str(exc))}[/red] (not saved; the question comes again)")
                if typed.quit:
                    console.print(f"[yellow]Continue with: {resume_hint}[/yellow]")
                    return False
                continue
            try:
                if typed.quit:
                    console.print("[dim]Your answer so far is saved.[/dim]")
                show_feedback(console, coach.score(user_id, answer_id), q.key_points)
            except KeyboardInterrupt:  # stopped while scoring: the answer is saved, its score comes later
                console.print(f"[yellow]Answer saved; it is scored when you continue: {resume_hint}[/yellow]")
                return False
            try:
                follow = coach.maybe_follow_up(user_id, answer_id)
            except KeyboardInterrupt:
                console.print(f"[yellow]Answer saved and scored. Continue with: {resume_hint}[/yellow]")
                return False
            if follow is not None:
                console.print("[cyan]That one was weak: a follow-up question comes next.[/cyan]")
        if typed.quit:
            console.print(f"[yellow]Saved. Continue with: {resume_hint}[/yellow]")
            return False
    summary = coach.finish(user_id, session_id)
    avg = "not scored" if summary.average_overall is None else f"{summary.average_overall:.0f}/100"
    console.print(f"\n[bold green]Session {session_id} finished.[/bold green] Average score: {avg}")
    return True


def show_sample(console: Console, coach: CoachService, user_id: int, question_id: int) -> None:
    """The sample answer and the resume bullets it may cite, numbered as it cites them."""
    from interviewmate.errors import InterviewMateError

    try:
        sample = coach.sample_answer(user_id, question_id)
    except InterviewMateError as exc:
        console.print(f"[yellow]no sample answer: {escape(str(exc))}[/yellow]")
        return
    for note in sample.notes:
        console.print(f"[dim]{escape(note)}[/dim]")
    if sample.text:
        console.print("[bold]Sample answer[/bold] (from your resume):")
        console.print(escape(sample.text))
    for b in sample.bullets:
        console.print(f"[dim]  {escape(f'[{b.number}]')} {escape(b.text)}[/dim]")
    console.print("[dim]Now your answer, then an empty line.[/dim]")


def show_feedback(console: Console, fb: FeedbackView, key_points: tuple[str, ...]) -> None:
    if fb.overall is None:
        console.print("[yellow]Not scored.[/yellow]")
    else:
        colour = "green" if fb.overall >= 70 else "yellow" if fb.overall >= 50 else "red"
        console.print(f"[bold {colour}]Score: {fb.overall:.0f}/100[/bold {colour}]")
    scores = [
        f"{name} {comp['score']:.0f}"
        for name, comp in fb.components.items()
        if isinstance(comp, dict) and isinstance(comp.get("score"), int | float)
    ]
    if scores:
        console.print("[dim]" + ", ".join(scores) + "[/dim]")
    missed = fb.components.get("technical", {}).get("missed") or []
    if missed:
        console.print("Missed: " + escape("; ".join(str(m) for m in missed)))
    elif key_points and fb.overall is not None and fb.overall < 50:
        console.print("Key points: " + escape("; ".join(key_points)))
    for note in fb.notes[:4]:
        console.print(f"[dim]- {escape(note)}[/dim]")


def show_route(console: Console, route: RouteView | None, notes: tuple[str, ...]) -> None:
    if route is not None:
        console.print(
            f"interview type: {_route_part(route.interview_type, route.type_source, route.confidence_type)}   "
            f"difficulty: {_route_part(route.difficulty, route.difficulty_source, route.confidence_difficulty)}"
        )
        for name in route.low_confidence:
            flag = "--type" if name == "interview_type" else "--difficulty"
            console.print(f"[yellow]the router is unsure about {name}: choose it with {flag}[/yellow]")
    for note in notes:
        if "bank" in note or "router" in note or "failed" in note:
            console.print(f"[dim]{escape(note)}[/dim]")


def show_sessions(console: Console, sessions: list[SessionSummary]) -> None:
    if not sessions:
        console.print("no sessions yet: start one with --resume FILE --jd FILE")
        return
    for s in sessions:
        avg = "not scored" if s.average_overall is None else f"average {s.average_overall:.0f}"
        console.print(
            f"[bold]{s.id}[/bold]  {s.created_at:%Y-%m-%d %H:%M}  {s.role.replace('_', ' ')}, "
            f"{s.interview_type} ({s.difficulty})  {s.n_answered}/{s.n_questions} answered  {avg}  {s.status}",
            soft_wrap=True,
        )


def _route_part(value: str, source: str, p: float | None) -> str:
    """`technical (router, p=0.83)`; the router's confidence only where the router chose."""
    conf = f", p={p:.2f}" if source == "router" and p is not None else ""
    return f"[bold]{value}[/bold] ({source}{conf})"


def register(app: typer.Typer, console: Console) -> None:
    @app.command()
    def interview(
        resume: Annotated[Path | None, typer.Option(help="Your resume: .pdf, .docx, .txt or .md.")] = None,
        jd: Annotated[Path | None, typer.Option(help="The job description (plain text).")] = None,
        interview_type: Annotated[
            str | None, typer.Option("--type", help="technical, coding, system_design or behavioral.")
        ] = None,
        difficulty: Annotated[str | None, typer.Option(help="easy, medium or hard.")] = None,
        n: Annotated[int, typer.Option(help="How many questions.", min=1, max=20)] = 5,
        role: Annotated[str | None, typer.Option(help="Role, free text; default: the JD's title.")] = None,
        request: Annotated[str, typer.Option(help="What you want to practise, in your words.")] = "",
        continue_id: Annotated[
            int | None, typer.Option("--continue", help="Continue an interrupted session by its id.")
        ] = None,
        export: Annotated[
            Path | None, typer.Option(help="Write the session report as Markdown here at the end.")
        ] = None,
        list_sessions: Annotated[
            bool, typer.Option("--list", help="List your sessions (ids for --continue) and exit.")
        ] = False,
    ) -> None:
        """Practise an interview in the terminal: routed, checked questions, feedback after each answer."""
        from interviewmate.accounts import get_or_create_local_user
        from interviewmate.config import Settings
        from interviewmate.errors import DataError

        if not list_sessions and continue_id is None and (resume is None or jd is None):
            raise DataError("give --resume FILE and --jd FILE, or --continue SESSION_ID")
        check_choices(interview_type, difficulty)  # before anything is loaded or stored
        if export is not None:
            check_writable(export, "--export")
        coach, close = build_coach(Settings())
        try:
            with coach.session_factory() as db:
                user = get_or_create_local_user(db)
            if list_sessions:
                show_sessions(console, coach.list_sessions(user.id))
                return
            if continue_id is None:
                assert resume is not None and jd is not None
                resume_id = coach.add_resume(user.id, resume.name, _read_bytes(resume))
                jd_id = coach.add_job_description(user.id, _read_bytes(jd).decode("utf-8", "replace"))
                console.print("[dim]planning the interview ...[/dim]")
                session_id = coach.start_session(
                    user.id, resume_id, jd_id, role, interview_type, difficulty, n, request
                )
            else:
                session_id = continue_id
                if coach.get_session(user.id, session_id).summary.status == "finished":
                    if export is not None:  # a finished session can still write its report
                        write_report(coach, user.id, session_id, export, console)
                        return
                    raise DataError(  # asked up front, before anyone types an answer it would refuse
                        f"session {session_id} is finished and its report is final: start a new session "
                        f"with --resume and --jd (its report: --continue {session_id} --export report.md)"
                    )
                point = coach.resume_point(user.id, session_id)
                console.print(
                    f"continuing session {session_id}: {point.n_answered} of {point.n_questions} answered"
                )
            view = coach.get_session(user.id, session_id)
            console.print(
                f"[bold]Session {session_id}[/bold]: {view.summary.role.replace('_', ' ')}, "
                f"{view.summary.n_questions} questions"
            )
            show_route(console, view.route, view.notes)
            _tolerant_stdin()
            run_interview(coach, user.id, session_id, console, input)
            if export is not None:
                write_report(coach, user.id, session_id, export, console)
        finally:
            close()


def _tolerant_stdin() -> None:
    """Bytes the terminal's encoding cannot decode become lone surrogates (cleaned by `_clean`) instead of a
    UnicodeDecodeError inside input() that would lose the answer being typed."""
    import contextlib
    import sys

    reconfigure = getattr(sys.stdin, "reconfigure", None)
    if reconfigure is not None:
        with contextlib.suppress(ValueError, OSError):  # a stream that cannot be reconfigured stays as it is
            reconfigure(errors="surrogateescape")


def check_choices(interview_type: str | None, difficulty: str | None) -> None:
    """--type / --difficulty values of any command, checked before anything is loaded (None: not given)."""
    from interviewmate.domain import Difficulty, InterviewType
    from interviewmate.errors import ConfigError

    if interview_type is not None and interview_type not in {t.value for t in InterviewType}:
        known = ", ".join(t.value for t in InterviewType)
        raise ConfigError(f"--type {interview_type!r}: use one of {known}")
    if difficulty is not None and difficulty not in {d.value for d in Difficulty}:
        known = ", ".join(d.value for d in Difficulty)
        raise ConfigError(f"--difficulty {difficulty!r}: use one of {known}")


def check_writable(path: Path, flag: str) -> None:
    """Refuse an output path that cannot be written before the work that fills it starts."""
    from interviewmate.errors import DataError

    if path.is_dir():
        raise DataError(f"{flag} {path}: is a folder; give a file name, e.g. {path / 'report.md'}")
    if not path.parent.is_dir():
        raise DataError(f"{flag} {path}: the folder {path.parent} does not exist")


def write_report(coach: CoachService, user_id: int, session_id: int, path: Path, console: Console) -> None:
    from interviewmate.coaching.report import session_report, to_markdown
    from interviewmate.errors import DataError

    try:
        path.write_text(to_markdown(session_report(coach, user_id, session_id)), encoding="utf-8")
    except OSError as exc:
        raise DataError(
            f"cannot write the report to {path}: {exc.strerror or exc} (the session is saved: write it with "
            f"--continue {session_id} --export FILE)"
        ) from None
    console.print(f"report written to {path}")


def _read_bytes(path: Path) -> bytes:
    from interviewmate.errors import DataError

    try:
        return path.read_bytes()
    except OSError as exc:
        raise DataError(f"cannot read {path}: {exc.strerror or exc}") from None
