"""Fixtures for the corpus tests live in tests/conftest.py (tiny_corpus, corpus_copy)."""

from tests.conftest import write_jsonl

__all__ = ["write_jsonl"]
