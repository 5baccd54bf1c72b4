from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest

from interviewmate.data.pipeline import build_corpus
from interviewmate.models.embedder import HashingEmbedder
from interviewmate.retrieval.evaluate import evaluate_retriever
from interviewmate.retrieval.examples import load_split
from interviewmate.retrieval.model import ADAPTER_SUBDIR, SentenceModelEmbedder, has_adapter, merge_adapter
from interviewmate.retrieval.train import (
    RetrieverTrainConfig,
    no_duplicate_batches,
    train_retriever,
    triplets,
)


def tiny_sentence_model(folder: Path) -> Any:
    """A random-init 2-layer BERT with MiniLM's tokenizer, mean pooling and normalisation."""
    import torch
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer.modules import Normalize, Pooling, Transformer
    from transformers import AutoTokenizer, BertConfig, BertModel

    from interviewmate.models.loaders import embedding_model_dir

    if not (folder / "config.json").exists():
        tokenizer = AutoTokenizer.from_pretrained(str(embedding_model_dir("all-minilm-l6-v2")))
        torch.manual_seed(0)
        encoder = BertModel(
            BertConfig(
                vocab_size=tokenizer.vocab_size,
                hidden_size=32,
                num_hidden_layers=2,
                num_attention_heads=2,
                intermediate_size=64,
                max_position_embeddings=128,
            )
        )
        encoder.save_pretrained(folder)
        tokenizer.save_pretrained(folder)
    transformer = Transformer(str(folder))
    transformer.max_seq_length = 64
    return SentenceTransformer(modules=[transformer, Pooling(32, "mean"), Normalize()], device="cpu")


@pytest.fixture(scope="module")
def tiny_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.conftest import make_tiny_corpus

    corpus = make_tiny_corpus(tmp_path_factory.mktemp("retriever") / "corpus")
    assert build_corpus(corpus, HashingEmbedder()).written is not None
    return corpus


@pytest.fixture(scope="module")
def trained(tiny_corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, Any]]:
    tmp = tmp_path_factory.mktemp("retriever-run")
    cfg = RetrieverTrainConfig(
        output_dir=tmp / "run", epochs=2, batch_size=8, learning_rate=5e-3, lora_r=4, query_form="question"
    )
    result = train_retriever(cfg, tiny_sentence_model(tmp / "encoder"), tiny_corpus, progress=False)
    return Path(result.retriever_dir), tmp / "encoder", json.loads((tmp / "run" / "result.json").read_text())


def test_training_runs_end_to_end_and_saves_a_small_loadable_adapter(
    trained: tuple[Path, Path, dict[str, Any]], tiny_corpus: Path
) -> None:
    retriever_dir, encoder_dir, result = trained
    assert has_adapter(retriever_dir)
    files = {p.name: p.stat().st_size for p in (retriever_dir / ADAPTER_SUBDIR).iterdir()}
    assert "adapter_model.safetensors" in files and max(files.values()) < 20 * 1024 * 1024
    n_train = len(load_split(tiny_corpus, "train").examples)
    assert result["train_examples"] == n_train > 0 and result["epochs_run"] == 2
    assert 1 <= result["best_epoch"] <= 2 and result["steps"] >= 2
    log = [json.loads(line) for line in (retriever_dir.parent / "metrics.jsonl").read_text().splitlines()]
    assert sum("val_mrr10" in row for row in log) == 2 and all(row.get("train_loss", 1.0) > 0 for row in log)

    merged = merge_adapter(tiny_sentence_model(encoder_dir), retriever_dir)
    plain = tiny_sentence_model(encoder_dir)
    texts = ["tell me about a model you shipped", "how did you cut latency"]
    tuned_vecs = SentenceModelEmbedder(merged, "tuned").encode(texts)
    base_vecs = SentenceModelEmbedder(plain, "base").encode(texts)
    assert tuned_vecs.shape == base_vecs.shape == (2, 32)
    assert abs(float((tuned_vecs**2).sum(axis=1)[0]) - 1.0) < 1e-4
    assert float(abs(tuned_vecs - base_vecs).max()) > 1e-4  # the adapter changed the encoder

    from peft import PeftModel

    reference = tiny_sentence_model(encoder_dir)
    reference[0].model = PeftModel.from_pretrained(
        reference[0].model, str(retriever_dir / ADAPTER_SUBDIR)
    ).merge_and_unload()
    peft_vecs = SentenceModelEmbedder(reference.eval(), "peft").encode(texts)
    assert float(abs(tuned_vecs - peft_vecs).max()) < 1e-5  # our merge is PEFT's merge


def test_batches_never_repeat_a_text_and_cover_every_row(tiny_corpus: Path) -> None:
    rows = triplets(load_split(tiny_corpus, "train"), "question", random.Random(1))
    batches = no_duplicate_batches(rows, 8, random.Random(2))
    assert sorted(i for b in batches for i in b) == list(range(len(rows)))
    for batch in batches:
        texts = [t for i in batch for t in rows[i]]
        assert len(texts) == len(set(texts)) and len(batch) <= 8
    clash = [("q1", "a", "b"), ("q2", "a", "c"), ("q3", "d", "e")]
    assert all(not ({0, 1} <= set(b)) for b in no_duplicate_batches(clash, 3, random.Random(0)))


def test_evaluation_reports_both_settings_significance_and_ablation(
    tiny_corpus: Path, tmp_path: Path
) -> None:
    from tests.retrieval.test_model import OracleEmbedder

    split = load_split(tiny_corpus, "train")
    summary = evaluate_retriever(
        HashingEmbedder(),
        OracleEmbedder(split),
        tmp_path / "eval",
        tiny_corpus,
        form="jd_summary+question",
        split="train",
        ablation_splits=("train",),
        plot_path=tmp_path / "tsne.png",
    )
    own = summary["own_resume"]
    assert own["tuned"]["hit@1"] == 1.0 and own["base"]["hit@1"] < 1.0
    assert own["tuned_vs_base"]["reciprocal_rank"]["mean_diff"] > 0
    assert summary["pooled"]["base"]["hit@10"] <= own["base"]["hit@10"]
    assert own["tuned_vs_base_question_only"]["hit@1"]["n"] == len(split.examples)
    assert {(r["model"], r["form"]) for r in summary["ablation"]} == {
        (m, f) for m in ("base", "tuned") for f in ("question", "jd_summary+question", "jd+question")
    }
    assert (tmp_path / "tsne.png").stat().st_size > 1000
    assert json.loads((tmp_path / "eval" / "retriever_eval.json").read_text())["n"] == len(split.examples)
