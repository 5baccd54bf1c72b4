"""The main journey through the pages, and the JSON API, on the real app with fake models."""

from __future__ import annotations

import html
import json
import re

from fastapi.testclient import TestClient

from tests.web.conftest import PASSWORD, RESUME, csrf_of, prepare, signup

ANSWER = (
    "I would train the model in PyTorch on the feature pipeline's SQL tables, evaluate it on a held-out split, "
    "and cut serving latency by batching requests; at my last job I cut latency from 120 ms to 35 ms."
)


def _answer_current(client: TestClient, token: str, sid: int, text: str = ANSWER) -> tuple[str, str]:
    page = client.get(f"/sessions/{sid}")
    assert page.status_code == 200
    action = re.search(r'action="(/sessions/\d+/questions/\d+/answer)"', page.text)
    assert action
    r = client.post(action.group(1), data={"csrf_token": token, "text": text})
    assert r.status_code == 200 and "/answers/" in str(r.url), r.text[:300]
    return r.text, str(r.url)


def test_signup_upload_jd_session_answer_feedback_report_markdown(client: TestClient) -> None:
    token = signup(client)
    token, sid = prepare(client, token)
    page = client.get(f"/sessions/{sid}")
    assert "Question 1 of 2" in page.text and "type chosen by the user" in page.text
    stream = re.search(r'data-stream="([^"]+)"', page.text)
    assert stream
    sse = client.get(stream.group(1))
    assert sse.headers["content-type"].startswith("text/event-stream")
    events = [e for e in sse.text.split("\n\n") if e]
    tokens = [json.loads(e.split("data: ", 1)[1]) for e in events if e.startswith("event: token")]
    done = json.loads(events[-1].split("data: ", 1)[1])["text"]
    assert "".join(tokens) == done and done in page.text  # the non-JS page holds the same text

    feedback, url = _answer_current(client, token, sid)
    assert "Score:" in feedback and "Key points" in feedback and "Your answer" in feedback
    assert "lifting CTR" not in feedback or "Sample answer" in feedback
    overall = re.search(r'id="overall">([^<]+)<', feedback)
    assert overall and overall.group(1).strip().isdigit()

    # retry keeps the first try
    retry = re.search(r'href="(/sessions/\d+/questions/\d+/retry)"', feedback)
    assert retry
    form = client.get(retry.group(1))
    assert "Retry" in form.text
    qid = retry.group(1).split("/")[4]
    r = client.post(
        f"/sessions/{sid}/questions/{qid}/answer", data={"csrf_token": token, "text": "I do not know."}
    )
    assert r.status_code == 200 and str(r.url) != url

    while "Next question" in r.text:
        r_text, _ = _answer_current(client, token, sid)
        r = (
            client.get(f"/sessions/{sid}/report")
            if "Next question" not in r_text
            else client.get(f"/sessions/{sid}")
        )
        if "Finish and see the report" in r_text:
            break
    r = client.post(f"/sessions/{sid}/finish", data={"csrf_token": token})
    assert r.status_code == 200 and "Session report" in r.text and 'id="chart-data"' in r.text
    chart = json.loads(re.search(r'id="chart-data">(.*?)</script>', r.text, re.S).group(1))  # type: ignore[union-attr]
    assert chart[0]["label"] == "Q1" and chart[0]["score"] is not None

    md = client.get(f"/sessions/{sid}/report.md")
    assert md.status_code == 200 and md.headers["content-type"].startswith("text/markdown")
    assert "attachment" in md.headers["content-disposition"]
    assert md.text.startswith("# Interview practice:") and "I do not know." in md.text

    assert f"/sessions/{sid}/report" in client.get("/history").text
    progress = client.get("/progress")
    assert progress.status_code == 200 and "technical" in progress.text


def test_login_failure_then_success_and_logout(client: TestClient) -> None:
    signup(client)
    token = csrf_of(client.get("/").text)
    client.post("/logout", data={"csrf_token": token})
    assert client.get("/history", follow_redirects=False).status_code == 303
    token = csrf_of(client.get("/login").text)
    bad = client.post(
        "/login", data={"email": "ada@example.com", "password": "wrong password", "csrf_token": token}
    )
    assert bad.status_code == 401 and "Wrong email or password" in bad.text
    unknown = client.post(
        "/login", data={"email": "bob@example.com", "password": PASSWORD, "csrf_token": token}
    )
    assert unknown.status_code == 401 and "Wrong email or password" in unknown.text
    ok = client.post("/login", data={"email": "ada@example.com", "password": PASSWORD, "csrf_token": token})
    assert ok.status_code == 200 and "Dashboard" in ok.text


def test_signup_errors_are_shown_on_the_form(client: TestClient) -> None:
    token = csrf_of(client.get("/signup").text)
    r = client.post("/signup", data={"email": "not-an-email", "password": PASSWORD, "csrf_token": token})
    assert r.status_code == 400 and "is not an email address" in r.text
    r = client.post("/signup", data={"email": "a@example.com", "password": "short", "csrf_token": token})
    assert r.status_code == 400 and "too short" in r.text


def test_csrf_missing_or_wrong_is_403(client: TestClient) -> None:
    token = signup(client)
    assert client.post("/jds", data={"title": "x", "text": "a b c d e f"}).status_code == 403
    assert (
        client.post("/jds", data={"title": "x", "text": "a b c d e f", "csrf_token": token + "x"}).status_code
        == 403
    )
    assert client.post("/logout").status_code == 403
    assert client.post("/api/jds", json={"text": "one two three four five six"}).status_code == 403
    wrong = client.post(
        "/api/jds", json={"text": "one two three four five six"}, headers={"X-CSRF-Token": "nope"}
    )
    assert wrong.status_code == 403
    ok = client.post(
        "/api/jds", json={"text": "one two three four five six"}, headers={"X-CSRF-Token": token}
    )
    assert ok.status_code == 201
    # a login form without the token is refused too (login CSRF)
    client.cookies.clear()
    assert client.post("/login", data={"email": "ada@example.com", "password": PASSWORD}).status_code == 403


def test_token_changes_on_login(client: TestClient) -> None:
    before = csrf_of(client.get("/login").text)
    after = signup(client)
    assert before != after


def test_another_user_gets_404_everywhere(client: TestClient) -> None:
    token = signup(client, "ada@example.com")
    token, sid = prepare(client, token)
    _, url = _answer_current(client, token, sid)
    answer_path = url.split("testserver", 1)[1]
    qid = client.get(f"/api/sessions/{sid}").json()["questions"][0]["id"]
    client.post("/logout", data={"csrf_token": token})
    token_b = signup(client, "bob@example.com")
    for path in (
        f"/sessions/{sid}",
        f"/sessions/{sid}/report",
        f"/sessions/{sid}/report.md",
        answer_path,
        f"/sessions/{sid}/questions/{qid}/stream",
        f"/sessions/{sid}/questions/{qid}/retry",
        f"/sessions/{sid}/questions/{qid}/sample",
        f"/sessions/{sid}/questions/{qid}/sample/stream",
        f"/api/sessions/{sid}",
        f"/api/sessions/{sid}/report",
        f"/api/sessions/{sid}/next",
    ):
        assert client.get(path).status_code == 404, path
    r = client.post(
        f"/sessions/{sid}/questions/{qid}/answer", data={"csrf_token": token_b, "text": "mine now"}
    )
    assert r.status_code == 404
    r = client.post(
        f"/api/questions/{qid}/answers", json={"text": "mine now"}, headers={"X-CSRF-Token": token_b}
    )
    assert r.status_code == 404
    assert client.post(f"/sessions/{sid}/finish", data={"csrf_token": token_b}).status_code == 404
    assert client.get("/api/sessions").json() == []
    assert "cv.txt" not in client.get("/").text


def test_user_text_is_escaped(client: TestClient) -> None:
    token = signup(client)
    payload = "<script>alert('x')</script>"
    r = client.post(
        "/jds", data={"csrf_token": token, "title": payload, "text": "ML engineer " * 5 + payload}
    )
    assert r.status_code == 200
    assert payload not in r.text and "&lt;script&gt;alert(" in r.text
    token, sid = prepare(client, token)
    text, _ = _answer_current(client, token, sid, f"My answer {payload} with PyTorch and SQL pipelines.")
    assert payload not in text and "&lt;script&gt;" in text
    md = client.get(f"/sessions/{sid}/report.md")  # a download, never rendered by the app
    assert (
        md.headers["x-content-type-options"] == "nosniff"
        and "attachment" in md.headers["content-disposition"]
    )


def test_upload_errors_are_shown_and_nothing_is_stored(client: TestClient) -> None:
    token = signup(client)
    r = client.post(
        "/resumes",
        data={"csrf_token": token},
        files={"file": ("cv.exe", b"MZ\x90\x00", "application/x-msdownload")},
    )
    assert r.status_code == 400 and "unsupported file type" in r.text
    big = b"- did a thing with Python and SQL\n" * 200_000  # ~6.8 MB, over the 5 MB resume limit
    r = client.post("/resumes", data={"csrf_token": token}, files={"file": ("cv.txt", big, "text/plain")})
    assert r.status_code == 400 and "limit" in r.text
    r = client.post("/resumes", data={"csrf_token": token}, files={"file": ("cv.txt", b"   ", "text/plain")})
    assert r.status_code == 400 and "empty" in r.text
    assert client.get("/api/resumes", headers={"accept": "application/json"}).json() == []


def test_body_over_the_app_limit_is_413(client: TestClient) -> None:
    token = signup(client)
    huge = b"x" * 11_500_000  # over /resumes' body cap (twice the 5 MB resume cap + 1 MB)
    r = client.post("/resumes", data={"csrf_token": token}, files={"file": ("cv.txt", huge, "text/plain")})
    assert r.status_code == 413 and "over the 11 MB limit" in r.text


def test_json_api_flow(client: TestClient) -> None:
    info = client.get("/api/session").json()
    assert info["user"] is None
    h = {"X-CSRF-Token": info["csrf_token"]}
    r = client.post("/api/signup", json={"email": "api@example.com", "password": PASSWORD}, headers=h)
    assert r.status_code == 201
    h = {"X-CSRF-Token": r.json()["csrf_token"]}
    assert client.get("/api/sessions").status_code == 200
    from tests.web.conftest import JD

    rid = client.post("/api/resumes", files={"file": ("cv.md", RESUME, "text/markdown")}, headers=h).json()[
        "id"
    ]
    jid = client.post("/api/jds", json={"text": JD, "title": "ML Engineer"}, headers=h).json()["id"]
    view = client.post(
        "/api/sessions",
        json={"resume_id": rid, "jd_id": jid, "interview_type": "technical", "difficulty": "easy", "n": 1},
        headers=h,
    ).json()
    assert view["route"]["type_source"] == "user" and len(view["questions"]) == 1
    q = client.get(f"/api/sessions/{view['summary']['id']}/next").json()
    out = client.post(f"/api/questions/{q['id']}/answers", json={"text": ANSWER}, headers=h).json()
    assert out["feedback"]["overall"] is not None and out["feedback"]["answer_id"] == out["answer_id"]
    rep = client.get(f"/api/sessions/{view['summary']['id']}/report").json()
    assert rep["questions"][0]["attempts"] == 1 and rep["markdown"].startswith("# Interview practice")
    assert client.get("/api/progress").json()["n_scored"] == 1
    assert client.post("/api/logout", headers=h).status_code == 204
    assert client.get("/api/sessions").status_code == 401


def test_sample_answer_streams_bullets_then_text_and_has_a_no_js_page(client: TestClient) -> None:
    token = signup(client)
    token, sid = prepare(client, token)
    feedback, _ = _answer_current(client, token, sid)
    stream = re.search(r'id="sample" data-stream="([^"]+)"', feedback)
    assert stream
    events = [e for e in client.get(stream.group(1)).text.split("\n\n") if e]
    kinds = [e.split("\n", 1)[0].removeprefix("event: ") for e in events]
    assert kinds[0] == "bullets" and kinds[-1] == "done", kinds
    bullets = json.loads(events[0].split("data: ", 1)[1])
    assert bullets and all(b["text"].encode() in RESUME for b in bullets), "only the user's own bullets"
    text = json.loads(events[-1].split("data: ", 1)[1])["text"]
    page = client.get(stream.group(1).removesuffix("/stream"))
    assert page.status_code == 200 and bullets[0]["text"] in page.text
    assert text.split("[")[0].strip()[:30] in html.unescape(page.text)  # escaped, not dropped


class _Router:
    """Stands in for the shipped router: sure about the type, unsure about the difficulty."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, str]] = []

    def route(self, role: str, request: str, jd: str) -> object:
        from interviewmate.routing.model import RouteResult

        self.calls.append((role, request, jd))
        return RouteResult("system_design", "hard", 0.91, 0.42)


def test_router_pick_is_shown_with_its_confidence() -> None:
    from interviewmate.config import Settings
    from interviewmate.web.app import create_app
    from tests.web.conftest import JD, web_services

    router = _Router()
    services = web_services()
    services.router = router
    with TestClient(create_app(Settings(), services)) as client:
        token = signup(client)
        client.post("/jds", data={"csrf_token": token, "title": "ML Engineer", "text": JD})
        form = client.get("/sessions/new").text
        jid = re.search(r'name="jd_id">\s*<option value="">[^<]*</option>\s*<option value="(\d+)"', form)
        assert jid and "let the router pick" in form
        r = client.post(
            "/sessions",
            data={"csrf_token": token, "jd_id": jid.group(1), "n": "1", "request": "grill me on design"},
        )
        assert r.status_code == 200, r.text[:300]
        assert router.calls and router.calls[0][1] == "grill me on design"
        assert "system design · hard" in r.text
        assert "type chosen by the router (91% sure)" in r.text
        assert "difficulty by the router (42% sure)" in r.text
        assert "The router was unsure about the difficulty" in r.text
