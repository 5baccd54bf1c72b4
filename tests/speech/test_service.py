"""analyze_media wiring with a fake speech model (no ASR): report fields, notes, no-speech handling."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest

from interviewmate.config import Settings
from interviewmate.errors import DataError
from interviewmate.speech import DeliveryReport, analyze_media
from interviewmate.speech.media import SAMPLE_RATE
from tests.speech.media_files import tone, write_video
from tests.speech.synth import write_wav


class FakeModel:
    """Answers every call with fixed (word, start, end) triples, like faster-whisper's segments."""

    def __init__(self, words: list[tuple[str, float, float]]) -> None:
        self.words = words
        self.calls: list[dict[str, Any]] = []

    def transcribe(self, audio: np.ndarray, **kwargs: Any) -> tuple[Any, Any]:
        self.calls.append({"n": len(audio), **kwargs})
        if not self.words:
            return iter(()), None
        ws = [SimpleNamespace(word=f" {w}", start=s, end=e, probability=0.9) for w, s, e in self.words]
        return iter([SimpleNamespace(text=" " + " ".join(w for w, _, _ in self.words), words=ws)]), None


WORDS = [
    ("Um,", 0.5, 0.8),
    ("I", 0.9, 1.0),
    ("think", 1.0, 1.3),
    ("we", 1.4, 1.5),
    ("cached", 3.5, 3.9),
    ("it.", 3.9, 4.1),
]


def test_report_from_fake_transcript(tmp_path: Path) -> None:
    path = write_wav(tmp_path / "a.wav", tone(5.0, SAMPLE_RATE))
    model = FakeModel(WORDS)
    report = analyze_media(path, Settings(), expected_seconds=60, model=model)
    assert isinstance(report, DeliveryReport)
    assert report.text == "Um, I think we cached it."
    assert report.duration_s == pytest.approx(5.0, abs=0.01)
    assert report.words_per_minute == pytest.approx(6 / 3.6 * 60)
    assert [(f.text, f.start) for f in report.fillers] == [("um", 0.5)]
    assert [(h.text, h.start) for h in report.hedges] == [("i think", 0.9)]
    assert [(p.start, p.duration_s) for p in report.long_pauses] == [(1.5, 2.0)]
    assert report.video is None and report.fillers_per_100_words == pytest.approx(100 / 6)
    assert model.calls[0]["word_timestamps"] is True and model.calls[0]["language"] == "en"
    assert model.calls[0]["n"] == 5 * SAMPLE_RATE
    out = report.to_json()
    assert out["fillers"] == [{"text": "um", "start": 0.5}]
    assert out["long_pauses"] == [{"start": 1.5, "duration_s": 2.0}]


def test_video_file_gets_rough_video_block(tmp_path: Path) -> None:
    path = write_video(tmp_path / "v.mp4", tone(3.0, 16_000), 16_000, 3.0)
    report = analyze_media(path, Settings(), model=FakeModel(WORDS))
    assert report.video is not None and report.video["rough"] is True
    assert any("rough" in n for n in report.notes)


def test_no_words_is_no_speech_found(tmp_path: Path) -> None:
    path = write_wav(tmp_path / "hum.wav", tone(2.0, SAMPLE_RATE))
    with pytest.raises(DataError, match=r"hum\.wav: no speech found"):
        analyze_media(path, Settings(), model=FakeModel([]))
