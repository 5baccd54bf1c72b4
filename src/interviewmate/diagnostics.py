"""`interviewmate doctor`: check every component the app needs and say what to fix."""

from __future__ import annotations

import time
from collections.abc import Callable
from importlib.metadata import PackageNotFoundError, version

from interviewmate.config import Settings
from interviewmate.domain import ChatMessage, ComponentCheck, GenerationParams
from interviewmate.errors import InterviewMateError
from interviewmate.models.registry import REGISTRY, locate_weights

# (pip name, why it matters); versions are pinned in pyproject.toml
CORE_PACKAGES = (
    ("torch", "tensors, training"),
    ("transformers", "LLM training and the transformers backend"),
    ("peft", "LoRA adapters"),
    ("sentence-transformers", "embeddings, retrieval"),
    ("xllamacpp", "fast llama.cpp backend"),
    ("faster-whisper", "speech to text"),
    ("gguf", "reading GGUF weights"),
    ("sqlalchemy", "database"),
    ("alembic", "database migrations"),
    ("fastapi", "web app"),
)


def _check(name: str, required: bool, fn: Callable[[], str]) -> ComponentCheck:
    try:
        return ComponentCheck(name, True, fn(), required)
    except InterviewMateError as exc:
        return ComponentCheck(name, False, str(exc), required)
    except Exception as exc:  # doctor reports, it never crashes
        return ComponentCheck(name, False, f"{type(exc).__name__}: {exc}", required)


def check_packages() -> list[ComponentCheck]:
    out = []
    for pkg, why in CORE_PACKAGES:

        def probe(pkg: str = pkg, why: str = why) -> str:
            try:
                return f"{version(pkg)} ({why})"
            except PackageNotFoundError:
                raise InterviewMateError(f"not installed: run `pip install -e .` ({why})") from None

        out.append(_check(f"package:{pkg}", True, probe))
    return out


def check_models(settings: Settings) -> list[ComponentCheck]:
    out = []
    for spec in REGISTRY.values():
        required = spec.default or spec.name in (
            settings.llm_model,
            settings.embedding_model,
            settings.asr_model,
        )

        def probe(name: str = spec.name) -> str:
            path = locate_weights(name, settings.model_cache_dir)
            return f"sha256 ok: {path.name}"

        check = _check(f"model:{spec.name}", required, probe)
        if not check.ok and not required:
            check = ComponentCheck(check.name, False, f"optional: {check.detail}", False)
        out.append(check)
    return out


def check_tuned_models(settings: Settings) -> list[ComponentCheck]:
    """The fine-tuned adapters that ship in the package (no training step needed)."""
    from interviewmate.models.adapters import packaged_adapter
    from interviewmate.routing.service import PACKAGED_ROUTER

    def generator() -> str:
        adapter = packaged_adapter(settings.llm_model)
        if adapter is None:
            return f"none ships for {settings.llm_model}: the base model is used"
        if not adapter.gguf.exists():
            raise InterviewMateError(f"{adapter.gguf} is missing: reinstall the package")
        return f"{adapter.peft_dir.name} (PEFT + GGUF LoRA){'' if settings.use_tuned_adapter else ', switched off'}"

    def router() -> str:
        if not (PACKAGED_ROUTER / "heads.safetensors").exists():
            raise InterviewMateError(f"no router at {PACKAGED_ROUTER}: run `interviewmate train router`")
        return "router LoRA + heads present"

    def retriever() -> str:
        from interviewmate.retrieval.model import PACKAGED_RETRIEVER, has_adapter

        if not has_adapter(PACKAGED_RETRIEVER):
            raise InterviewMateError(f"no retriever at {PACKAGED_RETRIEVER}: the base MiniLM is used")
        return "retriever LoRA present (MiniLM + adapter)"

    return [
        _check("tuned:generator", True, generator),
        _check("tuned:router", True, router),
        _check("tuned:retriever", False, retriever),
    ]


def check_llm_backend(settings: Settings) -> ComponentCheck:
    def probe() -> str:
        from interviewmate.models.backends import make_backend

        start = time.perf_counter()
        backend = make_backend(settings)
        try:
            text = backend.generate([ChatMessage("user", "Say OK.")], GenerationParams(max_tokens=1))
        finally:
            backend.close()
        took = time.perf_counter() - start
        return f"{settings.llm_backend} / {settings.llm_model}: one token {text!r} in {took:.1f}s"

    return _check(f"llm:{settings.llm_backend}", True, probe)


def check_database(settings: Settings) -> ComponentCheck:
    def probe() -> str:
        from sqlalchemy.engine import make_url

        from interviewmate.store import create_db_engine, current_revision, upgrade
        from interviewmate.store.migrate import head_revision

        url = settings.resolved_database_url
        engine = create_db_engine(url)
        try:
            before = current_revision(engine)
            upgrade(url)
            after = current_revision(engine)
        finally:
            engine.dispose()
        if after != head_revision():
            raise InterviewMateError(f"database at revision {after}, expected {head_revision()}")
        shown = make_url(url).render_as_string(hide_password=True)
        note = "" if before == after else f" (migrated from {before or 'empty'})"
        return f"{shown} at revision {after}{note}"

    return _check("database", True, probe)


def check_gpu() -> ComponentCheck:
    def probe() -> str:
        import torch

        if torch.cuda.is_available():
            return f"{torch.cuda.device_count()} x {torch.cuda.get_device_name(0)}"
        return "no GPU: training and generation run on the CPU"

    return _check("gpu", False, probe)


def run_checks(settings: Settings, with_llm: bool = True) -> list[ComponentCheck]:
    settings.ensure_dirs()
    checks = [
        *check_packages(),
        *check_models(settings),
        *check_tuned_models(settings),
        check_database(settings),
        check_gpu(),
    ]
    if with_llm:
        checks.insert(len(checks) - 2, check_llm_backend(settings))
    return checks
