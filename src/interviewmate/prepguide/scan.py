"""Read a project (a folder, one file, or in-memory files from an upload) into text blocks, within caps:
entries walked, files read, bytes per file and in total. Binaries, caches and virtualenvs are skipped."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from interviewmate.errors import DataError
from interviewmate.prepguide.model import Project, TextBlock


@dataclass(frozen=True)
class Limits:
    max_entries: int = 20_000  # files + folders walked; more than this is a disk, not a project
    max_files: int = 400  # text files read, most useful first (README, docs, config, code)
    max_file_bytes: int = 2 * 1024 * 1024  # notebooks with outputs run to a few MB; bigger is data
    max_total_bytes: int = 16 * 1024 * 1024  # ~1 s of regex work on 2 cores
    max_archive_members: int = 5_000
    max_archive_bytes: int = 64 * 1024 * 1024  # uncompressed; a zip bomb is refused before anything is read
    max_cell_output_chars: int = 4_000


SKIP_DIRS = {
    ".git", ".hg", ".svn", ".venv", "venv", "env", ".env", "node_modules", "__pycache__", ".mypy_cache",
    ".pytest_cache", ".ruff_cache", ".tox", ".nox", ".idea", ".vscode", "build", "dist", "site-packages",
    ".ipynb_checkpoints", ".cache", "wandb", "mlruns", "htmlcov", "lightning_logs",
}  # fmt: skip
DOC_EXT = {".md", ".markdown", ".rst", ".txt"}
CODE_EXT = {".py", ".js", ".ts", ".jsx", ".tsx"}
CONFIG_EXT = {".toml", ".cfg", ".yaml", ".yml"}
CONFIG_NAMES = {"package.json", "dockerfile", "makefile", "setup.cfg", "pyproject.toml"}
SINGLE_FILE_EXT = DOC_EXT | {".ipynb", ".py"}


DATA_DIRS = {"data", "datasets", "fixtures", "testdata", "test_data", "corpus", "samples"}


def kind_of(rel: str) -> str | None:
    """'doc', 'code', 'config', 'notebook', or None for a file the guide does not read. Text files in data
    folders are data, not docs; a .txt is a doc only at the top, in docs/, or named like a README."""
    p = PurePosixPath(rel)
    name, ext = p.name.lower(), p.suffix.lower()
    folders = {f.lower() for f in p.parts[:-1]}
    if ext in DOC_EXT and (folders & DATA_DIRS or (ext == ".txt" and not _txt_is_doc(p))):
        return None
    if name in CONFIG_NAMES or (name.startswith("requirements") and ext in {".txt", ".in"}):
        return "config"
    if ext == ".ipynb":
        return "notebook"
    if ext in DOC_EXT:
        return "doc"
    if ext in CODE_EXT:
        return "code"
    if ext in CONFIG_EXT:
        return "config"
    return None


def _txt_is_doc(p: PurePosixPath) -> bool:
    return len(p.parts) == 1 or "docs" in p.parts[:-1] or p.name.lower().startswith(("readme", "notes"))


def _priority(rel: str) -> tuple[int, int, str]:
    p = PurePosixPath(rel)
    depth = len(p.parts) - 1
    kind = kind_of(rel)
    if p.name.lower().startswith("readme"):
        rank = 0 if depth == 0 else 2
    elif kind == "doc":
        rank = 1 if depth == 0 else 3
    elif kind == "config":
        rank = 1 if depth == 0 else 4
    elif "test" in rel.lower():
        rank = 6  # tests say less about the project than its code
    else:
        rank = 5
    return rank, depth, rel


@dataclass(frozen=True)
class Candidate:
    rel: str  # posix path relative to the project root
    size: int
    load: Callable[[int], bytes]  # read at most n bytes


def git_files(root: Path, limits: Limits) -> list[str] | None:
    """Files git tracks or would track (ignored ones left out), when root is the top of a git checkout."""
    git = shutil.which("git")
    if git is None or not (root / ".git").exists():
        return None
    try:
        out = subprocess.run(
            [git, "-C", str(root), "ls-files", "-co", "--exclude-standard", "-z"],
            capture_output=True,
            timeout=20,
            check=True,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    names = [n for n in out.decode("utf-8", "replace").split("\0") if n]
    if len(names) > limits.max_entries:
        raise DataError(
            f"{root} holds more than {limits.max_entries} files: point prep-guide at one project's folder"
        )
    return names


def walk_folder(root: Path, limits: Limits) -> tuple[list[Candidate], int]:
    """Files under root worth reading (symlinks and skipped folders left out), and how many others there were."""
    out: list[Candidate] = []
    others, entries = 0, 0
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            items = list(os.scandir(folder))
        except OSError:
            continue
        for entry in items:
            entries += 1
            if entries > limits.max_entries:
                raise DataError(
                    f"{root} holds more than {limits.max_entries} files and folders: "
                    "point prep-guide at one project's folder"
                )
            if entry.is_symlink():
                continue
            if entry.is_dir():
                if entry.name not in SKIP_DIRS and not entry.name.endswith(".egg-info"):
                    stack.append(Path(entry.path))
                continue
            rel = Path(entry.path).relative_to(root).as_posix()
            if kind_of(rel) is None:
                others += 1
                continue
            size = entry.stat().st_size
            out.append(Candidate(rel, size, _file_loader(Path(entry.path))))
    return out, others


def _file_loader(path: Path) -> Callable[[int], bytes]:
    def load(n: int) -> bytes:
        with path.open("rb") as fh:
            return fh.read(n)

    return load


def _listed(root: Path, names: list[str]) -> tuple[list[Candidate], int]:
    """Candidates from a list of relative paths (git's), with the same skips as the walk."""
    out: list[Candidate] = []
    others = 0
    for rel in names:
        path = root / rel
        parts = rel.split("/")
        if any(p in SKIP_DIRS or p.endswith(".egg-info") for p in parts[:-1]) or path.is_symlink():
            continue
        if kind_of(rel) is None or not path.is_file():
            others += 1
            continue
        out.append(Candidate(rel, path.stat().st_size, _file_loader(path)))
    return out, others


def decode_text(raw: bytes) -> str | None:
    """UTF-8 text; else Windows-1252 / Latin-1 text (older READMEs) when it reads as text; None when the bytes
    look binary."""
    if b"\x00" in raw[:8192]:
        return None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    text = raw.decode("utf-8-sig", errors="replace")
    if text.count("\ufffd") <= max(1, len(text) // 1000):  # UTF-8 with a stray byte or two
        return text
    text = raw.decode("cp1252", errors="replace")
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t\f")
    return text if controls <= len(text) // 100 and "\ufffd" not in text else None


def notebook_blocks(rel: str, text: str, limits: Limits) -> list[TextBlock]:
    """One block per cell (markdown -> doc, code -> code) plus one per code cell's text output."""
    try:
        cells = json.loads(text).get("cells", [])
    except (ValueError, AttributeError):
        return []
    blocks: list[TextBlock] = []
    for i, cell in enumerate(cells if isinstance(cells, list) else [], start=1):
        if not isinstance(cell, dict):
            continue
        source = _joined(cell.get("source", ""))
        ctype = cell.get("cell_type")
        if ctype == "markdown" and source.strip():
            blocks.append(TextBlock(rel, "doc", source, cell=i))
        elif ctype == "code":
            if source.strip():
                blocks.append(TextBlock(rel, "code", source, cell=i))
            output = "".join(_output_text(o) for o in cell.get("outputs", []) or [])
            if output.strip():
                blocks.append(TextBlock(rel, "output", output[: limits.max_cell_output_chars], cell=i))
    return blocks


def _joined(value: object) -> str:
    if isinstance(value, list):
        return "".join(str(v) for v in value)
    return value if isinstance(value, str) else ""


def _output_text(output: object) -> str:
    if not isinstance(output, dict):
        return ""
    if output.get("output_type") == "stream":
        return _joined(output.get("text", ""))
    data = output.get("data")
    if isinstance(data, dict) and "text/plain" in data:
        return _joined(data["text/plain"]) + "\n"
    return ""


def build_project(name: str, candidates: Iterable[Candidate], others: int, limits: Limits) -> Project:
    """Read the most useful candidates first until a cap is hit; a project with no readable text is an error."""
    project = Project(name=name)
    ordered = sorted(candidates, key=lambda c: _priority(c.rel))
    total, binaries, too_big, unread = 0, 0, 0, 0
    for cand in ordered:
        if len(project.paths) >= limits.max_files or total >= limits.max_total_bytes:
            unread += 1
            continue
        if cand.size > limits.max_file_bytes:
            too_big += 1
            continue
        raw = cand.load(limits.max_file_bytes + 1)
        if len(raw) > limits.max_file_bytes:  # the size on record lied (an archive header)
            too_big += 1
            continue
        text = decode_text(raw)
        if text is None:
            binaries += 1
            continue
        total += len(raw)
        project.paths.append(cand.rel)
        kind = kind_of(cand.rel)
        if kind == "notebook":
            project.blocks.extend(notebook_blocks(cand.rel, text, limits))
        elif kind is not None and text.strip():
            project.blocks.append(TextBlock(cand.rel, kind, text))
    if unread:
        project.notes.append(
            f"read the first {len(project.paths)} files (caps: {limits.max_files} files, "
            f"{limits.max_total_bytes // 2**20} MiB); {unread} more not read"
        )
    if too_big:
        project.notes.append(f"skipped {too_big} files over {limits.max_file_bytes // 2**10} KiB")
    if binaries:
        project.notes.append(f"skipped {binaries} binary files")
    if not project.blocks:
        seen = binaries + too_big + others
        why = f"({seen} files skipped as binary, too big or not text)" if seen else "(it is empty)"
        raise DataError(
            f"{name}: no README, docs, code or notebook text to read {why}; "
            "give a project folder, a .zip of one, or a README"
        )
    return project


def read_path(path: Path, limits: Limits | None = None) -> Project:
    """A project folder (at the top of a git checkout: the files git tracks or would track, so ignored run
    outputs stay out), a .zip of one (read in memory, as an upload is), or a single README / markdown / text /
    notebook / .py file."""
    limits = limits or Limits()
    if path.is_dir():
        tracked = git_files(path, limits)
        candidates, others = walk_folder(path, limits) if tracked is None else _listed(path, tracked)
        return build_project(path.resolve().name or str(path), candidates, others, limits)
    if path.is_file():
        if path.suffix.lower() == ".zip":
            from interviewmate.prepguide.archive import MAX_ZIP_BYTES, read_zip

            if path.stat().st_size > MAX_ZIP_BYTES:
                raise DataError(f"{path}: over {MAX_ZIP_BYTES // 1_000_000} MB; zip the code and docs only")
            return read_zip(path.name, path.read_bytes(), limits)
        if path.suffix.lower() not in SINGLE_FILE_EXT:
            raise DataError(
                f"{path}: give a project folder, a .zip of one, or a README (.md/.txt/.rst), notebook or .py file"
            )
        size = path.stat().st_size
        return build_project(path.stem, [Candidate(path.name, size, _file_loader(path))], 0, limits)
    raise DataError(f"{path}: no such file or folder")
