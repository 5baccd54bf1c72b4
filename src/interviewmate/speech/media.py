"""Decode an audio or video file to 16 kHz mono float32 with PyAV (FFmpeg libraries shipped in its wheel).

Every failure a user can cause (not a media file, no audio track, corrupt or truncated container, too long,
too big, silent) raises `DataError` with one line. Decoding happens in memory: nothing is written anywhere, so a
failed file leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from interviewmate.errors import DataError

if TYPE_CHECKING:
    from numpy.typing import NDArray

SAMPLE_RATE = 16_000
DEFAULT_MAX_SECONDS = 600.0  # a spoken answer longer than 10 minutes is not an interview answer
DEFAULT_MAX_BYTES = 200_000_000  # a 10-minute 720p phone video is ~100-150 MB
SILENCE_DBFS = -50.0  # loudest 50 ms window below this: nothing to transcribe
TRUNCATED_RATIO = 0.9  # decoded less than 90% of the duration the container declares: the file is cut off


@dataclass(frozen=True)
class DecodedAudio:
    samples: NDArray[np.float32]  # mono, SAMPLE_RATE Hz, in [-1, 1]
    has_video: bool

    @property
    def duration_s(self) -> float:
        return len(self.samples) / SAMPLE_RATE


def _open(path: Path) -> Any:
    import av

    try:
        return av.open(str(path))
    except av.error.FFmpegError:
        raise DataError(
            f"{path.name}: not a readable audio or video file (corrupt, truncated, or another file type)"
        ) from None


def check_size(path: Path, max_bytes: int) -> None:
    if path.is_dir():
        raise DataError(f"{path}: is a folder; give an audio or video file")
    if not path.is_file():
        raise DataError(f"{path.name}: no such file")
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise DataError(f"{path.name}: the file cannot be read ({exc.strerror or exc})") from None
    if size == 0:
        raise DataError(f"{path.name}: the file is empty")
    if size > max_bytes:
        raise DataError(
            f"{path.name}: the file is {size / 1e6:.0f} MB, over the {max_bytes / 1e6:.0f} MB limit; "
            "upload a shorter recording"
        )


def check_riff_complete(path: Path) -> None:
    """A WAV whose RIFF header promises more bytes than the file holds was cut off (FFmpeg decodes the rest
    silently, so this is checked by hand). Streaming writers put 0 or 0xFFFFFFFF there: those pass."""
    with path.open("rb") as fh:
        head = fh.read(12)
    if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
        return
    declared = int.from_bytes(head[4:8], "little") + 8
    size = path.stat().st_size
    if declared not in (8, 0xFFFFFFFF + 8) and size < declared:
        raise DataError(
            f"{path.name}: the file is truncated ({size} of the {declared} bytes its header declares); "
            "upload the complete file"
        )


def _declared_seconds(container: Any, stream: Any) -> float | None:
    if stream.duration is not None and stream.time_base is not None:
        return float(stream.duration * stream.time_base)
    if container.duration is not None:
        return float(container.duration) / 1_000_000  # av.time_base is microseconds
    return None


def _too_long(name: str, seconds: float, max_seconds: float) -> DataError:
    return DataError(
        f"{name}: the recording is {seconds:.0f} s long, over the {max_seconds:.0f} s limit; "
        "record a shorter answer"
    )


def decode_audio(
    path: Path, max_seconds: float = DEFAULT_MAX_SECONDS, max_bytes: int = DEFAULT_MAX_BYTES
) -> DecodedAudio:
    """The file's first audio track as 16 kHz mono float32; raises DataError for anything unusable."""
    import av

    path = Path(path)
    check_size(path, max_bytes)
    check_riff_complete(path)
    container = _open(path)
    try:
        if not container.streams.audio:
            raise DataError(f"{path.name}: the file has no audio track")
        stream = container.streams.audio[0]
        declared = _declared_seconds(container, stream)
        if declared is not None and declared > max_seconds:
            raise _too_long(path.name, declared, max_seconds)
        chunks: list[NDArray[np.float32]] = []
        total = 0
        limit = int(max_seconds * SAMPLE_RATE)
        for chunk in _resampled(
            container, stream, av.AudioResampler(format="flt", layout="mono", rate=SAMPLE_RATE)
        ):
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:  # containers can lie about (or omit) their duration
                raise _too_long(path.name, total / SAMPLE_RATE, max_seconds)
        has_video = bool(container.streams.video)
    except av.error.FFmpegError as exc:
        raise DataError(f"{path.name}: the file is corrupt and cannot be decoded ({_reason(exc)})") from None
    finally:
        container.close()
    samples = np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.float32)
    decoded = len(samples) / SAMPLE_RATE
    if decoded == 0:
        raise DataError(f"{path.name}: the audio track is empty")
    if declared is not None and declared > 1.0 and decoded < TRUNCATED_RATIO * declared:
        raise DataError(
            f"{path.name}: the file is truncated or corrupt (decoded {decoded:.1f} s of the {declared:.1f} s "
            "it declares); upload the complete file"
        )
    if loudest_dbfs(samples) < SILENCE_DBFS:
        raise DataError(f"{path.name}: no speech found (the audio is silent); check the microphone")
    return DecodedAudio(samples=np.clip(samples, -1.0, 1.0).astype(np.float32), has_video=has_video)


def _resampled(container: Any, stream: Any, resampler: Any) -> Iterator[NDArray[np.float32]]:
    for frame in container.decode(stream):
        for out in resampler.resample(frame):
            yield out.to_ndarray().reshape(-1).astype(np.float32, copy=False)
    for out in resampler.resample(None):
        yield out.to_ndarray().reshape(-1).astype(np.float32, copy=False)


def _reason(exc: Exception) -> str:
    text = str(exc).split(";")[0].strip()
    return text[:120] or type(exc).__name__


def loudest_dbfs(samples: NDArray[np.float32], window_s: float = 0.05) -> float:
    """RMS level (dB full scale) of the loudest window; -inf-like -200 for digital silence."""
    n = max(int(window_s * SAMPLE_RATE), 1)
    usable = len(samples) // n * n
    if usable == 0:
        rms = float(np.sqrt(np.mean(np.square(samples, dtype=np.float64)))) if len(samples) else 0.0
    else:
        frames = samples[:usable].reshape(-1, n).astype(np.float64)
        rms = float(np.sqrt(np.mean(np.square(frames), axis=1)).max())
    return 20 * float(np.log10(rms)) if rms > 1e-10 else -200.0
