"""The destination protocol and the sync state that travels with the data.

A destination stores two things: rows (Arrow tables) and one opaque state text per feed.
Its single duty is to make both durable **together**: after a crash at any instant, either
the rows of a :meth:`Destination.write` and the state given with them are both there, or
neither is. The sync engine does everything else (what to pull, which ids to skip), so a new
destination is a few dozen lines (the README shows one for PostgreSQL).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, Protocol, runtime_checkable

import attrs

from .._exceptions import InvalidInputError

__all__ = ["STATE_VERSION", "Destination", "Feed", "HighWater", "SyncState"]

STATE_VERSION = 1


@attrs.frozen
class Feed:
    """What a destination is asked to hold: one resource's rows, keyed by ``id``.

    Attributes:
        name: ``"cdr"`` or ``"subscribers"``.
        schema: the ``pyarrow.Schema`` of the rows (the export's typed columns).
        partition_by: the datetime column a partitioned destination lays files out by (its
            UTC date), or ``None``.
    """

    name: str
    schema: Any
    partition_by: str | None = None


@runtime_checkable
class Destination(Protocol):
    """Where :meth:`client.cdr.sync <alice_async.resources.cdr.Cdrs.sync>` lands rows.

    The engine calls :meth:`open` once per run, then :meth:`write` once per committed batch,
    then :meth:`close` (also after a failure). Calls come from one worker thread at a time.
    """

    def open(self, feed: Feed) -> str | None:
        """Prepare to hold ``feed`` (create tables or directories, discard what a crashed run
        left uncommitted) and return the state text last committed for it (None: never)."""
        ...

    def write(self, rows: Any, state: str) -> None:
        """Append ``rows`` (a ``pyarrow.Table``, possibly empty) and replace the feed's state
        with ``state``, atomically: a crash leaves both or neither."""
        ...

    def close(self) -> None:
        """Release files and connections (committed data stays)."""
        ...


@attrs.frozen
class HighWater:
    """The newest row written: ``(starting_date, id)`` for call records, ``id`` alone for
    subscribers (``starting_date`` is then ``None``)."""

    starting_date: dt.datetime | None
    id: int

    @property
    def key(self) -> tuple[dt.datetime, int]:
        """``(starting_date, id)``, the server's sort key (call records only)."""
        assert self.starting_date is not None
        return self.starting_date, self.id


def _micros(value: dt.datetime) -> int:
    return (value - dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)) // dt.timedelta(microseconds=1)


def _from_micros(value: int) -> dt.datetime:
    return dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc) + dt.timedelta(microseconds=value)


@attrs.define
class SyncState:
    """Where a feed stopped: the high-water mark, the ids written inside the lateness window
    (id → ``starting_date`` in µs) and whose rows these are (account and filters).

    It is serialised to JSON text and committed by the destination with the rows.
    """

    feed: str
    account: str
    filters: dict[str, str]
    high_water: HighWater | None = None
    window: dict[int, int] = attrs.Factory(dict)
    runs: int = 0
    extra: dict[str, Any] = attrs.Factory(dict)

    def to_json(self) -> str:
        hw = self.high_water
        return json.dumps(
            {
                "version": STATE_VERSION,
                "feed": self.feed,
                "account": self.account,
                "filters": self.filters,
                "high_water": None
                if hw is None
                else [
                    None if hw.starting_date is None else _micros(hw.starting_date),
                    hw.id,
                ],
                "window": [[key, value] for key, value in self.window.items()],
                "runs": self.runs,
                "extra": self.extra,
            },
            separators=(",", ":"),
            sort_keys=True,
        )

    @classmethod
    def from_json(cls, text: str, *, where: str) -> SyncState:
        """Read a committed state.

        Raises:
            InvalidInputError: ``where`` holds something that is not a sync state of ours.
        """
        try:
            data = json.loads(text)
            if data.get("version") != STATE_VERSION:
                raise ValueError(f"version {data.get('version')!r}")
            raw_hw = data["high_water"]
            high_water = (
                None
                if raw_hw is None
                else HighWater(None if raw_hw[0] is None else _from_micros(raw_hw[0]), raw_hw[1])
            )
            return cls(
                feed=str(data["feed"]),
                account=str(data["account"]),
                filters={str(k): str(v) for k, v in data["filters"].items()},
                high_water=high_water,
                window={int(k): int(v) for k, v in data["window"]},
                runs=int(data["runs"]),
                extra=dict(data.get("extra", {})),
            )
        except (ValueError, KeyError, TypeError, IndexError, AttributeError) as exc:
            raise InvalidInputError(
                "destination", where, f"holds a sync state this version cannot read ({exc})"
            ) from exc

    def check_owner(self, *, feed: str, account: str, filters: dict[str, str], where: str) -> None:
        """Refuse a destination that holds another feed, account or filter set.

        Raises:
            InvalidInputError: naming what differs.
        """
        for name, mine, theirs in (
            ("feed", self.feed, feed),
            ("account", self.account, account),
            ("filters", self.filters, filters),
        ):
            if mine != theirs:
                raise InvalidInputError(
                    "destination",
                    where,
                    f"belongs to {name} {mine!r}, not {theirs!r}: sync each feed, account and "
                    "filter set into its own destination",
                )
