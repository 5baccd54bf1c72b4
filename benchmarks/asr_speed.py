"""Speech to text on this machine: real-time factor of the packaged whisper tiny.en, and which decoding options
help it keep the fillers ("um", "uh") that Whisper tends to drop.

Clips are synthesised with espeak-ng (apt-get install -y espeak-ng) at three rates, each with two planted fillers
and a 2 s pause. For each option set: real-time factor (transcription seconds / audio seconds, model already
loaded, `n_threads` CPU threads), planted fillers found (within 1 s of where they were put), extra fillers
found, WER against the spoken script, and the words-per-minute error against the script's rate.
Only tiny.en is measured: no base model is packaged in the registry.

    nice -n 10 python benchmarks/asr_speed.py --write
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests.speech.synth: the tests' espeak-ng clips
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import peak_rss_mb, write_section

SECOND_ANSWER: list[str | float] = [  # the first is tests/speech/synth.BILLING_ANSWER, the ASR tests' own
    "When a test failed at night I looked at the logs first.",
    "uh",
    "Then I tried to run the same job on my laptop.",
    2.0,
    "The bug was a race between two workers.",
    "um",
    "We added a lock and wrote a test that runs the two workers together.",
]
RATES = (130, 160, 190)


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--write", action="store_true")
    args = p.parse_args()

    from interviewmate.config import Settings
    from interviewmate.speech.asr import FILLER_PROMPT, AsrOptions, load_asr_model, transcribe
    from interviewmate.speech.metrics import find_fillers, words_per_minute
    from interviewmate.speech.wer import word_error_rate
    from tests.speech.synth import BILLING_ANSWER, ESPEAK, build_answer, speech_span_s

    if ESPEAK is None:
        sys.exit("espeak-ng is needed: apt-get install -y espeak-ng")
    settings = Settings()
    settings.ensure_dirs()
    clips = [build_answer(a, r) for a in (BILLING_ANSWER, SECOND_ANSWER) for r in RATES]
    audio_s = sum(len(c.samples) for c in clips) / 16_000
    start = time.perf_counter()
    model = load_asr_model("whisper-tiny-en", settings.model_cache_dir, n_threads=args.threads)
    load_s = time.perf_counter() - start
    transcribe(model, clips[0].samples[:16_000], AsrOptions())  # warm-up
    configs = {
        "no prompt, beam 5": AsrOptions(initial_prompt=None),
        "filler prompt, beam 5 (default)": AsrOptions(initial_prompt=FILLER_PROMPT),
        "filler prompt, beam 1": AsrOptions(initial_prompt=FILLER_PROMPT, beam_size=1),
        "filler prompt, beam 5, VAD filter": AsrOptions(initial_prompt=FILLER_PROMPT, vad_filter=True),
    }
    rows = []
    for name, opts in configs.items():
        rtfs, wers, wpm_err = [], [], []
        planted = found = extra = 0
        for clip in clips:
            t0 = time.perf_counter()
            tr = transcribe(model, clip.samples, opts)
            rtfs.append((time.perf_counter() - t0) / (len(clip.samples) / 16_000))
            fillers = [m for m in find_fillers(tr.words) if m.text in ("um", "uh")]
            hits = [any(abs(m.start - at) < 1.0 for m in fillers) for at in clip.filler_starts]
            planted += len(hits)
            found += sum(hits)
            extra += max(len(fillers) - sum(hits), 0)
            wers.append(word_error_rate(clip.script, tr.text))
            ref = len(clip.script.split()) / speech_span_s(clip.samples) * 60
            wpm_err.append(abs(words_per_minute(tr.words) - ref) / ref * 100)
        rows.append(
            f"| {name} | {statistics.median(rtfs):.3f} | {found}/{planted} | {extra} | "
            f"{statistics.mean(wers):.3f} | {statistics.mean(wpm_err):.1f} |"
        )
        print(rows[-1], flush=True)
    body = "\n".join(
        [
            f"{len(clips)} espeak-ng clips (voice en-us, nominal rates {', '.join(map(str, RATES))} wpm), "
            f"{audio_s:.0f} s of audio in all; whisper tiny.en int8 (faster-whisper, CTranslate2), "
            f"{args.threads} CPU threads; model load {load_s:.1f} s; peak RSS {peak_rss_mb():.0f} MB.",
            "The machine is shared with other jobs (8 parallel sessions on 2 cores), so the real-time factors "
            "are upper bounds for a quiet machine. Base model: not packaged in the registry, not measured.",
            "",
            "| options | RTF (median) | planted um/uh found | extra um/uh | WER (mean) | wpm error % (mean) |",
            "|---|---|---|---|---|---|",
            *rows,
        ]
    )
    print(body)
    if args.write:
        write_section(
            "ASR speed and filler recall (whisper tiny.en)",
            "nice -n 10 python benchmarks/asr_speed.py --write",
            body,
        )


if __name__ == "__main__":
    main()
