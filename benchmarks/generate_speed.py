"""Generation speed on this machine: transformers (fp32, + PEFT adapter) vs llama.cpp (base GGUF, + GGUF LoRA).

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


def time_backend(backend: object, max_tokens: int, repeats: int) -> dict[str, float]:
    from interviewmate.coaching.prompts import question_messages
    from interviewmate.domain import GenerationParams

    rates, first_question = [], []
    for _ in range(repeats):
        for role, skills, itype, diff in PROMPTS:
            msgs = question_messages(role, skills, itype, diff, 3)
            start = time.perf_counter()
            text, first = "", None
            pieces = 0
            for piece in backend.stream(msgs, GenerationParams(max_tokens=max_tokens)):  # type: ignore[attr-defined]
                text += piece
                pieces += 1
                if first is None and "\n" in text.strip():
                    first = time.perf_counter() - start
            total = time.perf_counter() - start
            first_question.append(first if first is not None else total)
            rates.append(pieces / total)  # stream pieces are tokens for both backends
    return {"tok_s": statistics.median(rates), "first_question_s": statistics.median(first_question)}


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
    rows = {}
    for name, lora in (("llama.cpp, base GGUF", None), ("llama.cpp, base + tuned GGUF LoRA", adapter.gguf)):
        b = LlamaCppBackend(g, lora_path=lora, n_ctx=1024)
        time_backend(b, 8, 1)  # warm-up
        rows[name] = time_backend(b, args.max_tokens, args.repeats)
        b.close()
    rss_llama = peak_rss_mb()
    t = TransformersBackend.from_registry(
        "smollm2-135m-instruct", s.model_cache_dir, adapter=adapter.peft_dir
    )
    time_backend(t, 8, 1)
    rows["transformers fp32 + PEFT adapter"] = time_backend(t, args.max_tokens, 1)
    lines = ["| backend | decode tok/s (median) | first question on screen, s (median) |", "|---|---|---|"]
    lines += [f"| {k} | {v['tok_s']:.1f} | {v['first_question_s']:.2f} |" for k, v in rows.items()]
    base = rows["llama.cpp, base GGUF"]["tok_s"]
    tuned = rows["llama.cpp, base + tuned GGUF LoRA"]["tok_s"]
    body = "\n".join(lines) + (
        f"\n\nllama.cpp with the adapter runs at **{tuned / base:.0%}** of llama.cpp without it "
        f"(target >= 90%). Prompts: 3 question-list requests x {args.repeats} repeats, {args.max_tokens} new tokens, "
        f"greedy. Peak RSS after the llama.cpp runs: {rss_llama:.0f} MB; after transformers: {peak_rss_mb():.0f} MB."
    )
    print(body)
    if args.write:
        write_section("Generation speed (CPU)", "python benchmarks/generate_speed.py --write", body)


if __name__ == "__main__":
    main()
