"""Sign up, log in, log out. The session cookie holds only the user id and the CSRF token (signed)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from interviewmate.accounts import MAX_PASSWORD, authenticate, create_user
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


def auth_page(request: Request, signup: bool, status_code: int = 200, **context: Any) -> Response:
    """The sign-up or log-in form (one template), e.g. again with the email and an error after a failure."""
    heading, action = ("Sign up", "/signup") if signup else ("Log in", "/login")
    return render(
        request, "auth.html", status_code, heading=heading, action=action, signup=signup,
        max_password=MAX_PASSWORD, **context,
    )  # fmt: skip


@router.get("/signup", include_in_schema=False)
def signup_form(request: Request, user: MaybeUserDep) -> Response:
    if user:
        return RedirectResponse("/", status_code=303)
    return auth_page(request, signup=True)


@router.post("/signup", include_in_schema=False)
def signup(
    request: Request,
    db: DbDep,
    hub: HubDep,
    email: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
) -> Response:
    try:
        with hub.hash_slots:
            account = create_user(db, email, password, hub.password_hasher)
    except DataError as exc:
        return auth_page(request, True, 400, email=email, error=str(exc))
    start_session(request, account.id)
    return RedirectResponse("/", status_code=303)


@router.get("/login", include_in_schema=False)
def login_form(request: Request, user: MaybeUserDep) -> Response:
    if user:
        return RedirectResponse("/", status_code=303)
    return auth_page(request, signup=False)


@router.post("/login", include_in_schema=False)
def login(
    request: Request,
    db: DbDep,
    hub: HubDep,
    email: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
) -> Response:
    with hub.hash_slots:
        account = authenticate(db, email, password, hub.password_hasher)
    if account is None or account.is_local:
        return auth_page(request, False, 401, email=email, error=LOGIN_FAILED)
    start_session(request, account.id)
    return RedirectResponse("/", status_code=303)


@router.post("/logout", include_in_schema=False)
def logout(request: Request) -> Response:
    request.session.clear()
    rotate_csrf(request)
    return RedirectResponse("/login", status_code=303)
