"""A sample answer built from the user's own retrieved bullets, with citations that can be checked.

The LLM gets the numbered bullets and is asked for a first-person answer that cites them as [1], [2]. Its
output is kept only if, after dropping citations of bullets that do not exist, it still cites at least one
bullet and every figure it states (number, percentage, money) appears in one of the bullets. Otherwise the
answer is a STAR-shaped template made of the top bullets, with the parts the resume does not say left for the
user to fill in; `notes` says why.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from interviewmate.coaching.prompts import SYSTEM
from interviewmate.domain import ChatMessage, GenerationParams, RetrievedBullet
from interviewmate.errors import BackendError
from interviewmate.models.backends.base import LLMBackend
from interviewmate.retrieval.grounding import numbers_in

DEFAULT_PARAMS = GenerationParams(max_tokens=300, temperature=0.0, repetition_penalty=1.15)
TEMPLATE_BULLETS = 3  # the template uses at most this many of the top bullets
_CITATION = re.compile(r"\[(\d+(?:\s*,\s*\d+)*)\]")
_PAST_TENSE = re.compile(
    r"^(?:\w+ed|built|led|wrote|ran|made|drove|grew|cut|set|took|won|gave|taught|brought|sold|spent|kept|"
    r"found|began|chose|did|got|put|met|oversaw|rebuilt|rewrote|saw|held|upheld|fought)$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class SampleAnswer:
    text: str
    cited: tuple[int, ...]  # the bullet numbers the text cites, in first-cited order
    source: Literal["generator", "template"]
    notes: tuple[str, ...] = ()


def sample_answer_messages(question: str, retrieved: Sequence[RetrievedBullet]) -> list[ChatMessage]:
    listed = "\n".join(f"[{b.number}] {b.text}" for b in retrieved)
    user = (
        f"Interview question: {question.strip()}\n"
        f"My resume bullets:\n{listed}\n"
        "Write my answer in the first person, in 80-180 words. Use only facts from these bullets and cite "
        "each one you use by its number, like [1]. Do not add numbers, employers or tools the bullets do not "
        "mention."
    )
    return [ChatMessage("system", SYSTEM), ChatMessage("user", user)]


def build_sample_answer(
    question: str,
    retrieved: Sequence[RetrievedBullet],
    backend: LLMBackend,
    params: GenerationParams | None = None,
) -> SampleAnswer:
    """The generator's answer when it passes the checks, else the template (see the module docstring)."""
    if not retrieved:
        return SampleAnswer(
            template_text(()),
            (),
            "template",
            ("no resume bullet matches this question, so the answer is an outline for you to fill in",),
        )
    try:
        raw = backend.generate(sample_answer_messages(question, retrieved), params or DEFAULT_PARAMS)
    except BackendError as exc:
        return _template(retrieved, [f"the generator failed ({exc})"])
    text, cited, notes, problem = check_answer(raw, retrieved)
    if problem:
        return _template(retrieved, [*notes, problem])
    return SampleAnswer(text, cited, "generator", tuple(notes))


def check_answer(
    raw: str, retrieved: Sequence[RetrievedBullet]
) -> tuple[str, tuple[int, ...], list[str], str | None]:
    """(cleaned text, valid citations, notes, the problem that rules it out or None)."""
    known = {b.number for b in retrieved}
    notes: list[str] = []
    cited: list[int] = []

    def keep_known(m: re.Match[str]) -> str:
        numbers = [int(n) for n in re.split(r"\s*,\s*", m.group(1))]
        good = [n for n in numbers if n in known]
        for n in numbers:
            if n not in known:
                notes.append(f"dropped citation [{n}]: there is no bullet {n}")
            elif n not in cited:
                cited.append(n)
        return f"[{', '.join(map(str, good))}]" if good else ""

    text = _CITATION.sub(keep_known, raw.strip())
    text = re.sub(r"\s+([.,;:!?])", r"\1", re.sub(r"[ \t]{2,}", " ", text)).strip()
    if not text:
        return text, (), notes, "the generator returned no text"
    if not cited:
        return text, (), notes, "the generator's answer cites none of your bullets"
    allowed = frozenset().union(*(numbers_in(b.text) for b in retrieved))
    unsupported = sorted(numbers_in(_CITATION.sub("", text)) - allowed)
    if unsupported:
        shown = ", ".join(unsupported)
        return (
            text,
            tuple(cited),
            notes,
            f"the generator's answer mentions {shown} but no bullet says {shown}",
        )
    return text, tuple(cited), notes, None


def _template(retrieved: Sequence[RetrievedBullet], notes: list[str]) -> SampleAnswer:
    top = list(retrieved[:TEMPLATE_BULLETS])
    return SampleAnswer(
        template_text(top),
        tuple(b.number for b in top),
        "template",
        (
            *notes,
            "this is a template built from your top bullets, not a generated answer: "
            "fill in the parts in angle brackets in your own words",
        ),
    )


def first_person(bullet: str) -> str:
    """'Built X' -> 'I built X'; a bullet that does not start with a past-tense verb is quoted as written."""
    text = bullet.strip().rstrip(".")
    first = text.split(maxsplit=1)[0] if text else ""
    if _PAST_TENSE.match(first):
        return f"I {first.lower()}{text[len(first) :]}"
    return f"my resume says: {text}"


def template_text(top: Sequence[RetrievedBullet]) -> str:
    """Situation, Task, Action, Result: the actions and results come only from the bullets, cited."""
    if not top:
        return (
            "Situation: <the team, the product and the problem>. Task: <what you were responsible for>. "
            "Action: <what you did, step by step>. Result: <what changed, with a number if you have one>."
        )
    lead, rest = top[0], top[1:]
    lines = [
        f"Situation: <the team, the product and the problem, from my {lead.section or 'experience'} "
        "section>.",
        "Task: <what I was responsible for>.",
        f"Action and result: {first_person(lead.text)} [{lead.number}].",
    ]
    lines += [f"Related: {first_person(b.text)} [{b.number}]." for b in rest]
    lines.append("What I learned: <one sentence in my own words>.")
    return "\n".join(lines)
