"""Small media files written with PyAV (the FFmpeg libraries in its wheel): tones, a face-less video."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np


def tone(seconds: float, rate: int = 44_100, freq: float = 220.0, amp: float = 0.3) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    return (amp * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def write_video(
    path: Path,
    audio: np.ndarray | None,
    audio_rate: int,
    seconds: float,
    fps: int = 10,
    size: tuple[int, int] = (160, 120),
) -> Path:
    """An MP4 (MPEG-4 video, AAC audio) whose frames show a drawn face-less scene: a box and a line."""
    import av
    import cv2

    w, h = size
    with av.open(str(path), "w") as out:
        vs = out.add_stream("mpeg4", rate=fps)
        vs.width, vs.height, vs.pix_fmt = w, h, "yuv420p"
        as_ = out.add_stream("aac", rate=audio_rate, layout="mono") if audio is not None else None
        for i in range(int(seconds * fps)):
            img = np.full((h, w, 3), 40, dtype=np.uint8)
            x = 10 + (i * 3) % (w - 60)
            cv2.rectangle(img, (x, 30), (x + 40, 80), (200, 180, 60), -1)
            cv2.line(img, (0, h - 10), (w, h - 20), (255, 255, 255), 2)
            for packet in vs.encode(av.VideoFrame.from_ndarray(img, format="bgr24")):
                out.mux(packet)
        for packet in vs.encode():
            out.mux(packet)
        if as_ is not None and audio is not None:
            step = 1024
            for start in range(0, len(audio), step):
                chunk = audio[start : start + step].reshape(1, -1)
                frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(chunk), format="flt", layout="mono")
                frame.sample_rate = audio_rate
                frame.pts = start
                frame.time_base = Fraction(1, audio_rate)
                for packet in as_.encode(frame):
                    out.mux(packet)
            for packet in as_.encode():
                out.mux(packet)
    return path


def write_audio(path: Path, codec: str, rate: int, samples: np.ndarray, sample_format: str) -> Path:
    """An audio-only file in the container named by `path`'s extension (webm, m4a, mp3, ogg ...)."""
    import av

    with av.open(str(path), "w") as out:
        stream = out.add_stream(codec, rate=rate, layout="mono")
        step = 960
        for start in range(0, len(samples), step):
            chunk = samples[start : start + step].reshape(1, -1)
            if sample_format.startswith("s16"):
                chunk = (chunk * 32767).astype(np.int16)
            frame = av.AudioFrame.from_ndarray(
                np.ascontiguousarray(chunk), format=sample_format, layout="mono"
            )
            frame.sample_rate = rate
            frame.pts = start
            frame.time_base = Fraction(1, rate)
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    return path
