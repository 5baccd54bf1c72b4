"""A vector index of bullet embeddings: add and remove in place, search one user's bullets or all of them.

One user's search is exact: the user's rows are gathered and scored with one matrix-vector product, so it
costs O(that user's bullets) whatever the index holds (a resume has ~20 bullets). Search over every bullet
is exact too unless the index was built with `ann=True`, which keeps an HNSW graph (usearch) beside the
rows: approximate, sub-linear, for large collections. docs/retrieval.md gives the measured latency and
recall@10 of both.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from interviewmate.errors import DataError

# HNSW settings, chosen on the benchmark (benchmarks/retrieval.py, docs/retrieval.md). The graph holds int8
# copies of the rows (a third of float32's insert CPU in a 10K trial, recall like float16's on 20K); its hits
# are re-scored exactly with the float32 rows.
ANN_DTYPE = "i8"
CONNECTIVITY = 16
EXPANSION_ADD = 64
EXPANSION_SEARCH = 128


@dataclass(frozen=True)
class Hit:
    key: int
    score: float  # cosine (rows and queries are unit length)


class BulletIndex:
    """Unit-length float32 rows by integer key, each owned by one user.

    Rows live in one growing matrix; a removed row's slot is reused by the next add, so neither add nor remove
    rebuilds anything. With `ann=True` an HNSW graph over all rows is kept in step (usearch marks removed keys
    and skips them)."""

    def __init__(
        self,
        dim: int,
        ann: bool = False,
        connectivity: int = CONNECTIVITY,
        expansion_add: int = EXPANSION_ADD,
        expansion_search: int = EXPANSION_SEARCH,
        capacity: int = 64,
    ) -> None:
        self.dim = dim
        self._rows = np.zeros((capacity, dim), dtype=np.float32)
        self._keys = np.full(capacity, -1, dtype=np.int64)  # -1: free slot
        self._slot: dict[int, int] = {}
        self._owner: dict[int, Hashable] = {}
        self._user_slots: dict[Hashable, dict[int, None]] = {}  # insertion-ordered set of slots
        self._user_cache: dict[Hashable, np.ndarray] = {}
        self._free: list[int] = []
        self._used = 0  # slots [0, _used) have been handed out at least once
        self._ann: Any = None
        if ann:
            from usearch.index import Index

            self._ann = Index(
                ndim=dim,
                metric="ip",
                dtype=ANN_DTYPE,
                connectivity=connectivity,
                expansion_add=expansion_add,
                expansion_search=expansion_search,
            )

    def __len__(self) -> int:
        return len(self._slot)

    def __contains__(self, key: int) -> bool:
        return key in self._slot

    def users(self) -> list[Hashable]:
        return list(self._user_slots)

    def add(self, keys: Sequence[int], vectors: np.ndarray, user: Hashable) -> None:
        """Add (or replace) rows for `user`. Vectors must be (len(keys), dim); they are stored L2-normalised."""
        self.add_many(keys, vectors, [user] * len(keys))

    def add_many(
        self, keys: Sequence[int], vectors: np.ndarray, users: Sequence[Hashable], threads: int = 1
    ) -> None:
        """Add (or replace) rows owned by several users at once (bulk loads); `threads` for the HNSW insert."""
        if len(keys) == 0:
            return
        vecs = np.asarray(vectors, dtype=np.float32).reshape(len(keys), -1)
        if vecs.shape[1] != self.dim:
            raise DataError(f"embeddings have {vecs.shape[1]} dimensions, the index holds {self.dim}")
        if len(users) != len(keys):
            raise DataError(f"{len(keys)} keys but {len(users)} owners")
        if len(set(keys)) != len(keys):
            raise DataError("the same bullet key was given twice in one add")
        replaced = [k for k in keys if k in self._slot]
        if replaced:
            self.remove(replaced)
        norms = np.linalg.norm(vecs, axis=1, keepdims=True)
        vecs = vecs / np.maximum(norms, 1e-12)
        slots = self._take_slots(len(keys))
        self._rows[slots] = vecs
        self._keys[slots] = keys
        for key, slot, user in zip(keys, slots.tolist(), users, strict=True):
            self._slot[key] = slot
            self._owner[key] = user
            self._user_slots.setdefault(user, {})[slot] = None
            self._user_cache.pop(user, None)
        if self._ann is not None:
            self._ann.add(np.asarray(keys, dtype=np.uint64), vecs, threads=threads)

    def set_expansion_search(self, expansion: int) -> None:
        """HNSW beam width at query time: higher is slower and closer to exact (no effect without `ann`)."""
        if self._ann is not None:
            self._ann.expansion_search = expansion

    def remove(self, keys: Iterable[int]) -> int:
        """Remove rows by key; unknown keys are ignored. Returns how many were removed."""
        gone = [k for k in keys if k in self._slot]
        for key in gone:
            slot = self._slot.pop(key)
            user = self._owner.pop(key)
            self._user_slots[user].pop(slot)
            if not self._user_slots[user]:
                del self._user_slots[user]
            self._user_cache.pop(user, None)
            self._keys[slot] = -1
            self._rows[slot] = 0.0
            self._free.append(slot)
        if gone and self._ann is not None:
            self._ann.remove(np.asarray(gone, dtype=np.uint64))
        return len(gone)

    def search(self, query: np.ndarray, k: int, user: Hashable | None = None) -> list[Hit]:
        """The k best rows for a unit-length query, best first: only `user`'s rows when a user is given."""
        q = np.asarray(query, dtype=np.float32).reshape(-1)
        if q.shape[0] != self.dim:
            raise DataError(f"the query has {q.shape[0]} dimensions, the index holds {self.dim}")
        if k <= 0 or not self._slot:
            return []
        q = q / max(float(np.linalg.norm(q)), 1e-12)
        if user is not None:
            slots = self._user_rows(user)
            return self._exact(q, slots, k) if len(slots) else []
        if self._ann is not None:
            matches = self._ann.search(q, min(k, len(self._slot)), threads=1)
            slots = np.fromiter((self._slot[int(key)] for key in matches.keys), dtype=np.int64)
            return self._exact(q, slots, k)  # exact float32 scores and order for the graph's hits
        return self._exact(q, None, k)

    def search_exact(self, query: np.ndarray, k: int) -> list[Hit]:
        """Exact search over every row, whatever `ann` says (the benchmark's ground truth)."""
        q = np.asarray(query, dtype=np.float32).reshape(-1)
        q = q / max(float(np.linalg.norm(q)), 1e-12)
        return self._exact(q, None, k)

    def vector(self, key: int) -> np.ndarray:
        return self._rows[self._slot[key]].copy()

    def _exact(self, q: np.ndarray, slots: np.ndarray | None, k: int) -> list[Hit]:
        """Exact top-k over `slots`, or over every live row when `slots` is None (no gather copy)."""
        if slots is None:
            scores = self._rows[: self._used] @ q
            dead = self._keys[: self._used] < 0
            scores[dead] = -np.inf
            n = self._used - int(dead.sum())
            keys = self._keys[: self._used]
        else:
            scores = self._rows[slots] @ q
            n = len(slots)
            keys = self._keys[slots]
        k = min(k, n)
        if k <= 0:
            return []
        if k < len(scores):  # the k best; among rows tied with the k-th, the earliest slots
            kth = np.partition(scores, len(scores) - k)[len(scores) - k]
            above = np.flatnonzero(scores > kth)
            top = np.sort(np.concatenate([above, np.flatnonzero(scores == kth)[: k - len(above)]]))
        else:
            top = np.arange(len(scores))
        top = top[np.argsort(-scores[top], kind="stable")][:k]
        return [Hit(int(keys[i]), float(scores[i])) for i in top]

    def _user_rows(self, user: Hashable) -> np.ndarray:
        cached = self._user_cache.get(user)
        if cached is None:
            cached = np.fromiter(self._user_slots.get(user, {}), dtype=np.int64)
            self._user_cache[user] = cached
        return cached

    def _take_slots(self, n: int) -> np.ndarray:
        reuse = [self._free.pop() for _ in range(min(n, len(self._free)))]
        fresh = n - len(reuse)
        if self._used + fresh > len(self._rows):
            cap = max(len(self._rows) * 2, self._used + fresh)
            rows = np.zeros((cap, self.dim), dtype=np.float32)
            rows[: self._used] = self._rows[: self._used]
            keys = np.full(cap, -1, dtype=np.int64)
            keys[: self._used] = self._keys[: self._used]
            self._rows, self._keys = rows, keys
        new = list(range(self._used, self._used + fresh))
        self._used += fresh
        return np.asarray(reuse + new, dtype=np.int64)
