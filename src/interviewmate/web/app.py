"""The web app factory. Route handlers parse and render; the services do the work.

create_app(settings)                                   # the real app (`interviewmate serve`)
create_app(settings, WebServices(backend=FakeBackend(...), embedder=HashingEmbedder()))   # tests
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import Depends, FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy import text
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware

from interviewmate import __version__
from interviewmate.config import Settings
from interviewmate.errors import BackendError, InterviewMateError, ModelUnavailableError, NotFoundError
from interviewmate.store import create_db_engine, make_session_factory, upgrade
from interviewmate.web import api, auth, pages, prep, sse
from interviewmate.web.csrf import check_csrf
from interviewmate.web.deps import LoginRequired, run_db
from interviewmate.web.headers import NoStore
from interviewmate.web.limits import BodySizeLimit, body_caps
from interviewmate.web.render import render
from interviewmate.web.secrets_file import load_or_create_secret
from interviewmate.web.services import ServiceHub, WebServices

HERE = Path(__file__).parent
SESSION_COOKIE = "im_session"
SESSION_MAX_AGE_S = 7 * 24 * 3600
_csrf = Depends(check_csrf)  # on every router: unsafe methods must carry the session's token


def create_app(settings: Settings | None = None, services: WebServices | None = None) -> FastAPI:
    """`services` replaces the configured models (tests pass a FakeBackend and a HashingEmbedder)."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        settings.ensure_dirs()
        upgrade(settings.resolved_database_url)
        engine = create_db_engine(settings.resolved_database_url)
        app.state.engine = engine
        app.state.db_is_local = engine.dialect.name == "sqlite"  # see deps.run_db
        app.state.session_factory = make_session_factory(engine)
        app.state.hub = ServiceHub(settings, app.state.session_factory, services)
        app.state.hub.warm_up_in_background()
        yield
        app.state.hub.close()
        engine.dispose()

    app = FastAPI(title="InterviewMate", version=__version__, lifespan=lifespan)
    app.state.settings = settings
    app.add_middleware(
        SessionMiddleware,
        secret_key=load_or_create_secret(settings.data_dir),
        session_cookie=SESSION_COOKIE,
        max_age=SESSION_MAX_AGE_S,
        same_site="lax",  # HttpOnly is always set by the middleware
    )
    app.add_middleware(BodySizeLimit, caps=body_caps(settings.speech_max_upload_bytes))
    app.add_middleware(NoStore)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    for module in (auth, pages, prep, sse, api):
        app.include_router(module.router, dependencies=[_csrf])
    _add_error_handlers(app)

    @app.get("/healthz", tags=["ops"])
    async def healthz(request: Request) -> dict[str, str | bool]:
        await run_db(request, lambda db: db.execute(text("SELECT 1")))
        return {"status": "ok", "version": __version__, "models_ready": request.app.state.hub.ready}

    return app


def _wants_json(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return request.url.path.startswith("/api/") or (
        "application/json" in accept and "text/html" not in accept
    )


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, exc: LoginRequired) -> Response:
        if _wants_json(request):
            return JSONResponse({"detail": "log in first"}, status_code=401)
        return RedirectResponse("/login", status_code=303)

    @app.exception_handler(NotFoundError)
    async def not_found(request: Request, exc: NotFoundError) -> Response:
        # the same answer whether the object is missing or someone else's
        return _error(request, 404, "Not found", "There is nothing here, or it is not yours.")

    @app.exception_handler(InterviewMateError)
    async def service_error(request: Request, exc: InterviewMateError) -> Response:
        # one actionable line, never a traceback: a missing model or a dead backend is the server's problem (503),
        # bad input that a handler did not catch is the request's (400)
        unavailable = isinstance(exc, ModelUnavailableError | BackendError)
        status, heading = (503, "Not available") if unavailable else (400, "Cannot do that")
        return _error(request, status, heading, str(exc))

    @app.exception_handler(StarletteHTTPException)  # also the router's own 404 / 405, not only FastAPI's
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        titles = {403: "Forbidden", 404: "Not found", 405: "Method not allowed"}
        response = _error(request, exc.status_code, titles.get(exc.status_code, "Error"), str(exc.detail))
        response.headers.update(exc.headers or {})  # e.g. 405's Allow
        return response

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        if any(e.get("loc", ("",))[0] == "path" for e in exc.errors()):  # /sessions/abc, an id out of range
            return _error(request, 404, "Not found", "There is nothing here, or it is not yours.")
        if _wants_json(request):
            # where and why, without echoing the (maybe 20 KB) input back
            errors = [{k: v for k, v in e.items() if k != "input"} for e in exc.errors()]
            return JSONResponse({"detail": jsonable_encoder(errors)}, status_code=422)
        fields = ", ".join(str(e.get("loc", ["?"])[-1]) for e in exc.errors())
        return _error(request, 422, "Invalid form", f"Check these fields and try again: {fields}.")


def _error(request: Request, status: int, heading: str, message: str) -> Response:
    if _wants_json(request):
        return JSONResponse({"detail": message}, status_code=status)
    return render(request, "error.html", status, status=status, heading=heading, message=message)
