"""What a request may carry: body size (413 before any handler reads it), text lengths, ids in URLs."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Annotated

from fastapi import Path
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from interviewmate.coaching.session_rows import MAX_ROW_ID
from interviewmate.prepguide.archive import MAX_ZIP_BYTES
from interviewmate.resume import DEFAULT_MAX_BYTES as MAX_RESUME_BYTES

FORM_MARGIN_BYTES = 1_000_000  # room for the form fields sent with an upload
DEFAULT_BODY_BYTES = 1_000_000  # forms and JSON without a file (a JD is at most 20,000 characters)
ANSWER_URL = re.compile(r"/sessions/\d+/questions/\d+/answer")
RowId = Annotated[int, Path(ge=1, le=MAX_ROW_ID)]  # an id in a URL; out of range -> 404 like a missing row
MAX_JD_CHARS = 20_000
MAX_ANSWER_CHARS = 8_000
MAX_REQUEST_CHARS = 500


def body_caps(recording_bytes: int) -> Callable[[str], int]:
    """The body cap of each URL: the file it takes plus the form fields, 1 MB where it takes no file (log-in, the
    JSON API), so only the answer form takes a recording-sized body. Resumes and project zips may come in at up to
    twice their own cap, so a file just over it gets the page that says so rather than a bare 413."""

    def cap(path: str) -> int:
        if ANSWER_URL.fullmatch(path):
            return recording_bytes + FORM_MARGIN_BYTES
        if path == "/prep":
            return 2 * MAX_ZIP_BYTES + FORM_MARGIN_BYTES
        if path in ("/resumes", "/api/resumes"):
            return 2 * MAX_RESUME_BYTES + FORM_MARGIN_BYTES
        return DEFAULT_BODY_BYTES

    return cap


class BodyTooLarge(Exception):
    pass


class BodySizeLimit:
    """Pure ASGI middleware: checks Content-Length against the URL's cap (`caps(path)`), and counts bytes for
    bodies sent without one."""

    def __init__(self, app: ASGIApp, caps: Callable[[str], int]) -> None:
        self.app = app
        self.caps = caps

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        max_bytes = self.caps(scope["path"])
        for name, value in scope.get("headers", []):
            if name == b"content-length" and value.isdigit() and int(value) > max_bytes:
                await _too_large(send, max_bytes)
                return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > max_bytes:
                    raise BodyTooLarge
            return message

        try:
            await self.app(scope, counted, send)
        except BodyTooLarge:
            await _too_large(send, max_bytes)


async def _too_large(send: Send, max_bytes: int) -> None:
    body = f"The request is over the {max_bytes // 1_000_000} MB limit for this page; send a smaller file.".encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
