"""Small text helpers shared by the corpus checks (tokens, sentences, distinctive words)."""

from __future__ import annotations

import re

_WORD = re.compile(r"[a-z0-9][a-z0-9+#.'-]*[a-z0-9+#]|[a-z0-9]")
_SENT = re.compile(r"(?<=[.!?;])\s+")

STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "if",
        "then",
        "so",
        "of",
        "to",
        "in",
        "on",
        "at",
        "for",
        "with",
        "by",
        "from",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "i",
        "you",
        "he",
        "she",
        "we",
        "they",
        "me",
        "my",
        "our",
        "your",
        "their",
        "them",
        "us",
        "what",
        "which",
        "who",
        "whom",
        "how",
        "why",
        "when",
        "where",
        "do",
        "does",
        "did",
        "done",
        "have",
        "has",
        "had",
        "not",
        "no",
        "yes",
        "can",
        "could",
        "would",
        "should",
        "will",
        "shall",
        "may",
        "might",
        "must",
        "about",
        "into",
        "over",
        "under",
        "than",
        "too",
        "very",
        "just",
        "also",
        "more",
        "most",
        "some",
        "any",
        "each",
        "other",
        "such",
        "only",
        "own",
        "same",
        "both",
        "few",
        "all",
        "there",
        "here",
        "up",
        "down",
        "out",
        "off",
        "again",
        "further",
        "once",
        "during",
        "before",
        "after",
        "above",
        "below",
        "between",
        "through",
        "until",
        "while",
        "because",
        "per",
        "via",
    ]
)

# words too common in interview text to count as a bullet's distinctive vocabulary
DOMAIN_COMMON = frozenset(
    [
        "data",
        "model",
        "models",
        "team",
        "teams",
        "pipeline",
        "pipelines",
        "system",
        "systems",
        "built",
        "build",
        "using",
        "used",
        "use",
        "work",
        "worked",
        "new",
        "time",
        "improved",
        "reduced",
        "increased",
        "led",
        "project",
        "projects",
        "users",
        "user",
        "team's",
        "across",
        "based",
    ]
)


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def content_words(text: str) -> list[str]:
    return [w for w in words(text) if w not in STOPWORDS]


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENT.split(text) if s.strip()]


def stem(word: str) -> str:
    """A crude, fast stem: enough to match 'partitioning' with 'partitioned'."""
    for suffix in ("ations", "ation", "ings", "ing", "ies", "ied", "ed", "es", "s", "ly"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def distinctive_words(text: str) -> set[str]:
    """Stems of words that identify this text: rare nouns, tool names and numbers, not glue or common jargon."""
    out = set()
    for w in content_words(text):
        if w in DOMAIN_COMMON:
            continue
        if any(c.isdigit() for c in w) or len(w) >= 4:
            out.add(stem(w))
    return out


def normalise(text: str) -> str:
    return " ".join(words(text))
