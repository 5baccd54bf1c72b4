"""Reading uploads with a cap: never more than the limit (plus one byte, to know it was over) in memory."""

from __future__ import annotations

from collections.abc import AsyncIterator

from fastapi import UploadFile

from interviewmate.errors import DataError

CHUNK = 1 << 16


async def capped_chunks(
    upload: UploadFile, max_bytes: int, what: str = "the file", chunk: int = CHUNK
) -> AsyncIterator[bytes]:
    """The upload's bytes chunk by chunk; DataError as soon as they pass `max_bytes`."""
    name = upload.filename or "upload"
    total = 0
    while part := await upload.read(chunk):
        total += len(part)
        if total > max_bytes:
            raise DataError(
                f"{name}: {what} is over the {max_bytes / 1e6:.1f} MB limit; upload a smaller file"
            )
        yield part


async def read_capped(upload: UploadFile, max_bytes: int) -> bytes:
    return b"".join([part async for part in capped_chunks(upload, max_bytes)])
