"""Template rendering with what every page needs: the signed-in user, the CSRF token, the version."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.responses import HTMLResponse

from interviewmate import __version__
from interviewmate.web.csrf import csrf_token

# autoescape on for .html (what Jinja2Templates does by default); no auto_reload: the packaged templates never
# change under a running server, and checking their mtimes cost a few stat calls on every page
TEMPLATES = Jinja2Templates(
    env=Environment(
        loader=FileSystemLoader(Path(__file__).parent / "templates"),
        autoescape=select_autoescape(),
        auto_reload=False,
    )
)


def render(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    base = {
        "user": getattr(request.state, "user", None),
        "csrf_token": csrf_token(request),
        "version": __version__,
    }
    return TEMPLATES.TemplateResponse(request, name, base | context, status_code=status_code)
