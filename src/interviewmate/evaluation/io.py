"""Read prediction/reference files: JSON Lines of {"id", "text"}, matched by id, with errors that name the line."""

from __future__ import annotations

import json
from pathlib import Path

from interviewmate.errors import DataError


def read_texts(path: Path, allow_empty: bool = False) -> dict[str, str]:
    if not path.exists():
        raise DataError(f"{path}: file not found")
    try:
        raw = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        bad_line = path.read_bytes()[: exc.start].count(b"\n") + 1
        raise DataError(f"{path.name}:{bad_line}: not valid UTF-8 (byte {exc.start})") from None
    out: dict[str, str] = {}
    for n, line in enumerate(raw.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise DataError(f"{path.name}:{n}: not valid JSON ({exc.msg})") from None
        if not isinstance(row, dict) or "id" not in row or "text" not in row:
            raise DataError(f'{path.name}:{n}: each line needs {{"id": ..., "text": ...}}')
        key, text = str(row["id"]), row["text"]
        if not isinstance(text, str):
            raise DataError(f"{path.name}:{n}: text must be a string")
        if not text.strip() and not allow_empty:
            raise DataError(f"{path.name}:{n}: empty text for id {key}")
        if key in out:
            raise DataError(f"{path.name}:{n}: duplicate id {key}")
        out[key] = text
    if not out:
        raise DataError(f"{path.name}: no items")
    return out


def match_ids(
    predictions: dict[str, str], references: dict[str, str], what: str = "predictions"
) -> list[str]:
    missing = sorted(set(references) - set(predictions))
    extra = sorted(set(predictions) - set(references))
    if missing or extra:
        parts = []
        if missing:
            parts.append(f"{len(missing)} reference ids have no {what} (first: {missing[0]})")
        if extra:
            parts.append(f"{len(extra)} {what} ids are not in the references (first: {extra[0]})")
        raise DataError("ids do not match: " + "; ".join(parts))
    return sorted(references)
