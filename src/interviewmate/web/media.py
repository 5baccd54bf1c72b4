"""Spoken answers: an uploaded recording is saved under the data dir, transcribed and measured by
`interviewmate.speech.analyze_media`, and its transcript is scored like a typed answer. The speech package is
imported on first use; without it the page says why spoken answers are unavailable."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import UploadFile

from interviewmate.config import Settings
from interviewmate.errors import DataError
from interviewmate.web.uploads import capped_chunks

AUDIO_EXT = (".wav", ".mp3", ".m4a", ".ogg", ".oga", ".opus", ".flac", ".aac")
VIDEO_EXT = (".mp4", ".mov", ".webm", ".mkv", ".avi")
MEDIA_CHUNK = 1 << 20


@dataclass(frozen=True)
class SpokenAnswer:
    text: str
    modality: str  # "audio" | "video"
    media_path: str
    duration_s: float
    delivery: dict[str, Any]


async def save_upload(upload: UploadFile, folder: Path, max_bytes: int) -> Path:
    """Stream the upload to a new file (random name, the original extension); over max_bytes -> DataError."""
    name = upload.filename or "recording"
    ext = Path(name).suffix.lower()
    if ext not in AUDIO_EXT + VIDEO_EXT:
        kinds = ", ".join(AUDIO_EXT + VIDEO_EXT)
        raise DataError(f"{name}: unsupported recording type ({ext or 'no extension'}); use one of {kinds}")
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{uuid.uuid4().hex}{ext}"
    try:
        with path.open("wb") as fh:
            async for chunk in capped_chunks(upload, max_bytes, "the recording", MEDIA_CHUNK):
                fh.write(chunk)
        if path.stat().st_size == 0:
            raise DataError(f"{name}: the file is empty")
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path


def analyze_recording(
    path: Path, settings: Settings, model: Any = None, shown_name: str | None = None
) -> SpokenAnswer:
    """Transcript and delivery measures; the file is removed when it cannot be used. `model` is a loaded ASR
    model to reuse (the hub keeps one); None loads settings.asr_model for this call. Errors name the file as
    the user called it (`shown_name`), not by its saved random name."""
    try:
        from interviewmate.speech import analyze_media
    except ImportError as exc:
        path.unlink(missing_ok=True)
        raise DataError(f"spoken answers are not available: {exc}") from None
    try:
        report = (
            analyze_media(path, settings) if model is None else analyze_media(path, settings, model=model)
        )
    except DataError as exc:
        path.unlink(missing_ok=True)
        raise DataError(str(exc).replace(path.name, shown_name or "the recording")) from None
    except Exception:
        path.unlink(missing_ok=True)
        raise
    delivery = dict(report.to_json())
    delivery.pop("text", None)  # the transcript is the answer's text already
    modality = "video" if path.suffix.lower() in VIDEO_EXT and report.video is not None else "audio"
    return SpokenAnswer(report.text, modality, str(path), float(report.duration_s), delivery)
