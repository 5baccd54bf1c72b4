"""Speech for tests, synthesised offline with Debian's espeak-ng, plus numpy silence between clips."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import wave
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from interviewmate.speech.media import SAMPLE_RATE, decode_audio

ESPEAK = shutil.which("espeak-ng")
needs_espeak = pytest.mark.skipif(
    ESPEAK is None,
    reason="espeak-ng is not installed (apt-get install -y espeak-ng) - no speech to test with",
)
VOICE = "en-us"


def speak(text: str, wpm: int) -> np.ndarray:
    """`text` spoken at espeak-ng's nominal rate `wpm`, as 16 kHz mono float32, edge silence trimmed."""
    assert ESPEAK is not None
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "clip.wav"
        subprocess.run([ESPEAK, "-v", VOICE, "-s", str(wpm), "-w", str(out), text], check=True)
        samples = decode_audio(out).samples
    return trim(samples)


def silence(seconds: float) -> np.ndarray:
    return np.zeros(int(seconds * SAMPLE_RATE), dtype=np.float32)


def voiced(samples: np.ndarray, threshold: float = 0.01) -> np.ndarray:
    return np.flatnonzero(np.abs(samples) > threshold)


def trim(samples: np.ndarray) -> np.ndarray:
    idx = voiced(samples)
    return samples[idx[0] : idx[-1] + 1] if len(idx) else samples


def speech_span_s(samples: np.ndarray) -> float:
    """Seconds from the first to the last audible sample (what words-per-minute divides by)."""
    idx = voiced(samples)
    return (idx[-1] - idx[0] + 1) / SAMPLE_RATE if len(idx) else 0.0


def write_wav(path: Path, samples: np.ndarray) -> Path:
    pcm = (np.clip(samples, -1, 1) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(SAMPLE_RATE)
        w.writeframes(pcm.tobytes())
    return path


@dataclass(frozen=True)
class Planted:
    """A synthetic answer: its audio, the words actually spoken, and where fillers and pauses were put."""

    samples: np.ndarray
    script: str  # every spoken word, fillers included
    filler_starts: tuple[float, ...]
    pause_starts: tuple[float, ...]  # (start, length) of each inserted silence
    pause_lengths: tuple[float, ...]


# A spoken answer with planted fillers ("um", "uh") and a 2 s pause (the float): the ASR tests check it, and
# benchmarks/asr_speed.py times it alongside a second answer of its own.
BILLING_ANSWER: list[str | float] = [
    "I led a small team that moved our billing service to a new database.",
    "um",
    "The hard part was moving old data without downtime.",
    2.0,
    "uh",
    "We wrote a script that copied one table at a time and checked every row.",
    "In the end the move took two weeks and nobody noticed.",
]


def build_answer(pieces: list[str | float], wpm: int, gap_s: float = 0.15) -> Planted:
    """Concatenate spoken pieces; a float is an inserted silence of that many seconds; "um"/"uh" are fillers."""
    parts: list[np.ndarray] = []
    t = 0.0
    fillers: list[float] = []
    pauses: list[tuple[float, float]] = []
    spoken: list[str] = []
    for piece in pieces:
        if isinstance(piece, float):
            pauses.append((t, piece))
            clip = silence(piece)
        else:
            if piece in ("um", "uh"):
                fillers.append(t)
            spoken.append(piece)
            clip = np.concatenate([speak(piece, wpm), silence(gap_s)])
        parts.append(clip)
        t += len(clip) / SAMPLE_RATE
    return Planted(
        samples=np.concatenate(parts),
        script=" ".join(spoken),
        filler_starts=tuple(fillers),
        pause_starts=tuple(p[0] for p in pauses),
        pause_lengths=tuple(p[1] for p in pauses),
    )
