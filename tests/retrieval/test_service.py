from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from interviewmate.config import Settings
from interviewmate.domain import Bullet
from interviewmate.errors import ConfigError, ModelUnavailableError
from interviewmate.models.embedder import Embedder, HashingEmbedder
from interviewmate.retrieval.model import RetrieverName
from interviewmate.retrieval.query import build_query
from interviewmate.retrieval.service import (
    choose_retriever,
    embed_records,
    embed_resume,
    from_bytes,
    retrieve,
    retrieve_for_resume,
    to_bytes,
)
from interviewmate.store import create_db_engine, make_session_factory, upgrade
from interviewmate.store.tables import BulletRecord, ResumeRecord, User

BULLETS = [
    Bullet("Organised the team offsite and the quarterly hackathon", "Experience", 0),
    Bullet(
        "Added a composite PostgreSQL index that cut invoice query p95 from 1.4 s to 90 ms", "Experience", 1
    ),
    Bullet("Wrote Jest integration tests for the billing module, lifting coverage to 73%", "Experience", 2),
    Bullet("Tuned PostgreSQL queries with EXPLAIN ANALYZE and an index on the slow join", "Projects", 3),
]
JD = "Backend engineer. You will own PostgreSQL performance for our billing APIs."


class CountingEmbedder(HashingEmbedder):
    def __init__(self) -> None:
        super().__init__()
        self.seen: list[str] = []

    def encode(self, texts):  # type: ignore[no-untyped-def]
        self.seen.extend(texts)
        return super().encode(texts)


def test_retrieve_ranks_best_first_and_numbers_from_one() -> None:
    hits = retrieve(
        "How did you speed up a slow PostgreSQL query with an index?", JD, BULLETS, HashingEmbedder(), 3
    )
    assert [h.number for h in hits] == [1, 2, 3]
    assert {hits[0].order, hits[1].order} == {1, 3}  # the two PostgreSQL bullets lead
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    # scores are the cosine between the query and each bullet
    emb = HashingEmbedder()
    q = emb.encode([build_query("How did you speed up a slow PostgreSQL query with an index?", JD)])[0]
    assert hits[0].score == pytest.approx(float(emb.encode([hits[0].text])[0] @ q), abs=1e-5)


def test_retrieve_edge_cases() -> None:
    assert retrieve("Anything?", JD, [], HashingEmbedder()) == []
    assert len(retrieve("Tell me about testing", None, BULLETS, HashingEmbedder(), k=10)) == 4
    with pytest.raises(ConfigError):
        retrieve("Q?", JD, BULLETS, HashingEmbedder(), k=0)


def test_bytes_round_trip() -> None:
    v = np.array([0.5, -0.25, 1e-3], dtype=np.float32)
    assert np.array_equal(from_bytes(to_bytes(v)), v) and len(to_bytes(v)) == 12


def test_stored_embeddings_are_reused_and_refreshed_for_another_model(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'r.db'}"
    upgrade(url)
    factory = make_session_factory(create_db_engine(url))
    with factory() as s:
        user = User(email="a@example.com", password_hash="x")
        resume = ResumeRecord(filename="cv.txt", raw_text="...")
        resume.bullets = [BulletRecord(position=b.order, section=b.section, text=b.text) for b in BULLETS]
        s.add(user)
        s.flush()
        resume.user_id = user.id
        s.add(resume)
        s.commit()
        resume_id = resume.id

    emb = CountingEmbedder()
    assert embed_resume(factory, resume_id, emb) == 4
    with factory() as s:
        rows = s.query(BulletRecord).order_by(BulletRecord.position).all()
        assert all(r.embedding_model == emb.name and len(r.embedding or b"") == 4 * emb.dim for r in rows)
        assert np.allclose(from_bytes(rows[1].embedding or b""), emb.encode([BULLETS[1].text])[0])
    emb.seen.clear()
    hits = retrieve_for_resume(factory, resume_id, "How did you speed up a PostgreSQL query?", JD, emb, k=2)
    assert len(emb.seen) == 1 and emb.seen[0].startswith("How did you")  # only the query was embedded
    assert hits == retrieve("How did you speed up a PostgreSQL query?", JD, BULLETS, HashingEmbedder(), 2)

    other = HashingEmbedder(dim=64)
    assert embed_resume(factory, resume_id, other) == 4  # another model: every row is re-embedded
    assert embed_resume(factory, resume_id, other) == 0


def test_embed_records_without_a_database() -> None:
    rows = [BulletRecord(position=0, section="s", text="Built a Kafka consumer")]
    vecs = embed_records(rows, HashingEmbedder(dim=32))
    assert vecs.shape == (1, 32) and rows[0].embedding_model == "hashing-32"


def _loader(tuned_packaged: bool):  # type: ignore[no-untyped-def]
    calls: list[str] = []

    def load(settings: Settings, which: RetrieverName) -> Embedder:
        calls.append(which)
        if which == "tuned" and not tuned_packaged:
            raise ModelUnavailableError("the fine-tuned retriever is not packaged yet; use --model base")
        emb = HashingEmbedder()
        emb.name = which
        return emb

    return load, calls


def test_tuned_by_default_with_a_note_when_falling_back_to_base() -> None:
    load, calls = _loader(tuned_packaged=False)
    choice = choose_retriever(Settings(), None, loader=load)
    assert (choice.which, choice.embedder.name, calls) == ("base", "base", ["tuned", "base"])
    assert (
        len(choice.notes) == 1 and "base retriever" in choice.notes[0] and "not packaged" in choice.notes[0]
    )

    load, calls = _loader(tuned_packaged=True)
    choice = choose_retriever(Settings(), None, loader=load)
    assert (choice.which, choice.notes, calls) == ("tuned", (), ["tuned"])


def test_asking_for_tuned_by_name_does_not_fall_back() -> None:
    load, _ = _loader(tuned_packaged=False)
    with pytest.raises(ModelUnavailableError):
        choose_retriever(Settings(), "tuned", loader=load)
    assert choose_retriever(Settings(), "base", loader=load).which == "base"


def test_equal_scores_keep_resume_order() -> None:
    same = [Bullet("Led the data platform team", "Experience", i) for i in range(6)]
    hits = retrieve("Which team did you lead?", None, same, HashingEmbedder(), k=3)
    assert [h.order for h in hits] == [0, 1, 2]
