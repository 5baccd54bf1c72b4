from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from interviewmate.data.pipeline import build_corpus
from interviewmate.models.embedder import HashingEmbedder
from interviewmate.routing.baselines import TfidfLogReg, zero_shot
from interviewmate.routing.evaluate import evaluate_router, external_behavioral_questions
from interviewmate.routing.model import DIFFICULTIES, TYPES, load_router, router_text
from interviewmate.routing.service import LOW_CONFIDENCE, resolve_route
from interviewmate.routing.train import RouterTrainConfig, split_requests, train_router

EXTERNAL = Path(__file__).resolve().parents[3] / "shared" / "external" / "tech-interview-handbook"


@pytest.fixture(scope="module")
def minilm_tokenizer() -> Any:
    from transformers import AutoTokenizer

    from interviewmate.models.loaders import embedding_model_dir

    return AutoTokenizer.from_pretrained(str(embedding_model_dir("all-minilm-l6-v2")))


def _tiny_encoder(vocab: int) -> Any:
    import torch
    from transformers import BertConfig, BertModel

    torch.manual_seed(0)
    return BertModel(
        BertConfig(
            vocab_size=vocab,
            hidden_size=32,
            num_hidden_layers=2,
            num_attention_heads=2,
            intermediate_size=64,
            max_position_embeddings=128,
        )
    )


@pytest.fixture(scope="module")
def tiny_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.conftest import make_tiny_corpus

    return make_tiny_corpus(tmp_path_factory.mktemp("router") / "corpus")


@pytest.fixture(scope="module")
def trained(
    tiny_corpus: Path, tmp_path_factory: pytest.TempPathFactory, minilm_tokenizer: Any
) -> tuple[Path, Path]:
    tmp_path = tmp_path_factory.mktemp("router-run")
    assert build_corpus(tiny_corpus, HashingEmbedder()).written is not None
    encoder = _tiny_encoder(minilm_tokenizer.vocab_size)
    encoder_dir = tmp_path / "encoder"
    encoder.save_pretrained(encoder_dir)
    minilm_tokenizer.save_pretrained(encoder_dir)
    cfg = RouterTrainConfig(
        output_dir=tmp_path / "run", epochs=3, batch_size=8, patience=5, learning_rate=5e-3
    )
    result = train_router(cfg, encoder, minilm_tokenizer, tiny_corpus, progress=False)
    assert result.train_examples == len(split_requests(tiny_corpus, "train")) and result.epochs_run == 3
    return Path(result.router_dir), encoder_dir


def test_router_trains_saves_compactly_and_reloads(trained: tuple[Path, Path]) -> None:
    router_dir, encoder_dir = trained
    files = {p.name: p.stat().st_size for p in router_dir.rglob("*") if p.is_file()}
    assert "heads.safetensors" in files and "adapter_model.safetensors" in files
    assert max(files.values()) < 20 * 1024 * 1024
    router = load_router(router_dir, encoder_dir)
    result = router.route("data_scientist", "tell me about a time you handled conflict")
    assert result.interview_type in TYPES and result.difficulty in DIFFICULTIES
    assert 0.0 < result.confidence_type <= 1.0 and set(result.to_json()["confidence"]) == {  # type: ignore[arg-type]
        "interview_type",
        "difficulty",
    }


def test_explicit_choices_override_and_low_confidence_is_shown(trained: tuple[Path, Path]) -> None:
    router = load_router(*trained)
    free = resolve_route(router, "ml_engineer", "something vague")
    assert free.type_source == free.difficulty_source == "router"
    if free.route.confidence_type < LOW_CONFIDENCE:
        assert "interview_type" in free.low_confidence
    forced = resolve_route(
        router, "ml_engineer", "something vague", interview_type="coding", difficulty="hard"
    )
    assert (forced.interview_type, forced.difficulty) == ("coding", "hard")
    assert forced.to_json()["source"] == {"interview_type": "user", "difficulty": "user"}
    assert forced.low_confidence == []


def test_evaluation_writes_reports_with_baselines_and_mcnemar(
    trained: tuple[Path, Path], tiny_corpus: Path, tmp_path: Path
) -> None:
    summary = evaluate_router(
        load_router(*trained), HashingEmbedder(), tmp_path / "eval", tiny_corpus, split="train"
    )
    for head in ("interview_type", "difficulty"):
        assert set(summary["heads"][head]) >= {"router", "tfidf_logreg", "zero_shot"}
        assert any(k.startswith("mcnemar_vs_") for k in summary["heads"][head])
    assert (tmp_path / "eval" / "classification_interview_type_router.json").exists()
    assert summary["latency_ms_median"] > 0


def test_baselines_learn_and_zero_shot_runs() -> None:
    texts = [
        "tell me about a time you led a team",
        "design a url shortener at scale",
        "reverse a linked list in place",
        "explain how a b-tree index works",
    ] * 5
    labels = ["behavioral", "system_design", "coding", "technical"] * 5
    lr = TfidfLogReg().fit(texts, labels)
    assert lr.predict(["tell me about a time you disagreed"])[0] == ["behavioral"]
    pred, conf = zero_shot(texts[:4], TYPES, HashingEmbedder())
    assert len(pred) == 4 and all(0 < c <= 1 for c in conf)


def test_external_questions_are_read_from_shared() -> None:
    path = EXTERNAL / "behavioral-interview-questions.md"
    if not path.exists():
        pytest.skip("../shared/external is not beside this checkout")
    items = external_behavioral_questions(path)
    assert len(items) >= 25 and all(len(q) > 5 for q in items)


def test_router_text_includes_jd_excerpt() -> None:
    assert "job description" in router_text("ml_engineer", "x", "We build " * 100)
    assert len(router_text("ml_engineer", "x", "word " * 500).split()) < 80


@pytest.mark.slow
def test_packaged_router_meets_targets_and_routes_external_behavioral_questions() -> None:
    from interviewmate.evaluation.classification import classification_report
    from interviewmate.routing.service import load_default_router

    router = load_default_router()
    test = split_requests(Path(__file__).resolve().parents[2] / "src" / "interviewmate" / "data", "test")
    preds = router.route_texts([router_text(r.role, r.text) for r in test])
    type_f1 = classification_report(
        [r.interview_type for r in test], [p.interview_type for p in preds], TYPES
    ).macro_f1
    diff_f1 = classification_report(
        [r.difficulty for r in test], [p.difficulty for p in preds], DIFFICULTIES
    ).macro_f1
    assert type_f1 >= 0.90 and diff_f1 >= 0.80
    path = EXTERNAL / "behavioral-interview-questions.md"
    if not path.exists():
        pytest.skip("../shared/external is not beside this checkout")
    questions = external_behavioral_questions(path)
    routed = router.route_texts([router_text("backend_engineer", q) for q in questions])
    share = sum(r.interview_type == "behavioral" for r in routed) / len(routed)
    assert share >= 0.90, f"{share:.0%} of {len(routed)} external behavioral questions routed to behavioral"
