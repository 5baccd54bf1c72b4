"""The project's parts: modules, entry points (console scripts, `__main__` blocks, typer/click/argparse CLIs)
and web apps (FastAPI/Flask apps and their routes), each with the file and line that defines it."""

from __future__ import annotations

import ast
import json
import re
import tomllib
from pathlib import PurePosixPath

from interviewmate.prepguide.model import Component, Project, SourceRef, TextBlock

MAX_MODULES = 25
MAX_COMPONENTS = 80
_MAIN = re.compile(r"""^if\s+__name__\s*==\s*['"]__main__['"]\s*:""")
_APP = re.compile(r"^\s*(\w+)\s*(?::\s*\w+\s*)?=\s*(?:fastapi\.)?(FastAPI|APIRouter|Flask)\(")
_ROUTE = re.compile(r"""^\s*@(\w+)\.(get|post|put|delete|patch|route|websocket)\(\s*['"]([^'"]*)['"]""")
_CLI = re.compile(r"(typer\.Typer\(|argparse\.ArgumentParser\(|@click\.(?:command|group)\b)")
_COMMAND = re.compile(r"^\s*@(\w+)\.command\(")
_SUBPARSER = re.compile(r"""add_parser\(\s*['"]([\w-]+)['"]""")
_NO_TITLE = Component("notebook", "", SourceRef("", 1))
_DEF = re.compile(r"^\s*(?:async\s+)?def\s+(\w+)")


def _module_name(path: str) -> str:
    p = PurePosixPath(path)
    parts = [x for x in p.with_suffix("").parts if x != "src"]
    if parts and parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts) or p.stem


def _next_def(lines: list[str], start: int) -> str:
    for line in lines[start : start + 6]:
        if m := _DEF.match(line):
            return m.group(1)
    return ""


def code_components(block: TextBlock) -> list[Component]:
    lines = block.text.splitlines()
    name = _module_name(block.file)
    out: list[Component] = []
    for i, line in enumerate(lines, start=1):
        if _MAIN.match(line):
            out.append(Component("main block", name, block.ref(i), f"python -m {name}"))
        if m := _APP.match(line):
            kind = "web app" if m.group(2) != "APIRouter" else "router"
            out.append(Component(kind, f"{m.group(2)} `{m.group(1)}`", block.ref(i), name))
        if m := _ROUTE.match(line):
            verb = "ROUTE" if m.group(2) == "route" else m.group(2).upper()
            handler = _next_def(lines, i)
            out.append(Component("route", f"{verb} {m.group(3)}", block.ref(i), handler))
        if m := _CLI.search(line):
            tool = m.group(1).split(".")[0].lstrip("@")
            out.append(Component("cli", f"{tool} CLI", block.ref(i), name))
        if _COMMAND.match(line) and (fn := _next_def(lines, i)):
            out.append(Component("cli command", fn.replace("_", "-"), block.ref(i), name))
        if m := _SUBPARSER.search(line):
            out.append(Component("cli command", m.group(1), block.ref(i), name))
    return out


def _docstring(block: TextBlock) -> str:
    try:
        doc = ast.get_docstring(ast.parse(block.text)) or ""
    except (SyntaxError, ValueError):
        return ""
    return doc.strip().splitlines()[0] if doc.strip() else ""


def script_components(block: TextBlock) -> list[Component]:
    """Console scripts from pyproject.toml ([project.scripts], poetry scripts) and package.json (bin, scripts)."""
    name = PurePosixPath(block.file).name.lower()
    entries: dict[str, str] = {}
    if name == "pyproject.toml":
        try:
            data = tomllib.loads(block.text)
        except tomllib.TOMLDecodeError:
            return []
        entries.update(data.get("project", {}).get("scripts", {}))
        entries.update(data.get("tool", {}).get("poetry", {}).get("scripts", {}))
    elif name == "package.json":
        try:
            data = json.loads(block.text)
        except ValueError:
            return []
        if isinstance(data, dict):
            for key in ("bin", "scripts"):
                if isinstance(data.get(key), dict):
                    entries.update({str(k): str(v) for k, v in data[key].items()})
    elif name == "setup.cfg":
        m = re.search(r"console_scripts\s*=\s*\n((?:[ \t]+.+\n?)+)", block.text)
        for line in m.group(1).splitlines() if m else []:
            if "=" in line:
                k, v = line.split("=", 1)
                entries[k.strip()] = v.strip()
    out = []
    lines = block.text.splitlines()
    for script, target in entries.items():
        line = next((i for i, ln in enumerate(lines, 1) if script in ln and str(target)[:20] in ln), 1)
        out.append(Component("console script", script, block.ref(line), str(target)))
    return out


def extract_components(project: Project) -> list[Component]:
    out: list[Component] = []
    for block in project.text_of(("config",)):
        out.extend(script_components(block))
    modules: list[Component] = []
    notebooks: dict[str, Component] = {}
    for block in project.text_of(("code", "doc")):
        if block.file.endswith(".ipynb") and not notebooks.get(block.file, _NO_TITLE).detail:
            heading = next((ln.lstrip("# ") for ln in block.text.splitlines() if ln.startswith("#")), "")
            first = notebooks.get(block.file, Component("notebook", block.file, block.ref(1)))
            notebooks[block.file] = Component("notebook", block.file, first.source, heading.strip())
        if block.kind != "code" or not block.file.endswith((".py", ".ipynb")):
            continue
        out.extend(code_components(block))
        is_test = re.search(r"(^|/)(tests?|conftest)", block.file) is not None
        if block.file.endswith(".py") and not is_test and len(modules) < MAX_MODULES:
            modules.append(
                Component("module", _module_name(block.file), SourceRef(block.file, 1), _docstring(block))
            )
    out.extend(notebooks.values())
    out.extend(modules)
    return out[:MAX_COMPONENTS]
