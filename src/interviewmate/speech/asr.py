"""Speech to text with faster-whisper and a packaged model (registry kind "asr"), word timestamps kept.

Whisper was trained on cleaned-up transcripts and tends to drop "um"/"uh". An initial prompt that itself
contains fillers nudges the decoder to write them down; `FILLER_PROMPT` is on by default because it helped on
the synthetic clips (docs/speech.md has the measurement).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from interviewmate.speech.metrics import Word

if TYPE_CHECKING:
    from numpy.typing import NDArray

FILLER_PROMPT = "Umm, let me think, uh... So, like, I mean, you know, um, I built the, uh, pipeline."


class SpeechModel(Protocol):
    """What `transcribe` needs from faster_whisper.WhisperModel (tests may pass a fake)."""

    def transcribe(self, audio: NDArray[np.float32], **kwargs: Any) -> tuple[Any, Any]: ...


@dataclass(frozen=True)
class Transcript:
    text: str
    words: tuple[Word, ...]


@dataclass(frozen=True)
class AsrOptions:
    initial_prompt: str | None = FILLER_PROMPT
    beam_size: int = 5
    vad_filter: bool = False  # Silero VAD would skip silences, but also some quiet fillers


def transcribe(
    model: SpeechModel, audio: NDArray[np.float32], options: AsrOptions | None = None
) -> Transcript:
    opts = options or AsrOptions()
    segments, _info = model.transcribe(
        audio,
        language="en",
        word_timestamps=True,
        initial_prompt=opts.initial_prompt,
        beam_size=opts.beam_size,
        vad_filter=opts.vad_filter,
        condition_on_previous_text=False,  # a long answer must not drift into repeating itself
    )
    words: list[Word] = []
    texts: list[str] = []
    for seg in segments:  # a generator: decoding happens here
        texts.append(seg.text.strip())
        for w in seg.words or ():
            if w.word.strip():
                words.append(
                    Word(text=w.word.strip(), start=round(float(w.start), 2), end=round(float(w.end), 2))
                )
    return Transcript(text=" ".join(t for t in texts if t), words=tuple(words))


def load_asr_model(name: str, cache_dir: Any = None, n_threads: int = 0) -> SpeechModel:
    """The packaged model named in the registry (e.g. settings.asr_model), on the CPU."""
    from interviewmate.models.loaders import load_whisper

    model: SpeechModel = load_whisper(name, cache_dir, device="cpu", n_threads=n_threads)
    return model
