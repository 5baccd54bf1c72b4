"""Fine-tuned adapters that ship with the package, so the app uses the tuned models with no training step."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).parent

# base model (registry name) -> folder holding its tuned generator adapter
GENERATOR_ADAPTERS = {"smollm2-135m-instruct": HERE / "generator-smollm2"}


@dataclass(frozen=True)
class PackagedAdapter:
    peft_dir: Path  # adapter_config.json + adapter_model.safetensors (transformers + PEFT)
    gguf: Path  # the same adapter as a llama.cpp GGUF LoRA


def packaged_adapter(base_model: str) -> PackagedAdapter | None:
    folder = GENERATOR_ADAPTERS.get(base_model)
    if folder is None or not (folder / "adapter_model.safetensors").exists():
        return None
    return PackagedAdapter(folder, folder / "adapter.gguf")
