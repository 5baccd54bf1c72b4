"""Merge a GGUF LoRA adapter into its base GGUF once, so llama.cpp serves the tuned model at base-model speed.

llama.cpp applies a runtime LoRA as two extra small matmuls per adapted projection and token (7 per layer here),
which cost the SmolLM2 generator about a quarter of its decode speed on CPU. Merging W' = W + scale * B @ A once
removes that cost. The adapter's tensors are already in llama.cpp's layout (q/k rows permuted by `gguf_lora.py`),
so B @ A adds to the GGUF weight as stored.

Why the merged projections are stored as F16 and not re-quantized to the base's own type (measured on the
packaged Q4_1 SmolLM2 and its adapter): the adapter's deltas (rms 1-2e-3) are small next to Q4_1's rounding
steps, so re-quantizing W + delta to Q4_1 kept only ~6% of the delta (its projection onto it) and added rounding
error larger than the delta: the tuning is lost. Q8_0 keeps the delta, but its rounding of W moved next-token
log-probs up to 0.34 nats away from transformers + PEFT (the model that was trained and evaluated); F16 stays
within 0.10 nats, closer than llama.cpp's runtime LoRA (0.16), and decoded no slower than the Q4_1 base on the
2-core CPU (benchmarks/RESULTS.md). The price is disk and RAM: 244 MB instead of 98 MB. Every other tensor and
all metadata are copied unchanged.

The merged file is cached under the model cache dir, named by a hash of the base's and the adapter's bytes, so a
new adapter or base gets a new file and an unchanged pair is merged once.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

import numpy as np

from interviewmate.errors import ModelUnavailableError
from interviewmate.models.gguf_lora import gguf_file_writer

MERGE_FORMAT = 1  # bump when the merge changes, so cached files are rebuilt
_CHUNK = 1 << 20


def merged_gguf(base: Path, lora: Path, cache_dir: Path, isolate: bool = True) -> Path:
    """The cached merge of `lora` into `base`, built first if this pair has not been merged before.
    `isolate` builds it in a child process: the writer holds every merged tensor in memory (~0.5 GB at peak),
    which a long-running server should not keep as its high-water mark."""
    out = Path(cache_dir) / f"{Path(base).stem}+{Path(lora).stem}-{merge_key(base, lora)}.gguf"
    if not out.is_file():
        if isolate:
            _merge_in_child(Path(base), Path(lora), out)
        else:
            merge_lora_into_gguf(base, lora, out)
    return out


def _merge_in_child(base: Path, lora: Path, out: Path) -> None:
    import subprocess
    import sys

    package_root = str(Path(__file__).resolve().parents[2])  # the folder holding `interviewmate`
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, env.get("PYTHONPATH", "")) if p)
    cmd = [sys.executable, "-m", "interviewmate.models.gguf_merge", str(base), str(lora), str(out)]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0 or not out.is_file():
        lines = (done.stderr or "").strip().splitlines()
        raise ModelUnavailableError(lines[-1] if lines else f"merging {lora.name} into {base.name} failed")


def merge_key(base: Path, lora: Path) -> str:
    digest = hashlib.sha256(f"merge-v{MERGE_FORMAT}".encode())
    for path in (base, lora):
        with Path(path).open("rb") as fh:
            while block := fh.read(_CHUNK):
                digest.update(block)
        digest.update(b"\0")
    return digest.hexdigest()[:16]


def lora_deltas(lora: Path) -> dict[str, np.ndarray]:
    """{base tensor name: scale * B @ A} of a llama.cpp GGUF LoRA adapter (float32, the weight's (out, in))."""
    import gguf

    reader = gguf.GGUFReader(str(lora))
    fields = reader.fields
    kind = fields.get(gguf.Keys.Adapter.TYPE)
    if kind is None or str(kind.contents()) != "lora":
        raise ModelUnavailableError(f"{lora} is not a GGUF LoRA adapter (adapter.type is not 'lora')")
    alpha_field = fields.get(gguf.Keys.Adapter.LORA_ALPHA)
    alpha = float(alpha_field.contents()) if alpha_field is not None else 0.0
    parts: dict[str, dict[str, np.ndarray]] = {}
    for t in reader.tensors:
        base_name, _, side = t.name.rpartition(".")
        if side not in ("lora_a", "lora_b"):
            raise ModelUnavailableError(f"{lora}: tensor '{t.name}' is not a LoRA A or B matrix")
        parts.setdefault(base_name, {})[side] = _as_float(t)
    deltas = {}
    for name, pair in parts.items():
        if set(pair) != {"lora_a", "lora_b"}:
            raise ModelUnavailableError(f"{lora}: {name} has only {', '.join(pair)}")
        a, b = pair["lora_a"], pair["lora_b"]  # (r, in), (out, r)
        rank = a.shape[0]
        scale = alpha / rank if alpha else 1.0  # llama.cpp: alpha / rank, or 1 without an alpha
        deltas[name] = (b @ a) * np.float32(scale)
    return deltas


def merge_lora_into_gguf(base: Path, lora: Path, out: Path, merged_type: Any = None) -> Path:
    """Write base + LoRA as one GGUF at `out`: adapted projections as `merged_type` (default F16), everything
    else byte for byte."""
    import gguf

    qtype = merged_type if merged_type is not None else gguf.GGMLQuantizationType.F16

    reader = gguf.GGUFReader(str(base))
    arch = str(reader.fields[gguf.Keys.General.ARCHITECTURE].contents())
    lora_arch = gguf.GGUFReader(str(lora)).fields.get(gguf.Keys.General.ARCHITECTURE)
    if lora_arch is not None and str(lora_arch.contents()) != arch:
        raise ModelUnavailableError(
            f"{lora} is an adapter for '{lora_arch.contents()}', not for {base.name} ('{arch}')"
        )
    deltas = lora_deltas(lora)
    tensors = {t.name: t for t in reader.tensors}
    missing = sorted(set(deltas) - set(tensors))
    if missing:
        raise ModelUnavailableError(f"{lora} adapts {missing[0]}, which {base.name} does not have")

    out = Path(out)
    with gguf_file_writer(out, arch) as writer:  # a half-written merge never sits at out
        for field in reader.fields.values():
            if field.name == gguf.Keys.General.ARCHITECTURE or field.name.startswith("GGUF."):
                continue  # written by GGUFWriter itself
            val_type = field.types[0]
            sub_type = field.types[-1] if val_type == gguf.GGUFValueType.ARRAY else None
            writer.add_key_value(field.name, field.contents(), val_type, sub_type=sub_type)
        for t in reader.tensors:
            if t.name in deltas:
                weight = gguf.quants.dequantize(t.data, t.tensor_type)
                delta = deltas[t.name]
                if weight.shape != delta.shape:
                    raise ModelUnavailableError(
                        f"{lora}: the delta of {t.name} is {delta.shape}, the weight {weight.shape}: "
                        "the adapter was made for another base model"
                    )
                merged = gguf.quants.quantize(weight + delta, qtype)
                writer.add_tensor(t.name, merged, raw_dtype=qtype)
            else:
                writer.add_tensor(t.name, t.data, raw_dtype=t.tensor_type)
    return out


def _as_float(t: Any) -> np.ndarray:
    import gguf

    return np.asarray(gguf.quants.dequantize(t.data, t.tensor_type), dtype=np.float32)


if __name__ == "__main__":  # the child process of merged_gguf: BASE LORA OUT
    import sys

    try:
        merge_lora_into_gguf(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]))
    except ModelUnavailableError as exc:
        print(exc, file=sys.stderr)
        sys.exit(2)
