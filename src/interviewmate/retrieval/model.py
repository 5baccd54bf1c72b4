"""Load the retriever's sentence encoder: the packaged base MiniLM or the shipped fine-tuned one.

The tuned retriever is a LoRA adapter on the packaged all-MiniLM-L6-v2 (query/key/value/dense); at load time it
is merged into the encoder, so encoding costs exactly what the base model costs.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

import numpy as np

from interviewmate.config import Settings
from interviewmate.errors import ModelUnavailableError
from interviewmate.models.embedder import Embedder, SentenceEmbedder

RetrieverName = Literal["base", "tuned"]
PACKAGED_RETRIEVER = Path(__file__).resolve().parents[1] / "models" / "adapters" / "retriever"
ADAPTER_SUBDIR = "encoder_lora"  # adapter_config.json + adapter_model.safetensors


class SentenceModelEmbedder:
    """An Embedder over an already loaded sentence-transformers model (e.g. one being trained)."""

    def __init__(self, model: Any, name: str, batch_size: int = 64) -> None:
        self.name = name
        self.batch_size = batch_size
        self._model = model

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self._model.get_embedding_dimension()), dtype=np.float32)
        out = self._model.encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(out, dtype=np.float32)


class MemoEmbedder:
    """Remembers every text it has embedded: evaluation embeds the same bullets for many query forms."""

    def __init__(self, inner: Embedder) -> None:
        self.name = inner.name
        self._inner = inner
        self._memo: dict[str, np.ndarray] = {}

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        todo = sorted({t for t in texts if t not in self._memo}, key=len)
        if todo:
            self._memo.update(zip(todo, self._inner.encode(todo), strict=True))
        if not texts:
            return self._inner.encode([])
        return np.stack([self._memo[t] for t in texts])


def load_sentence_model(folder: Path, device: str = "cpu") -> Any:
    """A sentence-transformers model from a local folder, in float32 (offline)."""
    from interviewmate.models.registry import offline_env

    offline_env()
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(folder), device=device, local_files_only=True).float()


def has_adapter(retriever_dir: Path) -> bool:
    return (retriever_dir / ADAPTER_SUBDIR / "adapter_config.json").exists()


def merge_adapter(model: Any, retriever_dir: Path) -> Any:
    """Merge the LoRA in `retriever_dir` into a loaded sentence-transformers model (in place) and return it.

    W += (alpha / r) * B @ A for every adapted linear layer: plain tensor arithmetic, no PEFT wrapping, so
    loading costs about what loading the base model costs.
    """
    import torch
    from safetensors.torch import load_file

    folder = retriever_dir / ADAPTER_SUBDIR
    config = json.loads((folder / "adapter_config.json").read_text())
    if config.get("peft_type") != "LORA" or config.get("use_dora") or config.get("fan_in_fan_out"):
        raise ModelUnavailableError(
            f"{folder} is not a plain LoRA adapter; retrain with `interviewmate train retriever`"
        )
    r = config["r"]
    scale = config["lora_alpha"] / (r**0.5 if config.get("use_rslora") else r)
    weights = load_file(str(folder / "adapter_model.safetensors"))
    encoder = model[0].model
    params = dict(encoder.named_parameters())
    prefix = "base_model.model."
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # 37 tiny products: thread start-up would cost more than the arithmetic
    try:
        with torch.no_grad():
            for key, a in weights.items():
                if not key.endswith(".lora_A.weight"):
                    continue
                name = key[len(prefix) : -len(".lora_A.weight")] + ".weight"
                if name not in params:
                    raise ModelUnavailableError(f"{folder} does not fit this encoder (no {name})")
                target = params[name]
                b = weights[key.replace(".lora_A.", ".lora_B.")]
                delta = b.float() @ a.float()
                target.add_(delta.to(target.device, target.dtype), alpha=scale)
    finally:
        torch.set_num_threads(threads)
    return model.eval()


def load_tuned_model(settings: Settings, retriever_dir: Path | None = None) -> Any:
    """The packaged MiniLM (sentence-transformers) with the tuned retriever's LoRA merged in; offline."""
    from interviewmate.models.loaders import load_sentence_embedder

    folder = retriever_dir or PACKAGED_RETRIEVER
    if not has_adapter(folder):
        raise ModelUnavailableError(
            f"no tuned retriever at {folder}: run `interviewmate train retriever` or use the base model"
        )
    return merge_adapter(
        load_sentence_embedder(settings.embedding_model, settings.model_cache_dir, "cpu"), folder
    )


def load_retriever(settings: Settings, which: RetrieverName = "tuned") -> Embedder:
    """An Embedder for queries and bullets. `tuned` raises ModelUnavailableError when no tuned retriever ships."""
    if which == "base":
        return SentenceEmbedder(settings.embedding_model, settings.model_cache_dir, device="cpu")
    return SentenceModelEmbedder(load_tuned_model(settings), f"{settings.embedding_model}+retriever-lora")
