"""Is each claim in an answer backed by the user's own resume bullets?

Rules (docs/retrieval.md repeats them):

* The answer is split into sentences at `.`, `!`, `?` followed by space, and at line breaks; citation markers
  such as `[2]` are removed before checking.
* A sentence is a **claim** when it is not a question and either speaks about the speaker (I, my, me, we, our,
  us) or states a figure (a number, a percentage, an amount of money). A first-person sentence that only
  gives an opinion or a plan ("I think...", "I would...", "In my opinion...") and names no figure or
  capitalised name is not a claim. Definitions and general statements ("Caching stores results") are not
  claims about the resume. Only claims are returned.
* A claim is **supported** when its closest bullet (cosine of the embeddings) reaches `threshold` AND every
  fact it states - each number, percentage, amount of money and capitalised name (a tech or an organisation,
  e.g. PyTorch, AWS, Acme) - appears in at least one bullet whose cosine to the claim also reaches the
  threshold. A fact found only in an unrelated bullet does not count: "cut latency by 40%" is not backed by
  a bullet about a 40% cost saving. Numbers written as words ("three") are not checked. Given the rest of the
  resume (`resume_text`), names and years that appear anywhere in it (employers in job headers, the skills
  list) also count as known.
* `bullet_number` is the 1-based position of the closest bullet in the `bullets` given (pass them in rank
  order and it is the number a sample answer cites).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass

import numpy as np

from interviewmate.domain import Bullet, ClaimCheck
from interviewmate.models.embedder import Embedder

# Base MiniLM on the packaged resumes (benchmarks/RESULTS.md, "Grounding threshold"): 0.5 keeps >95% of claims
# that retell a bullet and rejects most "closest bullet of someone else's resume for the same role".
DEFAULT_THRESHOLD = 0.5

_SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+|\n+")
_CITATION = re.compile(r"\s*\[\d+(?:\s*,\s*\d+)*\]")
_FIRST_PERSON = re.compile(
    r"\b(i|i'm|i've|i'd|i'll|my|me|mine|myself|we|we've|we're|our|us)\b", re.IGNORECASE
)
_OPINION_START = re.compile(
    r"^(i think|i believe|i feel|i guess|i would|i'd|i will|i'll|i could|i might|i prefer|i like|i love|"
    r"in my (?:opinion|view|experience)|my (?:view|opinion|approach|preference) is|we would|we could|we should)\b",
    re.IGNORECASE,
)
# money ($40k, €1.2M, $3,000), percentages (40%, 40 percent), plain numbers with an optional suffix (10K, 3x)
_NUMBER = re.compile(
    r"(?<![\w.])([$€£])?\s?(\d+(?:[.,]\d+)*)\s?(%|percent\b|[kKmMbB]\b|x\b)?",
)
_YEAR = re.compile(r"(?:19|20)\d\d")
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9+#.\-]*[A-Za-z0-9+#]|[A-Za-z]")
_NOT_NAMES = {
    "i",
    "i'm",
    "i've",
    "i'd",
    "i'll",
    "star",
    "situation",
    "task",
    "action",
    "result",
    "ok",
}


@dataclass(frozen=True)
class Facts:
    """What a sentence states that a bullet must repeat: figures and capitalised names."""

    numbers: frozenset[str]
    names: frozenset[str]

    def __bool__(self) -> bool:
        return bool(self.numbers or self.names)


def split_sentences(answer: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_SPLIT.split(answer) if s.strip()]


def strip_citations(sentence: str) -> str:
    return _CITATION.sub("", sentence).strip()


def _normalise_number(currency: str | None, digits: str, suffix: str | None) -> str:
    digits = digits.replace(",", "")
    if "." in digits:
        digits = digits.rstrip("0").rstrip(".") or "0"
    unit = (suffix or "").lower()
    if unit == "percent":
        unit = "%"
    return f"{currency or ''}{digits}{unit}"


def numbers_in(text: str) -> frozenset[str]:
    """Figures in normalised form: '$40K' -> '$40k', '40 percent' -> '40%', '1,000' -> '1000'."""
    return frozenset(_normalise_number(*m.groups()) for m in _NUMBER.finditer(text))


def names_in(sentence: str) -> frozenset[str]:
    """Capitalised names as written: any capitalised word after the first, and the first word only
    when it looks like a name by itself (inner capitals or digits: PyTorch, AWS, GPT-4)."""
    found = set()
    for i, m in enumerate(_WORD.finditer(sentence)):
        word = m.group()
        if word.lower() in _NOT_NAMES or not word[0].isupper():
            continue
        inner_caps = any(c.isupper() for c in word[1:]) or any(c.isdigit() for c in word)
        if i == 0 and not inner_caps:
            continue
        found.add(word)
    return frozenset(found)


def facts_in(sentence: str) -> Facts:
    return Facts(numbers_in(sentence), names_in(sentence))


def _words_lower(text: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(text)}


def is_claim(sentence: str) -> bool:
    """A statement about the speaker's experience, or one that states a figure (see the module docstring)."""
    if not sentence or sentence.rstrip().endswith("?"):
        return False
    facts = facts_in(sentence)
    if _OPINION_START.match(sentence) and not facts:
        return False
    return bool(_FIRST_PERSON.search(sentence)) or bool(facts.numbers)


def check_claims(
    answer: str,
    bullets: Sequence[Bullet],
    embedder: Embedder,
    threshold: float = DEFAULT_THRESHOLD,
    resume_text: str = "",
) -> list[ClaimCheck]:
    """One ClaimCheck per claim in `answer`, in answer order (non-claims are left out).

    `resume_text` (e.g. `Resume.raw_text`) holds what the bullets leave out: employers and titles in job
    headers, dates, the skills list. Capitalised names and years found there count as known wherever the
    claim's closest bullet is; every other figure must still come from a close bullet."""
    claims = [s for s in (strip_citations(x) for x in split_sentences(answer)) if is_claim(s)]
    if not claims:
        return []
    if not bullets:
        return [
            ClaimCheck(s, False, 0.0, None, "there are no resume bullets to back this up") for s in claims
        ]
    vecs = embedder.encode([*claims, *(b.text for b in bullets)])
    sims = vecs[: len(claims)] @ vecs[len(claims) :].T  # rows are unit length: cosine
    bullet_numbers = [numbers_in(b.text) for b in bullets]
    bullet_words = [_words_lower(b.text) for b in bullets]
    known = _words_lower(resume_text) | {n for n in numbers_in(resume_text) if _YEAR.fullmatch(n)}
    return [
        _check_one(claim, sims[i], bullet_numbers, bullet_words, threshold, known)
        for i, claim in enumerate(claims)
    ]


def _check_one(
    claim: str,
    sims: np.ndarray,
    bullet_numbers: Sequence[Collection[str]],
    bullet_words: Sequence[Collection[str]],
    threshold: float,
    known: Collection[str] = frozenset(),
) -> ClaimCheck:
    best = int(np.argmax(sims))
    similarity = float(sims[best])
    number = best + 1
    if similarity < threshold:
        return ClaimCheck(
            claim,
            False,
            similarity,
            number,
            f"no bullet is close to this (closest is bullet {number}, similarity {similarity:.2f} "
            f"< {threshold:.2f})",
        )
    close = [j for j in range(len(sims)) if sims[j] >= threshold]
    facts = facts_in(claim)
    missing: list[str] = []
    elsewhere: list[str] = []
    checks = [(n, n, bullet_numbers) for n in sorted(facts.numbers)] + [
        (w, w.lower(), bullet_words) for w in sorted(facts.names)
    ]
    for shown, key, per_bullet in checks:
        if key in known or any(key in per_bullet[j] for j in close):
            continue
        (elsewhere if any(key in b for b in per_bullet) else missing).append(shown)
    if missing or elsewhere:
        parts = []
        if missing:
            listed = ", ".join(missing)
            parts.append(f"mentions {listed} but no bullet says {listed}")
        if elsewhere:
            listed = ", ".join(elsewhere)
            parts.append(f"mentions {listed}, which only a bullet about something else says")
        return ClaimCheck(claim, False, similarity, number, "; ".join(parts))
    detail = " with the same figures and names" if facts else ""
    return ClaimCheck(claim, True, similarity, number, f"matches bullet {number}{detail}")
