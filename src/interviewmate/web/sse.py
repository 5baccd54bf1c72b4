"""Server-sent events: the question's text arrives piece by piece (the page shows it as it comes).

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
async def stream_question(sid: int, qid: int, user: UserDep, hub: HubDep) -> StreamingResponse:
    """The question's text as `token` events, then a `done` event with the whole text."""
    session = await run_in_threadpool(lambda: hub.coach().get_session(user.id, sid))  # may load models
    question = views.question_in(session, qid)
    return StreamingResponse(
        _pieces(question.text, PIECE_DELAY_S),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )
