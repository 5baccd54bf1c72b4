"""CSRF: one random token per browser session, sent back with every unsafe request.

Forms carry it as the hidden field `csrf_token`; the JSON API sends it in the `X-CSRF-Token` header. A request
whose token is missing or wrong gets 403 before its handler runs.
"""

from __future__ import annotations

import hmac
import secrets

from fastapi import HTTPException, Request

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
HEADER = "X-CSRF-Token"
FIELD = "csrf_token"


def csrf_token(request: Request) -> str:
    """The session's token, made on first use (so the log-in form of a new visitor has one too)."""
    token = request.session.get("csrf")
    if not isinstance(token, str) or not token:
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


def rotate_csrf(request: Request) -> str:
    """A new token after log-in / log-out, so a token seen before authentication is worthless after it."""
    request.session["csrf"] = secrets.token_urlsafe(32)
    return str(request.session["csrf"])


async def check_csrf(request: Request) -> None:
    """Dependency for every router: unsafe methods must echo the session's token."""
    if request.method in SAFE_METHODS:
        return
    expected = request.session.get("csrf")
    sent = request.headers.get(HEADER)
    if sent is None and request.headers.get("content-type", "").startswith(FORM_TYPES):
        value = (await request.form()).get(FIELD)
        sent = value if isinstance(value, str) else None
    if not isinstance(expected, str) or not sent or not hmac.compare_digest(sent, expected):
        raise HTTPException(
            status_code=403,
            detail="missing or invalid CSRF token; reload the page and retry (a typed answer is kept in this browser tab)",
        )
