"""Dependencies shared by the routers: a DB session per request, the signed-in user, the services."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Annotated, TypeVar

from fastapi import Depends, Request
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool

from interviewmate.accounts import get_user
from interviewmate.web.services import ServiceHub

T = TypeVar("T")


@dataclass(frozen=True)
class WebUser:
    id: int
    email: str


class LoginRequired(Exception):
    """Raised by `require_user`; pages redirect to /login, the API answers 401."""


def get_db(request: Request) -> Iterator[Session]:
    factory: sessionmaker[Session] = request.app.state.session_factory
    with factory() as db:
        yield db


DbDep = Annotated[Session, Depends(get_db)]


async def optional_user(request: Request) -> WebUser | None:
    # `async` on purpose, like the other cheap dependencies here: a sync dependency costs a worker-thread hop
    # per request, and under load those hops (and their fight for the GIL) were most of a page's latency.
    uid = request.session.get("uid")
    if not isinstance(uid, int):
        request.state.user = None
        return None
    row = await run_db(request, lambda db: get_user(db, uid))
    if row is None or row.is_local:  # the account was deleted: forget the cookie's claim
        request.session.pop("uid", None)
        request.state.user = None
        return None
    user = WebUser(row.id, row.email)
    request.state.user = user
    return user


async def run_db(request: Request, work: Callable[[Session], T]) -> T:
    """`work` in a short DB session of its own, from an async handler or dependency.

    SQLite is a local file: a primary-key read takes ~0.2 ms, less than a worker-thread hop, so it runs right on
    the event loop. A network database (PostgreSQL) can stall, and a stall on the loop would freeze every
    request, so there it runs in a worker thread. A session of its own: a request must never hold one connection
    while the services take another (with every worker thread doing that, the pool runs dry).
    """
    factory: sessionmaker[Session] = request.app.state.session_factory

    def run() -> T:
        with factory() as db:
            return work(db)

    if request.app.state.db_is_local:
        return run()
    return await run_in_threadpool(run)


async def require_user(user: Annotated[WebUser | None, Depends(optional_user)]) -> WebUser:
    if user is None:
        raise LoginRequired
    return user


async def get_hub(request: Request) -> ServiceHub:
    hub: ServiceHub = request.app.state.hub
    return hub


UserDep = Annotated[WebUser, Depends(require_user)]
MaybeUserDep = Annotated[WebUser | None, Depends(optional_user)]
HubDep = Annotated[ServiceHub, Depends(get_hub)]
