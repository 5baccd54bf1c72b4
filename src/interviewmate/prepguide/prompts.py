"""The prep guide's two LLM prompts (the pitch, an answer outline) and the parser for bullet replies."""

from __future__ import annotations

import re
from collections.abc import Sequence

from interviewmate.domain import ChatMessage, GenerationParams
from interviewmate.prepguide.model import NumberFact, Overview, Passage, StackItem

SYSTEM = (
    "You help a candidate talk about their own project in a job interview. Use only the facts given to you. "
    "Never invent numbers, names or results."
)
PITCH_PARAMS = GenerationParams(max_tokens=120, temperature=0.0, repetition_penalty=1.15)
OUTLINE_PARAMS = GenerationParams(max_tokens=110, temperature=0.0, repetition_penalty=1.15)


def pitch_messages(
    overview: Overview, numbers: Sequence[NumberFact], stack: Sequence[StackItem], role: str | None
) -> list[ChatMessage]:
    facts = [f"Project: {overview.title}", f"Description: {overview.summary}"]
    if stack:
        facts.append("Built with: " + ", ".join(s.name for s in stack[:6]))
    facts += [f"Result: {n.phrase}" for n in numbers[:3]]
    ask = "Write a two-sentence elevator pitch of this project in the first person"
    ask += f", for a {role.replace('_', ' ')} interview." if role else "."
    return [ChatMessage("system", SYSTEM), ChatMessage("user", "\n".join(facts) + "\n\n" + ask)]


def outline_messages(question: str, passages: Sequence[Passage]) -> list[ChatMessage]:
    listed = "\n".join(f"- {p.text[:400]}" for p in passages)
    user = (
        f"Interview question about the candidate's project: {question}\n"
        f"Passages from the project:\n{listed}\n\n"
        "Write three short bullet points the candidate can say, one per line, using only these passages."
    )
    return [ChatMessage("system", SYSTEM), ChatMessage("user", user)]


def parse_bullets(text: str, limit: int = 4) -> list[str]:
    """Lines of a bulleted or numbered reply, markers removed."""
    out = []
    for line in text.splitlines():
        line = re.sub(r"^\s*(?:[-*\u2022]|\d+[.)])\s*", "", line).strip()
        if len(line.split()) >= 4:
            out.append(line)
    return out[:limit]
