"""The checkpoint file of a bulk upload: what it holds and how it is written durably.

It holds no copy of the input: a resumed run re-reads the same input and rebuilds the chunks
deterministically (same validation, same de-duplication, same ``chunk_size``). What the file
keeps is the bookkeeping that cannot be rebuilt:

- ``phonebook``, ``chunk_size``: a checkpoint is refused for another upload shape;
- ``watermark``: the highest contact id of the account before anything was sent, and
  ``phonebook_count``: the phonebook's size at that moment (see :mod:`alice_async.bulk`);
- ``started_upto``: every chunk with a smaller index may have reached the server. It is written
  *before* those chunks are sent, a batch of chunks at a time (write-ahead);
- ``completed``: per finished chunk, its outcome (created count, duplicate rows, rows the
  server refused), so a resumed run skips it and still reports it;
- ``partial``: per unfinished chunk, the duplicates and refusals already known when the run
  stopped (saved on cancellation or a fatal error).

Writes are atomic and durable: a temporary file in the same directory is written, flushed and
``fsync``-ed, then ``os.replace``-d over the checkpoint, then the directory is ``fsync``-ed. A
crash leaves either the old or the new file, never a torn one.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import Any

import attrs

from .. import _json
from .._exceptions import InvalidInputError

__all__ = ["Checkpoint", "ChunkOutcome", "write_durably"]

FORMAT_VERSION = 1


@attrs.define
class ChunkOutcome:
    """What happened to the rows of one chunk.

    ``duplicates`` are ``(row, number)`` pairs refused as already in the account; ``invalid``
    are ``(row, field, message)`` triples the server refused although the client accepted them.
    """

    created: int = 0
    duplicates: list[tuple[int, str]] = attrs.field(factory=list)
    invalid: list[tuple[int, str, str]] = attrs.field(factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "created": self.created,
            "duplicates": [list(item) for item in self.duplicates],
            "invalid": [list(item) for item in self.invalid],
        }

    @classmethod
    def from_json(cls, data: Any) -> ChunkOutcome:
        return cls(
            created=int(data.get("created", 0)),
            duplicates=[(int(row), str(number)) for row, number in data.get("duplicates", [])],
            invalid=[
                (int(row), str(field), str(message))
                for row, field, message in data.get("invalid", [])
            ],
        )


@attrs.define
class Checkpoint:
    """The state of one upload as saved between runs."""

    phonebook: int
    chunk_size: int
    watermark: int
    phonebook_count: int
    started_upto: int = 0
    completed: dict[int, ChunkOutcome] = attrs.field(factory=dict)
    partial: dict[int, ChunkOutcome] = attrs.field(factory=dict)
    finished: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "version": FORMAT_VERSION,
            "phonebook": self.phonebook,
            "chunk_size": self.chunk_size,
            "watermark": self.watermark,
            "phonebook_count": self.phonebook_count,
            "started_upto": self.started_upto,
            "finished": self.finished,
            "completed": {str(k): v.to_json() for k, v in sorted(self.completed.items())},
            "partial": {str(k): v.to_json() for k, v in sorted(self.partial.items())},
        }

    @classmethod
    def from_json(cls, data: Any, *, path: Path) -> Checkpoint:
        try:
            if data.get("version") != FORMAT_VERSION:
                raise ValueError(f"unknown format version {data.get('version')!r}")
            return cls(
                phonebook=int(data["phonebook"]),
                chunk_size=int(data["chunk_size"]),
                watermark=int(data["watermark"]),
                phonebook_count=int(data["phonebook_count"]),
                started_upto=int(data["started_upto"]),
                finished=bool(data.get("finished", False)),
                completed={int(k): ChunkOutcome.from_json(v) for k, v in data["completed"].items()},
                partial={int(k): ChunkOutcome.from_json(v) for k, v in data["partial"].items()},
            )
        except (AttributeError, KeyError, TypeError, ValueError) as exc:
            raise InvalidInputError(
                "checkpoint", str(path), f"not a bulk-upload checkpoint ({exc})"
            ) from exc

    @classmethod
    def load(cls, path: Path) -> Checkpoint | None:
        """The checkpoint saved at ``path``, or ``None`` when there is no file yet."""
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return None
        try:
            data = _json.loads(raw)
        except ValueError as exc:
            raise InvalidInputError(
                "checkpoint", str(path), "not a bulk-upload checkpoint (not JSON)"
            ) from exc
        return cls.from_json(data, path=path)

    def check_matches(self, path: Path, *, phonebook: int, chunk_size: int) -> None:
        """Refuse a checkpoint written for another phonebook or chunk size."""
        if (self.phonebook, self.chunk_size) != (phonebook, chunk_size):
            raise InvalidInputError(
                "checkpoint",
                str(path),
                f"it was written for phonebook={self.phonebook}, chunk_size={self.chunk_size}; "
                f"this upload has phonebook={phonebook}, chunk_size={chunk_size}. Resume with "
                "the same phonebook, chunk_size and input, or use another checkpoint file",
            )

    def save(self, path: Path) -> None:
        """Write the checkpoint atomically and durably."""
        write_durably(path, _json.dumps(self.to_json()))


def write_durably(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` so that a crash leaves the old or the new content."""
    directory = path.parent
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    _fsync_directory(directory)


def _fsync_directory(directory: Path) -> None:
    # Makes the rename itself durable; not possible on every platform (Windows).
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)
