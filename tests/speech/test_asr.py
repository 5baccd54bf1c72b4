"""The real packaged whisper tiny.en on speech synthesised by espeak-ng, with planted fillers and pauses.

What is compared for pace: the reference is the number of words in the script (planted fillers included)
divided by the synthesised clip's audible span (first to last audible sample, inserted silences included);
the measurement is `DeliveryReport.words_per_minute` = transcribed words / (first word start to last word end).
espeak-ng's nominal `-s` rate is not the reference: the reference runs 7-12% above it on these clips.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from interviewmate.config import Settings
from interviewmate.speech import analyze_media
from interviewmate.speech.asr import load_asr_model
from interviewmate.speech.wer import word_error_rate
from tests.speech.media_files import write_video
from tests.speech.synth import BILLING_ANSWER, build_answer, needs_espeak, speech_span_s, write_wav

pytestmark = [pytest.mark.slow, needs_espeak]


@pytest.fixture(scope="module")
def model(shared_model_cache: Path) -> Any:
    return load_asr_model("whisper-tiny-en", shared_model_cache, n_threads=2)


@pytest.mark.parametrize("rate", [130, 175])
def test_pace_fillers_and_pauses_are_found(tmp_path: Path, model: Any, rate: int) -> None:
    planted = build_answer(BILLING_ANSWER, rate)
    path = write_wav(tmp_path / "answer.wav", planted.samples)
    report = analyze_media(path, Settings(), expected_seconds=60.0, model=model)

    reference_wpm = len(planted.script.split()) / speech_span_s(planted.samples) * 60
    wer = word_error_rate(planted.script, report.text)
    print(
        f"rate {rate}: reference {reference_wpm:.1f} wpm, measured {report.words_per_minute:.1f}, WER {wer:.3f}"
    )
    assert report.words_per_minute == pytest.approx(reference_wpm, rel=0.15)
    assert wer < 0.25

    found = [(m.text, m.start) for m in report.fillers]
    # each planted um/uh is found within a second of where it was put
    for planted_at in planted.filler_starts:
        assert any(abs(start - planted_at) < 1.0 for _, start in found), (planted_at, found)
    (pause,) = report.long_pauses
    assert abs(pause.start - planted.pause_starts[0]) < 0.6 and pause.duration_s >= 1.8
    assert report.video is None
    assert any("short of the expected 60 s" in n for n in report.notes)


def test_video_answer_gets_transcript_and_rough_video_signals(tmp_path: Path, model: Any) -> None:
    planted = build_answer([BILLING_ANSWER[0]], 160)
    seconds = len(planted.samples) / 16_000
    path = write_video(tmp_path / "answer.mp4", planted.samples, 16_000, seconds)
    report = analyze_media(path, Settings(), model=model)
    assert word_error_rate(planted.script, report.text) < 0.3
    assert report.video is not None and report.video["rough"] is True
    assert report.video["face_present_ratio"] == 0.0  # the drawn frames hold no face
    assert report.video["frames_sampled"] == pytest.approx(2 * seconds, abs=1)
    assert any("rough" in n for n in report.notes)


def test_cli_transcribe_json_has_exactly_the_documented_keys(tmp_path: Path) -> None:
    planted = build_answer(["So", "um", "I think we should add an index.", 1.5, "It was kind of slow."], 160)
    path = write_wav(tmp_path / "a.wav", planted.samples)
    result = subprocess.run(
        [sys.executable, "-m", "interviewmate.cli", "transcribe", str(path), "--json"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    keys = ["text", "duration_s", "words_per_minute", "fillers", "long_pauses", "hedges", "video"]
    assert list(out) == keys
    assert out["video"] is None and "index" in out["text"].lower()
    assert {f["text"] for f in out["fillers"]} >= {"um", "kind of"}
    assert [h["text"] for h in out["hedges"]] == ["i think"]
    assert len(out["long_pauses"]) == 1 and set(out["long_pauses"][0]) == {"start", "duration_s"}


def test_cli_bad_file_prints_one_error_line(tmp_path: Path) -> None:
    path = tmp_path / "notes.wav"
    path.write_text("not audio\n" * 10)
    result = subprocess.run(
        [sys.executable, "-m", "interviewmate.cli", "transcribe", str(path)], capture_output=True, text=True
    )
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "notes.wav: not a readable audio or video file" in result.stderr
