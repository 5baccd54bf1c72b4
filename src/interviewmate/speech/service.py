"""`analyze_media`: one audio or video answer -> `DeliveryReport` (decode, transcribe, measure, look)."""

from __future__ import annotations

from pathlib import Path

from interviewmate.config import Settings
from interviewmate.errors import DataError
from interviewmate.speech.asr import AsrOptions, SpeechModel, load_asr_model, transcribe
from interviewmate.speech.media import decode_audio
from interviewmate.speech.metrics import (
    delivery_notes,
    fillers_per_100,
    find_fillers,
    find_hedges,
    find_long_pauses,
    speaking_seconds,
    words_per_minute,
)
from interviewmate.speech.report import DeliveryReport
from interviewmate.speech.video import DEFAULT_MAX_FRAMES, DEFAULT_SAMPLE_FPS, FaceDetector, analyze_video


def analyze_media(
    path: Path,
    settings: Settings,
    expected_seconds: float | None = None,
    *,
    model: SpeechModel | None = None,
    detector: FaceDetector | None = None,
    asr_options: AsrOptions | None = None,
    max_seconds: float | None = None,
    max_bytes: int | None = None,
    sample_fps: float = DEFAULT_SAMPLE_FPS,
    max_frames: int = DEFAULT_MAX_FRAMES,
) -> DeliveryReport:
    """Transcribe a spoken or video answer and measure its delivery.

    `model` defaults to the packaged `settings.asr_model` (loaded per call: pass one to reuse it);
    `expected_seconds` is the question's expected answer length, for the talk-time note.
    Limits default to settings.speech_max_seconds / speech_max_upload_bytes.
    Raises DataError (one line) for unusable files, including "no speech found".
    """
    path = Path(path)
    audio = decode_audio(
        path,
        max_seconds=settings.speech_max_seconds if max_seconds is None else max_seconds,
        max_bytes=settings.speech_max_upload_bytes if max_bytes is None else max_bytes,
    )
    if model is None:
        model = load_asr_model(settings.asr_model, settings.model_cache_dir, n_threads=settings.n_threads)
    transcript = transcribe(model, audio.samples, asr_options)
    words = transcript.words
    if not words:
        raise DataError(f"{path.name}: no speech found; record the answer closer to the microphone")
    fillers = find_fillers(words)
    hedges = find_hedges(words)
    pauses = find_long_pauses(words)
    wpm = words_per_minute(words)
    talk_s = speaking_seconds(words)
    video = (
        analyze_video(path, detector, sample_fps=sample_fps, max_frames=max_frames)
        if audio.has_video
        else None
    )
    notes = delivery_notes(wpm, len(words), len(fillers), pauses, len(hedges), talk_s, expected_seconds)
    if video is not None:
        notes.append("video signals are rough (Haar-cascade face and eye detection), not gaze tracking")
    return DeliveryReport(
        text=transcript.text,
        duration_s=audio.duration_s,
        words_per_minute=wpm,
        fillers=tuple(fillers),
        long_pauses=tuple(pauses),
        hedges=tuple(hedges),
        video=video,
        notes=tuple(notes),
        word_count=len(words),
        speaking_s=talk_s,
        fillers_per_100_words=fillers_per_100(len(fillers), len(words)),
        expected_seconds=expected_seconds,
    )
