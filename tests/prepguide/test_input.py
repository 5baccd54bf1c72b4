"""Bad input gives one actionable DataError line; uploads are read in memory within caps."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from interviewmate.config import Settings
from interviewmate.errors import DataError
from interviewmate.models.embedder import HashingEmbedder
from interviewmate.prepguide import guide_from_path, guide_from_upload
from interviewmate.prepguide.archive import read_upload
from interviewmate.prepguide.scan import Limits, read_path


def zipped(files: dict[str, bytes | str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return buf.getvalue()


def one_line(exc: pytest.ExceptionInfo[DataError]) -> str:
    message = str(exc.value)
    assert "\n" not in message and message
    return message


def test_empty_folder(tmp_path: Path) -> None:
    with pytest.raises(DataError) as exc:
        read_path(tmp_path)
    assert "it is empty" in one_line(exc)


def test_only_binary_files(tmp_path: Path) -> None:
    (tmp_path / "model.bin").write_bytes(bytes(range(256)) * 10)
    (tmp_path / "plot.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    (tmp_path / "notes.txt").write_bytes(b"\xff\xfe\x00\x00binary pretending to be text")
    with pytest.raises(DataError) as exc:
        read_path(tmp_path)
    assert "3 files skipped" in one_line(exc)


def test_a_huge_tree_stops_at_the_entry_cap(tmp_path: Path) -> None:
    for i in range(30):
        (tmp_path / f"pkg{i}").mkdir()
        for j in range(5):
            (tmp_path / f"pkg{i}" / f"m{j}.py").write_text("import numpy\n")
    with pytest.raises(DataError) as exc:
        read_path(tmp_path, Limits(max_entries=100))
    assert "more than 100 files and folders" in one_line(exc)


def test_file_and_byte_caps_keep_the_readme_and_say_what_was_left(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("# Tool\n\nA tool that reaches 0.9 recall on 1,200 tickets.\n")
    for i in range(20):
        (tmp_path / f"mod{i:02d}.py").write_text("import numpy\n" * 10)
    (tmp_path / "big.md").write_text("x " * 5000)
    project = read_path(tmp_path, Limits(max_files=5, max_file_bytes=4000))
    assert project.paths[0] == "README.md" and len(project.paths) == 5
    assert any("more not read" in n for n in project.notes)
    assert any("over 3 KiB" in n for n in project.notes)


def test_symlinks_and_virtualenvs_are_not_followed(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("# P\n\nA project.\n")
    (tmp_path / ".venv").mkdir()
    (tmp_path / ".venv" / "lib.py").write_text("import secret_dep\n")
    (tmp_path / "link.md").symlink_to("/etc/hostname")
    assert read_path(tmp_path).paths == ["README.md"]


@pytest.mark.parametrize("evil", ["../evil.md", "proj/../../evil.md", "/etc/passwd.md", "C:/x/evil.md"])
def test_zip_with_a_path_outside_the_archive_is_refused(evil: str) -> None:
    data = zipped({"proj/README.md": "# P\n\nFine.\n", evil: "# gotcha\n"})
    with pytest.raises(DataError) as exc:
        read_upload("proj.zip", data)
    assert "outside the archive" in one_line(exc)


def test_zip_caps_refuse_bombs_and_huge_archives() -> None:
    bomb = zipped({"README.md": "# P\n\n" + "a" * 200_000})
    with pytest.raises(DataError) as exc:
        read_upload("bomb.zip", bomb, Limits(max_archive_bytes=100_000))
    assert "uncompressed" in one_line(exc)
    many = zipped({f"f{i}.md": "x" for i in range(50)})
    with pytest.raises(DataError) as exc:
        read_upload("many.zip", many, Limits(max_archive_members=20))
    assert "50 entries" in one_line(exc)
    with pytest.raises(DataError) as exc:
        read_upload("broken.zip", b"PK\x03\x04 not really a zip")
    assert "not a valid .zip" in one_line(exc)


def test_upload_zip_builds_a_guide_with_paths_relative_to_the_project(projects: Path) -> None:
    root = projects / "fastapi_service"
    files: dict[str, bytes | str] = {
        f"sentiment-main/{p.relative_to(root).as_posix()}": p.read_bytes()
        for p in root.rglob("*")
        if p.is_file()
    }
    files["sentiment-main/weights/model.onnx"] = b"\x00\x01binary"
    guide = guide_from_upload(
        "sentiment-main.zip", zipped(files), Settings(), use_llm=False, embedder=HashingEmbedder()
    )
    assert guide.project == "Sentiment API"
    assert "45 ms" in {n.value for n in guide.numbers}
    assert {n.source.file for n in guide.numbers} == {"README.md"}
    assert any(c.kind == "route" and c.source.file == "app/main.py" for c in guide.components)


def test_pasted_readme_and_wrong_file_types(projects: Path) -> None:
    data = (projects / "churn_model" / "README.md").read_bytes()
    guide = guide_from_upload("notes.txt", data, Settings(), use_llm=False, embedder=HashingEmbedder())
    assert guide.project == "Churn Predictor" and guide.numbers[0].source.file == "notes.txt"
    with pytest.raises(DataError) as exc:
        read_upload("setup.exe", b"MZ\x90\x00")
    assert ".zip" in one_line(exc)
    with pytest.raises(DataError):
        guide_from_upload("empty.md", b"   \n", Settings(), use_llm=False, embedder=HashingEmbedder())


def test_missing_path_and_unknown_role(tmp_path: Path, projects: Path) -> None:
    with pytest.raises(DataError) as exc:
        read_path(tmp_path / "nope")
    assert "no such file" in one_line(exc)
    guide = guide_from_path(
        projects / "notebook_only", Settings(), role="Senior DS", use_llm=False, embedder=HashingEmbedder()
    )
    assert guide.role == "data_scientist"
    assert any("validate the results" in q.text for q in guide.questions)


def test_a_git_checkout_leaves_ignored_files_out(tmp_path: Path) -> None:
    import shutil
    import subprocess

    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    (tmp_path / "README.md").write_text("# P\n\nA project with 0.9 recall.\n")
    (tmp_path / ".gitignore").write_text("/runs/\n")
    (tmp_path / "runs").mkdir()
    (tmp_path / "runs" / "copy.md").write_text("# Old run\n\n0.5 recall\n")
    (tmp_path / "app.py").write_text("import numpy\n")
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    assert sorted(read_path(tmp_path).paths) == ["README.md", "app.py"]


def test_a_zip_on_disk_reads_like_an_upload(projects: Path, tmp_path: Path) -> None:
    root = projects / "fastapi_service"
    files: dict[str, bytes | str] = {
        f"sentiment-main/{p.relative_to(root).as_posix()}": p.read_bytes()
        for p in root.rglob("*")
        if p.is_file()
    }
    path = tmp_path / "sentiment-main.zip"
    path.write_bytes(zipped(files))
    project = read_path(path)
    assert {b.file for b in project.blocks} >= {"README.md", "app/main.py"}
    (tmp_path / "x.exe").write_bytes(b"MZ")
    with pytest.raises(DataError, match=r"a \.zip of one"):
        read_path(tmp_path / "x.exe")


def test_a_latin1_readme_is_text_and_random_bytes_are_not() -> None:
    import random

    from interviewmate.prepguide.scan import decode_text

    readme = "# Café recommender\nLatency: 40 ms at p95 — naïve baseline 120 ms.\n".encode("cp1252")
    assert decode_text(readme) == readme.decode("cp1252")
    utf8 = ("# Résumé parser\n" + "Parses résumés in 40 ms at p95.\n" * 40).encode() + b"\xff stray byte\n"
    assert decode_text(utf8).startswith("# Résumé parser")  # one stray byte does not make it Windows-1252
    rng = random.Random(0)
    noise = bytes(rng.randrange(1, 256) for _ in range(4000))
    assert decode_text(noise) is None
