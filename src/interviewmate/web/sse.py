"""Server-sent events: a question's text, and the sample answer, arrive piece by piece.

The session engine writes and checks every question when the session starts (is it a question, new, on
topic?), so what streams here is the checked text, never raw tokens that a check might later reject. Without
JavaScript the page already holds the full text; the stream only animates it.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

from fastapi import APIRouter
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool

from interviewmate.web import views
from interviewmate.web.deps import HubDep, UserDep
from interviewmate.web.limits import RowId
from interviewmate.web.services import ServiceHub

router = APIRouter(tags=["streaming"])
PIECE_DELAY_S = 0.02  # pacing between pieces: reads as typing, costs a 20-word question ~0.4 s


def sse_event(event: str, data: object) -> str:
    """One event; data is JSON so newlines in the text cannot break the framing."""
    return f"event: {event}\ndata: {json.dumps(data)}\n\n"


async def _pieces(text: str, delay: float) -> AsyncIterator[str]:
    words = text.split(" ")
    for i, word in enumerate(words):
        yield sse_event("token", word if i == 0 else " " + word)
        if delay:
            await asyncio.sleep(delay)
    yield sse_event("done", {"text": text})


@router.get(
    "/sessions/{sid}/questions/{qid}/stream",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}, "description": "token events, then done"}},
)
async def stream_question(sid: RowId, qid: RowId, user: UserDep, hub: HubDep) -> StreamingResponse:
    """The question's text as `token` events, then a `done` event with the whole text."""
    session = await run_in_threadpool(lambda: hub.coach().get_session(user.id, sid))  # may load models
    question = views.question_in(session, qid)
    return StreamingResponse(
        _pieces(question.text, PIECE_DELAY_S),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


async def _sample_events(hub: ServiceHub, user_id: int, qid: int, delay: float) -> AsyncIterator[str]:
    sample, error = await run_in_threadpool(views.sample_answer, hub.coach(), user_id, qid)
    if sample is None:
        yield sse_event("error", {"message": f"no sample answer: {error}"})
        return
    yield sse_event(
        "bullets", [{"number": b.number, "text": b.text, "section": b.section} for b in sample.bullets]
    )
    yield sse_event("notes", list(sample.notes))
    async for event in _pieces(sample.text, delay):
        yield event


@router.get(
    "/sessions/{sid}/questions/{qid}/sample/stream",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}, "description": "bullets, notes, token..., done"}},
)
async def stream_sample(sid: RowId, qid: RowId, user: UserDep, hub: HubDep) -> StreamingResponse:
    """The sample answer for a question: the cited bullets first, then the text as `token` events, then `done`
    (or one `error` event when the generator is unavailable)."""
    session = await run_in_threadpool(lambda: hub.coach().get_session(user.id, sid))
    views.question_in(session, qid)  # 404 unless the question is in this user's session
    return StreamingResponse(
        _sample_events(hub, user.id, qid, PIECE_DELAY_S),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )
