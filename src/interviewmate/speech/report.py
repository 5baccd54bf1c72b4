"""`DeliveryReport`: what the coach shows about how an answer was spoken, and its JSON (the CLI's output)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from interviewmate.speech.metrics import Marker, Pause


@dataclass(frozen=True)
class DeliveryReport:
    text: str
    duration_s: float  # length of the decoded audio
    words_per_minute: float
    fillers: tuple[Marker, ...]
    long_pauses: tuple[Pause, ...]
    hedges: tuple[Marker, ...]
    video: dict[str, Any] | None  # rough on-camera signals, None for audio-only files
    notes: tuple[str, ...] = ()
    word_count: int = 0
    speaking_s: float = 0.0  # first word's start to last word's end
    fillers_per_100_words: float = 0.0
    expected_seconds: float | None = None

    def to_json(self) -> dict[str, Any]:
        """Exactly the documented keys of `interviewmate transcribe --json` (docs/speech.md)."""
        return {
            "text": self.text,
            "duration_s": round(self.duration_s, 2),
            "words_per_minute": round(self.words_per_minute, 1),
            "fillers": [{"text": m.text, "start": m.start} for m in self.fillers],
            "long_pauses": [{"start": p.start, "duration_s": p.duration_s} for p in self.long_pauses],
            "hedges": [{"text": m.text, "start": m.start} for m in self.hedges],
            "video": self.video,
        }
