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
  stopped (saved on cancellation or a fatal error);
- ``options``: the options that change what is sent (region, phone format, DNC screening),
  and ``fingerprints``: per chunk, a digest of its rows and bodies and a 16-bit hash per row.
  A resumed run whose input or options differ is refused, naming the first row that differs.
  (After a hard kill, the chunks of the last write-ahead batch may have no fingerprint yet;
  they are then not checked.)

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

FORMAT_VERSION = 2
_READABLE_VERSIONS = (1, 2)
_LEGACY_OPTIONS = "region=None, phone_format=national, skip_dnc=False"
"""What a version-1 upload sent: numbers as written (resume it with ``region=None``)."""


@attrs.define
class ChunkOutcome:
    """What happened to the rows of one chunk.

    ``duplicates`` are ``(row, number)`` pairs refused as already in the account; ``invalid``
    are ``(row, field, message)`` triples the server refused although the client accepted them.
    """

    created: int = 0
    duplicates: list[tuple[int, str]] = attrs.field(factory=list)
    invalid: list[tuple[int, str, str]] = attrs.field(factory=list)
    do_not_call: list[tuple[int, str]] = attrs.field(factory=list)

    def known(self) -> ChunkOutcome:
        """A copy without the created count: what is settled for good."""
        return ChunkOutcome(
            duplicates=list(self.duplicates),
            invalid=list(self.invalid),
            do_not_call=list(self.do_not_call),
        )

    def settled_rows(self) -> set[int]:
        rows = {row for row, _ in self.duplicates}
        rows.update(row for row, _ in self.do_not_call)
        rows.update(row for row, _, _ in self.invalid)
        return rows

    def to_json(self) -> dict[str, Any]:
        return {
            "created": self.created,
            "duplicates": [list(item) for item in self.duplicates],
            "invalid": [list(item) for item in self.invalid],
            "do_not_call": [list(item) for item in self.do_not_call],
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
            do_not_call=[(int(row), str(number)) for row, number in data.get("do_not_call", [])],
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
    options: str | None = None
    fingerprints: dict[int, tuple[str, str]] = attrs.field(factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "version": FORMAT_VERSION,
            "options": self.options,
            "fingerprints": {str(k): list(v) for k, v in sorted(self.fingerprints.items())},
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
            if data.get("version") not in _READABLE_VERSIONS:
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
                options=_LEGACY_OPTIONS if data["version"] == 1 else str(data["options"]),
                fingerprints={
                    int(k): (str(digest), str(rows))
                    for k, (digest, rows) in data.get("fingerprints", {}).items()
                },
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

    def check_options(self, path: Path, options: str) -> None:
        """Refuse a checkpoint written with other options (region, phone format, DNC)."""
        if self.options is not None and self.options != options:
            raise InvalidInputError(
                "checkpoint",
                str(path),
                f"it was written with {self.options}; this upload has {options}. Resume with "
                "the same options and input, or use another checkpoint file",
            )

    def check_chunk(self, path: Path, index: int, rows: list[int], print_: tuple[str, str]) -> None:
        """Refuse a chunk whose rows differ from the ones this checkpoint saw."""
        known = self.fingerprints.get(index)
        if known is None or known[0] == print_[0]:
            return
        old, new = known[1], print_[1]
        common = min(len(old), len(new)) // 4
        where = next(
            (i for i in range(common) if old[4 * i : 4 * i + 4] != new[4 * i : 4 * i + 4]), common
        )
        row = rows[where] if where < len(rows) else (rows[-1] + 1 if rows else 0)
        raise InvalidInputError(
            "checkpoint",
            str(path),
            f"the input differs from the one this checkpoint was written for, first at data "
            f"row {row + 1} (0-based row {row}). Resume with the same file, or use another "
            "checkpoint file (delete it to start over)",
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
