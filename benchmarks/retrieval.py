"""Bullet index latency and recall on synthetic data: random 384-d unit vectors, 20 bullets per user.

For each size: build the index (HNSW kept beside the rows), then time
  * one user's top-10 (the product path: exact over that user's rows),
  * top-10 over every bullet, exact (numpy) and HNSW at several beam widths, with recall@10 against exact,
  * adding a new user's 20 bullets and removing them again (no rebuild).
Queries are random unit vectors, one at a time, single-threaded search. Peak RSS is recorded.

    nice -n 10 python benchmarks/retrieval.py --sizes 10000 1000000 --write

`--threshold-study` instead measures the grounding threshold's two sides with the base MiniLM on the packaged
resumes: the cosine between a claim that retells a bullet (the bullet in the first person, cut to its first
clause) and that bullet, against the highest cosine between the same claim and the bullets of every other
resume of the same role.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import peak_rss_mb, write_section

from interviewmate.retrieval.index import (
    ANN_DTYPE,
    CONNECTIVITY,
    EXPANSION_ADD,
    EXPANSION_SEARCH,
    BulletIndex,
)

DIM = 384
PER_USER = 20
CHUNK = 50_000
K = 10


def unit_vectors(seed: int, start: int, n: int) -> np.ndarray:
    """The same rows every time for the same (seed, start): the ground truth regenerates them."""
    v = np.random.default_rng([seed, start]).standard_normal((n, DIM), dtype=np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def build(n: int, seed: int, threads: int) -> tuple[BulletIndex, float]:
    index = BulletIndex(DIM, ann=True, capacity=n)
    t0 = time.perf_counter()
    for start in range(0, n, CHUNK):
        m = min(CHUNK, n - start)
        keys = list(range(start, start + m))
        index.add_many(keys, unit_vectors(seed, start, m), [k // PER_USER for k in keys], threads=threads)
    return index, time.perf_counter() - t0


def exact_top(queries: np.ndarray, n: int, seed: int) -> np.ndarray:
    """(len(queries), K) keys of the exact top-K over all n rows, computed chunk by chunk."""
    best_s = np.full((len(queries), K), -np.inf, dtype=np.float32)
    best_k = np.zeros((len(queries), K), dtype=np.int64)
    for start in range(0, n, CHUNK):
        m = min(CHUNK, n - start)
        scores = queries @ unit_vectors(seed, start, m).T
        s = np.concatenate([best_s, scores], axis=1)
        k = np.concatenate([best_k, np.broadcast_to(np.arange(start, start + m), scores.shape)], axis=1)
        top = np.argpartition(-s, K - 1, axis=1)[:, :K]  # the set is what recall needs
        best_s, best_k = np.take_along_axis(s, top, 1), np.take_along_axis(k, top, 1)
    return best_k


def ms(times: list[float]) -> tuple[float, float]:
    return float(np.percentile(times, 50) * 1e3), float(np.percentile(times, 95) * 1e3)


def timed(fn, *args):  # type: ignore[no-untyped-def]
    t = time.perf_counter()
    out = fn(*args)
    return out, time.perf_counter() - t


def run(n: int, seed: int, queries: int, exact_queries: int, widths: list[int], threads: int) -> dict:  # type: ignore[type-arg]
    index, build_s = build(n, seed, threads)
    rng = np.random.default_rng(seed + 1)
    qs = unit_vectors(seed + 2, 0, queries)
    users = rng.integers(0, n // PER_USER, size=queries)
    filtered = [timed(index.search, q, K, int(u))[1] for q, u in zip(qs, users, strict=True)]
    exact = [timed(index.search_exact, q, K)[1] for q in qs[:exact_queries]]
    truth = exact_top(qs, n, seed)
    sweep = []
    for width in widths:
        index.set_expansion_search(width)
        times, recall = [], []
        for q, gold in zip(qs, truth, strict=True):
            hits, dt = timed(index.search, q, K)
            times.append(dt)
            recall.append(len({h.key for h in hits} & set(gold.tolist())) / K)
        sweep.append((width, *ms(times), float(np.mean(recall))))
    index.set_expansion_search(EXPANSION_SEARCH)
    adds, removes = [], []
    for i in range(100):
        keys = list(range(n + i * PER_USER, n + (i + 1) * PER_USER))
        vecs = unit_vectors(seed + 3, i, PER_USER)
        adds.append(timed(index.add, keys, vecs, f"new-{i}")[1])
        removes.append(timed(index.remove, keys)[1])
    return {
        "n": n,
        "build_s": build_s,
        "filtered": ms(filtered),
        "exact": ms(exact),
        "sweep": sweep,
        "add": ms(adds),
        "remove": ms(removes),
        "rss_mb": peak_rss_mb(),
    }


def render(results: list[dict], queries: int, exact_queries: int, load: tuple[float, ...]) -> str:  # type: ignore[type-arg]
    lines = [
        f"Random {DIM}-d unit vectors, {PER_USER} bullets per user; usearch HNSW ({ANN_DTYPE} graph, "
        f"connectivity {CONNECTIVITY}, expansion_add {EXPANSION_ADD}; hits re-scored with float32), "
        f"default expansion_search {EXPANSION_SEARCH}. {queries} random queries per row "
        f"({exact_queries} for exact over everything), one at a time, top-{K}. "
        f"Load average when the run started: {load[0]:.1f} (the machine's 2 cores are shared, so these "
        "latencies are upper bounds).",
        "",
        "| bullets | build s | one user's top-10, exact: p50 / p95 ms | all bullets, exact: p50 / p95 ms "
        "| add 20 / remove 20: p50 ms | peak RSS MB |",
        "|---|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(
            f"| {r['n']:,} | {r['build_s']:.0f} | {r['filtered'][0]:.3f} / {r['filtered'][1]:.3f} "
            f"| {r['exact'][0]:.1f} / {r['exact'][1]:.1f} | {r['add'][0]:.2f} / {r['remove'][0]:.2f} "
            f"| {r['rss_mb']:.0f} |"
        )
    lines += ["", "HNSW over all bullets (no user filter), recall@10 against exact:", ""]
    lines += ["| bullets | expansion_search | p50 ms | p95 ms | recall@10 |", "|---|---|---|---|---|"]
    for r in results:
        for width, p50, p95, recall in r["sweep"]:
            lines.append(f"| {r['n']:,} | {width} | {p50:.3f} | {p95:.3f} | {recall:.3f} |")
    return "\n".join(lines)


def threshold_study() -> str:
    import json

    from interviewmate.coaching.sample_answer import first_person
    from interviewmate.config import Settings
    from interviewmate.data import CORPUS_DIR
    from interviewmate.retrieval.grounding import DEFAULT_THRESHOLD
    from interviewmate.retrieval.model import load_retriever

    resumes = [json.loads(x) for x in (CORPUS_DIR / "resumes/resumes.jsonl").read_text().splitlines()]
    rows = []  # (resume id, role, bullet text)
    for r in resumes:
        for part in (*r["experience"], *r.get("projects", [])):
            rows += [(r["id"], r["role"], b["text"]) for b in part["bullets"]]
    claims = [first_person(text).split(",")[0] + "." for _, _, text in rows]
    embedder = load_retriever(Settings(), "base")
    b = embedder.encode([t for _, _, t in rows])
    c = embedder.encode(claims)
    own = np.einsum("ij,ij->i", b, c)
    sims = c @ b.T
    ids = np.array([rid for rid, _, _ in rows])
    roles = np.array([role for _, role, _ in rows])
    other = np.array(
        [sims[i][(roles == roles[i]) & (ids != ids[i])].max() for i in range(len(rows))], dtype=np.float32
    )
    pct = [5, 25, 50, 75, 95]
    head = "| pair | " + " | ".join(f"p{p}" for p in pct) + " |"
    lines = [
        f"{len(rows)} bullets from {len(resumes)} resumes, base MiniLM ({embedder.name}). Claim = the bullet in "
        "the first person, cut at its first comma.",
        "",
        head,
        "|---" * (len(pct) + 1) + "|",
        "| claim vs its own bullet | " + " | ".join(f"{np.percentile(own, p):.2f}" for p in pct) + " |",
        "| claim vs best bullet of another resume, same role | "
        + " | ".join(f"{np.percentile(other, p):.2f}" for p in pct)
        + " |",
        "",
        "| threshold | retellings that reach it | other resumes' closest bullets that reach it |",
        "|---|---|---|",
    ]
    for t in (0.40, 0.45, 0.50, 0.55, 0.60):
        mark = " (default)" if abs(t - DEFAULT_THRESHOLD) < 1e-9 else ""
        lines.append(f"| {t:.2f}{mark} | {np.mean(own >= t):.1%} | {np.mean(other >= t):.1%} |")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 1_000_000])
    ap.add_argument("--queries", type=int, default=300)
    ap.add_argument("--exact-queries", type=int, default=20)
    ap.add_argument("--widths", type=int, nargs="+", default=[64, 128, 256, 512, 1024])
    ap.add_argument("--threads", type=int, default=2, help="threads for the HNSW build")
    ap.add_argument("--seed", type=int, default=20261122)
    ap.add_argument("--write", action="store_true", help="rewrite the section in benchmarks/RESULTS.md")
    ap.add_argument("--threshold-study", action="store_true", help="measure the grounding threshold instead")
    args = ap.parse_args()
    if args.threshold_study:
        body = threshold_study()
        print(body)
        if args.write:
            command = "nice -n 10 python benchmarks/retrieval.py --threshold-study --write"
            write_section("Grounding threshold (MiniLM)", command, body)
        return
    load = os.getloadavg()
    results = []
    for n in args.sizes:
        results.append(run(n, args.seed, args.queries, args.exact_queries, args.widths, args.threads))
        print(f"{n:,} bullets done: {results[-1]}", flush=True)
    body = render(results, args.queries, args.exact_queries, load)
    print(body)
    if args.write:
        command = (
            "nice -n 10 python benchmarks/retrieval.py --sizes " + " ".join(map(str, args.sizes)) + " --write"
        )
        write_section("Retrieval index (CPU)", command, body)


if __name__ == "__main__":
    main()
