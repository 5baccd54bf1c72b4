"""Read JSON Lines into schema objects, collecting file:line errors instead of stopping at the first."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from interviewmate.data.schema import CORPUS_FILES

T = TypeVar("T", bound=BaseModel)


@dataclass(frozen=True)
class Issue:
    where: str  # "file:line" or "file"
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass
class Loaded:
    items: dict[str, list[BaseModel]] = field(default_factory=dict)
    lines: dict[str, dict[str, int]] = field(default_factory=dict)  # file -> id -> line number
    errors: list[Issue] = field(default_factory=list)


def read_jsonl(
    path: Path, schema: type[T], label: str | None = None
) -> tuple[list[T], dict[str, int], list[Issue]]:
    label = label or path.name
    items: list[T] = []
    lines: dict[str, int] = {}
    errors: list[Issue] = []
    if not path.exists():
        return items, lines, [Issue(label, "file is missing")]
    with path.open(encoding="utf-8") as fh:
        for n, raw in enumerate(fh, start=1):
            where = f"{label}:{n}"
            if not raw.strip():
                errors.append(Issue(where, "blank line"))
                continue
            try:
                obj = json.loads(raw)
            except json.JSONDecodeError as exc:
                errors.append(Issue(where, f"not valid JSON ({exc.msg} at column {exc.colno})"))
                continue
            try:
                item = schema.model_validate(obj)
            except ValidationError as exc:
                for err in exc.errors():
                    loc = ".".join(str(p) for p in err["loc"]) or "item"
                    errors.append(Issue(where, f"{loc}: {err['msg']}"))
                continue
            item_id = str(getattr(item, "id", n))
            if item_id in lines:
                errors.append(Issue(where, f"duplicate id {item_id} (first on line {lines[item_id]})"))
                continue
            lines[item_id] = n
            items.append(item)
    return items, lines, errors


def load_corpus(corpus_dir: Path) -> Loaded:
    loaded = Loaded()
    for name, schema in CORPUS_FILES.items():
        items, lines, errors = read_jsonl(corpus_dir / name, schema, label=name)
        loaded.items[name] = list(items)
        loaded.lines[name] = lines
        loaded.errors.extend(errors)
    return loaded
