"""The prep-guide page: a pasted README or a zip in, a guide out; numbers only from the project; bad input
stays on the form with a message; CSRF and log-in required."""

from __future__ import annotations

import io
import re
import zipfile

from fastapi.testclient import TestClient

from tests.web.conftest import csrf_of, signup

README = (
    "# Churn radar\n\nA churn model for a subscription app. Gradient boosting on 12,400 customers reached an AUC "
    "of 0.87 on the held-out month.\n\n## Usage\n\n`python -m churn.train` trains it; the API answers in 35 ms.\n"
)


def test_pasted_readme_gives_a_guide_page_and_markdown(client: TestClient) -> None:
    token = signup(client)
    form = csrf_of(client.get("/prep").text)
    assert form == token
    r = client.post("/prep", data={"readme": README, "csrf_token": token})
    assert r.status_code == 200 and "Churn radar" in r.text and "0.87" in r.text
    md = client.post("/prep", data={"readme": README, "output": "markdown", "csrf_token": token})
    assert md.status_code == 200 and md.headers["content-type"].startswith("text/markdown")
    assert "attachment" in md.headers["content-disposition"]
    numbers = set(re.findall(r"\d[\d,.]*\d|\d", md.text))
    assert "12,400" in numbers and numbers <= set(re.findall(r"\d[\d,.]*\d|\d", README)) | {
        "1",
        "2",
        "3",
        "4",
        "5",
        "6",
        "7",
        "8",
        "9",
    }


def test_zip_upload_and_bad_input(client: TestClient) -> None:
    token = signup(client)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("churn/README.md", README)
        zf.writestr(
            "churn/churn/train.py", "import sklearn\n\nif __name__ == '__main__':\n    print('train')\n"
        )
    r = client.post(
        "/prep", files={"file": ("churn.zip", buf.getvalue(), "application/zip")}, data={"csrf_token": token}
    )
    assert r.status_code == 200 and "0.87" in r.text
    empty = client.post("/prep", data={"readme": "   ", "csrf_token": token})
    assert empty.status_code == 400 and "paste its README" in empty.text
    evil = io.BytesIO()
    with zipfile.ZipFile(evil, "w") as zf:
        zf.writestr("../escape.md", README)
    bad = client.post(
        "/prep", files={"file": ("evil.zip", evil.getvalue(), "application/zip")}, data={"csrf_token": token}
    )
    assert bad.status_code == 400 and "Traceback" not in bad.text


def test_prep_needs_login_and_csrf(client: TestClient) -> None:
    r = client.get("/prep", follow_redirects=False)
    assert r.status_code in (303, 401)
    signup(client)
    assert client.post("/prep", data={"readme": README}).status_code == 403
