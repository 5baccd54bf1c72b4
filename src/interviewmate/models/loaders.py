"""Load packaged weights into runtimes. Heavy imports stay inside the functions."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

from interviewmate.errors import ModelUnavailableError
from interviewmate.models.registry import get_spec, locate_weights, model_dir, offline_env

if TYPE_CHECKING:
    from faster_whisper import WhisperModel
    from sentence_transformers import SentenceTransformer


def gguf_path(name: str, cache_dir: Path) -> Path:
    spec = get_spec(name)
    if spec.kind != "llm":
        raise ModelUnavailableError(f"model '{name}' is a {spec.kind} model, not an LLM")
    return locate_weights(name, cache_dir)


def hf_cache_path(name: str, cache_dir: Path) -> Path:
    spec = get_spec(name)
    return cache_dir / f"{name}-hf-{spec.sha256[:12]}"


def load_causal_lm(name: str, cache_dir: Path, dtype: str = "float32") -> tuple[Any, Any]:
    """A GGUF LLM as a float transformers model + tokenizer.

    The first call dequantizes the GGUF (tens of seconds) and saves a plain copy in the data dir; later calls load
    that copy in about a second.
    """
    offline_env()
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    torch_dtype = getattr(torch, dtype)
    cached = hf_cache_path(name, cache_dir)
    if (cached / "config.json").exists():
        tok = AutoTokenizer.from_pretrained(cached)
        model = AutoModelForCausalLM.from_pretrained(cached, dtype=torch_dtype)
        return model, tok
    path = gguf_path(name, cache_dir)
    tok = AutoTokenizer.from_pretrained(path.parent, gguf_file=path.name)
    model = AutoModelForCausalLM.from_pretrained(path.parent, gguf_file=path.name, dtype=torch_dtype)
    # the copy must not claim to be GGUF-quantized, or reloading it looks for a .gguf again
    setattr(model, "hf_quantizer", None)  # noqa: B010 - typed as a Module attribute
    if hasattr(model.config, "quantization_config"):
        del model.config.quantization_config
    tmp = cached.with_name(cached.name + ".partial")
    shutil.rmtree(tmp, ignore_errors=True)
    model.save_pretrained(tmp)
    tok.save_pretrained(tmp)
    shutil.rmtree(cached, ignore_errors=True)
    tmp.rename(cached)
    return model, tok


def load_llm_tokenizer(name: str, cache_dir: Path) -> Any:
    """The LLM's tokenizer alone (reading it from the GGUF takes seconds; the saved copy loads instantly)."""
    offline_env()
    from transformers import AutoTokenizer

    for folder in (hf_cache_path(name, cache_dir), cache_dir / f"{name}-tokenizer"):
        if (folder / "tokenizer_config.json").exists():
            return AutoTokenizer.from_pretrained(folder)
    path = gguf_path(name, cache_dir)
    tok = AutoTokenizer.from_pretrained(path.parent, gguf_file=path.name)
    tok.save_pretrained(cache_dir / f"{name}-tokenizer")
    return tok


def embedding_model_dir(name: str, cache_dir: Path | None = None) -> Path:
    spec = get_spec(name)
    if spec.kind != "embedding":
        raise ModelUnavailableError(f"model '{name}' is a {spec.kind} model, not an embedding model")
    locate_weights(name, cache_dir)
    return model_dir(spec)


def load_sentence_embedder(
    name: str, cache_dir: Path | None = None, device: str = "cpu"
) -> SentenceTransformer:
    offline_env()
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(
        str(embedding_model_dir(name, cache_dir)), device=device, local_files_only=True
    )


def load_whisper(
    name: str, cache_dir: Path | None = None, device: str = "cpu", n_threads: int = 0
) -> WhisperModel:
    offline_env()
    spec = get_spec(name)
    if spec.kind != "asr":
        raise ModelUnavailableError(f"model '{name}' is a {spec.kind} model, not speech to text")
    locate_weights(name, cache_dir)
    from faster_whisper import WhisperModel

    compute_type = "int8" if device == "cpu" else "float16"
    return WhisperModel(str(model_dir(spec)), device=device, compute_type=compute_type, cpu_threads=n_threads)
