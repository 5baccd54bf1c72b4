from __future__ import annotations

import numpy as np
import pytest

from interviewmate.errors import DataError
from interviewmate.retrieval.index import BulletIndex


def _unit(rng: np.random.Generator, n: int, dim: int = 16) -> np.ndarray:
    v = rng.normal(size=(n, dim)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def _brute(vecs: np.ndarray, keys: list[int], q: np.ndarray, k: int) -> list[int]:
    order = np.argsort(-(vecs @ q), kind="stable")[:k]
    return [keys[i] for i in order]


@pytest.mark.parametrize("ann", [False, True])
def test_user_filter_add_and_remove_match_brute_force(ann: bool) -> None:
    rng = np.random.default_rng(1)
    a, b = _unit(rng, 30), _unit(rng, 30)
    ix = BulletIndex(16, ann=ann)
    ix.add(list(range(30)), a, user="alice")
    ix.add(list(range(100, 130)), b, user="bob")
    q = _unit(rng, 1)[0]
    hits = ix.search(q, 5, user="alice")
    assert [h.key for h in hits] == _brute(a, list(range(30)), q, 5)
    assert np.allclose([h.score for h in hits], np.sort(a @ q)[::-1][:5], atol=1e-5)
    assert all(h.key >= 100 for h in ix.search(q, 50, user="bob")) and len(ix.search(q, 50, user="bob")) == 30

    best = hits[0].key
    assert ix.remove([best, 999]) == 1 and best not in ix and len(ix) == 59
    keep = [k for k in range(30) if k != best]
    assert [h.key for h in ix.search(q, 5, user="alice")] == _brute(a[keep], keep, q, 5)
    assert best not in [h.key for h in ix.search(q, 59)]  # the unfiltered path forgets it too

    # a new bullet reuses the freed slot and is found at once, with no rebuild
    ix.add([500], q[None, :], user="alice")
    assert ix.search(q, 1, user="alice")[0].key == 500
    assert ix.search(q, 1)[0].key == 500


def test_unfiltered_ann_agrees_with_exact_on_a_small_set() -> None:
    rng = np.random.default_rng(2)
    vecs = _unit(rng, 300)
    ix = BulletIndex(16, ann=True)
    ix.add(list(range(300)), vecs, user=0)
    overlap = []
    for q in _unit(rng, 20):
        ann, exact = ix.search(q, 10), ix.search_exact(q, 10)
        assert ann[0] == exact[0]  # same best hit, same exact score (the graph's hits are re-scored)
        assert [h.score for h in ann] == sorted((h.score for h in ann), reverse=True)
        overlap.append(len({h.key for h in ann} & {h.key for h in exact}) / 10)
    assert np.mean(overlap) >= 0.9, overlap


def test_replacing_a_key_moves_it_to_the_new_user_and_vector() -> None:
    rng = np.random.default_rng(3)
    v = _unit(rng, 3)
    ix = BulletIndex(16)
    ix.add([1, 2], v[:2], user="a")
    ix.add([2], v[2:], user="b")
    assert len(ix) == 2 and [h.key for h in ix.search(v[2], 5, user="b")] == [2]
    assert [h.key for h in ix.search(v[2], 5, user="a")] == [1]
    assert np.allclose(ix.vector(2), v[2])


def test_empty_unknown_user_and_bad_shapes() -> None:
    ix = BulletIndex(4)
    assert ix.search(np.ones(4), 3) == []
    ix.add([1], np.ones((1, 4)), user="a")
    assert ix.search(np.ones(4), 3, user="nobody") == []
    assert ix.search(np.ones(4), 0) == []
    with pytest.raises(DataError):
        ix.add([2], np.ones((1, 5)), user="a")
    with pytest.raises(DataError):
        ix.search(np.ones(3), 1)
    with pytest.raises(DataError):
        ix.add([3, 3], np.ones((2, 4)), user="a")
    ix.remove([1])
    assert ix.users() == [] and ix.search(np.ones(4), 3) == []


def test_capacity_grows_past_the_initial_size() -> None:
    rng = np.random.default_rng(4)
    vecs = _unit(rng, 200)
    ix = BulletIndex(16, capacity=8)
    for start in range(0, 200, 25):
        ix.add(list(range(start, start + 25)), vecs[start : start + 25], user=start % 2)
    assert len(ix) == 200
    q = vecs[123]
    assert ix.search(q, 1)[0].key == 123 and ix.search(q, 1, user=1)[0].key != 123  # 123 belongs to user 0
