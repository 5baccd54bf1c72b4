"""Generation speed on this machine: transformers (fp32, + PEFT adapter) vs llama.cpp (base GGUF; the tuned model
merged into one GGUF, as served; base + runtime GGUF LoRA).

Measures decode tokens/s on the same prompts (greedy, fixed max tokens) and the time until the first complete
question is on screen (streaming a question-list request until its first line ends). Peak RSS is recorded.

    python benchmarks/generate_speed.py --write
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import peak_rss_mb, write_section

PROMPTS = [
    ("ml_engineer", ["feature stores", "Kubernetes", "PyTorch"], "system_design", "hard"),
    ("data_analyst", ["SQL", "Tableau", "A/B testing"], "technical", "easy"),
    ("backend_engineer", ["Go", "PostgreSQL", "Kafka"], "coding", "medium"),
]


def time_one(backend: object, messages: list[object], max_tokens: int) -> tuple[float, float]:
    """(decode tokens/s, seconds until the first question line is complete) of one streamed request."""
    from interviewmate.domain import GenerationParams

    start = time.perf_counter()
    text, first = "", None
    pieces = 0
    for piece in backend.stream(messages, GenerationParams(max_tokens=max_tokens)):  # type: ignore[attr-defined]
        text += piece
        pieces += 1
        if first is None and "\n" in text.strip():
            first = time.perf_counter() - start
    total = time.perf_counter() - start
    return pieces / total, first if first is not None else total  # stream pieces are tokens for both backends


def time_backends(backends: dict[str, object], max_tokens: int, repeats: int) -> dict[str, dict[str, float]]:
    """Medians per backend; the backends take turns on every prompt, so load from other processes on a shared
    machine hits them alike."""
    from interviewmate.coaching.prompts import question_messages

    rates: dict[str, list[float]] = {k: [] for k in backends}
    firsts: dict[str, list[float]] = {k: [] for k in backends}
    for _ in range(repeats):
        for role, skills, itype, diff in PROMPTS:
            msgs = question_messages(role, skills, itype, diff, 3)
            for name, backend in backends.items():
                rate, first = time_one(backend, msgs, max_tokens)
                rates[name].append(rate)
                firsts[name].append(first)
    return {
        k: {"tok_s": statistics.median(rates[k]), "first_question_s": statistics.median(firsts[k])}
        for k in backends
    }


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--max-tokens", type=int, default=96)
    p.add_argument("--repeats", type=int, default=2)
    p.add_argument("--write", action="store_true")
    args = p.parse_args()

    from interviewmate.config import Settings
    from interviewmate.models.adapters import packaged_adapter
    from interviewmate.models.backends.llamacpp import LlamaCppBackend
    from interviewmate.models.backends.transformers_backend import TransformersBackend
    from interviewmate.models.loaders import gguf_path

    s = Settings()
    s.ensure_dirs()
    adapter = packaged_adapter("smollm2-135m-instruct")
    assert adapter is not None
    g = gguf_path("smollm2-135m-instruct", s.model_cache_dir)
    started = time.perf_counter()
    merged = LlamaCppBackend(g, lora_path=adapter.gguf, n_ctx=1024, merge_cache_dir=s.model_cache_dir)
    merged_load_s = time.perf_counter() - started  # includes the one-off merge when the cache was empty
    backends = {
        "llama.cpp, base GGUF": LlamaCppBackend(g, n_ctx=1024),
        "llama.cpp, tuned: adapter merged into the GGUF (served)": merged,
        "llama.cpp, tuned: base + runtime GGUF LoRA": LlamaCppBackend(g, lora_path=adapter.gguf, n_ctx=1024),
    }
    time_backends(backends, 8, 1)  # warm-up
    rows = time_backends(backends, args.max_tokens, args.repeats)
    for b in backends.values():
        b.close()  # type: ignore[attr-defined]
    rss_llama = peak_rss_mb()
    t = TransformersBackend.from_registry(
        "smollm2-135m-instruct", s.model_cache_dir, adapter=adapter.peft_dir
    )
    time_backends({"t": t}, 8, 1)
    rows["transformers fp32 + PEFT adapter"] = time_backends({"t": t}, args.max_tokens, 1)["t"]
    lines = ["| backend | decode tok/s (median) | first question on screen, s (median) |", "|---|---|---|"]
    lines += [f"| {k} | {v['tok_s']:.1f} | {v['first_question_s']:.2f} |" for k, v in rows.items()]
    base = rows["llama.cpp, base GGUF"]["tok_s"]
    served = rows["llama.cpp, tuned: adapter merged into the GGUF (served)"]["tok_s"]
    runtime = rows["llama.cpp, tuned: base + runtime GGUF LoRA"]["tok_s"]
    body = "\n".join(lines) + (
        f"\n\nThe tuned model as served (adapter merged, `models/gguf_merge.py`) runs at **{served / base:.0%}** of "
        f"llama.cpp without the adapter (target >= 90%); with llama.cpp's runtime LoRA it ran at {runtime / base:.0%}. "
        f"Prompts: 3 question-list requests x {args.repeats} repeats, {args.max_tokens} new tokens, greedy; the "
        f"llama.cpp backends take turns on each prompt. Loading the merged model took {merged_load_s:.1f} s "
        f"(the merge itself runs once per base/adapter pair and is cached in the model cache dir). "
        f"Peak RSS after the llama.cpp runs: {rss_llama:.0f} MB; after transformers: {peak_rss_mb():.0f} MB."
    )
    print(body)
    if args.write:
        write_section("Generation speed (CPU)", "python benchmarks/generate_speed.py --write", body)


if __name__ == "__main__":
    main()
