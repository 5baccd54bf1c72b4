"""The app's services, built once and lazily: the page that needs a model waits for it, no other page does.

Tests pass `WebServices(backend=FakeBackend(...), embedder=HashingEmbedder())` to create_app; the real app
builds the packaged MiniLM embedder and the configured LLM backend in a background thread a second after
start-up (`warm_up_in_background`), or on first use if a request needs them sooner, so the server answers its
first request at once.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session, sessionmaker

from interviewmate.config import Settings

if TYPE_CHECKING:  # the engine and embedders pull in numpy and the scorers: imported on first use
    from interviewmate.coaching.session import CoachService
    from interviewmate.models.backends.base import LLMBackend
    from interviewmate.models.embedder import Embedder

HASH_SLOTS = 2  # argon2id takes 64 MiB and most of a core per hash: at most this many at once (one per core)
WARM_UP_DELAY_S = 1.0  # let the first pages render before the model imports compete with them for the GIL


@dataclass
class WebServices:
    """Collaborators to use instead of the configured ones (tests); None = build the real one lazily."""

    backend: LLMBackend | None = None
    embedder: Embedder | None = None
    retriever_embedder: Embedder | None = None  # None = the shipped tuned retriever (or `embedder` in tests)
    router: Any = None  # a routing.model.Router; None = the engine loads the shipped one when needed
    scorer: Any = None  # a coaching.session.Scorer; None = the real scorer
    warm_up: bool = False  # load the models in a background thread at start-up
    password_hasher: Any = None  # an argon2 PasswordHasher; None = accounts' default (RFC 9106 low-memory)


class ServiceHub:
    """Holds the one CoachService of the app; thread-safe lazy construction."""

    def __init__(
        self, settings: Settings, session_factory: sessionmaker[Session], overrides: WebServices | None = None
    ) -> None:
        self.settings = settings
        self.session_factory = session_factory
        self._overrides = overrides or WebServices(warm_up=True)
        self._lock = threading.Lock()
        self._coach: CoachService | None = None
        self._asr: Any = None
        self._backend: LLMBackend | None = None
        self._lazy_backend: LLMBackend | None = None
        self.load_error: str | None = None
        # 50 simultaneous log-ins would otherwise ask for 3 GB and starve every other page of CPU
        self.hash_slots = threading.BoundedSemaphore(HASH_SLOTS)
        self.password_hasher = self._overrides.password_hasher

    @property
    def ready(self) -> bool:
        return self._coach is not None

    def coach(self) -> CoachService:
        with self._lock:
            if self._coach is None:
                self._coach = self._build()
            return self._coach

    def _build(self) -> CoachService:
        from interviewmate.coaching.session import CoachService

        o = self._overrides
        backend = o.backend if o.backend is not None else _LazyBackend(self._make_backend)
        self._lazy_backend = backend
        embedder = o.embedder if o.embedder is not None else self._make_embedder()
        extra: dict[str, Any] = {}
        if o.retriever_embedder is not None:
            extra["retriever_embedder"] = o.retriever_embedder
        elif o.embedder is None:  # real models: bullets are ranked by the fine-tuned retriever when it ships
            from interviewmate.retrieval.service import choose_retriever

            extra["retriever_embedder"] = choose_retriever(self.settings).embedder
        if o.scorer is not None:
            extra["scorer"] = o.scorer
        return CoachService(self.session_factory, self.settings, backend, embedder, router=o.router, **extra)

    def _make_backend(self) -> LLMBackend:
        from interviewmate.models.backends.base import make_backend

        self._backend = make_backend(self.settings)
        return self._backend

    def asr_model(self) -> Any:
        """The speech-to-text model, loaded on the first spoken answer and kept (loading takes seconds);
        None when it cannot load, so the speech service raises its own one-line error."""
        with self._lock:
            if self._asr is None:
                try:
                    from interviewmate.speech.asr import load_asr_model

                    s = self.settings
                    self._asr = load_asr_model(s.asr_model, s.model_cache_dir, n_threads=s.n_threads)
                except Exception:  # reported per request by analyze_media, which retries the load
                    return None
            return self._asr

    def _make_embedder(self) -> Embedder:
        from interviewmate.models.embedder import SentenceEmbedder

        return SentenceEmbedder(self.settings.embedding_model, self.settings.model_cache_dir)

    def warm_up_in_background(self) -> threading.Thread | None:
        """Build the services (and so load the embedder) off the request path; errors are kept and shown."""
        if not self._overrides.warm_up:
            return None

        def run() -> None:
            try:
                self.coach()
                if isinstance(self._lazy_backend, _LazyBackend):
                    self._lazy_backend.start()
                # the models are ~10^6 long-lived Python objects: keep them out of the cyclic GC's full
                # collections, whose pauses otherwise land on page requests (p95 under load)
                gc.freeze()
            except Exception as exc:  # shown on the pages that need the models; the app keeps serving
                self.load_error = f"{type(exc).__name__}: {exc}"

        timer = threading.Timer(WARM_UP_DELAY_S, run)
        timer.name, timer.daemon = "interviewmate-warm-up", True
        timer.start()
        return timer

    def close(self) -> None:
        if self._backend is not None:
            self._backend.close()


class _LazyBackend:
    """Starts the LLM backend on the first generation, not when the app starts."""

    name = "lazy"

    def __init__(self, make: Callable[[], LLMBackend]) -> None:
        self._make = make
        self._inner: LLMBackend | None = None
        self._lock = threading.Lock()

    def start(self) -> None:
        self._get()

    def _get(self) -> LLMBackend:
        with self._lock:
            if self._inner is None:
                self._inner = self._make()
            return self._inner

    def generate(self, messages: Any, params: Any) -> str:
        return self._get().generate(messages, params)

    def stream(self, messages: Any, params: Any) -> Any:
        return self._get().stream(messages, params)

    def close(self) -> None:
        if self._inner is not None:
            self._inner.close()
