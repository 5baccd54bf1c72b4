"""Rough on-camera signals from a video answer: is a face in frame, and roughly facing the camera?

Frames are sampled (2 per second by default, at most `max_frames`) and run through OpenCV's packaged Haar
cascades (frontal face, eyes). "Looking at the camera" is a proxy, not gaze tracking: a frontal face is found,
at least two eyes are found inside its upper half, and the face's centre lies in the middle of the frame.
Haar cascades miss faces in poor light, at angles and behind glasses; the numbers are labelled rough everywhere.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from interviewmate.errors import DataError

if TYPE_CHECKING:
    from numpy.typing import NDArray

DEFAULT_SAMPLE_FPS = 2.0
DEFAULT_MAX_FRAMES = 240  # 2 minutes at 2 fps; longer videos are sampled more sparsely
ANALYSIS_WIDTH = 640  # frames are scaled down to this width before detection
CENTRE_TOLERANCE = (0.2, 0.25)  # face centre within +-20% of the width and +-25% of the height of the middle

Box = tuple[int, int, int, int]  # x, y, w, h


class FaceDetector(Protocol):
    def faces(self, gray: NDArray[np.uint8]) -> list[Box]: ...

    def eyes(self, gray_face: NDArray[np.uint8]) -> list[Box]: ...


class HaarDetector:
    """OpenCV's Haar cascades shipped in opencv-python-headless (cv2.data.haarcascades); no downloads."""

    def __init__(self) -> None:
        import cv2

        base = Path(cv2.data.haarcascades)  # type: ignore[attr-defined]
        self._face = cv2.CascadeClassifier(str(base / "haarcascade_frontalface_default.xml"))
        self._eye = cv2.CascadeClassifier(str(base / "haarcascade_eye.xml"))
        if self._face.empty() or self._eye.empty():
            raise DataError(
                f"OpenCV's Haar cascades are missing from {base}; reinstall opencv-python-headless"
            )

    def faces(self, gray: NDArray[np.uint8]) -> list[Box]:
        min_side = max(gray.shape[0] // 8, 24)
        found = self._face.detectMultiScale(
            gray, scaleFactor=1.1, minNeighbors=5, minSize=(min_side, min_side)
        )
        return [(int(x), int(y), int(w), int(h)) for x, y, w, h in found]

    def eyes(self, gray_face: NDArray[np.uint8]) -> list[Box]:
        found = self._eye.detectMultiScale(gray_face, scaleFactor=1.1, minNeighbors=5)
        return [(int(x), int(y), int(w), int(h)) for x, y, w, h in found]


@dataclass(frozen=True)
class FrameVerdict:
    face: bool
    looking: bool


def judge_frame(gray: NDArray[np.uint8], detector: FaceDetector) -> FrameVerdict:
    faces = detector.faces(gray)
    if not faces:
        return FrameVerdict(face=False, looking=False)
    x, y, w, h = max(faces, key=lambda b: b[2] * b[3])
    upper = gray[y : y + h // 2, x : x + w]
    eyes = [e for e in detector.eyes(upper) if e[1] + e[3] / 2 < h / 2]
    height, width = gray.shape[:2]
    cx, cy = (x + w / 2) / width, (y + h / 2) / height
    centred = abs(cx - 0.5) <= CENTRE_TOLERANCE[0] and abs(cy - 0.5) <= CENTRE_TOLERANCE[1]
    return FrameVerdict(face=True, looking=len(eyes) >= 2 and centred)


def sample_frames(
    path: Path, sample_fps: float = DEFAULT_SAMPLE_FPS, max_frames: int = DEFAULT_MAX_FRAMES
) -> Iterator[NDArray[np.uint8]]:
    """Grey frames, about `sample_fps` per second (sparser for long videos so at most `max_frames`)."""
    import av

    try:
        container = av.open(str(path))
    except av.error.FFmpegError:
        raise DataError(f"{Path(path).name}: the video cannot be read") from None
    try:
        if not container.streams.video:
            return
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        duration = (
            float(stream.duration * stream.time_base)
            if stream.duration is not None and stream.time_base is not None
            else (container.duration or 0) / 1_000_000
        )
        step = 1.0 / sample_fps
        if duration > 0 and duration * sample_fps > max_frames:
            step = duration / max_frames
        next_t, taken = 0.0, 0
        for frame in container.decode(stream):
            t = float(frame.time) if frame.time is not None else next_t
            if t + 1e-6 < next_t:
                continue
            yield _scaled_gray(frame.to_ndarray(format="gray"))
            taken += 1
            next_t += step
            while next_t <= t:
                next_t += step
            if taken >= max_frames:
                return
    except av.error.FFmpegError:
        raise DataError(f"{Path(path).name}: the video track is corrupt and cannot be decoded") from None
    finally:
        container.close()


def _scaled_gray(gray: Any) -> NDArray[np.uint8]:
    import cv2

    h, w = gray.shape[:2]
    if w > ANALYSIS_WIDTH:
        gray = cv2.resize(gray, (ANALYSIS_WIDTH, round(h * ANALYSIS_WIDTH / w)), interpolation=cv2.INTER_AREA)
    return np.ascontiguousarray(gray, dtype=np.uint8)


def analyze_frames(
    frames: Iterator[NDArray[np.uint8]], detector: FaceDetector, sample_fps: float
) -> dict[str, Any]:
    verdicts = [judge_frame(f, detector) for f in frames]
    n = len(verdicts)
    return {
        "rough": True,
        "frames_sampled": n,
        "sample_fps": sample_fps,
        "face_present_ratio": round(sum(v.face for v in verdicts) / n, 3) if n else None,
        "looking_at_camera_ratio": round(sum(v.looking for v in verdicts) / n, 3) if n else None,
        "method": "rough proxy: OpenCV Haar frontal face + 2 eyes in its upper half + face centred; not gaze tracking",
    }


def analyze_video(
    path: Path,
    detector: FaceDetector | None = None,
    sample_fps: float = DEFAULT_SAMPLE_FPS,
    max_frames: int = DEFAULT_MAX_FRAMES,
) -> dict[str, Any]:
    """The rough video signals as the JSON-ready dict `DeliveryReport.video` carries."""
    return analyze_frames(sample_frames(path, sample_fps, max_frames), detector or HaarDetector(), sample_fps)
