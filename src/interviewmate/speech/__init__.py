"""Spoken and video answers, offline: decode (PyAV), transcribe (faster-whisper, packaged model), measure delivery.

    report = analyze_media(Path("answer.webm"), Settings(), expected_seconds=90)
    report.words_per_minute, report.fillers, report.long_pauses, report.video, report.to_json()

Heavy imports (av, faster_whisper, cv2) happen inside the functions that need them.
"""

from __future__ import annotations

from interviewmate.speech.report import DeliveryReport
from interviewmate.speech.service import analyze_media

__all__ = ["DeliveryReport", "analyze_media"]
