"""The project's stack: third-party imports in .py files and notebook code cells, and the dependencies declared
in pyproject.toml, requirements*.txt, setup.cfg and package.json."""

from __future__ import annotations

import ast
import configparser
import json
import re
import sys
import tomllib
from collections import defaultdict
from pathlib import PurePosixPath

from interviewmate.prepguide.model import Project, SourceRef, StackItem, TextBlock

MAX_STACK = 30
MAX_REFS = 3
IMPORT_TO_DIST = {
    "sklearn": "scikit-learn", "cv2": "opencv-python", "PIL": "pillow", "yaml": "pyyaml",
    "bs4": "beautifulsoup4", "skimage": "scikit-image", "dateutil": "python-dateutil",
    "dotenv": "python-dotenv", "multipart": "python-multipart", "jose": "python-jose",
    "google.protobuf": "protobuf", "Levenshtein": "python-levenshtein", "docx": "python-docx",
    "fitz": "pymupdf", "attr": "attrs", "OpenSSL": "pyopenssl", "serial": "pyserial",
}  # fmt: skip
_REQ_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")
_IMPORT_LINE = re.compile(r"^\s*(?:from\s+([\w.]+)\s+import\b|import\s+([\w.]+))")


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def local_names(project: Project) -> set[str]:
    """Module and package names the project defines itself (so `import mypkg` is not third-party)."""
    names: set[str] = set()
    for path in project.paths:
        p = PurePosixPath(path)
        if p.suffix in {".py", ".ipynb"}:
            names.add(p.stem)
            names.update(part for part in p.parts[:-1])
    return names


def imports_in(block: TextBlock) -> list[tuple[str, int]]:
    """(top-level module, line) for every absolute import in a Python code block."""
    source = "\n".join(
        "" if re.match(r"\s*[%!]", line) else line for line in block.text.splitlines()
    )  # notebook magics and shell lines are not Python; blanking keeps line numbers
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        found = []
        for i, line in enumerate(source.splitlines(), start=1):
            if m := _IMPORT_LINE.match(line):
                found.append(((m.group(1) or m.group(2)).split(".")[0], i))
        return found
    out: list[tuple[str, int]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.extend((a.name.split(".")[0], node.lineno) for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            out.append((node.module.split(".")[0], node.lineno))
    return out


def _line_of(text: str, needle: str) -> int:
    for i, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return i
    return 1


def declared_deps(block: TextBlock) -> list[tuple[str, int]]:
    """(distribution name, line) declared by a dependency file."""
    name = PurePosixPath(block.file).name.lower()
    reqs: list[str] = []
    if name == "pyproject.toml":
        try:
            data = tomllib.loads(block.text)
        except tomllib.TOMLDecodeError:
            return []
        proj = data.get("project", {})
        reqs += list(proj.get("dependencies", []))
        for group in proj.get("optional-dependencies", {}).values():
            reqs += list(group)
        for group in data.get("dependency-groups", {}).values():
            reqs += [r for r in group if isinstance(r, str)]
        poetry = data.get("tool", {}).get("poetry", {})
        reqs += [k for k in poetry.get("dependencies", {}) if k.lower() != "python"]
    elif name.startswith("requirements"):
        reqs = [ln for ln in block.text.splitlines() if ln.strip() and not ln.lstrip().startswith(("#", "-"))]
    elif name == "setup.cfg":
        cfg = configparser.ConfigParser()
        try:
            cfg.read_string(block.text)
            reqs = cfg.get("options", "install_requires", fallback="").splitlines()
        except configparser.Error:
            return []
    elif name == "package.json":
        try:
            data = json.loads(block.text)
        except ValueError:
            return []
        for key in ("dependencies", "devDependencies"):
            deps = data.get(key, {}) if isinstance(data, dict) else {}
            reqs += list(deps) if isinstance(deps, dict) else []
    out = []
    for req in reqs:
        if m := _REQ_NAME.match(str(req)):
            out.append((m.group(1), _line_of(block.text, m.group(1))))
    return out


def extract_stack(project: Project, limit: int = MAX_STACK) -> list[StackItem]:
    """Declared-and-imported first, then by how many files import it."""
    stdlib = set(sys.stdlib_module_names) | {"__future__"}
    local = local_names(project)
    display: dict[str, str] = {}
    refs: dict[str, list[SourceRef]] = defaultdict(list)
    files: dict[str, set[str]] = defaultdict(set)
    declared: set[str] = set()
    for block in project.text_of(("config",)):
        for dist, line in declared_deps(block):
            key = normalise(dist)
            display[key] = dist
            declared.add(key)
            refs[key].append(block.ref(line))
    for block in project.text_of(("code",)):
        if not block.file.endswith((".py", ".ipynb")) or re.search(
            r"(^|/)(tests?/|test_|conftest)", block.file
        ):
            continue  # what the tests import is tooling, not the project's stack
        for module, line in imports_in(block):
            if module in stdlib or module in local or not module.isidentifier():
                continue
            key = normalise(IMPORT_TO_DIST.get(module, module))
            display.setdefault(key, IMPORT_TO_DIST.get(module, module))
            files[key].add(block.file)
            if len(refs[key]) < MAX_REFS * 2:
                refs[key].append(block.ref(line))
    keys = sorted(
        display,
        key=lambda k: (-(k in declared and bool(files[k])), -len(files[k]), k not in declared, k),
    )
    return [StackItem(display[k], tuple(dict.fromkeys(refs[k]))[:MAX_REFS], k in declared) for k in keys][
        :limit
    ]
