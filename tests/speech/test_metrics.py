"""Delivery metrics on hand-made word lists with timestamps (no ASR)."""

from __future__ import annotations

import pytest

from interviewmate.speech.metrics import (
    Word,
    delivery_notes,
    find_fillers,
    find_hedges,
    find_long_pauses,
    speaking_seconds,
    words_per_minute,
)
from interviewmate.speech.wer import word_error_rate


def timed(
    text: str, start: float = 0.5, step: float = 0.4, gaps: dict[int, float] | None = None
) -> list[Word]:
    """Each word lasts 0.3 s and starts `step` after the previous one; gaps[i] adds silence before word i."""
    out, t = [], start
    for i, tok in enumerate(text.split()):
        t += (gaps or {}).get(i, 0.0)
        out.append(Word(tok, round(t, 2), round(t + 0.3, 2)))
        t += step
    return out


def test_wpm_counts_every_word_over_first_start_to_last_end() -> None:
    words = timed(
        " ".join(["word"] * 21), start=3.0, step=0.5
    )  # 21 words, 10.3 s from first start to last end
    assert speaking_seconds(words) == pytest.approx(10.3)
    assert words_per_minute(words) == pytest.approx(21 / 10.3 * 60)
    assert words_per_minute([]) == 0.0


def test_long_pauses_are_gaps_over_the_threshold_between_words() -> None:
    words = timed("we shipped it then we measured the result again", gaps={3: 2.0, 6: 1.0})
    pauses = find_long_pauses(words)
    assert [(p.start, p.duration_s) for p in pauses] == [(words[2].end, 2.1)]
    assert len(find_long_pauses(words, min_pause_s=0.5)) == 2


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("um so I built it uh quickly", ["um", "uh"]),
        ("it was, like, really hard", ["like"]),
        ("and like we shipped it", ["like"]),
        ("I like Python and it looks like Go", []),
        ("you know, the cache was cold", ["you know"]),
        ("do you know the answer", []),
        ("it was kind of slow", ["kind of"]),
        ("it was kinda slow", ["kind of"]),
        ("what kind of database did you use", []),
        ("I mean the index was wrong", ["i mean"]),
        ("that is what I mean", []),
        ("Um, I mean, you know, it kind of worked", ["um", "i mean", "you know", "kind of"]),
    ],
)
def test_fillers_include_multi_word_and_skip_literal_uses(text: str, expected: list[str]) -> None:
    assert [m.text for m in find_fillers(timed(text))] == expected


def test_filler_start_is_the_first_word_of_the_phrase() -> None:
    words = timed("so you know we did it")
    (marker,) = find_fillers(words)
    assert marker.start == words[1].start


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I think we should maybe cache it", ["i think", "maybe"]),
        ("it is sort of fast and probably fine", ["sort of", "probably"]),
        ("what sort of index is this", []),
        ("it is sorta done", ["sort of"]),
        ("we measured a forty percent drop", []),
    ],
)
def test_hedges(text: str, expected: list[str]) -> None:
    assert [m.text for m in find_hedges(timed(text))] == expected


def test_notes_flag_pace_fillers_pauses_and_talk_time() -> None:
    words = timed(" ".join(["word"] * 40), step=0.25)  # ~240 wpm
    pauses = find_long_pauses(timed("a b c", gaps={1: 2.0}))
    notes = delivery_notes(words_per_minute(words), 40, 4, pauses, 0, 10.0, expected_seconds=60.0)
    joined = " | ".join(notes)
    assert "fast" in joined and "fillers per 100 words" in joined and "long pause" in joined
    assert "short of the expected 60 s" in joined
    calm = delivery_notes(145.0, 100, 1, [], 0, 60.0, expected_seconds=60.0)
    assert calm == []


def test_word_error_rate() -> None:
    assert word_error_rate("the cat sat", "the cat sat") == 0.0
    assert word_error_rate("the cat sat", "The cat, sat.") == 0.0
    assert word_error_rate("the cat sat on the mat", "the bat sat on mat") == pytest.approx(2 / 6)
    assert word_error_rate("a b", "a b c d") == pytest.approx(1.0)
