"""Entry points shared by the CLI, the web app and the tests: a path or an upload in, a Guide out."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from interviewmate.models.backends.base import LLMBackend
from interviewmate.models.embedder import Embedder
from interviewmate.prepguide.archive import read_upload
from interviewmate.prepguide.build import build_guide
from interviewmate.prepguide.model import Guide, Project
from interviewmate.prepguide.scan import Limits, read_path

if TYPE_CHECKING:
    from interviewmate.config import Settings


def _guide(
    project: Project,
    settings: Settings,
    role: str | None,
    use_llm: bool,
    embedder: Embedder | None,
    backend: LLMBackend | None,
) -> Guide:
    from interviewmate.coaching.roles import resolve_role

    if embedder is None:
        from interviewmate.models.embedder import SentenceEmbedder

        embedder = SentenceEmbedder(settings.embedding_model, settings.model_cache_dir)
    role_value = resolve_role(role, embedder).value if role else None
    if not use_llm:
        return build_guide(project, embedder, None, role_value)
    if backend is not None:  # the caller owns it
        return build_guide(project, embedder, backend, role_value)
    from interviewmate.models.backends import make_backend

    # The shipped LoRA adapter is tuned for writing questions and model answers; on pitches and outlines it
    # invents more than the plain base model, so the prep guide uses the base unless an adapter is named.
    owned = make_backend(settings.model_copy(update={"use_tuned_adapter": False}))
    try:
        return build_guide(project, embedder, owned, role_value)
    finally:
        owned.close()


def guide_from_path(
    path: Path,
    settings: Settings,
    *,
    role: str | None = None,
    use_llm: bool = True,
    embedder: Embedder | None = None,
    backend: LLMBackend | None = None,
    limits: Limits | None = None,
) -> Guide:
    """A project folder, or one README/markdown/notebook file -> Guide. Bad input raises one DataError line."""
    return _guide(read_path(path, limits), settings, role, use_llm, embedder, backend)


def guide_from_upload(
    filename: str,
    data: bytes,
    settings: Settings,
    *,
    role: str | None = None,
    use_llm: bool = True,
    embedder: Embedder | None = None,
    backend: LLMBackend | None = None,
    limits: Limits | None = None,
) -> Guide:
    """An uploaded .zip of a project (read in memory: no path traversal, capped) or a pasted README (.md/.txt)
    -> Guide. Pass an embedder/backend to reuse the app's; otherwise they are built from settings."""
    return _guide(read_upload(filename, data, limits), settings, role, use_llm, embedder, backend)
