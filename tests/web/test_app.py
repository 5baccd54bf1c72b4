from __future__ import annotations

from fastapi.testclient import TestClient

from interviewmate.config import Settings
from interviewmate.web.app import create_app


def test_home_and_health_on_a_fresh_data_dir() -> None:
    settings = Settings()
    assert not (settings.data_dir / "interviewmate.db").exists()
    with TestClient(create_app(settings)) as client:
        home = client.get("/")
        assert home.status_code == 200 and "InterviewMate" in home.text
        assert client.get("/static/style.css").status_code == 200
        health = client.get("/healthz").json()
        assert health["status"] == "ok"
    assert (settings.data_dir / "interviewmate.db").exists(), "the app migrates its database on start"
