"""The sample projects under projects/ are inputs, not tests: pytest must not collect them."""

from __future__ import annotations

from pathlib import Path

import pytest

collect_ignore_glob = ["projects/*"]
PROJECTS = Path(__file__).parent / "projects"


@pytest.fixture
def projects() -> Path:
    return PROJECTS
