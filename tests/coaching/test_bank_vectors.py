"""The packaged bank embeddings: present for the current bank, equal to fresh MiniLM encodings, and never
used for another bank or another embedder."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from interviewmate.coaching.scoring_reference import (
    PACKAGED_VECTORS_DIR,
    bank_vectors,
    bank_vectors_file,
)
from interviewmate.data.corpus import load_bank
from interviewmate.models.embedder import HashingEmbedder


def test_packaged_vectors_match_the_current_bank() -> None:
    bank = load_bank()
    path = PACKAGED_VECTORS_DIR / bank_vectors_file(bank, "all-minilm-l6-v2")
    assert path.is_file(), (
        "the bank changed: refresh the packaged vectors with python -c "
        '"from interviewmate.coaching.scoring_reference import refresh_packaged_bank_vectors as r; r()"'
    )
    vectors = np.load(path)
    assert vectors.shape == (len(bank), 384) and vectors.dtype == np.float16


def test_another_embedder_or_bank_does_not_read_the_packaged_copy(tmp_path: Path) -> None:
    bank = load_bank()[:5]
    out = bank_vectors(bank, HashingEmbedder(), tmp_path)
    assert out.shape == (5, 512)  # HashingEmbedder's own vectors, written to the cache dir
    assert list(tmp_path.glob("bank-questions-hashing-512-*.npy"))


@pytest.mark.slow
def test_packaged_vectors_equal_fresh_minilm_encodings(shared_model_cache: Path) -> None:
    from interviewmate.models.embedder import SentenceEmbedder

    bank = load_bank()
    embedder = SentenceEmbedder("all-minilm-l6-v2", shared_model_cache)
    shipped = bank_vectors(bank, embedder, None)
    rows = list(range(0, len(bank), 80))
    fresh = embedder.encode([bank[i].question for i in rows])
    assert np.abs(shipped[rows] - fresh).max() < 2e-3
