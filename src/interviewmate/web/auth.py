"""Sign up, log in, log out. The session cookie holds only the user id and the CSRF token (signed)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from interviewmate.accounts import authenticate, create_user
from interviewmate.errors import DataError
from interviewmate.web.csrf import rotate_csrf
from interviewmate.web.deps import DbDep, HubDep, MaybeUserDep
from interviewmate.web.render import render

router = APIRouter(tags=["pages"])
LOGIN_FAILED = "Wrong email or password."


def start_session(request: Request, user_id: int) -> None:
    """A fresh session on log-in: nothing from before it (a planted token) survives."""
    request.session.clear()
    request.session["uid"] = user_id
    rotate_csrf(request)


@router.get("/signup", include_in_schema=False)
def signup_form(request: Request, user: MaybeUserDep) -> Response:
    if user:
        return RedirectResponse("/", status_code=303)
    return render(request, "auth.html", heading="Sign up", action="/signup", signup=True)


@router.post("/signup", include_in_schema=False)
def signup(
    request: Request, db: DbDep, hub: HubDep, email: Annotated[str, Form()], password: Annotated[str, Form()]
) -> Response:
    try:
        with hub.hash_slots:
            account = create_user(db, email, password, hub.password_hasher)
    except DataError as exc:
        return render(
            request,
            "auth.html",
            400,
            heading="Sign up",
            action="/signup",
            signup=True,
            email=email,
            error=str(exc),
        )
    start_session(request, account.id)
    return RedirectResponse("/", status_code=303)


@router.get("/login", include_in_schema=False)
def login_form(request: Request, user: MaybeUserDep) -> Response:
    if user:
        return RedirectResponse("/", status_code=303)
    return render(request, "auth.html", heading="Log in", action="/login", signup=False)


@router.post("/login", include_in_schema=False)
def login(
    request: Request, db: DbDep, hub: HubDep, email: Annotated[str, Form()], password: Annotated[str, Form()]
) -> Response:
    with hub.hash_slots:
        account = authenticate(db, email, password, hub.password_hasher)
    if account is None or account.is_local:
        return render(
            request,
            "auth.html",
            401,
            heading="Log in",
            action="/login",
            signup=False,
            email=email,
            error=LOGIN_FAILED,
        )
    start_session(request, account.id)
    return RedirectResponse("/", status_code=303)


@router.post("/logout", include_in_schema=False)
def logout(request: Request) -> Response:
    request.session.clear()
    rotate_csrf(request)
    return RedirectResponse("/login", status_code=303)
