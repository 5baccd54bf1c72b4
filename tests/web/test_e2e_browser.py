"""End to end in a real browser: Playwright drives Debian's headless Chromium against a uvicorn server (fake
models): sign up -> resume -> JD -> session -> answer -> feedback -> report. Screenshots go to the tmp dir;
set IM_WEB_SCREENSHOTS=<dir> to copy them there as well (docs/img holds the ones from one run)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from interviewmate.config import Settings
from interviewmate.web.app import create_app
from tests.web.conftest import JD, PASSWORD, RESUME, web_services
from tests.web.server_thread import serve_in_thread

pytestmark = pytest.mark.slow

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = [
    "--no-sandbox",  # tests may run as root in CI
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",  # the machine has no network; Chromium's own calls only add noise
    "--disable-component-update",
    "--disable-sync",
]
ANSWER = (
    "A feature store keeps features consistent between training and serving: the offline store holds history "
    "for training in SQL and Spark, the online store serves the latest values with low latency."
)


def test_browser_journey(tmp_path: Path) -> None:
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright==1.65.2")
    if CHROMIUM is None:
        pytest.skip("no chromium on PATH: apt-get install -y chromium")
    shots = tmp_path / "screenshots"
    shots.mkdir()
    resume = tmp_path / "cv.txt"
    resume.write_bytes(RESUME)
    app = create_app(Settings(), web_services())
    with serve_in_thread(app) as base, sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1100, "height": 900})
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))

        page.goto(f"{base}/signup")
        page.fill("input[name=email]", "ada@example.com")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_selector("h1:has-text('Dashboard')")

        page.goto(f"{base}/resumes/new")
        page.set_input_files("input[name=file]", str(resume))
        page.click("form.card button[type=submit]")
        page.wait_for_selector("text=cv.txt")
        page.goto(f"{base}/jds/new")
        page.fill("input[name=title]", "ML Engineer")
        page.fill("textarea[name=text]", JD)
        page.click("form.card button[type=submit]")
        page.wait_for_selector("text=ML Engineer")
        page.screenshot(path=str(shots / "web_dashboard.png"), full_page=True)

        page.goto(f"{base}/sessions/new")
        page.select_option("select[name=interview_type]", "technical")
        page.select_option("select[name=difficulty]", "medium")
        page.fill("input[name=n]", "2")
        page.click("form.card button[type=submit]")
        page.wait_for_selector("#question-text:not(.streaming)")  # the SSE stream has finished
        question = page.inner_text("#question-text")
        assert question.strip().endswith("?") or len(question.split()) > 4
        page.fill("textarea[name=text]", ANSWER)
        page.screenshot(path=str(shots / "web_question.png"), full_page=True)
        page.click("form.card button.primary")

        page.wait_for_selector("#overall")
        assert page.inner_text("#overall").strip().isdigit()
        page.wait_for_selector("#sample .sample-text:not(.streaming)", timeout=30_000)
        page.screenshot(path=str(shots / "web_feedback.png"), full_page=True)

        page.goto(f"{base}/")
        page.click("text=continue at question") if page.is_visible("text=continue at question") else None
        if page.is_visible("text=Finish the session now"):
            page.click("text=Finish the session now")
        page.wait_for_selector("#score-chart svg rect")
        assert page.locator("#score-chart svg rect").count() >= 2
        page.screenshot(path=str(shots / "web_report.png"), full_page=True)
        browser.close()
    assert not errors, f"JavaScript errors: {errors}"
    assert {p.name for p in shots.iterdir()} >= {"web_question.png", "web_feedback.png", "web_report.png"}
    if out := os.environ.get("IM_WEB_SCREENSHOTS"):
        for p in shots.iterdir():
            shutil.copy(p, Path(out) / p.name)
