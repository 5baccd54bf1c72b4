"""Follow-up questions after a weak answer: what to ask, in the user's terms. Nothing is generated: the bank
question's own follow-up, else a probe built from what the feedback says was missing."""

from __future__ import annotations

from typing import Any

from interviewmate.data.corpus import load_bank
from interviewmate.store.tables import QuestionRecord

FOLLOW_UP_BELOW = 50.0  # an answer scoring under this gets one probing follow-up question
MAX_PROBED = 2  # key points or STAR parts named in one follow-up; more reads like a checklist


def follow_up_text(q: QuestionRecord, components: dict[str, Any]) -> tuple[str, list[str]]:
    """The follow-up's text and the key points it probes."""
    if q.bank_id:
        item = next((b for b in load_bank() if b.id == q.bank_id), None)
        if item is not None and item.follow_ups:
            return item.follow_ups[0], list(q.key_points)
    missed = missed_key_points(components)[:MAX_PROBED]
    if missed:
        return f"Let's go deeper: how would you address {'; '.join(missed)}? Give a concrete example.", missed
    gaps = missing_star_parts(components)[:MAX_PROBED]
    if gaps:
        return (
            f"Walk me through that again, and be specific about the {' and the '.join(gaps)}: "
            "what exactly did you do and what changed?",
            [],
        )
    about = f"on {q.topic}" if q.topic else "on that"
    return f"Let's go deeper {about}: what exactly would you do, and why? Give a concrete example.", []


def missed_key_points(components: dict[str, Any]) -> list[str]:
    """Key points the technical component marked as missed."""
    technical = components.get("technical")
    missed = technical.get("missed") if isinstance(technical, dict) else None
    return [str(m) for m in missed] if isinstance(missed, list) else []


def missing_star_parts(components: dict[str, Any]) -> list[str]:
    """STAR parts (situation, task, action, result) the behavioral component did not find."""
    behavioral = components.get("behavioral")
    star = behavioral.get("star") if isinstance(behavioral, dict) else None
    if not isinstance(star, dict):
        return []
    return [part for part, v in star.items() if isinstance(v, dict) and v.get("found") is False]
