"""Convert a PEFT LoRA adapter into a GGUF LoRA adapter that llama.cpp applies to the packaged base GGUF.

Why this is more than a copy: the adapter is trained on the transformers (float) copy of the model, whose
weights are in Hugging Face layout, while the packaged GGUF stores llama's q/k projections in llama.cpp's
rotary layout. llama.cpp's HF->GGUF converter reorders the output rows of q_proj and k_proj for each head
(rows seen as (n_head, 2, head_dim // 2): the two halves are interleaved). A LoRA delta B @ A lives in the
same row space as the weight it adds to, so the B matrices of q_proj and k_proj need that row order too;
without it the q/k delta lands on the wrong rotary dimensions and the adapter silently does the wrong thing.

llama.cpp scales every delta by alpha / rank (rank read from each tensor's shape), like PEFT's default; the
head counts needed for the reorder come from the base model's transformers config.
"""

from __future__ import annotations

import json
import math
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from interviewmate.errors import ModelUnavailableError

# PEFT module name -> llama.cpp tensor name (blk.N.<name>.weight)
GGUF_NAMES: dict[str, str] = {
    "q_proj": "attn_q",
    "k_proj": "attn_k",
    "v_proj": "attn_v",
    "o_proj": "attn_output",
    "gate_proj": "ffn_gate",
    "up_proj": "ffn_up",
    "down_proj": "ffn_down",
}
_KEY = re.compile(r"layers\.(\d+)\.(?:self_attn|mlp)\.(\w+)\.lora_([AB])\.weight$")


def rotary_row_permute(rows: np.ndarray, n_head: int) -> np.ndarray:
    """Reorder the rows of a q/k projection (or a LoRA B) from HF layout to llama.cpp's rotary layout.

    Each head's rows are viewed as (2, head_dim // 2) and transposed, so row i of the first half and row i of
    the second half become neighbours: [0, d/2, 1, d/2+1, ...] within every head.
    """
    n_rows = rows.shape[0]
    if n_rows % (2 * n_head):
        raise ValueError(f"{n_rows} rows cannot be split into {n_head} heads of even size")
    grouped = rows.reshape(n_head, 2, n_rows // n_head // 2, *rows.shape[1:])
    return grouped.swapaxes(1, 2).reshape(rows.shape)


def peft_to_gguf_lora(
    adapter_dir: Path, out_path: Path, base_config: dict[str, Any] | None = None, half: bool = True
) -> Path:
    """Write `adapter_dir` (a PEFT LoRA folder) as a llama.cpp GGUF LoRA adapter at `out_path`.

    `base_config` is the base model's transformers config (config.json as a dict); without it the config is
    found from the adapter's `base_model_name_or_path` (see `find_base_config`).
    """
    import gguf
    from safetensors.numpy import load_file

    adapter_dir = Path(adapter_dir)
    cfg = _read_adapter_config(adapter_dir)
    weights_file = adapter_dir / "adapter_model.safetensors"
    if not weights_file.is_file():
        raise ModelUnavailableError(
            f"{adapter_dir} has no adapter_model.safetensors: save the adapter with safe_serialization=True"
        )
    base = base_config if base_config is not None else find_base_config(adapter_dir)
    arch = str(base.get("model_type", "llama"))
    if arch != "llama":
        raise ModelUnavailableError(f"GGUF LoRA conversion supports llama models only, not '{arch}'")
    n_head = int(base["num_attention_heads"])
    n_kv_head = int(base.get("num_key_value_heads") or n_head)
    head_dim = base.get("head_dim") or (int(base["hidden_size"]) // n_head if "hidden_size" in base else None)

    tensors: dict[str, np.ndarray] = {}
    for key, value in load_file(str(weights_file)).items():
        match = _KEY.search(key)
        if match is None or match.group(2) not in GGUF_NAMES:
            raise ModelUnavailableError(
                f"{adapter_dir}: tensor '{key}' has no llama.cpp LoRA equivalent "
                f"(only LoRA on {', '.join(GGUF_NAMES)} converts)"
            )
        layer, module, side = match.groups()
        array = value.astype(
            np.float32
        )  # permute in float32; store as float16 (half the size) unless told not to
        if side == "B" and module in ("q_proj", "k_proj"):
            heads = n_head if module == "q_proj" else n_kv_head
            if array.shape[0] % (2 * heads) or (head_dim and array.shape[0] != heads * int(head_dim)):
                raise ModelUnavailableError(
                    f"{adapter_dir}: {module} has {array.shape[0]} output rows, which does not fit the base "
                    f"model's {heads} heads: the adapter was trained on a different base model"
                )
            array = rotary_row_permute(array, heads)
        suffix = "lora_a" if side == "A" else "lora_b"
        tensors[f"blk.{layer}.{GGUF_NAMES[module]}.weight.{suffix}"] = np.ascontiguousarray(array)
    if not tensors:
        raise ModelUnavailableError(f"{adapter_dir} is not a PEFT LoRA adapter: it holds no LoRA tensors")
    for name in tensors:
        pair = name[:-1] + ("b" if name.endswith("a") else "a")
        if pair not in tensors:
            raise ModelUnavailableError(f"{adapter_dir}: LoRA tensor {name} has no matching {pair}")

    out_path = Path(out_path)
    with gguf_file_writer(out_path, "llama") as writer:
        writer.add_type(gguf.GGUFType.ADAPTER)
        writer.add_string(gguf.Keys.Adapter.TYPE, "lora")
        writer.add_float32(gguf.Keys.Adapter.LORA_ALPHA, _llamacpp_alpha(cfg))
        for name in sorted(tensors):
            writer.add_tensor(name, tensors[name].astype(np.float16) if half else tensors[name])
    return out_path


@contextmanager
def gguf_file_writer(out: Path, arch: str) -> Iterator[Any]:
    """A gguf.GGUFWriter for `out`: the caller adds fields and tensors, the file is written on leaving the block
    and only then moved to `out`, so a half-written file never sits there."""
    import gguf

    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    writer = gguf.GGUFWriter(str(partial), arch=arch)
    try:
        yield writer
        writer.write_header_to_file()
        writer.write_kv_data_to_file()
        writer.write_tensors_to_file()
    finally:
        writer.close()
    os.replace(partial, out)


def _read_adapter_config(adapter_dir: Path) -> dict[str, Any]:
    path = adapter_dir / "adapter_config.json"
    if not path.is_file():
        raise ModelUnavailableError(f"{adapter_dir} is not a PEFT LoRA adapter (no adapter_config.json)")
    try:
        cfg = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ModelUnavailableError(f"{path} cannot be read: {exc}") from exc
    if not isinstance(cfg, dict) or str(cfg.get("peft_type", "")).upper() != "LORA" or "r" not in cfg:
        raise ModelUnavailableError(f"{adapter_dir} is not a PEFT LoRA adapter (peft_type is not LORA)")
    unsupported = [k for k in ("use_dora", "rank_pattern", "alpha_pattern", "lora_bias") if cfg.get(k)]
    if unsupported:
        raise ModelUnavailableError(f"{adapter_dir}: LoRA option(s) {', '.join(unsupported)} cannot convert")
    targets = cfg.get("target_modules")
    if isinstance(targets, list) and (extra := sorted(set(targets) - set(GGUF_NAMES))):
        raise ModelUnavailableError(f"{adapter_dir}: LoRA on {', '.join(extra)} has no llama.cpp equivalent")
    return cfg


def _llamacpp_alpha(cfg: dict[str, Any]) -> float:
    """The alpha that makes llama.cpp's scale (alpha / rank) equal PEFT's (alpha / r, or alpha / sqrt(r))."""
    alpha = float(cfg.get("lora_alpha") or cfg["r"])
    return alpha * math.sqrt(float(cfg["r"])) if cfg.get("use_rslora") else alpha


def find_base_config(adapter_dir: Path) -> dict[str, Any]:
    """The base model's config, found from the adapter's `base_model_name_or_path`.

    That is a folder with config.json (the float copy `load_causal_lm` caches), the packaged model's folder or
    GGUF file (read from its metadata), or a registry model name (its cached float copy, else its GGUF).
    """
    base = str(_read_adapter_config(Path(adapter_dir)).get("base_model_name_or_path") or "")
    path = Path(base).expanduser() if base else None
    if path is not None and (path / "config.json").is_file():
        loaded = json.loads((path / "config.json").read_text(encoding="utf-8"))
        return dict(loaded)
    if path is not None and path.is_dir() and (ggufs := sorted(path.glob("*.gguf"))):
        return _config_from_gguf(ggufs[0])
    if path is not None and path.suffix == ".gguf" and path.is_file():
        return _config_from_gguf(path)
    from interviewmate.models.registry import REGISTRY

    if base in REGISTRY:
        from interviewmate.config import Settings
        from interviewmate.models.loaders import hf_cache_path
        from interviewmate.models.registry import locate_weights

        cache_dir = Settings().model_cache_dir
        cached = hf_cache_path(base, cache_dir) / "config.json"
        if cached.is_file():
            return dict(json.loads(cached.read_text(encoding="utf-8")))
        return _config_from_gguf(locate_weights(base, cache_dir, verify=False))
    raise ModelUnavailableError(
        f"{adapter_dir}: cannot find the base model's config (base_model_name_or_path={base!r}); "
        "pass base_config"
    )


def _config_from_gguf(path: Path) -> dict[str, Any]:
    """The transformers config keys the conversion needs, read from a GGUF's metadata."""
    import gguf

    fields = gguf.GGUFReader(str(path)).fields
    arch = str(fields["general.architecture"].contents())
    heads = int(fields[f"{arch}.attention.head_count"].contents())
    kv = fields.get(f"{arch}.attention.head_count_kv")
    return {
        "model_type": arch,
        "num_attention_heads": heads,
        "num_key_value_heads": int(kv.contents()) if kv is not None else heads,
        "hidden_size": int(fields[f"{arch}.embedding_length"].contents()),
    }
