"""Template rendering with what every page needs: the signed-in user, the CSRF token, the version."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from starlette.responses import HTMLResponse

from interviewmate import __version__
from interviewmate.web.csrf import csrf_token

TEMPLATES = Jinja2Templates(directory=Path(__file__).parent / "templates")  # autoescape is on for .html


def render(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    base = {
        "user": getattr(request.state, "user", None),
        "csrf_token": csrf_token(request),
        "version": __version__,
    }
    return TEMPLATES.TemplateResponse(request, name, base | context, status_code=status_code)
