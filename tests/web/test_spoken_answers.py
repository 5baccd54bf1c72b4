"""Spoken answers on the answer form: saved, transcribed by interviewmate.speech (faked here), scored."""

from __future__ import annotations

import sys
import types
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from interviewmate.config import Settings
from interviewmate.errors import DataError
from interviewmate.web.app import create_app
from tests.web.conftest import answer_url, prepare, signup, web_services

TRANSCRIPT = (
    "A feature store keeps training and serving features consistent, offline history and online values."
)


class _Report:
    def __init__(self, path: Path) -> None:
        self.text, self.duration_s, self.video = TRANSCRIPT, 12.5, None
        self.path = path

    def to_json(self) -> dict[str, Any]:
        return {"text": self.text, "duration_s": self.duration_s, "words_per_minute": 140.0, "fillers": []}


def _fake_speech(monkeypatch: pytest.MonkeyPatch, seen: list[Path], fail: bool = False) -> None:
    module = types.ModuleType("interviewmate.speech")

    def analyze_media(path: Path, settings: Settings, model: object = None) -> _Report:
        assert model in (None, "fake-asr-model")  # the hub's one loaded model is passed through
        seen.append(path)
        assert path.exists()
        if fail:
            raise DataError(f"{path.name}: no speech found; record the answer closer to the microphone")
        return _Report(path)

    module.analyze_media = analyze_media  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "interviewmate.speech", module)
    asr = types.ModuleType("interviewmate.speech.asr")
    asr.load_asr_model = lambda *a, **k: "fake-asr-model"  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "interviewmate.speech.asr", asr)


def test_recording_is_transcribed_saved_and_scored(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[Path] = []
    _fake_speech(monkeypatch, seen)
    token, sid = prepare(client, signup(client))
    r = client.post(
        answer_url(client, sid),
        data={"csrf_token": token, "text": ""},
        files={"media": ("answer.wav", b"RIFF....WAVEfmt fake audio", "audio/wav")},
    )
    assert r.status_code == 200 and "/answers/" in str(r.url), r.text[:400]
    assert TRANSCRIPT in r.text and "Spoken answer, 12 s" in r.text
    assert len(seen) == 1 and seen[0].exists(), "the recording is kept with the answer"
    answers = client.get(f"/api/sessions/{sid}").json()["answers"]
    [saved] = [a for group in answers.values() for a in group]
    assert saved["modality"] == "audio" and saved["delivery"]["words_per_minute"] == 140.0


def test_unusable_recording_shows_the_reason_and_keeps_nothing(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[Path] = []
    _fake_speech(monkeypatch, seen, fail=True)
    token, sid = prepare(client, signup(client))
    url = answer_url(client, sid)
    r = client.post(url, data={"csrf_token": token}, files={"media": ("a.wav", b"RIFF silence", "audio/wav")})
    assert r.status_code == 400 and "no speech found" in r.text
    assert seen and not seen[0].exists()
    r = client.post(
        url, data={"csrf_token": token}, files={"media": ("a.exe", b"MZ", "application/octet-stream")}
    )
    assert r.status_code == 400 and "unsupported recording type" in r.text


def test_without_the_speech_package_the_page_says_why(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "interviewmate.speech", None)  # import fails as if not installed
    token, sid = prepare(client, signup(client))
    r = client.post(
        answer_url(client, sid),
        data={"csrf_token": token},
        files={"media": ("a.wav", b"RIFF x", "audio/wav")},
    )
    assert r.status_code == 400 and "spoken answers are not available:" in r.text
    assert not list((Settings().data_dir / "media").rglob("*.wav"))


def test_recording_over_the_configured_cap_is_refused_and_not_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[Path] = []
    _fake_speech(monkeypatch, seen)
    settings = Settings(speech_max_upload_bytes=1_000_000)
    with TestClient(create_app(settings, web_services())) as client:
        token, sid = prepare(client, signup(client))
        url = answer_url(client, sid)
        big = (
            b"RIFF" + b"\0" * 1_500_000
        )  # over the recording cap, under the answer URL's body cap (cap + 1 MB)
        r = client.post(url, data={"csrf_token": token}, files={"media": ("a.wav", big, "audio/wav")})
        assert r.status_code == 400 and "the recording" in r.text and "limit" in r.text, r.text[:300]
        assert not seen and not list((settings.data_dir / "media").rglob("*.wav"))
        small = b"RIFF....WAVEfmt fake audio"
        r = client.post(url, data={"csrf_token": token}, files={"media": ("a.wav", small, "audio/wav")})
        assert r.status_code == 200 and TRANSCRIPT in r.text
