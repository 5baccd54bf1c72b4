"""The delivery component of a spoken answer, from the speech report's measures (docs/speech.md: keys
words_per_minute, fillers, long_pauses, hedges, duration_s). Each part is 100 inside the speech package's
coaching band and falls linearly outside it (coaching heuristics, not research cut-offs):

pace     = 100 inside 120-170 wpm, minus 2 per wpm outside (answers of 20+ words only)
fillers  = 100 up to 3 per 100 words, minus 15 per extra filler per 100 words
hedges   = 100 up to 3 per 100 words, minus 15 per extra hedge per 100 words
pauses   = 100 minus 10 per pause over 1.2 s
score    = mean of the parts that could be measured; a report that already carries a 0-100 "score" is used as is.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

PACE_BAND = (120.0, 170.0)
PACE_MIN_WORDS = 20
PER_100_OK = 3.0


def _num(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _count(value: Any) -> int | None:
    return len(value) if isinstance(value, list) else None


def delivery_component(delivery: Mapping[str, Any], n_words: int) -> tuple[dict[str, Any], list[str]]:
    evidence = {k: v for k, v in delivery.items() if k not in {"score", "video"}}
    given = _num(delivery.get("score"))
    if given is not None and 0 <= given <= 100:
        return {"score": round(given, 1), **evidence}, []
    parts: dict[str, float] = {}
    notes: list[str] = []
    wpm = _num(delivery.get("words_per_minute"))
    if wpm is not None and wpm > 0 and n_words >= PACE_MIN_WORDS:
        lo, hi = PACE_BAND
        off = max(lo - wpm, wpm - hi, 0.0)
        parts["pace"] = max(0.0, 100 - 2 * off)
        if off:
            notes.append(f"pace {wpm:.0f} words a minute, outside {lo:.0f}-{hi:.0f}")
    for key in ("fillers", "hedges"):
        count = _count(delivery.get(key))
        if count is not None and n_words:
            rate = 100 * count / n_words
            parts[key] = max(0.0, 100 - 15 * max(0.0, rate - PER_100_OK))
            if rate > PER_100_OK:
                notes.append(f"{key}: {rate:.1f} per 100 words (over {PER_100_OK:.0f})")
    pauses = _count(delivery.get("long_pauses"))
    if pauses is not None:
        parts["pauses"] = max(0.0, 100 - 10 * pauses)
    if not parts:
        notes.append("delivery not scored: the speech analysis has no pace, fillers, hedges or pauses")
        return {"score": None, **evidence}, notes
    score = sum(parts.values()) / len(parts)
    return {"score": round(score, 1), "parts": {k: round(v, 1) for k, v in parts.items()}, **evidence}, notes
