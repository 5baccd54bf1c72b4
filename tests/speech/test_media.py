"""Decoding and bad input: every unusable file is one DataError line, and nothing is written."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from interviewmate.errors import DataError
from interviewmate.speech.media import SAMPLE_RATE, decode_audio
from tests.speech.media_files import tone, write_audio, write_video
from tests.speech.synth import write_wav


def _stereo_wav_44k(path: Path, seconds: float) -> Path:
    import wave

    left = tone(seconds, 44_100, 220.0)
    right = tone(seconds, 44_100, 330.0)
    pcm = (np.stack([left, right], axis=1) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as w:
        w.setnchannels(2)
        w.setsampwidth(2)
        w.setframerate(44_100)
        w.writeframes(pcm.tobytes())
    return path


def test_decodes_any_rate_and_layout_to_16k_mono_float32(tmp_path: Path) -> None:
    audio = decode_audio(_stereo_wav_44k(tmp_path / "a.wav", 2.5))
    assert audio.samples.dtype == np.float32 and audio.samples.ndim == 1
    assert audio.duration_s == pytest.approx(2.5, abs=0.02)
    assert not audio.has_video
    assert 0.1 < float(np.abs(audio.samples).max()) <= 1.0


@pytest.mark.parametrize(
    ("name", "codec", "rate", "sample_format"),
    [
        ("answer.webm", "libopus", 48_000, "s16"),  # what browsers' MediaRecorder records
        ("answer.m4a", "aac", 44_100, "flt"),
        ("answer.mp3", "libmp3lame", 44_100, "s16p"),
        ("answer.ogg", "libopus", 48_000, "s16"),
    ],
)
def test_common_upload_formats_decode(
    tmp_path: Path, name: str, codec: str, rate: int, sample_format: str
) -> None:
    path = write_audio(tmp_path / name, codec, rate, tone(3.0, rate), sample_format)
    audio = decode_audio(path)
    assert audio.duration_s == pytest.approx(3.0, abs=0.05) and not audio.has_video
    # a 220 Hz tone survives the codec: its zero crossings give back its frequency
    crossings = np.count_nonzero(np.diff(np.signbit(audio.samples[1600:-1600])))
    assert crossings / 2 / (len(audio.samples[1600:-1600]) / SAMPLE_RATE) == pytest.approx(220, rel=0.05)


def test_truncated_mp3_is_refused(tmp_path: Path) -> None:
    path = write_audio(tmp_path / "a.mp3", "libmp3lame", 44_100, tone(3.0, 44_100), "s16p")
    with pytest.raises(DataError, match="truncated or corrupt"):
        decode_audio(_truncated(path, 0.5))


def test_video_audio_track_is_decoded(tmp_path: Path) -> None:
    audio = decode_audio(write_video(tmp_path / "v.mp4", tone(3.0, 16_000), 16_000, 3.0))
    assert audio.has_video and audio.duration_s == pytest.approx(3.0, abs=0.1)


def _truncated(path: Path, keep: float) -> Path:
    data = path.read_bytes()
    out = path.with_name("cut" + path.suffix)
    out.write_bytes(data[: int(len(data) * keep)])
    return out


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (
            lambda d: write_wav(d / "silent.wav", np.zeros(3 * SAMPLE_RATE, dtype=np.float32)),
            "no speech found",
        ),
        (lambda d: _write(d / "notes.wav", "these are my notes, not audio\n" * 20), "not a readable audio"),
        (lambda d: _write(d / "empty.mp3", ""), "is empty"),
        (lambda d: _truncated(write_wav(d / "t.wav", tone(5.0, SAMPLE_RATE)), 0.3), "truncated"),
        (
            lambda d: _truncated(write_video(d / "t.mp4", tone(3.0, 16_000), 16_000, 3.0), 0.5),
            "not a readable audio",
        ),
        (lambda d: write_video(d / "mute.mp4", None, 16_000, 2.0), "no audio track"),
        (lambda d: d / "missing.wav", "no such file"),
    ],
    ids=["silent", "text-as-wav", "empty", "truncated-wav", "truncated-mp4", "no-audio-track", "missing"],
)
def test_bad_input_is_one_line_data_error(tmp_path: Path, make, message: str) -> None:  # type: ignore[no-untyped-def]
    path = make(tmp_path)
    before = sorted(p.name for p in tmp_path.iterdir())
    with pytest.raises(DataError) as err:
        decode_audio(path)
    assert message in str(err.value) and "\n" not in str(err.value)
    assert str(err.value).startswith(path.name)
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # nothing written half-way


def test_too_long_by_header_and_by_decoded_length(tmp_path: Path) -> None:
    path = write_wav(tmp_path / "long.wav", tone(4.0, SAMPLE_RATE))
    with pytest.raises(DataError, match="over the 3 s limit"):
        decode_audio(path, max_seconds=3.0)
    assert decode_audio(path, max_seconds=5.0).duration_s == pytest.approx(4.0, abs=0.01)


def test_too_big_is_refused_before_decoding(tmp_path: Path) -> None:
    path = write_wav(tmp_path / "big.wav", tone(2.0, SAMPLE_RATE))
    with pytest.raises(DataError, match="MB limit"):
        decode_audio(path, max_bytes=1000)


def _write(path: Path, text: str) -> Path:
    path.write_text(text)
    return path
