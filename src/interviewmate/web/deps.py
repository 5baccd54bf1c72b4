"""Dependencies shared by the routers: a DB session per request, the signed-in user, the services."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session, sessionmaker

from interviewmate.accounts import get_user
from interviewmate.web.services import ServiceHub


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
    # per request, and under load those hops (and their fight for the GIL) were most of a page's latency. The
    # one primary-key read below takes ~0.2 ms, less than the hop it saves.
    uid = request.session.get("uid")
    if not isinstance(uid, int):
        request.state.user = None
        return None
    # a short session of its own: a request must never hold one connection while the services take another
    # (with every worker thread doing that, the pool runs dry and requests wait on each other)
    factory: sessionmaker[Session] = request.app.state.session_factory
    with factory() as db:
        row = get_user(db, uid)
    if row is None or row.is_local:  # the account was deleted: forget the cookie's claim
        request.session.pop("uid", None)
        request.state.user = None
        return None
    user = WebUser(row.id, row.email)
    request.state.user = user
    return user


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
