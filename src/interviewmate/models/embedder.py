"""Sentence embedders behind one protocol: texts in, L2-normalised float32 rows out."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np


class Embedder(Protocol):
    name: str

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """(len(texts), dim) float32, each row of unit length."""
        ...


class SentenceEmbedder:
    """A packaged sentence-transformers model (all-MiniLM-L6-v2 by default)."""

    def __init__(
        self,
        model_name: str = "all-minilm-l6-v2",
        cache_dir: Path | None = None,
        device: str = "cpu",
        batch_size: int = 64,
    ) -> None:
        from interviewmate.models.loaders import load_sentence_embedder

        self.name = model_name
        self.batch_size = batch_size
        self._model: Any = load_sentence_embedder(model_name, cache_dir, device)
        self._memo: dict[str, np.ndarray] = {}  # the pipeline embeds the same texts in several checks

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        dim = self._model.get_embedding_dimension()
        todo = sorted({t for t in texts if t not in self._memo}, key=len)  # similar lengths batch well
        if todo:
            out = self._model.encode(
                todo, batch_size=self.batch_size, normalize_embeddings=True, convert_to_numpy=True
            )
            self._memo.update(zip(todo, np.asarray(out, dtype=np.float32), strict=True))
        if not texts:
            return np.zeros((0, dim), dtype=np.float32)
        return np.stack([self._memo[t] for t in texts])


_TOKEN = re.compile(r"[a-z0-9]+")


class HashingEmbedder:
    """Bag of hashed words: fast, deterministic, dependency-free. For tests, not for quality."""

    def __init__(self, dim: int = 512) -> None:
        self.name = f"hashing-{dim}"
        self.dim = dim

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            for tok in _TOKEN.findall(text.lower()):
                h = int.from_bytes(hashlib.blake2b(tok.encode(), digest_size=8).digest(), "little")
                out[i, h % self.dim] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.maximum(norms, 1e-12)
