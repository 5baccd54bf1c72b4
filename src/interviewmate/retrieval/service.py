"""Retrieval as the coach and the CLI use it: pick the encoder, embed a resume's bullets once (stored on the
bullet rows), rank them for a question and a job description."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from sqlalchemy.orm import Session, sessionmaker

from interviewmate.config import Settings
from interviewmate.domain import Bullet, RetrievedBullet
from interviewmate.errors import ConfigError, DataError, ModelUnavailableError
from interviewmate.models.embedder import Embedder
from interviewmate.retrieval.index import BulletIndex
from interviewmate.retrieval.model import RetrieverName, load_retriever
from interviewmate.retrieval.query import build_query
from interviewmate.store.tables import BulletRecord, ResumeRecord

DEFAULT_K = 5
Loader = Callable[[Settings, RetrieverName], Embedder]


@dataclass(frozen=True)
class RetrieverChoice:
    embedder: Embedder
    which: RetrieverName  # the encoder actually loaded
    notes: tuple[str, ...] = ()


def choose_retriever(
    settings: Settings, which: RetrieverName | None = None, loader: Loader | None = None
) -> RetrieverChoice:
    """The encoder to use. Asked for nothing: the tuned one, or the base one with a note when the tuned one is
    not packaged. Asked for one by name: that one, or its error. `loader` defaults to `load_retriever`."""
    loader = loader or load_retriever
    if which is not None:
        return RetrieverChoice(loader(settings, which), which)
    try:
        return RetrieverChoice(loader(settings, "tuned"), "tuned")
    except ModelUnavailableError as exc:
        note = f"using the base retriever (MiniLM without fine-tuning): {exc}"
        return RetrieverChoice(loader(settings, "base"), "base", (note,))


def to_bytes(vector: np.ndarray) -> bytes:
    """One embedding as the bytes stored in `BulletRecord.embedding` (float32, native little-endian)."""
    return np.asarray(vector, dtype="<f4").reshape(-1).tobytes()


def from_bytes(data: bytes) -> np.ndarray:
    if len(data) % 4:
        raise DataError("a stored bullet embedding is damaged (its length is not a multiple of 4 bytes)")
    return np.frombuffer(data, dtype="<f4").astype(np.float32)


def embed_records(records: Sequence[BulletRecord], embedder: Embedder) -> np.ndarray:
    """(len(records), dim) vectors for bullet rows. Rows whose stored embedding is missing or from another
    model are embedded now and the bytes set on the row (the caller commits). Returns the vectors."""
    stale = [r for r in records if r.embedding is None or r.embedding_model != embedder.name]
    if stale:
        fresh = embedder.encode([r.text for r in stale])
        for record, vec in zip(stale, fresh, strict=True):
            record.embedding = to_bytes(vec)
            record.embedding_model = embedder.name
    if not records:
        return np.zeros((0, 0), dtype=np.float32)
    vectors = [from_bytes(r.embedding or b"") for r in records]
    if len({len(v) for v in vectors}) != 1:
        raise DataError("stored bullet embeddings have different lengths; re-embed the resume")
    return np.stack(vectors)


def embed_resume(session_factory: sessionmaker[Session], resume_id: int, embedder: Embedder) -> int:
    """Embed a stored resume's bullets that are not embedded with `embedder` yet; returns how many were."""
    with session_factory() as session:
        resume = session.get(ResumeRecord, resume_id)
        if resume is None:
            raise DataError(f"resume {resume_id} does not exist")
        stale = sum(r.embedding is None or r.embedding_model != embedder.name for r in resume.bullets)
        embed_records(resume.bullets, embedder)
        session.commit()
        return stale


def retrieve(
    question: str,
    jd_text: str | None,
    bullets: Sequence[Bullet],
    embedder: Embedder,
    k: int = DEFAULT_K,
    vectors: np.ndarray | None = None,
) -> list[RetrievedBullet]:
    """The k bullets that best answer `question` for this job, best first, numbered 1..k.
    `vectors` are the bullets' embeddings when already known (from the database); else they are embedded."""
    if k < 1:
        raise ConfigError(f"k must be at least 1 (got {k})")
    if not bullets or not question.strip():
        return []
    vecs = embedder.encode([b.text for b in bullets]) if vectors is None else vectors
    if len(vecs) != len(bullets):
        raise DataError(f"{len(bullets)} bullets but {len(vecs)} embeddings")
    query = embedder.encode([build_query(question, jd_text)])[0]
    index = BulletIndex(vecs.shape[1], capacity=len(bullets))
    index.add(list(range(len(bullets))), vecs, user=0)
    hits = index.search(query, k, user=0)
    return [
        RetrievedBullet(
            text=bullets[h.key].text,
            section=bullets[h.key].section,
            order=bullets[h.key].order,
            score=h.score,
            number=rank,
        )
        for rank, h in enumerate(hits, start=1)
    ]


def retrieve_for_resume(
    session_factory: sessionmaker[Session],
    resume_id: int,
    question: str,
    jd_text: str | None,
    embedder: Embedder,
    k: int = DEFAULT_K,
) -> list[RetrievedBullet]:
    """`retrieve` over a stored resume, reusing (and filling in) the embeddings stored on its bullet rows."""
    with session_factory() as session:
        resume = session.get(ResumeRecord, resume_id)
        if resume is None:
            raise DataError(f"resume {resume_id} does not exist")
        records = list(resume.bullets)
        vectors = embed_records(records, embedder)
        session.commit()
        bullets = [Bullet(r.text, r.section, r.position) for r in records]
    return retrieve(question, jd_text, bullets, embedder, k, vectors=vectors if records else None)
