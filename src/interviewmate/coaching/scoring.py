"""Answer scoring: explainable components, an overall 0-100, and notes that say what could not be scored.

Components (each a dict with "score" 0-100, or None when it could not run, plus its evidence):
  technical   (technical/coding/system_design) key points covered/partial/missed, cosine to the reference,
              ROUGE-L; see scoring_technical.py for the matching rule.
  behavioral  (behavioral) STAR parts found/missing, specificity, ownership; see scoring_behavioral.py.
  relevance   100 * clip((cos(answer, question) - floor) / (ceil - floor)), RELEVANCE per content type;
              needs an embedder.
  grounding   (when resume bullets are given) 100 * share of the answer's claims (first-person or numeric
              sentences) some bullet supports, from interviewmate.retrieval.grounding.check_claims; needs an
              embedder.
  delivery    (when the answer was spoken) pace, fillers, hedges and long pauses from the speech report, each
              against the speech package's coaching band; see scoring_delivery.py.

overall = sum(w_c * score_c) / sum(w_c) over the components that ran (OVERALL_WEIGHTS: content 0.6 — the
technical or behavioral component —, relevance 0.2, grounding 0.1, delivery 0.1), then
  * OFF_TOPIC_FACTOR when the answer is off-topic (cosine to the question below RELEVANCE[...].off_topic and,
    when there is a reference, cosine to it below OFF_TOPIC_REF_COSINE),
  * words / SHORT_WORDS when the answer has fewer than SHORT_WORDS words.
An empty answer scores 0. overall is None only when no component could run. Thresholds are MiniLM cosines,
tuned on the dev check set (tests/coaching/check_set_dev.jsonl, validation split); docs/scoring.md has the numbers.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from interviewmate.coaching.scoring_behavioral import behavioral_component
from interviewmate.coaching.scoring_delivery import delivery_component
from interviewmate.coaching.scoring_technical import answer_windows, clip01, technical_component
from interviewmate.domain import Bullet, ClaimCheck, Feedback, InterviewType, Question
from interviewmate.models.embedder import Embedder


@dataclass(frozen=True)
class RelevanceScale:
    """MiniLM cosines of answer and question: floor..ceil maps onto 0-100; below off_topic (and below
    OFF_TOPIC_REF_COSINE to the reference, when there is one) the answer is about something else."""

    floor: float
    ceil: float
    off_topic: float


# A story answers "tell me about a time..." in other words than the question's, so behavioral cosines run lower.
RELEVANCE = {
    "behavioral": RelevanceScale(floor=0.0, ceil=0.35, off_topic=0.2),
    "technical": RelevanceScale(floor=0.1, ceil=0.6, off_topic=0.25),
}
OFF_TOPIC_REF_COSINE = 0.35
OFF_TOPIC_FACTOR = 0.4
SHORT_WORDS = 12
OVERALL_WEIGHTS = {"content": 0.6, "relevance": 0.2, "grounding": 0.1, "delivery": 0.1}

# (answer, bullets, embedder, resume_text) -> one check per claim; resume_text lets a claim name the employer
# or school, which bullets rarely repeat
ClaimChecker = Callable[[str, Sequence[Bullet], Embedder, str], Sequence[ClaimCheck]]


def _default_claim_checker(
    answer: str, bullets: Sequence[Bullet], embedder: Embedder, resume_text: str
) -> Sequence[ClaimCheck]:
    from interviewmate.retrieval.grounding import check_claims

    return check_claims(answer, bullets, embedder, resume_text=resume_text)


@dataclass(frozen=True)
class ScoringContext:
    """What the scorer may use besides the question and answer. Anything missing switches its component off."""

    embedder: Embedder | None = None
    bullets: Sequence[Bullet] = ()
    resume_text: str = ""  # the whole resume, for names (employers, schools) that bullets leave out
    delivery: Mapping[str, Any] | None = None  # the speech report of a spoken answer (docs/speech.md keys)
    claim_checker: ClaimChecker = _default_claim_checker


def score_answer(question: Question, answer: str, context: ScoringContext) -> Feedback:
    answer = answer.strip()
    n_words = len(answer.split())
    if n_words == 0:
        return Feedback(0.0, {}, ("empty answer: nothing to score",))
    notes: list[str] = []
    embedder = context.embedder
    windows = answer_windows(answer) or [answer]
    reference = question.reference_answer.strip()
    vectors = _embed(embedder, [question.text, answer, reference, *windows, *question.key_points])
    if vectors is None:
        notes.append("no embedder: relevance, reference similarity and grounding not scored")
    components: dict[str, dict[str, Any]] = {}
    content_name = "behavioral" if question.interview_type == InterviewType.BEHAVIORAL else "technical"
    if content_name == "behavioral":
        comp, more = behavioral_component(answer)
    else:
        comp, more = technical_component(answer, question.key_points, reference, vectors, windows)
    components[content_name] = comp
    notes.extend(more)
    components["relevance"], off_topic = _relevance(
        question.text, answer, reference, vectors, RELEVANCE[content_name]
    )
    if context.bullets:
        components["grounding"] = _grounding(answer, context, notes)
    if context.delivery is not None:
        components["delivery"], more = delivery_component(context.delivery, n_words)
        notes.extend(more)
    overall, used = _overall(components, content_name)
    if overall is None:
        notes.append("overall not scored: no component could run")
        return Feedback(None, components, tuple(notes))
    if off_topic:
        overall *= OFF_TOPIC_FACTOR
        notes.append(
            f"off-topic: the answer is far from the question (cosine {components['relevance']['question_cosine']:.2f}); "
            f"overall x{OFF_TOPIC_FACTOR}"
        )
    if n_words < SHORT_WORDS:
        overall *= n_words / SHORT_WORDS
        notes.append(f"very short answer ({n_words} word{'s' if n_words != 1 else ''}): overall scaled down")
    skipped = [k for k in OVERALL_WEIGHTS if k != "content" and k not in used]
    notes.append(
        f"overall from: {', '.join(used)}" + (f" (not scored: {', '.join(skipped)})" if skipped else "")
    )
    return Feedback(round(overall, 1), components, tuple(notes))


def _embed(embedder: Embedder | None, texts: Sequence[str]) -> dict[str, np.ndarray] | None:
    if embedder is None:
        return None
    unique = list(dict.fromkeys(t for t in texts if t))
    return dict(zip(unique, embedder.encode(unique), strict=True))


def _relevance(
    question: str,
    answer: str,
    reference: str,
    vectors: dict[str, np.ndarray] | None,
    scale: RelevanceScale,
) -> tuple[dict[str, Any], bool]:
    if vectors is None:
        return {"score": None, "reason": "no embedder"}, False
    cos_q = float(vectors[answer] @ vectors[question])
    cos_ref = float(vectors[answer] @ vectors[reference]) if reference else None
    off_topic = cos_q < scale.off_topic and (cos_ref is None or cos_ref < OFF_TOPIC_REF_COSINE)
    comp = {
        "score": round(100 * clip01((cos_q - scale.floor) / (scale.ceil - scale.floor)), 1),
        "question_cosine": round(cos_q, 4),
        "reference_cosine": None if cos_ref is None else round(cos_ref, 4),
        "off_topic": off_topic,
    }
    return comp, off_topic


def _grounding(answer: str, context: ScoringContext, notes: list[str]) -> dict[str, Any]:
    if context.embedder is None:
        notes.append("grounding not scored: it needs an embedder")
        return {"score": None, "reason": "no embedder"}
    checks = list(context.claim_checker(answer, context.bullets, context.embedder, context.resume_text))
    if not checks:
        notes.append("grounding not scored: no claim (a first-person or numeric sentence) to check")
        return {"score": None, "reason": "no claims"}
    supported = sum(c.supported for c in checks)
    unsupported = [
        {"sentence": c.sentence, "similarity": round(c.similarity, 3), "reason": c.reason}
        for c in checks
        if not c.supported
    ]
    if unsupported:
        notes.append(f"{len(unsupported)} sentence(s) not supported by your resume bullets")
    return {
        "score": round(100 * supported / len(checks), 1),
        "supported": supported,
        "checked": len(checks),
        "unsupported": unsupported,
    }


def _overall(components: dict[str, dict[str, Any]], content_name: str) -> tuple[float | None, list[str]]:
    weighted, total, used = 0.0, 0.0, []
    for name, comp in components.items():
        weight = OVERALL_WEIGHTS["content" if name == content_name else name]
        if comp.get("score") is not None:
            weighted += weight * float(comp["score"])
            total += weight
            used.append(name)
    return (weighted / total if total else None), used
