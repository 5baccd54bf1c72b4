"""Web test fixtures: the real app with a FakeBackend (no responses: questions come from the curated bank)
and a HashingEmbedder, so no model is loaded."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient

from interviewmate.config import Settings
from interviewmate.models.backends.fake import FakeBackend
from interviewmate.models.embedder import HashingEmbedder
from interviewmate.web.app import create_app
from interviewmate.web.services import WebServices

PASSWORD = "correct horse battery"
RESUME = (
    b"Ada Lovelace\n\nExperience\n"
    b"- Trained gradient boosted models on 40M rows of click data, lifting CTR by 4%\n"
    b"- Cut model serving latency from 120 ms to 35 ms by batching requests on GPUs\n"
    b"- Built a feature store in Python and SQL used by 6 teams\n"
    b"- Led a team of 3 engineers to ship a fraud model that saved $2M a year\n"
    b"\nSkills\n- Python, PyTorch, SQL, Spark, Kubernetes\n"
)
JD = (
    "Machine Learning Engineer\n\nWe need an ML engineer to train, evaluate and deploy models in Python and "
    "PyTorch, own feature pipelines in SQL and Spark, and keep model serving latency low."
)


def web_services() -> WebServices:
    # argon2id with small parameters: the real ones (64 MiB, t=3) are the accounts tests' business
    hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    return WebServices(backend=FakeBackend(), embedder=HashingEmbedder(), password_hasher=hasher)


@pytest.fixture
def client() -> Iterator[TestClient]:
    with TestClient(create_app(Settings(), web_services())) as c:
        yield c


def csrf_of(html: str) -> str:
    m = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert m, "the page has a CSRF field"
    return m.group(1)


def signup(
    client: TestClient,
    email: str = "ada@example.com",
    password: str = PASSWORD,
    expect_dashboard: bool = True,
) -> str:
    """Sign up through the form; returns the CSRF token of the new session."""
    token = csrf_of(client.get("/signup").text)
    r = client.post("/signup", data={"email": email, "password": password, "csrf_token": token})
    if not expect_dashboard:
        return token
    assert r.status_code == 200 and "Dashboard" in r.text, r.text[:500]
    return csrf_of(r.text)


def answer_url(client: TestClient, sid: int) -> str:
    """The answer form's action on the session's current question page."""
    m = re.search(r'action="(/sessions/\d+/questions/\d+/answer)"', client.get(f"/sessions/{sid}").text)
    assert m
    return m.group(1)


def prepare(client: TestClient, token: str) -> tuple[str, int]:
    """Upload the resume and the JD, start a 2-question technical session; returns (token, session id)."""
    r = client.post("/resumes", data={"csrf_token": token}, files={"file": ("cv.txt", RESUME, "text/plain")})
    assert r.status_code == 200 and "cv.txt" in r.text
    r = client.post("/jds", data={"csrf_token": token, "title": "ML Engineer", "text": JD})
    assert r.status_code == 200 and "ML Engineer" in r.text
    form = client.get("/sessions/new").text
    rid = re.search(r'name="resume_id">\s*<option value="">[^<]*</option>\s*<option value="(\d+)"', form)
    jid = re.search(r'name="jd_id">\s*<option value="">[^<]*</option>\s*<option value="(\d+)"', form)
    assert rid and jid
    r = client.post(
        "/sessions",
        data={
            "csrf_token": token,
            "resume_id": rid.group(1),
            "jd_id": jid.group(1),
            "interview_type": "technical",
            "difficulty": "medium",
            "n": "2",
        },
    )
    assert r.status_code == 200, r.text[:500]
    m = re.search(r"/sessions/(\d+)", str(r.url))
    assert m
    return token, int(m.group(1))
