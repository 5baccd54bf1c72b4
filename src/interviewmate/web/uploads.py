"""Reading uploads with a cap: never more than the limit (plus one byte, to know it was over) in memory."""

from __future__ import annotations

from fastapi import UploadFile

from interviewmate.errors import DataError

CHUNK = 1 << 16


async def read_capped(upload: UploadFile, max_bytes: int) -> bytes:
    name = upload.filename or "upload"
    parts: list[bytes] = []
    total = 0
    while chunk := await upload.read(CHUNK):
        total += len(chunk)
        if total > max_bytes:
            raise DataError(
                f"{name}: the file is over the {max_bytes / 1e6:.1f} MB limit; upload a smaller file"
            )
        parts.append(chunk)
    return b"".join(parts)
