"""Error analysis in exactly eight categories, each detected from measurable signals.

| category | triggers when (all thresholds below) |
|---|---|
| hallucination | >= 2 specifics (numbers, capitalised names) in the output appear nowhere in question, reference or context, and they are at least half of its specifics |
| generic_response | >= 2 generic phrases ("it depends", "best practices", ...) and low specificity: no numbers and < 25% of its content words shared with the reference/key points |
| technical_error | a sentence aligned with a reference sentence flips its negation or direction (faster/slower, increase/decrease), or, given key points, the output is on topic but covers < 1/3 of them |
| length_mismatch | words(output) / words(reference) outside [0.5, 2.0] |
| incomplete | ends without terminal punctuation or on a dangling word ("and", "the", "because", ...) |
| repetitive | >= 25% of its word trigrams are repeats, or a sentence of >= 4 words occurs twice |
| off_topic | similarity to both question and reference below the floor (cosine 0.25 with an embedder, word overlap 0.08 without) |
| format_error | empty, leaked template/special tokens or role labels, unbalanced code fences, or not a question where one was asked for |

An output can fall in several categories. Each detector has tests with examples that must and must not trigger it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from interviewmate.models.embedder import Embedder

CATEGORIES = (
    "hallucination",
    "generic_response",
    "technical_error",
    "length_mismatch",
    "incomplete",
    "repetitive",
    "off_topic",
    "format_error",
)

SUGGESTED_FIXES = {
    "hallucination": "Ground the prompt: pass the resume bullets/JD as context and penalise unsupported numbers; "
    "add training answers that say 'I don't know the exact figure' instead of inventing one.",
    "generic_response": "Add specific reference answers (numbers, tools, trade-offs) to training; lower temperature; "
    "ask for one concrete example in the prompt.",
    "technical_error": "Check the reference answers for these topics, add key points to the prompt, and add "
    "contrastive training pairs for the confused concepts.",
    "length_mismatch": "Tune max_tokens and add the expected length to the prompt; filter training answers "
    "outside the 60-200 word band.",
    "incomplete": "Raise max_tokens or stop on a sentence end; make sure training answers end with EOS.",
    "repetitive": "Use a repetition penalty or no_repeat_ngram_size; check for duplicated training answers.",
    "off_topic": "Put the question first and last in the prompt; check the chat template; reject and regenerate "
    "outputs whose similarity to the question is below the floor.",
    "format_error": "Decode with skip_special_tokens, apply the model's chat template, strip role labels, and "
    "validate the output format before showing it.",
}

GENERIC_PHRASES = (
    "it depends",
    "best practice",
    "best practices",
    "in general",
    "generally speaking",
    "there are many",
    "various factors",
    "many factors",
    "it is important to",
    "it's important to",
    "leverage",
    "robust solution",
    "scalable solution",
    "at the end of the day",
    "a lot of things",
    "different approaches",
    "work hard",
    "team player",
    "think outside the box",
    "synergy",
)
DANGLING = frozenset("and or but the a an to of with because for in on that which so as if than by".split())
# "instead of X" and "rather than X" negate X as surely as "not X"
NEGATIONS = frozenset(
    "not no never cannot can't don't doesn't isn't aren't won't without neither nor instead rather".split()
)
DIRECTION_PAIRS = (
    ("increase", "decrease"),
    ("increases", "decreases"),
    ("higher", "lower"),
    ("faster", "slower"),
    ("more", "less"),
    ("larger", "smaller"),
    ("before", "after"),
    ("overfitting", "underfitting"),
    ("bias", "variance"),
)
SPECIAL_TOKENS = re.compile(
    r"<\|[^|>]{1,40}\|>|</?s>|\[/?INST\]|<\|endoftext\|>|^#{2,3} ?(instruction|response)", re.I | re.M
)
ROLE_LABEL = re.compile(r"^\s*(assistant|user|system)\s*:", re.I | re.M)
_WORD = re.compile(r"[a-z0-9][a-z0-9'+#-]*", re.I)
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_SENT = re.compile(r"(?<=[.!?])\s+")
_STOP = frozenset(
    """a an the and or but if then so of to in on at for with by from as is are was were be been it its this that
    these those i you he she we they me my our your their what which who how why when where do does did have has
    had not no can could would should will may might must about into than too very just also more most some any
    each other such only""".split()
)

LENGTH_BOUNDS = (0.5, 2.0)
REPEAT_TRIGRAM_MAX = 0.25
OFF_TOPIC_COSINE, OFF_TOPIC_LEXICAL = 0.25, 0.08
GENERIC_MIN_HITS, GENERIC_MAX_OVERLAP = 2, 0.25
ALIGN_MIN_OVERLAP = 0.6
KEY_POINT_MIN_COVERAGE = 1 / 3


@dataclass(frozen=True)
class ErrorItem:
    id: str
    prediction: str
    reference: str = ""
    question: str = ""
    context: str = ""  # what the generator was given besides the question (resume bullets, JD)
    key_points: tuple[str, ...] = ()
    expect_question: bool = False  # the task asked for an interview question


@dataclass(frozen=True)
class Finding:
    category: str
    severity: float  # larger is worse; orders the worst examples
    reason: str


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def _stem(w: str) -> str:
    for suf in ("ing", "ed", "es", "s", "ly"):
        if len(w) > len(suf) + 3 and w.endswith(suf):
            return w[: -len(suf)]
    return w


def _content(text: str) -> set[str]:
    return {_stem(w) for w in _words(text) if w not in _STOP and len(w) > 2}


def _overlap(a: str, b: str) -> float:
    """Share of a's content stems that b also has."""
    ca = _content(a)
    return len(ca & _content(b)) / len(ca) if ca else 0.0


def _specifics(text: str) -> set[str]:
    """Numbers and capitalised names that are not sentence-initial: the claims a reader could check."""
    found = {n.replace(",", "") for n in _NUMBER.findall(text)}
    for sent in _SENT.split(text):
        tokens = sent.split()
        for tok in tokens[1:]:
            clean = tok.strip(".,;:()\"'!?")
            if len(clean) > 1 and clean[0].isupper() and clean.lower() not in _STOP and clean != "I":
                found.add(clean.lower())
    return found


@dataclass
class _Signals:
    item: ErrorItem
    sim_question: float | None = None
    sim_reference: float | None = None
    embedded: bool = False


def detect_hallucination(s: _Signals) -> Finding | None:
    pred = s.item.prediction
    specifics = _specifics(pred)
    if not specifics:
        return None
    source = f"{s.item.question} {s.item.reference} {s.item.context}".lower()
    source_numbers = {n.replace(",", "") for n in _NUMBER.findall(source)}
    unsupported = sorted(x for x in specifics if x not in source_numbers and x not in source)
    if len(unsupported) >= 2 and len(unsupported) / len(specifics) >= 0.5:
        return Finding(
            "hallucination", len(unsupported), f"unsupported specifics: {', '.join(unsupported[:6])}"
        )
    return None


def detect_generic(s: _Signals) -> Finding | None:
    pred = s.item.prediction.lower()
    hits = [p for p in GENERIC_PHRASES if p in pred]
    if len(hits) < GENERIC_MIN_HITS or _NUMBER.search(pred):
        return None
    anchor = " ".join((s.item.reference, *s.item.key_points))
    overlap = _overlap(s.item.prediction, anchor) if anchor.strip() else 0.0
    if overlap < GENERIC_MAX_OVERLAP:
        return Finding(
            "generic_response", len(hits) - overlap, f"generic phrases {hits[:4]}, overlap {overlap:.2f}"
        )
    return None


def _flips(pred_sent: str, ref_sent: str) -> str | None:
    pw, rw = set(_words(pred_sent)), set(_words(ref_sent))
    if bool(pw & NEGATIONS) != bool(rw & NEGATIONS):
        return "negation"
    for a, b in DIRECTION_PAIRS:
        if (a in pw and b in rw and b not in pw) or (b in pw and a in rw and a not in pw):
            return f"{a}/{b}"
    return None


def detect_technical_error(s: _Signals) -> Finding | None:
    item = s.item
    if item.reference:
        ref_sents = [(rs, _content(rs)) for rs in _SENT.split(item.reference)]
        for ps in _SENT.split(item.prediction):
            cp = _content(ps)
            if len(cp) < 3:
                continue
            # compare each sentence with its best counterpart in the reference only
            score, rs = max(
                ((len(cp & cr) / min(len(cp), len(cr)), rs) for rs, cr in ref_sents if len(cr) >= 3),
                default=(0.0, ""),
            )
            flip = _flips(ps, rs) if score >= ALIGN_MIN_OVERLAP else None
            if flip:
                return Finding(
                    "technical_error", 1.0 + score, f"contradicts the reference ({flip}): {ps[:80]!r}"
                )
    if item.key_points and not _is_off_topic(s):
        covered = [kp for kp in item.key_points if _overlap(kp, item.prediction) >= 0.5]
        coverage = len(covered) / len(item.key_points)
        if coverage < KEY_POINT_MIN_COVERAGE:
            missing = [kp for kp in item.key_points if kp not in covered]
            return Finding(
                "technical_error",
                1.0 - coverage,
                f"covers {coverage:.0%} of key points; missing {missing[:3]}",
            )
    return None


def detect_length_mismatch(s: _Signals) -> Finding | None:
    if not s.item.reference.strip():
        return None
    ratio = len(s.item.prediction.split()) / max(len(s.item.reference.split()), 1)
    lo, hi = LENGTH_BOUNDS
    if ratio < lo or ratio > hi:
        return Finding(
            "length_mismatch", abs(np.log(max(ratio, 1e-3))), f"length ratio {ratio:.2f} outside [{lo}, {hi}]"
        )
    return None


def detect_incomplete(s: _Signals) -> Finding | None:
    text = s.item.prediction.rstrip()
    if not text:
        return None
    words = _words(text)
    if text[-1] in ".!?)\"'`" and not (words and words[-1] in DANGLING and text[-1] not in "?!"):
        return None
    last = words[-1] if words else ""
    reason = (
        f"ends on a dangling word {last!r}"
        if last in DANGLING
        else f"ends without punctuation: {text[-30:]!r}"
    )
    return Finding("incomplete", 1.0 if last in DANGLING else 0.5, reason)


def detect_repetitive(s: _Signals) -> Finding | None:
    words = _words(s.item.prediction)
    trigrams = [tuple(words[i : i + 3]) for i in range(len(words) - 2)]
    ratio = 0.0
    if trigrams:
        counts = Counter(trigrams)
        ratio = sum(c - 1 for c in counts.values()) / len(trigrams)
    sentences = [" ".join(_words(x)) for x in _SENT.split(s.item.prediction) if len(_words(x)) >= 4]
    repeated_sentence = len(sentences) != len(set(sentences))
    if ratio >= REPEAT_TRIGRAM_MAX or repeated_sentence:
        return Finding("repetitive", ratio + repeated_sentence, f"repeated trigram share {ratio:.2f}")
    return None


def _is_off_topic(s: _Signals) -> bool:
    sims = [x for x in (s.sim_question, s.sim_reference) if x is not None]
    floor = OFF_TOPIC_COSINE if s.embedded else OFF_TOPIC_LEXICAL
    return bool(sims) and bool(s.item.prediction.strip()) and max(sims) < floor


def detect_off_topic(s: _Signals) -> Finding | None:
    if not _is_off_topic(s):
        return None
    sims = [x for x in (s.sim_question, s.sim_reference) if x is not None]
    kind = "cosine" if s.embedded else "word overlap"
    return Finding("off_topic", 1.0 - max(sims), f"best {kind} to question/reference {max(sims):.2f}")


def detect_format_error(s: _Signals) -> Finding | None:
    text = s.item.prediction
    if not text.strip():
        return Finding("format_error", 2.0, "empty output")
    if SPECIAL_TOKENS.search(text):
        return Finding("format_error", 1.5, f"leaked template token {SPECIAL_TOKENS.search(text).group(0)!r}")  # type: ignore[union-attr]
    if ROLE_LABEL.search(text):
        return Finding("format_error", 1.2, "role label in the output")
    if text.count("```") % 2:
        return Finding("format_error", 1.0, "unbalanced code fence")
    if s.item.expect_question and "?" not in text:
        return Finding("format_error", 0.8, "asked for a question, got no question mark")
    return None


DETECTORS: dict[str, Callable[[_Signals], Finding | None]] = {
    "hallucination": detect_hallucination,
    "generic_response": detect_generic,
    "technical_error": detect_technical_error,
    "length_mismatch": detect_length_mismatch,
    "incomplete": detect_incomplete,
    "repetitive": detect_repetitive,
    "off_topic": detect_off_topic,
    "format_error": detect_format_error,
}


def _signals(items: Sequence[ErrorItem], embedder: Embedder | None) -> list[_Signals]:
    out = [_Signals(item=i, embedded=embedder is not None) for i in items]
    if embedder is None:
        for s in out:
            if s.item.question:
                s.sim_question = _overlap(s.item.prediction, s.item.question) or _overlap(
                    s.item.question, s.item.prediction
                )
            if s.item.reference:
                s.sim_reference = _overlap(s.item.prediction, s.item.reference)
        return out
    preds = embedder.encode([i.prediction or " " for i in items])
    for field_name, attr in (("question", "sim_question"), ("reference", "sim_reference")):
        idx = [k for k, i in enumerate(items) if getattr(i, field_name)]
        if idx:
            vecs = embedder.encode([getattr(items[k], field_name) for k in idx])
            for row, k in enumerate(idx):
                setattr(out[k], attr, float(preds[k] @ vecs[row]))
    return out


def find_errors(item: ErrorItem, embedder: Embedder | None = None) -> list[Finding]:
    return analyze_errors([item], embedder).findings[item.id]


@dataclass
class ErrorAnalysis:
    n: int
    shares: dict[str, float] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    worst: dict[str, list[dict[str, object]]] = field(default_factory=dict)
    findings: dict[str, list[Finding]] = field(default_factory=dict)

    def to_json(self, examples: int = 3) -> dict[str, object]:
        return {
            "n": self.n,
            "shares": self.shares,
            "counts": self.counts,
            "worst_examples": {k: v[:examples] for k, v in self.worst.items()},
            "suggested_fixes": {k: SUGGESTED_FIXES[k] for k in CATEGORIES if self.counts.get(k)},
        }


def analyze_errors(
    items: Sequence[ErrorItem], embedder: Embedder | None = None, worst: int = 5
) -> ErrorAnalysis:
    signals = _signals(items, embedder)
    analysis = ErrorAnalysis(n=len(items))
    per_cat: dict[str, list[tuple[float, ErrorItem, Finding]]] = {c: [] for c in CATEGORIES}
    for s in signals:
        found = [f for f in (DETECTORS[c](s) for c in CATEGORIES) if f is not None]
        analysis.findings[s.item.id] = found
        for f in found:
            per_cat[f.category].append((f.severity, s.item, f))
    for c in CATEGORIES:
        analysis.counts[c] = len(per_cat[c])
        analysis.shares[c] = len(per_cat[c]) / len(items) if items else 0.0
        ranked = sorted(per_cat[c], key=lambda t: -t[0])[:worst]
        analysis.worst[c] = [
            {"id": it.id, "reason": f.reason, "prediction": it.prediction[:300]} for _, it, f in ranked
        ]
    return analysis
