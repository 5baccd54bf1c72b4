"""The JSON API under /api: the same services as the pages. Unsafe methods need the session cookie and the
X-CSRF-Token header (GET /api/session gives the token)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, HTTPException, Request, UploadFile
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from interviewmate.accounts import authenticate, create_user
from interviewmate.coaching.progress import progress
from interviewmate.coaching.report import build_report, to_markdown
from interviewmate.coaching.session_views import (
    FeedbackView,
    JobDescriptionSummary,
    QuestionView,
    ResumeSummary,
    SessionSummary,
    SessionView,
)
from interviewmate.errors import DataError
from interviewmate.resume import DEFAULT_MAX_BYTES
from interviewmate.web.auth import start_session
from interviewmate.web.csrf import csrf_token, rotate_csrf
from interviewmate.web.deps import DbDep, HubDep, MaybeUserDep, UserDep
from interviewmate.web.limits import MAX_ANSWER_CHARS, MAX_JD_CHARS, MAX_REQUEST_CHARS, MAX_ROW_ID, RowId
from interviewmate.web.pages import MAX_N
from interviewmate.web.uploads import read_capped

router = APIRouter(prefix="/api", tags=["api"])


class Credentials(BaseModel):
    email: str = Field(max_length=320)
    password: str = Field(max_length=1024)


class SessionInfo(BaseModel):
    user: dict[str, Any] | None
    csrf_token: str


class JobDescriptionIn(BaseModel):
    text: str = Field(max_length=MAX_JD_CHARS)
    title: str = Field(default="", max_length=255)


class SessionIn(BaseModel):
    resume_id: int | None = Field(default=None, ge=1, le=MAX_ROW_ID)
    jd_id: int | None = Field(default=None, ge=1, le=MAX_ROW_ID)
    role: str | None = Field(default=None, max_length=80)
    interview_type: str | None = Field(default=None, description="None = the router picks")
    difficulty: str | None = Field(default=None, description="None = the router picks")
    n: int = Field(default=3, ge=1, le=MAX_N)
    request: str = Field(default="", max_length=MAX_REQUEST_CHARS)


class AnswerIn(BaseModel):
    text: str = Field(min_length=1, max_length=MAX_ANSWER_CHARS)


class AnswerOut(BaseModel):
    answer_id: int
    feedback: FeedbackView
    follow_up: QuestionView | None


class Created(BaseModel):
    id: int


def _bad_request(exc: Exception) -> HTTPException:
    return HTTPException(status_code=400, detail=str(exc))


@router.get("/session")
def session_info(request: Request, user: MaybeUserDep) -> SessionInfo:
    """Who is signed in, and the CSRF token to send as X-CSRF-Token."""
    return SessionInfo(
        user={"id": user.id, "email": user.email} if user else None, csrf_token=csrf_token(request)
    )


@router.post("/signup", status_code=201)
def api_signup(request: Request, db: DbDep, hub: HubDep, body: Credentials) -> SessionInfo:
    try:
        with hub.hash_slots:
            account = create_user(db, body.email, body.password, hub.password_hasher)
    except DataError as exc:
        raise _bad_request(exc) from None
    start_session(request, account.id)
    return SessionInfo(user={"id": account.id, "email": account.email}, csrf_token=csrf_token(request))


@router.post("/login")
def api_login(request: Request, db: DbDep, hub: HubDep, body: Credentials) -> SessionInfo:
    with hub.hash_slots:
        account = authenticate(db, body.email, body.password, hub.password_hasher)
    if account is None or account.is_local:
        raise HTTPException(status_code=401, detail="wrong email or password")
    start_session(request, account.id)
    return SessionInfo(user={"id": account.id, "email": account.email}, csrf_token=csrf_token(request))


@router.post("/logout", status_code=204)
def api_logout(request: Request) -> None:
    request.session.clear()
    rotate_csrf(request)


@router.get("/resumes")
def list_resumes(user: UserDep, hub: HubDep) -> list[ResumeSummary]:
    return hub.coach().list_resumes(user.id)


@router.post("/resumes", status_code=201)
async def upload_resume(user: UserDep, hub: HubDep, file: Annotated[UploadFile, File()]) -> Created:
    try:
        data = await read_capped(file, DEFAULT_MAX_BYTES)
        rid = await run_in_threadpool(
            lambda: hub.coach().add_resume(user.id, file.filename or "resume", data)
        )
    except DataError as exc:
        raise _bad_request(exc) from None
    return Created(id=rid)


@router.get("/jds")
def list_job_descriptions(user: UserDep, hub: HubDep) -> list[JobDescriptionSummary]:
    return hub.coach().list_job_descriptions(user.id)


@router.post("/jds", status_code=201)
def add_job_description(user: UserDep, hub: HubDep, body: JobDescriptionIn) -> Created:
    try:
        return Created(id=hub.coach().add_job_description(user.id, body.text, title=body.title))
    except DataError as exc:
        raise _bad_request(exc) from None


@router.get("/sessions")
def list_sessions(user: UserDep, hub: HubDep) -> list[SessionSummary]:
    return hub.coach().list_sessions(user.id)


@router.post("/sessions", status_code=201)
def start(user: UserDep, hub: HubDep, body: SessionIn) -> SessionView:
    """Plan a session. Leave interview_type/difficulty empty to let the router pick; the route (with its
    confidences) is in the answer."""
    from interviewmate.errors import ConfigError

    coach = hub.coach()
    try:
        sid = coach.start_session(
            user.id,
            body.resume_id,
            body.jd_id,
            body.role,
            body.interview_type,
            body.difficulty,
            body.n,
            body.request,
        )
    except (DataError, ConfigError) as exc:
        raise _bad_request(exc) from None
    return coach.get_session(user.id, sid)


@router.get("/sessions/{sid}")
def get_session(sid: RowId, user: UserDep, hub: HubDep) -> SessionView:
    return hub.coach().get_session(user.id, sid)


@router.get("/sessions/{sid}/next")
def next_question(sid: RowId, user: UserDep, hub: HubDep) -> QuestionView | None:
    """The first unanswered question; null when every question has an answer."""
    return hub.coach().next_question(user.id, sid)


@router.post("/questions/{qid}/answers", status_code=201)
def answer(qid: RowId, user: UserDep, hub: HubDep, body: AnswerIn) -> AnswerOut:
    """Save an answer (a retry when the question already has one), score it, maybe add a follow-up."""
    coach = hub.coach()
    question = coach.get_question(user.id, qid)
    try:
        submit = coach.retry if question.n_answers else coach.submit_answer
        aid = submit(user.id, qid, body.text)
    except DataError as exc:
        raise _bad_request(exc) from None
    feedback = coach.score(user.id, aid)
    return AnswerOut(answer_id=aid, feedback=feedback, follow_up=coach.maybe_follow_up(user.id, aid))


@router.post("/sessions/{sid}/finish")
def finish(sid: RowId, user: UserDep, hub: HubDep) -> SessionSummary:
    return hub.coach().finish(user.id, sid)


@router.get("/sessions/{sid}/report")
def report(sid: RowId, user: UserDep, hub: HubDep) -> dict[str, Any]:
    """Per-question latest scores and missed key points, component averages, and the Markdown export."""
    r = build_report(hub.coach().get_session(user.id, sid))
    return r.to_json() | {"markdown": to_markdown(r)}


@router.get("/progress")
def progress_api(user: UserDep, hub: HubDep) -> dict[str, Any]:
    """Trend per interview type, averages per topic, most-missed key points, weakest components."""
    return progress(hub.session_factory, user.id).to_json()
