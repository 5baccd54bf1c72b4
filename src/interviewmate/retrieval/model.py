"""Load the retriever's sentence encoder: the packaged base MiniLM or the shipped fine-tuned one."""

from __future__ import annotations

from typing import Literal

from interviewmate.config import Settings
from interviewmate.errors import ModelUnavailableError
from interviewmate.models.embedder import Embedder, SentenceEmbedder

RetrieverName = Literal["base", "tuned"]


def load_retriever(settings: Settings, which: RetrieverName = "tuned") -> Embedder:
    """An Embedder for queries and bullets. `tuned` raises ModelUnavailableError when no tuned retriever ships."""
    if which == "base":
        return SentenceEmbedder(settings.embedding_model, settings.model_cache_dir, device="cpu")
    raise ModelUnavailableError("the fine-tuned retriever is not packaged yet; use --model base")
