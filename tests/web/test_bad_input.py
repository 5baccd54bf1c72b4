"""What a careless or hostile request gets: a page that says what is wrong, the user's input given back, never a
500. Each case here was found by driving the running app with bad input."""

from __future__ import annotations

import html
import re

from fastapi.testclient import TestClient

from interviewmate.resume import MAX_BULLETS
from tests.web.conftest import JD, answer_url, prepare, signup

HUGE = "9" * 30  # far past a 64-bit key: SQLite cannot even bind it
ANSWER = (
    "I would compare offline and online features, then check the join keys and the freshness of each source."
)


def test_ids_out_of_range_or_not_numbers_are_404_not_500(client: TestClient) -> None:
    token, sid = prepare(client, signup(client))
    for path in (
        f"/sessions/{HUGE}",
        f"/sessions/{HUGE}/report",
        f"/sessions/{sid}/questions/{HUGE}/sample",
        "/sessions/abc",
        "/sessions/0",
    ):
        r = client.get(path)
        assert r.status_code == 404 and "text/html" in r.headers["content-type"], (path, r.status_code)
        assert "There is nothing here" in r.text
    r = client.post(f"/sessions/{HUGE}/finish", data={"csrf_token": token})
    assert r.status_code == 404
    api = {"accept": "application/json"}
    assert client.get(f"/api/sessions/{HUGE}", headers=api).status_code == 404
    assert client.get(f"/api/sessions/{2**63}/next", headers=api).status_code == 404


def test_form_ids_that_are_not_plain_numbers_are_a_bad_choice(client: TestClient) -> None:
    token = signup(client)
    for bad in (HUGE, "\u00b2", "1e3", "-1", "0"):
        r = client.post("/sessions", data={"csrf_token": token, "resume_id": bad, "n": "1"})
        assert r.status_code == 400 and "is not a valid choice" in html.unescape(r.text), bad


def test_unknown_paths_and_methods_get_the_site_error_page(client: TestClient) -> None:
    r = client.get("/nope", headers={"accept": "text/html"})
    assert r.status_code == 404 and "<html" in r.text.lower() and "Not found" in r.text
    assert client.get("/api/nope").json() == {"detail": "Not Found"}
    signup(client)
    r = client.get("/logout", headers={"accept": "text/html"})  # logout is POST only
    assert r.status_code == 405 and "<html" in r.text.lower() and r.headers["allow"] == "POST"
    for path in ("/resumes", "/jds", "/sessions"):  # post-only URLs typed into the address bar
        r = client.get(path, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/", path


def test_an_answer_over_the_limit_comes_back_with_its_length(client: TestClient) -> None:
    token, sid = prepare(client, signup(client))
    url = answer_url(client, sid)
    long_answer = "I would measure it. " * 400 + "x"  # 8,001 characters
    r = client.post(url, data={"csrf_token": token, "text": long_answer})
    assert r.status_code == 400
    page = html.unescape(r.text)
    assert "your answer is 8,001 characters; the limit is 8,000" in page
    assert long_answer in page, "the typed answer is on the page again"
    # browsers send line ends as CRLF: 7,500 characters typed are 10,000 on the wire and must be accepted
    crlf = "ab\r\n" * 2500
    r = client.post(url, data={"csrf_token": token, "text": crlf}, follow_redirects=False)
    assert r.status_code == 303 and "/answers/" in r.headers["location"]
    [saved] = [a for group in client.get(f"/api/sessions/{sid}").json()["answers"].values() for a in group]
    assert "\r" not in saved["text"] and saved["text"].rstrip() == ("ab\n" * 2500).rstrip()


def test_a_long_job_description_comes_back_with_its_length(client: TestClient) -> None:
    token = signup(client)
    text = JD + " more" * 5000
    r = client.post("/jds", data={"csrf_token": token, "text": text, "title": "Big JD"})
    assert r.status_code == 400
    page = html.unescape(r.text)
    assert "the job description is" in page and "the limit is 20,000" in page and text in page


def test_a_refused_session_keeps_the_choices(client: TestClient) -> None:
    token = signup(client)
    form = {
        "csrf_token": token,
        "interview_type": "coding",
        "difficulty": "hard",
        "role": "data_engineer",
        "request": "grill me on joins",
        "n": "0",
    }
    r = client.post("/sessions", data=form)
    assert r.status_code == 400
    page = html.unescape(r.text)
    assert "the number of questions must be a whole number from 1 to 10 (got '0')" in page
    assert re.search(r'<option value="coding"\s+selected', r.text)
    assert re.search(r'<option value="hard"\s+selected', r.text)
    assert re.search(r'<option value="data_engineer"\s+selected', r.text)
    assert 'value="grill me on joins"' in r.text and 'name="n" value="0"' in r.text


def test_a_picked_resume_that_is_not_there_keeps_the_form(client: TestClient) -> None:
    token = signup(client)
    form = {"csrf_token": token, "resume_id": "999", "interview_type": "coding", "n": "2"}
    r = client.post("/sessions", data=form)
    assert r.status_code == 400 and "is not there any more: pick another" in r.text
    assert re.search(r'<option value="coding"\s+selected', r.text)


def test_a_finished_session_takes_no_more_answers(client: TestClient) -> None:
    token, sid = prepare(client, signup(client))
    url = answer_url(client, sid)
    qid = url.split("/")[-2]
    assert client.post(f"/sessions/{sid}/finish", data={"csrf_token": token}).status_code == 200
    for page in (f"/sessions/{sid}", f"/sessions/{sid}/questions/{qid}/retry"):
        r = client.get(page, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == f"/sessions/{sid}/report", page
    r = client.post(url, data={"csrf_token": token, "text": ANSWER})
    assert r.status_code == 400 and "is finished" in r.text and html.escape(ANSWER) in r.text
    answers = client.get(f"/api/sessions/{sid}").json()["answers"]
    assert answers and not any(answers.values()), "nothing was saved"


def test_typed_text_and_a_recording_together_are_refused_and_the_text_kept(client: TestClient) -> None:
    token, sid = prepare(client, signup(client))
    r = client.post(
        answer_url(client, sid),
        data={"csrf_token": token, "text": "my typed notes"},
        files={"media": ("a.wav", b"RIFF....WAVE", "audio/wav")},
    )
    assert r.status_code == 400 and "not both" in r.text and "my typed notes" in r.text


def test_a_document_with_too_many_lines_is_not_a_resume(client: TestClient) -> None:
    token = signup(client)
    lines = b"".join(b"- shipped feature %d in Python\n" % i for i in range(MAX_BULLETS + 1))
    r = client.post("/resumes", data={"csrf_token": token}, files={"file": ("cv.txt", lines, "text/plain")})
    assert r.status_code == 400 and "far more than a resume holds" in r.text
    assert client.get("/api/resumes", headers={"accept": "application/json"}).json() == []


def test_private_replies_are_not_cached_and_empty_sign_up_keeps_the_form(client: TestClient) -> None:
    token = client.get("/signup").text.split('name="csrf_token" value="')[1].split('"')[0]
    r = client.post("/signup", data={"csrf_token": token, "email": "ada@example.com"})
    assert r.status_code == 400 and 'value="ada@example.com"' in r.text
    token, sid = prepare(client, signup(client))
    for path in ("/", f"/sessions/{sid}/report.md", f"/api/sessions/{sid}"):
        assert client.get(path).headers["cache-control"] == "no-store", path
    assert "no-store" not in client.get("/static/app.js").headers.get("cache-control", "")


def test_each_url_takes_the_body_it_needs() -> None:
    """1 MB where no file is sent (log-in, the JSON API); a resume at up to twice its cap gets the page that says
    so; only the answer form takes a recording-sized body."""
    from interviewmate.config import Settings
    from interviewmate.web.app import create_app
    from tests.web.conftest import web_services

    with TestClient(create_app(Settings(speech_max_upload_bytes=3_000_000), web_services())) as client:
        token, sid = prepare(client, signup(client))
        r = client.post("/login", data={"csrf_token": token, "email": "a@b.c", "password": "x" * 1_100_000})
        assert r.status_code == 413 and "over the 1 MB limit" in r.text
        resume = b"- did a thing\n" * 500_000  # 7 MB: over the 5 MB resume cap, under the URL's 11 MB
        r = client.post(
            "/resumes", data={"csrf_token": token}, files={"file": ("cv.txt", resume, "text/plain")}
        )
        assert r.status_code == 400 and "over the 5.0 MB limit" in r.text
        big = b"RIFF" + b"\0" * 3_500_000  # over the 3 MB recording cap, under the answer URL's 4 MB
        r = client.post(answer_url(client, sid), data={"csrf_token": token}, files={"media": ("a.wav", big)})
        assert r.status_code == 400 and "over the 3.0 MB limit" in r.text
        r = client.post(
            answer_url(client, sid), data={"csrf_token": token}, files={"media": ("a.wav", big * 2)}
        )
        assert r.status_code == 413


def test_api_validation_errors_do_not_echo_the_input(client: TestClient) -> None:
    info = client.get("/api/session").json()
    h = {"X-CSRF-Token": info["csrf_token"]}
    r = client.post("/api/signup", json={"email": "x" * 400, "password": "p" * 2000}, headers=h)
    assert r.status_code == 422
    assert "xxxxxxxxxx" not in r.text and r.json()["detail"][0]["loc"] == ["body", "email"]
