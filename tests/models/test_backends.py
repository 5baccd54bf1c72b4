from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from interviewmate.domain import ChatMessage, GenerationParams
from interviewmate.errors import BackendError, ModelUnavailableError
from interviewmate.models.backends import FakeBackend, LLMBackend
from interviewmate.models.backends.base import StopStreamFilter, apply_stop

ASK = [
    ChatMessage("system", "You are an interviewer."),
    ChatMessage("user", "Ask one question about SQL joins."),
]


# ---- shared helpers -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "stop", "expected", "hit"),
    [
        ("abc STOP def", ["STOP"], "abc ", True),
        ("abc", ["STOP"], "abc", False),
        ("a\n\nb END c", ["END", "\n\n"], "a", True),
        ("", ["x"], "", False),
    ],
)
def test_apply_stop(text: str, stop: list[str], expected: str, hit: bool) -> None:
    assert apply_stop(text, stop) == (expected, hit)


@pytest.mark.parametrize(
    "pieces", [["abc S", "TO", "P tail"], ["a", "b", "c", " ", "S", "T", "O", "P"], ["abc STOP"]]
)
def test_stop_filter_never_leaks_stop_text(pieces: list[str]) -> None:
    f = StopStreamFilter(["STOP"])
    out = "".join(f.feed(p) for p in pieces) + f.flush()
    assert out == "abc "


def test_stop_filter_releases_false_alarms() -> None:
    f = StopStreamFilter(["STOP"])
    out = "".join(f.feed(p) for p in ["ST", "ep by step"]) + f.flush()
    assert out == "STep by step"


# ---- fake ------------------------------------------------------------------------------------------------------


def test_fake_backend_replays_queue_and_records_calls() -> None:
    fake = FakeBackend(["first answer", "second answer END junk"])
    assert isinstance(fake, LLMBackend)
    assert fake.generate(ASK, GenerationParams()) == "first answer"
    assert "".join(fake.stream(ASK, GenerationParams(stop=("END",)))) == "second answer "
    assert len(fake.calls) == 2 and fake.calls[0][0] == ASK
    with pytest.raises(BackendError, match="no queued response"):
        fake.generate(ASK, GenerationParams())


# ---- transformers (tiny random-init Llama) ---------------------------------------------------------------------


def test_transformers_backend_generate_and_stream_agree(tiny_llm: tuple[Any, Any]) -> None:
    from interviewmate.models.backends.transformers_backend import TransformersBackend

    model, tok = tiny_llm
    backend = TransformersBackend(model, tok)
    params = GenerationParams(max_tokens=12)
    text = backend.generate(ASK, params)
    assert text.strip(), "greedy decoding of a random model still yields tokens"
    assert "".join(backend.stream(ASK, params)).strip() == text.strip()


def test_transformers_backend_with_peft_adapter(tiny_llm: tuple[Any, Any], tmp_path: Path) -> None:
    import torch
    from peft import LoraConfig, get_peft_model

    from interviewmate.models.backends.transformers_backend import TransformersBackend, load_peft_adapter

    model, tok = tiny_llm
    peft_model = get_peft_model(model, LoraConfig(r=4, lora_alpha=8, target_modules=["q_proj", "v_proj"]))
    with torch.no_grad():  # make the adapter non-trivial so it changes the output
        for name, p in peft_model.named_parameters():
            if "lora_B" in name:
                p.add_(0.5)
    peft_model.save_pretrained(tmp_path / "adapter")
    from tests.conftest import build_tiny_llama

    fresh = build_tiny_llama(len(tok))
    adapted = load_peft_adapter(fresh, tmp_path / "adapter")
    backend = TransformersBackend(adapted, tok)
    assert isinstance(backend.generate(ASK, GenerationParams(max_tokens=6)), str)
    with pytest.raises(BackendError, match="not a PEFT adapter"):
        load_peft_adapter(fresh, tmp_path)


# ---- llama.cpp with the packaged SmolLM2 GGUF ------------------------------------------------------------------


@pytest.fixture(scope="module")
def llamacpp(tmp_path_factory: pytest.TempPathFactory) -> Any:
    from interviewmate.models.backends.llamacpp import LlamaCppBackend
    from interviewmate.models.loaders import gguf_path

    backend = LlamaCppBackend(gguf_path("smollm2-135m-instruct", tmp_path_factory.mktemp("c")), n_ctx=1024)
    yield backend
    backend.close()


def test_llamacpp_generates_and_streams_the_same_text(llamacpp: Any) -> None:
    params = GenerationParams(max_tokens=24)
    text = llamacpp.generate(ASK, params)
    assert len(text.split()) >= 3
    pieces = list(llamacpp.stream(ASK, params))
    assert len(pieces) > 3, "tokens arrive one by one"
    assert "".join(pieces) == text


def test_llamacpp_respects_stop_and_max_tokens(llamacpp: Any) -> None:
    full = llamacpp.generate(ASK, GenerationParams(max_tokens=24))
    word = full.split()[2]
    cut = llamacpp.generate(ASK, GenerationParams(max_tokens=24, stop=(word,)))
    assert word not in cut and full.startswith(cut)
    short = llamacpp.generate(ASK, GenerationParams(max_tokens=2))
    assert len(short) < len(full)


def test_llamacpp_missing_lora_is_a_clear_error(tmp_path: Path, shared_model_cache: Path) -> None:
    from interviewmate.models.backends.llamacpp import LlamaCppBackend
    from interviewmate.models.loaders import gguf_path

    with pytest.raises(ModelUnavailableError, match=r"adapter .* does not exist"):
        LlamaCppBackend(
            gguf_path("smollm2-135m-instruct", shared_model_cache), lora_path=tmp_path / "none.gguf"
        )


# ---- OpenAI-compatible HTTP, against a live llama.cpp server on 127.0.0.1 --------------------------------------


def test_http_backend_against_live_server(llamacpp: Any) -> None:
    from interviewmate.models.backends.openai_http import OpenAICompatibleBackend

    assert llamacpp.base_url.startswith("http://127.0.0.1:")
    http = OpenAICompatibleBackend(llamacpp.base_url, model="smollm2", api_key="unused-locally")
    try:
        params = GenerationParams(max_tokens=24)
        expected = llamacpp.generate(ASK, params)
        assert http.generate(ASK, params) == expected
        pieces = list(http.stream(ASK, params))
        assert len(pieces) > 3 and "".join(pieces) == expected
    finally:
        http.close()


def test_http_backend_unreachable_server_is_a_backend_error() -> None:
    from interviewmate.models.backends.openai_http import OpenAICompatibleBackend

    http = OpenAICompatibleBackend("http://127.0.0.1:9/v1", model="x", timeout_s=2)
    with pytest.raises(BackendError, match=r"127\.0\.0\.1:9"):
        http.generate(ASK, GenerationParams(max_tokens=2))
    with pytest.raises(BackendError):
        list(http.stream(ASK, GenerationParams(max_tokens=2)))


# ---- factory --------------------------------------------------------------------------------------------------


def test_make_backend_follows_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    from interviewmate.config import Settings
    from interviewmate.models.backends import make_backend
    from interviewmate.models.backends.openai_http import OpenAICompatibleBackend

    monkeypatch.setenv("INTERVIEWMATE_LLM_BACKEND", "openai")
    monkeypatch.setenv("INTERVIEWMATE_OPENAI_BASE_URL", "http://127.0.0.1:1234/v1/")
    backend = make_backend(Settings())
    assert isinstance(backend, OpenAICompatibleBackend) and backend.base_url == "http://127.0.0.1:1234/v1"
    monkeypatch.setenv("INTERVIEWMATE_LLM_BACKEND", "fake")
    assert make_backend(Settings()).name == "fake"


@pytest.mark.slow
def test_transformers_loads_packaged_gguf_and_caches_a_float_copy(
    shared_model_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from interviewmate.models import loaders
    from interviewmate.models.backends.transformers_backend import TransformersBackend

    backend = TransformersBackend.from_registry("smollm2-135m-instruct", shared_model_cache)
    assert (loaders.hf_cache_path("smollm2-135m-instruct", shared_model_cache) / "config.json").exists()
    text = backend.generate(ASK, GenerationParams(max_tokens=16))
    assert len(text.split()) >= 3

    def no_gguf(*_: Any) -> Path:
        raise AssertionError("the cached float copy should be used, not the GGUF")

    monkeypatch.setattr(loaders, "gguf_path", no_gguf)
    again = TransformersBackend.from_registry("smollm2-135m-instruct", shared_model_cache)
    assert again.generate(ASK, GenerationParams(max_tokens=16)) == text
