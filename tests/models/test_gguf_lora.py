from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from interviewmate.domain import ChatMessage, GenerationParams
from interviewmate.errors import ModelUnavailableError
from interviewmate.models import gguf_lora
from interviewmate.models.gguf_lora import find_base_config, peft_to_gguf_lora, rotary_row_permute

PROJECTIONS = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]
MODEL = "smollm2-135m-instruct"


def test_rotary_row_permute_interleaves_the_halves_of_each_head() -> None:
    rows = np.arange(8 * 3, dtype=np.float32).reshape(8, 3)  # 2 heads of head_dim 4, 3 columns
    out = rotary_row_permute(rows, n_head=2)
    order = [0, 2, 1, 3, 4, 6, 5, 7]  # head h: [h0, h2, h1, h3] = first-half/second-half pairs side by side
    np.testing.assert_array_equal(out, rows[order])
    np.testing.assert_array_equal(rotary_row_permute(np.arange(4.0), n_head=1), [0.0, 2.0, 1.0, 3.0])
    with pytest.raises(ValueError, match="heads"):
        rotary_row_permute(rows, n_head=3)


def _tiny_adapter(tiny_llm: tuple[Any, Any], folder: Path) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """A PEFT LoRA on all 7 projections of the tiny 4-head/2-kv-head Llama, with non-zero B matrices."""
    import torch
    from peft import LoraConfig, get_peft_model

    model, _ = tiny_llm
    base_config = model.config.to_dict()
    peft_model = get_peft_model(model, LoraConfig(r=4, lora_alpha=8, target_modules=PROJECTIONS))
    with torch.no_grad():
        for name, p in peft_model.named_parameters():
            if "lora_B" in name:
                p.normal_()
    peft_model.save_pretrained(folder)
    from safetensors.numpy import load_file

    return base_config, load_file(str(folder / "adapter_model.safetensors"))


def test_converted_adapter_has_llamacpp_names_metadata_and_q_k_row_order(
    tiny_llm: tuple[Any, Any], tmp_path: Path
) -> None:
    import gguf

    base_config, peft_weights = _tiny_adapter(tiny_llm, tmp_path / "adapter")
    out = peft_to_gguf_lora(tmp_path / "adapter", tmp_path / "out" / "lora.gguf", base_config, half=False)
    reader = gguf.GGUFReader(str(out))
    meta = {k: f.contents() for k, f in reader.fields.items() if not k.startswith("GGUF.")}
    assert meta["general.architecture"] == "llama" and meta["general.type"] == "adapter"
    assert meta["adapter.type"] == "lora" and meta["adapter.lora.alpha"] == pytest.approx(8.0)
    tensors = {t.name: np.asarray(t.data) for t in reader.tensors}
    assert len(tensors) == 2 * len(PROJECTIONS) * 2  # A and B, 7 projections, 2 layers
    assert not list(tmp_path.glob("out/*.partial"))

    def peft(layer: int, part: str, module: str, side: str) -> np.ndarray:
        return peft_weights[f"base_model.model.model.layers.{layer}.{part}.{module}.lora_{side}.weight"]

    # A keeps PEFT's (r, in) layout, B its (out, r); only the B of q/k gets llama.cpp's rotary row order
    np.testing.assert_array_equal(tensors["blk.1.attn_q.weight.lora_a"], peft(1, "self_attn", "q_proj", "A"))
    q_b = peft(1, "self_attn", "q_proj", "B")
    np.testing.assert_array_equal(tensors["blk.1.attn_q.weight.lora_b"], rotary_row_permute(q_b, 4))
    assert not np.array_equal(tensors["blk.1.attn_q.weight.lora_b"], q_b)
    k_b = peft(0, "self_attn", "k_proj", "B")
    np.testing.assert_array_equal(tensors["blk.0.attn_k.weight.lora_b"], rotary_row_permute(k_b, 2))
    np.testing.assert_array_equal(tensors["blk.0.attn_v.weight.lora_b"], peft(0, "self_attn", "v_proj", "B"))
    np.testing.assert_array_equal(tensors["blk.1.ffn_down.weight.lora_b"], peft(1, "mlp", "down_proj", "B"))

    # the default stores float16: half the size, values within fp16 rounding
    half = peft_to_gguf_lora(tmp_path / "adapter", tmp_path / "out" / "half.gguf", base_config)
    half_tensors = {t.name: np.asarray(t.data) for t in gguf.GGUFReader(str(half)).tensors}
    assert half_tensors["blk.1.attn_q.weight.lora_b"].dtype == np.float16
    np.testing.assert_allclose(
        half_tensors["blk.1.attn_q.weight.lora_b"].astype(np.float32),
        rotary_row_permute(q_b, 4),
        rtol=2e-3,
        atol=1e-4,
    )

    # without base_config the heads come from the config.json at the adapter's base_model_name_or_path
    tiny_llm[0].config.save_pretrained(tmp_path / "base")
    cfg_path = tmp_path / "adapter" / "adapter_config.json"
    cfg = json.loads(cfg_path.read_text())
    cfg_path.write_text(json.dumps(cfg | {"base_model_name_or_path": str(tmp_path / "base")}))
    again = peft_to_gguf_lora(tmp_path / "adapter", tmp_path / "again.gguf")
    assert again.read_bytes() == half.read_bytes()


def test_base_config_from_a_registry_name_reads_the_packaged_gguf(tmp_path: Path) -> None:
    (tmp_path / "adapter_config.json").write_text(
        json.dumps({"peft_type": "LORA", "r": 8, "lora_alpha": 16, "base_model_name_or_path": MODEL})
    )
    cfg = find_base_config(tmp_path)
    assert (cfg["model_type"], cfg["num_attention_heads"], cfg["num_key_value_heads"]) == ("llama", 9, 3)


def test_not_a_lora_adapter_is_a_clear_error(tiny_llm: tuple[Any, Any], tmp_path: Path) -> None:
    with pytest.raises(ModelUnavailableError, match="not a PEFT LoRA adapter"):
        peft_to_gguf_lora(tmp_path, tmp_path / "x.gguf")
    (tmp_path / "adapter_config.json").write_text(json.dumps({"peft_type": "PREFIX_TUNING"}))
    with pytest.raises(ModelUnavailableError, match="not a PEFT LoRA adapter"):
        peft_to_gguf_lora(tmp_path, tmp_path / "x.gguf")
    base_config, _ = _tiny_adapter(tiny_llm, tmp_path / "adapter")
    with pytest.raises(ModelUnavailableError, match="different base model"):
        peft_to_gguf_lora(tmp_path / "adapter", tmp_path / "x.gguf", base_config | {"num_attention_heads": 8})
    assert not (tmp_path / "x.gguf").exists()


# ---- the real SmolLM2: float copy + PEFT against the packaged Q4_1 GGUF in llama.cpp ---------------------------


@pytest.fixture
def one_torch_thread() -> Iterator[None]:
    """Train on one thread: on a 2-core box, two OpenMP threads spin-waiting against any other busy process
    made a training step ~70x slower (0.4 s -> 30 s); one thread costs little and stays fast."""
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


@pytest.mark.slow
def test_q_k_permutation_is_how_the_packaged_gguf_stores_the_float_copys_weights(
    shared_model_cache: Path,
) -> None:
    import gguf

    from interviewmate.models.loaders import gguf_path, load_causal_lm

    model, _ = load_causal_lm(MODEL, shared_model_cache)
    tensors = {t.name: t for t in gguf.GGUFReader(str(gguf_path(MODEL, shared_model_cache))).tensors}
    attn = model.model.layers[7].self_attn
    for gguf_name, weight, heads in [("attn_q", attn.q_proj, 9), ("attn_k", attn.k_proj, 3)]:
        t = tensors[f"blk.7.{gguf_name}.weight"]
        packaged = gguf.quants.dequantize(t.data, t.tensor_type)
        hf = weight.weight.detach().numpy()
        assert not np.allclose(packaged, hf)
        np.testing.assert_allclose(packaged, rotary_row_permute(hf, heads), atol=1e-6)


SYSTEM = "Answer briefly."
TARGET = "PINEAPPLE HARBOR"


def _train_to_always_say_target(peft_model: Any, tok: Any, steps: int = 14) -> None:
    """A few AdamW steps on 3 prompts: enough for the adapter to answer TARGET to any question."""
    import torch

    examples = []
    for question in ["Tell me about a project you led.", "What is a SQL join?", "Hi there!"]:
        chat = [{"role": "system", "content": SYSTEM}, {"role": "user", "content": question}]
        prompt = tok.apply_chat_template(chat, add_generation_prompt=True, tokenize=False)
        ids = tok(prompt + TARGET + "<|im_end|>", return_tensors="pt").input_ids
        examples.append((ids, ids.shape[1] - len(tok(prompt).input_ids)))
    torch.manual_seed(0)
    opt = torch.optim.AdamW([p for p in peft_model.parameters() if p.requires_grad], lr=5e-3)
    peft_model.train()
    for step in range(steps):
        ids, n = examples[step % len(examples)]
        logits = peft_model(input_ids=ids, logits_to_keep=n + 1).logits[0, :-1]  # only the answer's tokens
        torch.nn.functional.cross_entropy(logits, ids[0, -n:]).backward()
        opt.step()
        opt.zero_grad()
    peft_model.eval()


@pytest.mark.slow
def test_trained_adapter_gives_the_same_greedy_answer_in_llamacpp(
    shared_model_cache: Path, tmp_path: Path, one_torch_thread: None
) -> None:
    from peft import LoraConfig, get_peft_model

    from interviewmate.models.backends.llamacpp import LlamaCppBackend
    from interviewmate.models.backends.transformers_backend import TransformersBackend
    from interviewmate.models.loaders import gguf_path, load_causal_lm

    model, tok = load_causal_lm(MODEL, shared_model_cache)
    peft_model = get_peft_model(
        model, LoraConfig(r=8, lora_alpha=16, lora_dropout=0.0, target_modules=PROJECTIONS)
    )
    _train_to_always_say_target(peft_model, tok)
    peft_model.save_pretrained(tmp_path / "adapter")
    lora = peft_to_gguf_lora(tmp_path / "adapter", tmp_path / "adapter.gguf")  # heads from the base's config

    params = GenerationParams(max_tokens=12)
    questions = ["Describe your favourite database.", "How would you scale a web service?"]
    asks = [[ChatMessage("system", SYSTEM), ChatMessage("user", q)] for q in questions]
    asks.append([ChatMessage("user", questions[0])])  # the template's default system prompt, never trained on
    base_gguf = gguf_path(MODEL, shared_model_cache)
    tuned = LlamaCppBackend(base_gguf, lora_path=lora, n_ctx=512)
    plain = LlamaCppBackend(base_gguf, n_ctx=512)
    try:
        hf = TransformersBackend(peft_model, tok)
        for ask in asks:
            expected = hf.generate(ask, params)
            assert expected.strip() == TARGET
            assert tuned.generate(ask, params) == expected
            assert TARGET not in plain.generate(ask, params)
    finally:
        tuned.close()
        plain.close()


def _first_token_logprobs(backend: Any, messages: list[dict[str, str]]) -> dict[str, float]:
    import httpx

    body = {"messages": messages, "max_tokens": 1, "temperature": 0, "logprobs": True, "top_logprobs": 10}
    reply = httpx.post(f"{backend.base_url}/chat/completions", json=body, timeout=120).json()
    return {d["token"]: d["logprob"] for d in reply["choices"][0]["logprobs"]["content"][0]["top_logprobs"]}


@pytest.mark.slow
def test_q_k_only_adapter_matches_at_the_logit_level_and_needs_the_permutation(
    shared_model_cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, one_torch_thread: None
) -> None:
    """Greedy text hides q/k errors (a trained adapter still says its sentence); next-token log-probs do not."""
    import torch
    from peft import LoraConfig, get_peft_model

    from interviewmate.models.backends.llamacpp import LlamaCppBackend
    from interviewmate.models.loaders import gguf_path, load_causal_lm

    model, tok = load_causal_lm(MODEL, shared_model_cache)
    peft_model = get_peft_model(model, LoraConfig(r=8, lora_alpha=16, target_modules=["q_proj", "k_proj"]))
    gen = torch.Generator().manual_seed(1)
    with torch.no_grad():
        for name, p in peft_model.named_parameters():
            if "lora_B" in name:
                p.copy_(torch.randn(p.shape, generator=gen) * 0.2)
    peft_model.eval().save_pretrained(tmp_path / "adapter")
    messages = [{"role": "user", "content": "Describe your favourite database."}]
    inputs = tok.apply_chat_template(
        messages, add_generation_prompt=True, return_tensors="pt", return_dict=True
    )
    with torch.no_grad():
        tuned_lp = torch.log_softmax(peft_model(**inputs).logits[0, -1], -1)
        with peft_model.disable_adapter():
            base_lp = torch.log_softmax(peft_model(**inputs).logits[0, -1], -1)
    top = torch.topk(tuned_lp, 5).indices.tolist()
    expected = {tok.decode([i]): float(tuned_lp[i]) for i in top}
    assert max(abs(float(tuned_lp[i] - base_lp[i])) for i in top) > 0.5, "the adapter must matter"

    def gap(lora: Path) -> float:
        backend = LlamaCppBackend(gguf_path(MODEL, shared_model_cache), lora_path=lora, n_ctx=512)
        try:
            got = _first_token_logprobs(backend, messages)
        finally:
            backend.close()
        assert len(expected.keys() & got.keys()) >= 3
        return max(abs(got[t] - lp) for t, lp in expected.items() if t in got)

    right = gap(peft_to_gguf_lora(tmp_path / "adapter", tmp_path / "right.gguf"))
    monkeypatch.setattr(gguf_lora, "rotary_row_permute", lambda rows, n_head: rows)
    wrong = gap(peft_to_gguf_lora(tmp_path / "adapter", tmp_path / "wrong.gguf"))
    assert right < 0.3, f"llama.cpp + converted LoRA is {right:.2f} nats off transformers + PEFT"
    assert wrong > 2 * right + 0.3, f"without the q/k permutation: {wrong:.2f} vs {right:.2f}"


# ---- merging a GGUF LoRA into its base GGUF (models/gguf_merge.py) -----------------------------------------------


def _tiny_gguf_pair(folder: Path, alpha: float = 8.0, seed: int = 0) -> tuple[Path, Path]:
    """A 1-layer 'llama' GGUF (a Q4_1 projection, an F32 norm, a Q8_0 embedding, assorted metadata) and a LoRA."""
    import gguf

    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    base = gguf.GGUFWriter(str(folder / "base.gguf"), arch="llama")
    base.add_name("tiny")
    base.add_block_count(1)
    base.add_float32("llama.attention.layer_norm_rms_epsilon", 1e-5)
    base.add_token_list(["<s>", "a", "b"])
    q4 = gguf.GGMLQuantizationType.Q4_1
    q8 = gguf.GGMLQuantizationType.Q8_0
    base.add_tensor(
        "token_embd.weight",
        gguf.quants.quantize(rng.normal(size=(16, 32)).astype(np.float32), q8),
        raw_dtype=q8,
    )
    base.add_tensor("blk.0.attn_norm.weight", rng.normal(size=32).astype(np.float32))
    base.add_tensor(
        "blk.0.attn_q.weight",
        gguf.quants.quantize(rng.normal(size=(64, 32)).astype(np.float32), q4),
        raw_dtype=q4,
    )
    base.write_header_to_file()
    base.write_kv_data_to_file()
    base.write_tensors_to_file()
    base.close()
    lora = gguf.GGUFWriter(str(folder / f"lora{seed}.gguf"), arch="llama")
    lora.add_type(gguf.GGUFType.ADAPTER)
    lora.add_string(gguf.Keys.Adapter.TYPE, "lora")
    lora.add_float32(gguf.Keys.Adapter.LORA_ALPHA, alpha)
    lora.add_tensor("blk.0.attn_q.weight.lora_a", rng.normal(size=(4, 32)).astype(np.float16))
    lora.add_tensor("blk.0.attn_q.weight.lora_b", rng.normal(size=(64, 4)).astype(np.float16))
    lora.write_header_to_file()
    lora.write_kv_data_to_file()
    lora.write_tensors_to_file()
    lora.close()
    return folder / "base.gguf", folder / f"lora{seed}.gguf"


def test_merge_adds_scaled_b_at_a_and_copies_everything_else(tmp_path: Path) -> None:
    import gguf

    from interviewmate.models.gguf_merge import merged_gguf

    base, lora = _tiny_gguf_pair(tmp_path / "in")
    out = merged_gguf(base, lora, tmp_path / "cache")
    assert out.parent == tmp_path / "cache" and not list(out.parent.glob("*.partial"))
    src, got = gguf.GGUFReader(str(base)), gguf.GGUFReader(str(out))
    meta = {k: f.contents() for k, f in src.fields.items() if not k.startswith("GGUF.")}
    assert {k: f.contents() for k, f in got.fields.items() if not k.startswith("GGUF.")} == meta
    s, g = {t.name: t for t in src.tensors}, {t.name: t for t in got.tensors}
    assert list(g) == list(s)
    for name in ("token_embd.weight", "blk.0.attn_norm.weight"):  # untouched: same type, same bytes
        assert g[name].tensor_type == s[name].tensor_type
        assert np.asarray(g[name].data).tobytes() == np.asarray(s[name].data).tobytes()
    a = {t.name: np.asarray(t.data, dtype=np.float32) for t in gguf.GGUFReader(str(lora)).tensors}
    delta = a["blk.0.attn_q.weight.lora_b"] @ a["blk.0.attn_q.weight.lora_a"] * (8.0 / 4)
    w = gguf.quants.dequantize(s["blk.0.attn_q.weight"].data, s["blk.0.attn_q.weight"].tensor_type)
    merged = gguf.quants.dequantize(g["blk.0.attn_q.weight"].data, g["blk.0.attn_q.weight"].tensor_type)
    assert g["blk.0.attn_q.weight"].tensor_type == gguf.GGMLQuantizationType.F16
    np.testing.assert_allclose(merged, w + delta, rtol=1e-3, atol=1e-3)
    assert np.abs(merged - w).max() > 1.0  # the delta is really there

    # cached by content: the same pair is not merged again, another adapter gets its own file
    stamp = out.stat().st_mtime_ns
    assert merged_gguf(base, lora, tmp_path / "cache") == out and out.stat().st_mtime_ns == stamp
    _, other = _tiny_gguf_pair(tmp_path / "in", seed=1)
    assert merged_gguf(base, other, tmp_path / "cache") != out


def test_merge_rejects_an_adapter_for_another_model(tmp_path: Path) -> None:
    import gguf

    from interviewmate.models.gguf_merge import merged_gguf

    base, _ = _tiny_gguf_pair(tmp_path / "in")
    wrong = gguf.GGUFWriter(str(tmp_path / "wrong.gguf"), arch="llama")
    wrong.add_type(gguf.GGUFType.ADAPTER)
    wrong.add_string(gguf.Keys.Adapter.TYPE, "lora")
    wrong.add_tensor("blk.3.attn_q.weight.lora_a", np.zeros((4, 32), dtype=np.float32))
    wrong.add_tensor("blk.3.attn_q.weight.lora_b", np.zeros((64, 4), dtype=np.float32))
    wrong.write_header_to_file()
    wrong.write_kv_data_to_file()
    wrong.write_tensors_to_file()
    wrong.close()
    with pytest.raises(ModelUnavailableError, match=r"blk\.3\.attn_q\.weight"):
        merged_gguf(base, tmp_path / "wrong.gguf", tmp_path / "cache")
    with pytest.raises(ModelUnavailableError, match="not a GGUF LoRA adapter"):
        merged_gguf(base, base, tmp_path / "cache")
    assert not list((tmp_path / "cache").glob("*"))


@pytest.mark.slow
def test_merged_packaged_adapter_keeps_the_tuned_next_token_distribution(
    shared_model_cache: Path, tmp_path: Path, one_torch_thread: None
) -> None:
    """Served merged, the shipped adapter gives the same next-token log-probs as llama.cpp's runtime LoRA and as
    transformers + PEFT (the model that was trained and evaluated), and not the base model's."""
    import torch
    from peft import PeftModel

    from interviewmate.coaching.prompts import answer_messages, question_messages
    from interviewmate.models.adapters import packaged_adapter
    from interviewmate.models.backends.llamacpp import LlamaCppBackend
    from interviewmate.models.loaders import gguf_path, load_causal_lm

    adapter = packaged_adapter(MODEL)
    assert adapter is not None
    asks = [
        question_messages("ml_engineer", ["PyTorch", "Kubernetes"], "technical", "medium", 3),
        answer_messages("What is a SQL join?"),
    ]
    chats = [[{"role": m.role, "content": m.content} for m in ask] for ask in asks]
    model, tok = load_causal_lm(MODEL, shared_model_cache)
    peft_model = PeftModel.from_pretrained(model, adapter.peft_dir).eval()
    expected = []
    with torch.no_grad():
        for chat in chats:
            inputs = tok.apply_chat_template(
                chat, add_generation_prompt=True, return_tensors="pt", return_dict=True
            )
            lp = torch.log_softmax(peft_model(**inputs).logits[0, -1], -1)
            expected.append({tok.decode([i]): float(lp[i]) for i in torch.topk(lp, 5).indices.tolist()})

    base = gguf_path(MODEL, shared_model_cache)
    gaps: dict[str, list[float]] = {}
    for name, kwargs in [
        ("merged", {"lora_path": adapter.gguf, "merge_cache_dir": tmp_path}),
        ("runtime", {"lora_path": adapter.gguf}),
        ("base", {}),
    ]:
        backend = LlamaCppBackend(base, n_ctx=1024, **kwargs)
        try:
            if name == "merged":
                assert backend.runtime_lora is None and backend.model_path.parent == tmp_path
            got = [_first_token_logprobs(backend, chat) for chat in chats]
        finally:
            backend.close()
        gaps[name] = [
            max(abs(g[t] - lp) for t, lp in e.items() if t in g) if len(e.keys() & g.keys()) >= 3 else 99.0
            for e, g in zip(expected, got, strict=True)
        ]
    assert max(gaps["merged"]) < 0.3, gaps
    assert max(gaps["merged"]) <= max(gaps["runtime"]) + 0.1, gaps
    assert min(gaps["base"]) > 1.0, gaps  # the adapter matters on these prompts
