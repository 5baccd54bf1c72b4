"""The web app factory. Route handlers parse and render; the services do the work."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated

from fastapi import Depends, FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from interviewmate import __version__
from interviewmate.config import Settings
from interviewmate.store import create_db_engine, make_session_factory, upgrade

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=HERE / "templates")


def get_db(request: Request) -> Session:  # pragma: no cover - thin
    factory: sessionmaker[Session] = request.app.state.session_factory
    return factory()


SessionDep = Annotated[Session, Depends(get_db)]


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        settings.ensure_dirs()
        upgrade(settings.resolved_database_url)
        engine = create_db_engine(settings.resolved_database_url)
        app.state.engine = engine
        app.state.session_factory = make_session_factory(engine)
        yield
        engine.dispose()

    app = FastAPI(title="InterviewMate", version=__version__, lifespan=lifespan)
    app.state.settings = settings
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    @app.get("/", response_class=HTMLResponse)
    def home(request: Request) -> HTMLResponse:
        return templates.TemplateResponse(
            request, "index.html", {"version": __version__, "backend": settings.llm_backend}
        )

    @app.get("/healthz")
    def healthz(db: SessionDep) -> dict[str, str]:
        try:
            db.execute(text("SELECT 1"))
        finally:
            db.close()
        return {"status": "ok", "version": __version__}

    return app
