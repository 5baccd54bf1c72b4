"""The HTML pages. Each handler: parse the form, call one CoachService method, render a template."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from interviewmate.coaching.progress import progress
from interviewmate.coaching.report import build_report, to_markdown
from interviewmate.coaching.session_views import QuestionView
from interviewmate.domain import Difficulty, InterviewType, Role
from interviewmate.errors import ConfigError, DataError, InterviewMateError, NotFoundError
from interviewmate.resume import DEFAULT_MAX_BYTES
from interviewmate.web import views
from interviewmate.web.deps import HubDep, MaybeUserDep, UserDep
from interviewmate.web.limits import MAX_ANSWER_CHARS, MAX_JD_CHARS, MAX_REQUEST_CHARS, RowId
from interviewmate.web.media import SpokenAnswer, analyze_recording, save_upload
from interviewmate.web.render import render
from interviewmate.web.uploads import read_capped

if TYPE_CHECKING:
    from interviewmate.coaching.session import CoachService

router = APIRouter(include_in_schema=False)
MAX_N = 10
MAX_TITLE_CHARS = 255


def _see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


@router.get("/")
def home(request: Request, user: MaybeUserDep, hub: HubDep) -> Response:
    if user is None:
        return render(request, "index.html", backend=hub.settings.llm_backend)
    coach = hub.coach()
    sessions = coach.list_sessions(user.id)
    active = next((s for s in sessions if s.status == "active"), None)
    return render(
        request,
        "dashboard.html",
        resumes=coach.list_resumes(user.id),
        jds=coach.list_job_descriptions(user.id),
        sessions=sessions[:10],
        resume_point=coach.resume_point(user.id, active.id) if active else None,
    )


@router.get("/resumes/new")
def resume_form(request: Request, user: UserDep) -> Response:
    return render(request, "resume_new.html", max_mb=DEFAULT_MAX_BYTES // 1_000_000)


@router.post("/resumes")
async def resume_upload(
    request: Request, user: UserDep, hub: HubDep, file: Annotated[UploadFile, File()]
) -> Response:
    try:
        data = await read_capped(file, DEFAULT_MAX_BYTES)
        await run_in_threadpool(hub.coach().add_resume, user.id, file.filename or "resume", data)
    except DataError as exc:
        return render(request, "resume_new.html", 400, max_mb=DEFAULT_MAX_BYTES // 1_000_000, error=str(exc))
    return _see_other("/")


@router.get("/jds/new")
def jd_form(request: Request, user: UserDep) -> Response:
    return render(request, "jd_new.html", max_chars=MAX_JD_CHARS)


@router.post("/jds")
def jd_save(
    request: Request,
    user: UserDep,
    hub: HubDep,
    text: Annotated[str, Form()] = "",
    title: Annotated[str, Form()] = "",
) -> Response:
    # lengths are checked here, not by the form parser, so a refused text comes back on the page
    try:
        text = views.bounded_text(text, MAX_JD_CHARS, "the job description")
        title = views.bounded_text(title, MAX_TITLE_CHARS, "the title")
        hub.coach().add_job_description(user.id, text, title=title)
    except DataError as exc:
        return render(
            request, "jd_new.html", 400, max_chars=MAX_JD_CHARS, text=text, title=title, error=str(exc)
        )
    return _see_other("/")


def _session_form(
    request: Request,
    hub: HubDep,
    user_id: int,
    status: int = 200,
    error: str = "",
    form: dict[str, str] | None = None,
) -> Response:
    """The new-session form; after a refused start, with the user's choices (`form`) still picked."""
    coach = hub.coach()
    return render(
        request,
        "session_new.html",
        status,
        resumes=coach.list_resumes(user_id),
        jds=coach.list_job_descriptions(user_id),
        roles=[r.value for r in Role],
        types=[t.value for t in InterviewType],
        difficulties=[d.value for d in Difficulty],
        max_n=MAX_N,
        max_request=MAX_REQUEST_CHARS,
        error=error,
        form=form,
    )


@router.get("/sessions/new")
def session_form(request: Request, user: UserDep, hub: HubDep) -> Response:
    return _session_form(request, hub, user.id)


@router.post("/sessions")
def session_start(
    request: Request,
    user: UserDep,
    hub: HubDep,
    resume_id: Annotated[str, Form()] = "",
    jd_id: Annotated[str, Form()] = "",
    role: Annotated[str, Form(max_length=80)] = "",
    interview_type: Annotated[str, Form(max_length=40)] = "",
    difficulty: Annotated[str, Form(max_length=20)] = "",
    n: Annotated[str, Form()] = "3",
    request_text: Annotated[str, Form(alias="request")] = "",
) -> Response:
    form = {
        "resume_id": resume_id, "jd_id": jd_id, "role": role, "interview_type": interview_type,
        "difficulty": difficulty, "n": n, "request": request_text,
    }  # fmt: skip
    try:
        sid = hub.coach().start_session(
            user.id,
            views.optional_id(resume_id),
            views.optional_id(jd_id),
            role=role or None,
            interview_type=interview_type or None,
            difficulty=difficulty or None,
            n=views.question_count(n, MAX_N),
            request=views.bounded_text(request_text, MAX_REQUEST_CHARS, "what to practise"),
        )
    except (DataError, ConfigError) as exc:
        return _session_form(request, hub, user.id, 400, str(exc), form)
    except NotFoundError:  # deleted meanwhile, or an id typed by hand: pick again, choices kept
        msg = "the resume or job description you picked is not there any more: pick another"
        return _session_form(request, hub, user.id, 400, msg, form)
    return _see_other(f"/sessions/{sid}")


@router.get("/sessions/{sid}")
def session_page(request: Request, sid: RowId, user: UserDep, hub: HubDep) -> Response:
    coach = hub.coach()
    session = coach.get_session(user.id, sid)
    point = coach.resume_point(user.id, sid)
    if point.question is None or session.summary.status == "finished":
        return _see_other(f"/sessions/{sid}/report")
    return render(
        request,
        "question.html",
        session=session,
        question=point.question,
        point=point,
        retry=False,
        max_chars=MAX_ANSWER_CHARS,
    )


@router.get("/sessions/{sid}/questions/{qid}/retry")
def retry_form(request: Request, sid: RowId, qid: RowId, user: UserDep, hub: HubDep) -> Response:
    coach = hub.coach()
    session = coach.get_session(user.id, sid)
    question = views.question_in(session, qid)
    if session.summary.status == "finished":  # read-only: its answers would be refused
        return _see_other(f"/sessions/{sid}/report")
    return render(
        request,
        "question.html",
        session=session,
        question=question,
        point=coach.resume_point(user.id, sid),
        retry=True,
        max_chars=MAX_ANSWER_CHARS,
    )


@router.post("/sessions/{sid}/questions/{qid}/answer")
async def answer(
    request: Request,
    sid: RowId,
    qid: RowId,
    user: UserDep,
    hub: HubDep,
    text: Annotated[str, Form()] = "",
    media: Annotated[UploadFile | None, File()] = None,
) -> Response:
    coach = await run_in_threadpool(hub.coach)
    session = await run_in_threadpool(coach.get_session, user.id, sid)
    question = views.question_in(session, qid)
    try:
        text = views.bounded_text(text, MAX_ANSWER_CHARS, "your answer")
        has_media = media is not None and bool(media.filename)
        if has_media and text.strip():
            raise DataError(
                "send either a typed answer or a recording, not both: your text is kept below; clear it to "
                "send the recording, or remove the recording to send the text"
            )
        if media is not None and has_media:
            path = await save_upload(
                media, hub.settings.data_dir / "media" / str(user.id), hub.settings.speech_max_upload_bytes
            )
            spoken = await run_in_threadpool(
                analyze_recording, path, hub.settings, hub.asr_model(), media.filename
            )
            try:
                aid = await run_in_threadpool(_submit, coach, user.id, question, spoken.text, spoken)
            except BaseException:
                path.unlink(missing_ok=True)  # no answer saved, so no recording kept either
                raise
        else:
            if not text.strip():
                raise DataError("the answer is empty: write (or record) an answer first")
            aid = await run_in_threadpool(_submit, coach, user.id, question, text, None)
    except InterviewMateError as exc:  # a bad file, no speech model, an answer too long: said on the page
        point = await run_in_threadpool(coach.resume_point, user.id, sid)
        return render(
            request, "question.html", 400, session=session, question=question, point=point,
            retry=question.n_answers > 0, max_chars=MAX_ANSWER_CHARS, answer_text=text, error=str(exc),
        )  # fmt: skip
    await run_in_threadpool(coach.score, user.id, aid)
    await run_in_threadpool(coach.maybe_follow_up, user.id, aid)
    return _see_other(f"/sessions/{sid}/answers/{aid}")


def _submit(
    coach: CoachService, user_id: int, question: QuestionView, text: str, spoken: SpokenAnswer | None
) -> int:
    """A first answer, or a retry when the question already has one; spoken answers keep their recording."""
    submit = coach.retry if question.n_answers else coach.submit_answer
    if spoken is None:
        return submit(user_id, question.id, text)
    return submit(
        user_id, question.id, text, spoken.modality, spoken.media_path, spoken.duration_s, spoken.delivery
    )


@router.get("/resumes")
@router.get("/jds")
@router.get("/sessions")
def post_only_page(user: UserDep) -> Response:
    """These URLs take form posts; typed into the address bar (or reloaded after an error) they go home."""
    return _see_other("/")


@router.get("/sessions/{sid}/questions/{qid}/answer")
def answer_url(sid: RowId, qid: RowId, user: UserDep) -> Response:
    return _see_other(f"/sessions/{sid}")


@router.get("/sessions/{sid}/answers/{aid}")
def feedback_page(request: Request, sid: RowId, aid: RowId, user: UserDep, hub: HubDep) -> Response:
    coach = hub.coach()
    session = coach.get_session(user.id, sid)
    question, answer_view = views.answer_in(session, aid)
    return render(
        request,
        "feedback.html",
        session=session,
        question=question,
        answer=answer_view,
        feedback=answer_view.feedback,
        next_question=coach.resume_point(user.id, sid).question,
    )


@router.get("/sessions/{sid}/questions/{qid}/sample")
def sample_page(request: Request, sid: RowId, qid: RowId, user: UserDep, hub: HubDep) -> Response:
    """The sample answer without JavaScript (the feedback page streams it in when JS runs)."""
    coach = hub.coach()
    session = coach.get_session(user.id, sid)
    question = views.question_in(session, qid)
    sample, error = views.sample_answer(coach, user.id, qid)
    return render(
        request, "sample.html", session=session, question=question, sample=sample, sample_error=error
    )


@router.post("/sessions/{sid}/finish")
def finish(sid: RowId, user: UserDep, hub: HubDep) -> Response:
    hub.coach().finish(user.id, sid)
    return _see_other(f"/sessions/{sid}/report")


@router.get("/sessions/{sid}/report")
def report_page(request: Request, sid: RowId, user: UserDep, hub: HubDep) -> Response:
    session = hub.coach().get_session(user.id, sid)
    report = build_report(session)
    return render(request, "report.html", session=session, report=report, chart=views.chart_data(report))


@router.get("/sessions/{sid}/report.md")
def report_markdown(sid: RowId, user: UserDep, hub: HubDep) -> Response:
    body = to_markdown(build_report(hub.coach().get_session(user.id, sid)))
    headers = {
        "Content-Disposition": f'attachment; filename="interviewmate-session-{sid}.md"',
        "X-Content-Type-Options": "nosniff",
    }
    return Response(body, media_type="text/markdown; charset=utf-8", headers=headers)


@router.get("/history")
def history(request: Request, user: UserDep, hub: HubDep) -> Response:
    return render(request, "history.html", sessions=hub.coach().list_sessions(user.id))


@router.get("/progress")
def progress_page(request: Request, user: UserDep, hub: HubDep) -> Response:
    stats = progress(hub.session_factory, user.id)
    return render(request, "progress.html", progress=stats, trends=views.trend_values(stats))
