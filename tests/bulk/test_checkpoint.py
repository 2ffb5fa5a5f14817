"""The checkpoint file: round trip and durable replacement."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from alice_async.bulk._checkpoint import Checkpoint, ChunkOutcome, write_durably


def test_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "c.ckpt"
    state = Checkpoint(7, 500, watermark=41, phonebook_count=3, started_upto=16)
    state.completed[0] = ChunkOutcome(497, [(12, "0934890883")], [(40, "email", "bad")])
    state.partial[3] = ChunkOutcome(
        duplicates=[(1600, "0934890884")], do_not_call=[(1601, "0934890885")]
    )
    state.options = "region=VN, phone_format=national, skip_dnc=True"
    state.fingerprints[0] = ("a1b2c3", "00ff" * 497)
    state.save(path)
    assert Checkpoint.load(path) == state
    assert Checkpoint.load(tmp_path / "missing.ckpt") is None


def test_a_failed_write_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "c.ckpt"
    write_durably(path, b"old")

    def broken_fsync(fd: int) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(OSError, match="disk full"):
        write_durably(path, b"new")
    assert path.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["c.ckpt"]  # no temporary file left


def test_a_version_1_checkpoint_is_still_read(tmp_path: Path) -> None:
    path = tmp_path / "old.ckpt"
    path.write_text(
        '{"version": 1, "phonebook": 7, "chunk_size": 500, "watermark": 41, '
        '"phonebook_count": 3, "started_upto": 16, "finished": false, '
        '"completed": {"0": {"created": 500, "duplicates": [], "invalid": []}}, "partial": {}}'
    )
    state = Checkpoint.load(path)
    assert state is not None
    assert state.completed[0].created == 500
    assert state.fingerprints == {}
    # Numbers were sent as written then: only the same options can resume it.
    assert state.options == "region=None, phone_format=national, skip_dnc=False"
