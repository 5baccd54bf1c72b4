"""What a request may carry: body size (413 before any handler reads it), text lengths, ids in URLs."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from interviewmate.coaching.session_rows import MAX_ROW_ID
from interviewmate.resume import DEFAULT_MAX_BYTES as MAX_RESUME_BYTES

MAX_ZIP_BYTES = 20_000_000  # a project's code and docs zip to a few MB; data and weights do not belong in it
FORM_MARGIN_BYTES = 1_000_000  # room for the form fields sent with the largest upload
RowId = Annotated[int, Path(ge=1, le=MAX_ROW_ID)]  # an id in a URL; out of range -> 404 like a missing row
MAX_JD_CHARS = 20_000
MAX_ANSWER_CHARS = 8_000
MAX_REQUEST_CHARS = 500


def max_body_bytes(recording_bytes: int) -> int:
    """The app's body cap: its largest upload (a recording, capped by settings.speech_max_upload_bytes; a
    project zip; a resume) plus the form fields around it."""
    return max(recording_bytes, MAX_ZIP_BYTES, MAX_RESUME_BYTES) + FORM_MARGIN_BYTES


class BodyTooLarge(Exception):
    pass


class BodySizeLimit:
    """Pure ASGI middleware: checks Content-Length, and counts bytes for bodies sent without one."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length" and value.isdigit() and int(value) > self.max_bytes:
                await _too_large(send, self.max_bytes)
                return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise BodyTooLarge
            return message

        try:
            await self.app(scope, counted, send)
        except BodyTooLarge:
            await _too_large(send, self.max_bytes)


async def _too_large(send: Send, max_bytes: int) -> None:
    body = f"The upload is over the {max_bytes // 1_000_000} MB limit; send a smaller file.".encode()
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
