"""Our LoRA trainer vs plain HF Trainer + PEFT with dynamic padding, same data, model and hyper-parameters.

Same examples (the corpus's train split, both generator tasks), same model, LoRA r/alpha on all 7 projections,
same learning rate, same number of samples. Reports samples/s, useful (non-padding) tokens/s, padding share,
peak memory (RSS on CPU, max allocated on GPU) and MFU on GPU. Ratios are measured side by side in one run.

    python benchmarks/train_throughput.py --samples 64            # CPU, a random-init SmolLM2-135M shape
    python benchmarks/train_throughput.py --samples 2000 --batch 32 --write   # on a GPU
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import peak_rss_mb, write_section

SMOLLM2_SHAPE = {
    "vocab_size": 49152,
    "hidden_size": 576,
    "intermediate_size": 1536,
    "num_hidden_layers": 30,
    "num_attention_heads": 9,
    "num_key_value_heads": 3,
    "max_position_embeddings": 2048,
    "rope_theta": 100000.0,
    "tie_word_embeddings": True,
}


def random_model(seed: int = 0) -> Any:
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM

    torch.manual_seed(seed)
    return LlamaForCausalLM(LlamaConfig(**SMOLLM2_SHAPE))


def examples(tokenizer: Any, n: int, max_length: int) -> list[Any]:
    from interviewmate.data import CORPUS_DIR
    from interviewmate.training.sft_data import build_examples, load_split_items, tokenize_all

    qs, jds = load_split_items(CORPUS_DIR, "train")
    exs = build_examples(qs, jds, seed=0)
    toks, _ = tokenize_all(tokenizer, exs, max_length)
    import random

    random.Random(0).shuffle(toks)
    return toks[:n]


def run_ours(
    data: list[Any],
    pad: int,
    batch: int,
    device: str,
    lr: float,
    r: int,
    forward_tokens: int | None = None,
    precision: str = "auto",
    compile_model: bool = False,
) -> dict[str, float]:
    import torch

    from interviewmate.training.config import GeneratorTrainConfig
    from interviewmate.training.loop import train_lora_sft

    mean_len = sum(len(e.input_ids) for e in data) / len(data)
    with tempfile.TemporaryDirectory() as tmp:
        cfg = GeneratorTrainConfig(
            output_dir=Path(tmp),
            lora_r=r,
            lora_alpha=2 * r,
            learning_rate=lr,
            epochs=1,
            batch_tokens=int(batch * mean_len * 1.15),
            eval_every=10**9,
            save_every=10**9,
            device=device,
            warmup_ratio=0.0,
            forward_tokens=forward_tokens,
            precision=precision,  # type: ignore[arg-type]
            compile=compile_model,
        )
        if device == "cuda":
            torch.cuda.reset_peak_memory_stats()
        res = train_lora_sft(random_model(), pad, data, data[:8], cfg)
        wall = res.train_s  # the step loop only, like the Trainer's train_runtime
    useful = sum(e.n_completion for e in data)
    total_tokens = sum(len(e.input_ids) for e in data)
    return {
        "samples_per_s": len(data) / wall,
        "useful_tokens_per_s": total_tokens / wall,
        "completion_tokens_per_s": useful / wall,
        "padding_share": 1 - res.padding_efficiency,
        "wall_s": wall,
        "peak_gpu_gb": torch.cuda.max_memory_allocated() / 1e9 if device == "cuda" else 0.0,
    }


def run_hf(
    data: list[Any], tokenizer: Any, batch: int, device: str, lr: float, r: int, bf16: bool
) -> dict[str, float]:
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import DataCollatorForSeq2Seq, Trainer, TrainingArguments

    model = get_peft_model(
        random_model(),
        LoraConfig(
            r=r,
            lora_alpha=2 * r,
            target_modules=["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"],
            task_type="CAUSAL_LM",
        ),
    )
    rows = [
        {"input_ids": e.input_ids, "labels": e.labels, "attention_mask": [1] * len(e.input_ids)} for e in data
    ]
    collator = DataCollatorForSeq2Seq(tokenizer, padding=True, label_pad_token_id=-100)
    padded = 0
    for i in range(0, len(rows), batch):
        chunk = rows[i : i + batch]
        padded += len(chunk) * max(len(x["input_ids"]) for x in chunk)
    with tempfile.TemporaryDirectory() as tmp:
        args = TrainingArguments(
            output_dir=tmp,
            per_device_train_batch_size=batch,
            learning_rate=lr,
            num_train_epochs=1,
            report_to=[],
            save_strategy="no",
            logging_steps=10**9,
            bf16=bf16,
            use_cpu=device == "cpu",
            dataloader_num_workers=0,
            disable_tqdm=True,
            warmup_steps=0,
            lr_scheduler_type="cosine",
            max_grad_norm=1.0,
        )
        trainer = Trainer(model=model, args=args, train_dataset=rows, data_collator=collator)
        if device == "cuda":
            torch.cuda.reset_peak_memory_stats()
        wall = float(trainer.train().metrics["train_runtime"])
    total_tokens = sum(len(e.input_ids) for e in data)
    return {
        "samples_per_s": len(data) / wall,
        "useful_tokens_per_s": total_tokens / wall,
        "completion_tokens_per_s": sum(e.n_completion for e in data) / wall,
        "padding_share": 1
        - total_tokens / padded,  # in random order (the Trainer shuffles; same expectation)
        "wall_s": wall,
        "peak_gpu_gb": torch.cuda.max_memory_allocated() / 1e9 if device == "cuda" else 0.0,
    }


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--samples", type=int, default=64)
    p.add_argument("--batch", type=int, default=8)
    p.add_argument("--lr", type=float, default=2e-4)
    p.add_argument("--r", type=int, default=16)
    p.add_argument("--max-length", type=int, default=512)
    p.add_argument("--tokenizer", default="", help="tokenizer folder (default: the packaged SmolLM2's)")
    p.add_argument(
        "--forward-tokens",
        type=int,
        default=None,
        help="our trainer's largest pass (default: its CPU/GPU default)",
    )
    p.add_argument(
        "--compile",
        action="store_true",
        help="also time ours with --compile (torch.compile of the body, compiled in the warm-up run)",
    )
    p.add_argument("--write", action="store_true", help="write the result into benchmarks/RESULTS.md")
    p.add_argument("--results", type=Path, default=None, help="write to this RESULTS.md instead")
    args = p.parse_args()
    import torch
    from transformers import AutoTokenizer

    device = "cuda" if torch.cuda.is_available() else "cpu"
    if args.tokenizer:
        tok = AutoTokenizer.from_pretrained(args.tokenizer)
    else:
        from interviewmate.config import Settings
        from interviewmate.models.loaders import load_llm_tokenizer

        s = Settings()
        s.ensure_dirs()
        tok = load_llm_tokenizer("smollm2-135m-instruct", s.model_cache_dir)
    if tok.pad_token is None:  # the GGUF tokenizer has none; HF's collator needs one
        tok.pad_token = tok.eos_token
    data = examples(tok, args.samples, args.max_length)
    pad = tok.pad_token_id if tok.pad_token_id is not None else tok.eos_token_id
    from interviewmate.training.loop import autocast_dtype

    ours_bf16 = autocast_dtype("auto", device) is not None
    # (label, runner): on a GPU both use bf16; on a CPU the plain Trainer runs fp32 (its default) and, to show
    # what precision alone buys, once more with bf16=True; ours runs its default (`--precision auto`) and fp32
    runs: list[tuple[str, Any]] = [
        (
            f"HF Trainer + PEFT, dynamic padding ({'bf16' if device == 'cuda' else 'fp32, its default'})",
            lambda d: run_hf(d, tok, args.batch, device, args.lr, args.r, bf16=device == "cuda"),
        )
    ]
    if device == "cpu":
        runs.append(
            (
                "HF Trainer + PEFT, dynamic padding, bf16=True",
                lambda d: run_hf(d, tok, args.batch, device, args.lr, args.r, bf16=True),
            )
        )
        runs.append(
            (
                "InterviewMate, --precision fp32",
                lambda d: run_ours(d, pad, args.batch, device, args.lr, args.r, args.forward_tokens, "fp32"),
            )
        )
    runs.append(
        (
            f"InterviewMate, default (--precision auto: {'bf16' if ours_bf16 else 'fp32'})",
            lambda d: run_ours(d, pad, args.batch, device, args.lr, args.r, args.forward_tokens),
        )
    )
    if args.compile:
        runs.append(
            (
                "InterviewMate, default + --compile",
                lambda d: run_ours(
                    d, pad, args.batch, device, args.lr, args.r, args.forward_tokens, compile_model=True
                ),
            )
        )
    # warm-up outside the timings (CUDA context, cuBLAS handles, allocator, oneDNN kernels), else whoever runs
    # first pays for it
    for _, run in runs:
        run(data[: args.batch * 2])
    results = [(label, run(data)) for label, run in runs]
    hf = results[0][1]
    ours = next(r for label, r in results if label.startswith("InterviewMate, default (--precision auto"))
    ratio = ours["samples_per_s"] / hf["samples_per_s"]
    lines = [
        "| trainer | samples/s | tokens/s (all real tokens) | padding share | wall s | peak GPU GB |",
        "|---|---|---|---|---|---|",
    ]
    for name, r in results:
        lines.append(
            f"| {name} | {r['samples_per_s']:.2f} | {r['useful_tokens_per_s']:.0f} | {r['padding_share']:.1%} | {r['wall_s']:.1f} | {r['peak_gpu_gb']:.2f} |"
        )
    body = "\n".join(lines) + f"\n\nSpeed-up (samples/s, ours default / plain HF): **{ratio:.2f}x**"
    compiled = [r for label, r in results if label.endswith("--compile")]
    if compiled:
        body += f"; with --compile (after the warm-up run compiled it, so inductor's caches are warm) **{compiled[0]['samples_per_s'] / hf['samples_per_s']:.2f}x**"
    if device == "cpu":
        hf_bf16, ours_fp32 = results[1][1]["samples_per_s"], results[2][1]["samples_per_s"]
        body += (
            f"; same precision: fp32 {ours_fp32 / hf['samples_per_s']:.2f}x"
            + (f", bf16 {ours['samples_per_s'] / hf_bf16:.2f}x" if ours_bf16 else "")
            + f"; the plain Trainer with bf16=True is {hf_bf16 / hf['samples_per_s']:.2f}x its fp32 default"
        )
    body += (
        f". Model: random-init SmolLM2-135M shape, LoRA r={args.r} on all 7 projections, {len(data)} corpus "
        f"examples, batch {args.batch}. Peak RSS of the process: {peak_rss_mb():.0f} MB."
    )
    if device == "cuda":
        from interviewmate.training.callbacks import H100_BF16_PEAK_FLOPS

        n = sum(p.numel() for p in random_model().parameters())
        mfu = 4 * n * ours["useful_tokens_per_s"] / H100_BF16_PEAK_FLOPS
        body += f" MFU (ours, 4N FLOPs/token vs 989 TFLOP/s bf16 peak): {mfu:.1%}."
    print(body)
    if args.write:
        cmd = f"python benchmarks/train_throughput.py --samples {args.samples} --batch {args.batch} --write"
        write_section(f"Training throughput ({device})", cmd, body, *([args.results] if args.results else []))


if __name__ == "__main__":
    main()
