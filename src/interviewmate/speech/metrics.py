"""Delivery metrics from a word list with timestamps. Pure functions: no ASR, no I/O.

Norms and their sources are in docs/speech.md. Definitions:
- speaking time: first word's start to last word's end (leading/trailing silence excluded, pauses included);
- words per minute: all transcribed words (fillers included) / speaking time;
- fillers per 100 words: filler occurrences (a multi-word filler counts once) / words * 100;
- long pause: a gap > `min_pause_s` between one word's end and the next word's start (so only mid-answer).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

WPM_RANGE = (120.0, 170.0)
LONG_PAUSE_S = 1.2
FILLERS_PER_100_FLAG = 3.0
TALK_TIME_RANGE = (0.5, 1.5)  # fraction of the question's expected length

# single-token fillers (always fillers)
FILLER_SOUNDS = frozenset({"um", "umm", "uh", "uhh", "uhm", "erm", "er", "ah", "hmm", "mm", "mhm"})
# "kind of" / "sort of" after a determiner is a noun phrase ("what kind of database"), not a filler or hedge
_DETERMINERS = frozenset(
    {"a", "the", "this", "that", "what", "which", "some", "any", "every", "one", "no", "same"}
)
# "like" after these words is a verb or a comparison ("I like", "looks like"), not a filler
_LIKE_NOT_FILLER_BEFORE = frozenset(
    {
        "i", "you", "we", "they", "he", "she", "would", "i'd", "we'd", "you'd", "really", "just", "look", "looks",
        "looked", "feel", "feels", "felt", "seem", "seems", "seemed", "sound", "sounds", "sounded", "something",
        "anything", "nothing", "things", "more", "much", "not", "don't", "didn't", "exactly", "is", "was", "be",
    }
)  # fmt: skip
# "like" after these (and after a comma) is a discourse filler: "and like we shipped", "it was, like, hard"
_LIKE_FILLER_BEFORE = frozenset({"and", "so", "but", "um", "uh", "yeah", "well", "or", "because"})
# "you know" after these is a real question or clause ("do you know", "if you know")
_YOU_KNOW_NOT_FILLER_BEFORE = frozenset(
    {"do", "did", "don't", "didn't", "if", "as", "would", "will", "should", "could", "can", "what", "that"}
)
_I_MEAN_NOT_FILLER_BEFORE = frozenset({"what", "if", "that's", "whatever"})
HEDGES = (
    "i think",
    "i guess",
    "i believe",
    "i suppose",
    "maybe",
    "perhaps",
    "probably",
    "possibly",
    "sort of",
)

_PUNCT = re.compile(r"^[^\w']+|[^\w']+$")


@dataclass(frozen=True)
class Word:
    text: str  # as transcribed, punctuation included
    start: float
    end: float


@dataclass(frozen=True)
class Marker:
    """A filler or hedge found in the transcript: the matched words and when they start."""

    text: str
    start: float


@dataclass(frozen=True)
class Pause:
    start: float
    duration_s: float


def norm(token: str) -> str:
    return _PUNCT.sub("", token.strip().lower().replace("’", "'"))


def speaking_seconds(words: Sequence[Word]) -> float:
    return max(words[-1].end - words[0].start, 0.0) if words else 0.0


def words_per_minute(words: Sequence[Word]) -> float:
    seconds = speaking_seconds(words)
    return len(words) / seconds * 60 if seconds > 0 else 0.0


def _ends_with_comma(token: str) -> bool:
    return token.rstrip().endswith((",", "—", "-", "..."))


def find_fillers(words: Sequence[Word]) -> list[Marker]:
    """Fillers in order: um/uh sounds, "like" used as a filler, "you know", "kind of", "I mean"."""
    toks = [norm(w.text) for w in words]
    found: list[Marker] = []
    i = 0
    while i < len(words):
        tok, prev = toks[i], toks[i - 1] if i > 0 else ""
        nxt = toks[i + 1] if i + 1 < len(toks) else ""
        comma_before = i > 0 and _ends_with_comma(words[i - 1].text)
        two = None
        if (tok, nxt) == ("you", "know") and prev not in _YOU_KNOW_NOT_FILLER_BEFORE:
            two = "you know"
        elif (tok, nxt) == ("kind", "of") and prev not in _DETERMINERS:
            two = "kind of"
        elif (tok, nxt) == ("i", "mean") and prev not in _I_MEAN_NOT_FILLER_BEFORE:
            two = "i mean"
        if two is not None:
            found.append(Marker(two, words[i].start))
            i += 2
            continue
        if tok in FILLER_SOUNDS:
            found.append(Marker(tok, words[i].start))
        elif tok == "kinda" and prev not in _DETERMINERS:  # Whisper writes a quick "kind of" as "kinda"
            found.append(Marker("kind of", words[i].start))
        elif tok == "like" and _like_is_filler(prev, comma_before, _ends_with_comma(words[i].text), i == 0):
            found.append(Marker("like", words[i].start))
        i += 1
    return found


def _like_is_filler(prev: str, comma_before: bool, comma_after: bool, first: bool) -> bool:
    if comma_before or comma_after:  # Whisper sets parenthetical "like" off with commas
        return True
    if prev in _LIKE_NOT_FILLER_BEFORE:
        return False
    return first or prev in _LIKE_FILLER_BEFORE


def find_hedges(words: Sequence[Word]) -> list[Marker]:
    toks = [norm(w.text) for w in words]
    found: list[Marker] = []
    i = 0
    while i < len(toks):
        for hedge in HEDGES:
            parts = hedge.split()
            if toks[i] == "sorta" and hedge == "sort of":
                parts = ["sorta"]
            if toks[i : i + len(parts)] == parts and not (
                hedge == "sort of" and i > 0 and toks[i - 1] in _DETERMINERS
            ):
                found.append(Marker(hedge, words[i].start))
                i += len(parts) - 1
                break
        i += 1
    return found


def find_long_pauses(words: Sequence[Word], min_pause_s: float = LONG_PAUSE_S) -> list[Pause]:
    return [
        Pause(start=round(a.end, 2), duration_s=round(b.start - a.end, 2))
        for a, b in itertools.pairwise(words)
        if b.start - a.end > min_pause_s
    ]


def fillers_per_100(n_fillers: int, n_words: int) -> float:
    return n_fillers / n_words * 100 if n_words else 0.0


def delivery_notes(
    wpm: float,
    n_words: int,
    n_fillers: int,
    pauses: Sequence[Pause],
    n_hedges: int,
    talk_s: float,
    expected_seconds: float | None,
) -> list[str]:
    """Plain-language flags for the numbers outside their norms (docs/speech.md)."""
    notes: list[str] = []
    lo, hi = WPM_RANGE
    if n_words >= 20 and wpm < lo:
        notes.append(f"pace {wpm:.0f} wpm is slow (typical conversational pace is about {lo:.0f}-{hi:.0f})")
    elif n_words >= 20 and wpm > hi:
        notes.append(f"pace {wpm:.0f} wpm is fast (typical conversational pace is about {lo:.0f}-{hi:.0f})")
    rate = fillers_per_100(n_fillers, n_words)
    if rate > FILLERS_PER_100_FLAG:
        notes.append(f"{rate:.1f} fillers per 100 words; aim for under {FILLERS_PER_100_FLAG:.0f}")
    if pauses:
        longest = max(p.duration_s for p in pauses)
        notes.append(f"{len(pauses)} long pause(s) over {LONG_PAUSE_S} s (longest {longest:.1f} s)")
    if n_words and n_hedges / n_words * 100 > FILLERS_PER_100_FLAG:
        notes.append(f"{n_hedges} hedges ('I think', 'maybe'...); state results with more confidence")
    if expected_seconds:
        ratio = talk_s / expected_seconds
        if ratio < TALK_TIME_RANGE[0]:
            notes.append(f"answer ran {talk_s:.0f} s, well short of the expected {expected_seconds:.0f} s")
        elif ratio > TALK_TIME_RANGE[1]:
            notes.append(f"answer ran {talk_s:.0f} s, well over the expected {expected_seconds:.0f} s")
    if n_words and n_words < 20:
        notes.append("answer is very short; pace is not judged under 20 words")
    return notes
