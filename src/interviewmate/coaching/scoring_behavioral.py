"""The behavioral component: STAR parts, specificity, ownership. Cue lists are plain regexes, so every finding
points at the sentence that triggered it.

star        = 100 * (STAR parts found) / 4
specificity = 100 * (0.6 * min(quantities, 3) / 3 + 0.4 * min(outcome verbs, 2) / 2)
ownership   = 100 * clip(I-share / OWNERSHIP_FULL), I-share = "I/me/my" count / ("I/me/my" + "we/us/our") count
score       = 0.5 * star + 0.25 * specificity + 0.25 * ownership
"""

from __future__ import annotations

import re
from typing import Any

from interviewmate.data.text import sentences

_PAST = r"(?:\w+ed|built|wrote|ran|set|took|made|led|met|sent|brought|found|spoke|drew|chose|gave|began|kept|put|got|sat|told|went|did|cut|split|broke|paired|rebuilt|rewrote|won)"
STAR_CUES: dict[str, re.Pattern[str]] = {
    "situation": re.compile(
        r"\b(at my (last|previous|current|first)|at (a|an|our) [a-z]|last (year|quarter|month|spring|summer|autumn|fall|winter)"
        r"|in my (first|last|previous|second)|we were|the situation|when I (joined|was|started)|I joined|back in"
        r"|a few (months|years) ago|(years|months|weeks) ago|\bon (a|my|our) (team|project)|(my|our) (team|company|service|pipeline|manager)"
        r"|when (a|an|the|my|our) |at my (last|previous|current|first) (job|company|role))\b",
        re.I,
    ),
    "task": re.compile(
        r"\b(my (goal|task|job|role|responsibility|first ticket)|I was (asked|responsible|tasked|supposed|given|the owner|on call)"
        r"|I (needed|had) to|we (needed|had) to|the goal was|I owned|I was in charge|asked me to|the (deadline|ask|challenge|problem) was"
        r"|had to (ship|deliver|decide|fix|find|learn|rebuild|hit|meet)|I (offered|volunteered|decided|wanted|set out) to"
        r"|(the|my) (problem|question) was|was stuck|was blocked|suggested (we|that))\b",
        re.I,
    ),
    "action": re.compile(rf"\bI (then |first |also |quickly |personally )?{_PAST}\b", re.I),
    "result": re.compile(
        r"\b(as a result|the result|in the end|eventually|outcome|since then|from then on|now I|today I|lesson|learned"
        r"|shipped|launched|delivered|merged|on time|on schedule|after that|afterwards|(days|weeks|months) later"
        r"|the next (day|week|month|quarter|year|two|three|hires?|release)|went from"
        r"|(cut|reduced|saved|improved|increased|dropped|fell|rose|grew|went) [^.]{0,60}(\d|half|twice))",
        re.I,
    ),
}
_NUMBER_WORDS = "two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundred|thousand|million|half|dozen|twice"
QUANTITY = re.compile(
    rf"(\$?\b\d+(?:[.,]\d+)*|\b(?:{_NUMBER_WORDS})\b)(\s*(%|percent|x|k|ms|seconds|minutes|hours|days|weeks|months|dollars|users))?",
    re.I,
)
OUTCOME = re.compile(
    r"\b(cut|reduced|saved|improved|increased|decreased|dropped|fell|rose|grew|doubled|halved|shipped|launched"
    r"|delivered|recovered|resolved|fixed|won|merged|finished|completed|adopted|handled|reached|hit|avoided|prevented)\b",
    re.I,
)
I_WORDS = re.compile(r"\b(I|me|my|I'm|I'd|I've|myself)\b")
WE_WORDS = re.compile(r"\b(we|us|our|we're|we'd|we've|ourselves)\b", re.I)
OWNERSHIP_FULL = 0.6  # an I-share of 60% or more earns full ownership credit
BEHAV_WEIGHTS = {"star": 0.5, "specificity": 0.25, "ownership": 0.25}


def star_parts(answer: str) -> dict[str, str | None]:
    """For each STAR part, the first sentence that shows a cue for it (None when missing)."""
    sents = sentences(answer) or [answer]
    found: dict[str, str | None] = {}
    for part, pattern in STAR_CUES.items():
        found[part] = next((s for s in sents if pattern.search(s)), None)
    return found


def behavioral_component(answer: str) -> tuple[dict[str, Any], list[str]]:
    notes: list[str] = []
    parts = star_parts(answer)
    star = 100 * sum(v is not None for v in parts.values()) / len(parts)
    quantities = [m.group(0).strip() for m in QUANTITY.finditer(answer)]
    outcomes = [m.group(0).lower() for m in OUTCOME.finditer(answer)]
    specificity = 100 * (0.6 * min(len(quantities), 3) / 3 + 0.4 * min(len(outcomes), 2) / 2)
    n_i, n_we = len(I_WORDS.findall(answer)), len(WE_WORDS.findall(answer))
    if n_i + n_we:
        share = n_i / (n_i + n_we)
        ownership = 100 * min(1.0, share / OWNERSHIP_FULL)
    else:
        share, ownership = 0.0, 0.0
        notes.append("ownership: the answer never says what you (or your team) did")
    missing = [p for p, s in parts.items() if s is None]
    if missing:
        notes.append("STAR parts missing: " + ", ".join(missing))
    sub = {"star": star, "specificity": specificity, "ownership": ownership}
    score = sum(BEHAV_WEIGHTS[k] * v for k, v in sub.items())
    comp: dict[str, Any] = {
        "score": round(score, 1),
        "star": {p: {"found": s is not None, "evidence": s} for p, s in parts.items()},
        "specificity": {"quantities": quantities[:10], "outcome_words": outcomes[:10]},
        "ownership": {"i_count": n_i, "we_count": n_we, "i_share": round(share, 3)},
        "parts": {k: round(v, 1) for k, v in sub.items()},
    }
    return comp, notes
