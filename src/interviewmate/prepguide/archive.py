"""Uploads, read in memory (nothing is written to disk): a .zip of a project, or a pasted README."""

from __future__ import annotations

import io
import stat
import zipfile
from collections.abc import Callable
from pathlib import PurePosixPath

from interviewmate.errors import DataError
from interviewmate.prepguide.model import Project
from interviewmate.prepguide.scan import SKIP_DIRS, Candidate, Limits, build_project, kind_of

TEXT_UPLOAD_EXT = {".md", ".markdown", ".txt", ".rst"}


MAX_ZIP_BYTES = 20_000_000  # a project's code and docs zip to a few MB; data and weights do not belong in it


def safe_member_path(name: str) -> str:
    """The member's posix path, or a DataError when it is absolute or climbs out of the archive."""
    clean = name.replace("\\", "/")
    parts = PurePosixPath(clean).parts
    if clean.startswith("/") or (parts and parts[0].endswith(":")) or ".." in parts:
        raise DataError(f"zip entry {name!r} points outside the archive: refusing the upload")
    return "/".join(p for p in parts if p not in ("", "."))


def read_zip(filename: str, data: bytes, limits: Limits | None = None) -> Project:
    limits = limits or Limits()
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise DataError(f"{filename}: not a valid .zip file") from None
    infos = zf.infolist()
    if len(infos) > limits.max_archive_members:
        raise DataError(
            f"{filename}: {len(infos)} entries, over the cap of {limits.max_archive_members}; "
            "zip just the project folder (no data, virtualenv or .git)"
        )
    declared = sum(i.file_size for i in infos)
    if declared > limits.max_archive_bytes:
        raise DataError(
            f"{filename}: {declared // 2**20} MiB uncompressed, over the cap of "
            f"{limits.max_archive_bytes // 2**20} MiB; zip just the code and docs"
        )
    members: list[tuple[str, zipfile.ZipInfo]] = []
    others = 0
    for info in infos:
        rel = safe_member_path(info.filename)  # checked for every entry, even ones we would skip
        if info.is_dir() or not rel:
            continue
        if stat.S_ISLNK(info.external_attr >> 16) or info.flag_bits & 0x1:  # symlink or encrypted
            others += 1
            continue
        if any(p in SKIP_DIRS or p.endswith(".egg-info") for p in rel.split("/")[:-1]):
            continue
        if kind_of(rel) is None:
            others += 1
            continue
        members.append((rel, info))
    prefix = _common_folder([rel for rel, _ in members])
    candidates = [
        Candidate(rel[len(prefix) :], info.file_size, _member_loader(zf, info)) for rel, info in members
    ]
    name = prefix.rstrip("/") or PurePosixPath(filename).stem
    return build_project(name, candidates, others, limits)


def _common_folder(paths: list[str]) -> str:
    """ "proj/" when every path sits under one top folder (how most project zips are made), else ""."""
    tops = {p.split("/", 1)[0] for p in paths}
    if len(tops) == 1 and all("/" in p for p in paths):
        return tops.pop() + "/"
    return ""


def _member_loader(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> Callable[[int], bytes]:
    def load(n: int) -> bytes:
        try:
            with zf.open(info) as fh:
                return fh.read(n)  # reads at most n bytes whatever the header claims
        except (zipfile.BadZipFile, RuntimeError, OSError) as exc:
            raise DataError(f"zip entry {info.filename!r} cannot be read: {exc}") from None

    return load


def read_upload(filename: str, data: bytes, limits: Limits | None = None) -> Project:
    """A .zip of a project, or a README pasted or uploaded as .md/.txt/.rst."""
    limits = limits or Limits()
    suffix = PurePosixPath(filename.replace("\\", "/")).suffix.lower()
    if suffix == ".zip" or data[:4] == b"PK\x03\x04":
        return read_zip(filename, data, limits)
    if suffix not in TEXT_UPLOAD_EXT and suffix != "":
        raise DataError(f"{filename}: upload a .zip of the project or its README (.md/.txt)")
    if len(data) > limits.max_file_bytes:
        raise DataError(f"{filename}: over {limits.max_file_bytes // 2**10} KiB; a README is much smaller")
    name = PurePosixPath(filename.replace("\\", "/")).name or "README.md"
    if kind_of(name) != "doc":
        name = "README.md"
    return build_project(
        PurePosixPath(name).stem, [Candidate(name, len(data), lambda n: data[:n])], 0, limits
    )
