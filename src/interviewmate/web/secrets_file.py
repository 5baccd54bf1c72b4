"""The key that signs session cookies: random, kept in the data dir (mode 0600), made on first start."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

SECRET_FILE = "web_secret.key"


def load_or_create_secret(data_dir: Path) -> str:
    """Read the signing key, creating it atomically the first time; never in code or settings."""
    path = data_dir / SECRET_FILE
    data_dir.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        key = path.read_text(encoding="ascii").strip()
        if len(key) >= 32:
            return key
        # a truncated or empty file (crash while writing): replace it; old cookies stop working, nothing else
        path.unlink()
        return load_or_create_secret(data_dir)
    key = secrets.token_urlsafe(48)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(key)
    return key
