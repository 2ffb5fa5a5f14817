"""The in-memory state of the emulated server, per account.

Rows are plain dicts in their wire shape (ids for relations, datetimes already rendered);
keys starting with ``_`` are private and never rendered. Ids are integers counted per
resource across all accounts, so another account's id is simply not found. Call records
live apart in :class:`CdrTable`, kept sorted by ``(starting_date, id)`` for bisecting.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from ._config import Account
from ._time import Clock, format_datetime, micros, parse_datetime

__all__ = ["RESOURCES", "CdrTable", "Row", "Store"]

Row = dict[str, Any]

#: Every resource the store keeps, named by its URL noun.
RESOURCES = (
    "phonebook",
    "contact",
    "campaigns",
    "survey-template",
    "section-template",
    "gateway",
    "survey-list",
    "dnc-list",
    "dnc-contact",
    "cdr",
    "subscriber-list",
    "calendar-setting",
    "calendar-user",
    "calendar",
    "event",
    "alarm",
)

# Deleting a row of the key deletes the rows of (resource, field) that point at it.
_CASCADES: dict[str, tuple[tuple[str, str], ...]] = {
    "phonebook": (("contact", "phonebook"),),
    "survey-template": (("section-template", "survey"),),
    "dnc-list": (("dnc-contact", "dnc"),),
    "campaigns": (("subscriber-list", "campaign"),),
}

# The vendor's example gateway, given to every account (ids 23, 24, ...).
_GATEWAY_TEMPLATE: Row = {
    "status": 1,
    "addprefix": "",
    "removeprefix": "",
    "gateways": "sofia/gateway/AliceDevGateway/",
    "subdomain": "company",
    "gateway_codecs": "",
    "gateway_timeouts": "10",
    "gateway_retries": "",
    "originate_dial_string": "",
    "secondused": None,
    "created_date": "2019-12-26T04:17:12.673711Z",
    "updated_date": "2020-01-14T03:12:27.079710Z",
    "addparameter": "",
    "count_call": 0,
    "count_in_use": None,
    "maximum_call": None,
    "is_trial": True,
    "failover": None,
}


def public(row: Row) -> Row:
    """A copy of ``row`` without its private keys."""
    return {key: value for key, value in row.items() if key[0] != "_"}


class CdrTable:
    """Call records of one account, sorted by ``(starting_date, id)``.

    ``keys[i]`` is the microsecond timestamp of ``rows[i]["starting_date"]``.
    """

    def __init__(self) -> None:
        self.keys: list[int] = []
        self.rows: list[Row] = []

    def __len__(self) -> int:
        return len(self.rows)

    def add(self, key: int, row: Row) -> None:
        if not self.keys or key >= self.keys[-1]:
            self.keys.append(key)
            self.rows.append(row)
            return
        # Ids only grow, so a new row goes after the rows with the same timestamp.
        index = bisect.bisect_right(self.keys, key)
        self.keys.insert(index, key)
        self.rows.insert(index, row)

    def extend(self, keys: list[int], rows: list[Row]) -> None:
        """Add rows already sorted among themselves."""
        if not keys:
            return
        if not self.keys or keys[0] >= self.keys[-1]:
            self.keys.extend(keys)
            self.rows.extend(rows)
            return
        # Only the existing rows at or after the first new key need merging.
        cut = bisect.bisect_right(self.keys, keys[0])
        merged = sorted(
            zip(self.keys[cut:] + keys, self.rows[cut:] + rows, strict=True),
            key=lambda pair: (pair[0], pair[1]["id"]),
        )
        del self.keys[cut:], self.rows[cut:]
        self.keys.extend(key for key, _ in merged)
        self.rows.extend(row for _, row in merged)

    def window(self, from_us: int | None, to_us: int | None) -> tuple[int, int]:
        """Indexes ``lo, hi`` of the rows with ``from_us <= key <= to_us``."""
        lo = 0 if from_us is None else bisect.bisect_left(self.keys, from_us)
        hi = len(self.keys) if to_us is None else bisect.bisect_right(self.keys, to_us)
        return lo, max(lo, hi)


class Store:
    """All rows of all accounts, with the indexes the endpoints need to stay fast."""

    def __init__(self, accounts: Sequence[Account], clock: Clock) -> None:
        if not accounts:
            raise ValueError("the emulator needs at least one account")
        self.accounts = tuple(accounts)
        self.clock = clock
        self.user_ids = {account.username: index + 1 for index, account in enumerate(accounts)}
        self._tables: dict[str, dict[str, dict[int, Row]]] = {
            resource: {account.username: {} for account in accounts} for resource in RESOURCES
        }
        self._next_ids: dict[str, int] = dict.fromkeys(RESOURCES, 1)
        self._next_ids["gateway"] = 23
        self._numbers: dict[str, Counter[str]] = {a.username: Counter() for a in accounts}
        self._cdrs: dict[str, CdrTable] = {a.username: CdrTable() for a in accounts}
        for account in accounts:
            self._seed_account(account.username)

    # -- accounts and ids ---------------------------------------------------------------

    def account(self, account: str | None) -> str:
        """The username of ``account``, the first account when None."""
        if account is None:
            return self.accounts[0].username
        if account not in self.user_ids:
            raise KeyError(f"no account {account!r}")
        return account

    def new_id(self, resource: str) -> int:
        value = self._next_ids[resource]
        self._next_ids[resource] = value + 1
        return value

    def reserve_ids(self, resource: str, count: int) -> int:
        """Reserve ``count`` consecutive ids and return the first."""
        first = self._next_ids[resource]
        self._next_ids[resource] = first + count
        return first

    # -- generic rows ---------------------------------------------------------------------

    def table(self, resource: str, account: str) -> dict[int, Row]:
        """The rows of one account, ascending id (insertion order)."""
        return self._tables[resource][account]

    def get(self, resource: str, id: int, account: str | None = None) -> Row | None:
        """The stored row (not a copy), or None when the account has no such id."""
        if resource == "cdr":
            return next((r for r in self.cdrs(account).rows if r["id"] == id), None)
        return self._tables[resource][self.account(account)].get(id)

    def insert(self, resource: str, account: str, row: Row) -> Row:
        """Store ``row`` (given an id when it has none) and return it."""
        if "id" not in row:
            row = {"id": self.new_id(resource), **row}
        if resource == "cdr":
            self._cdrs[account].add(self._cdr_key(row), row)
            return row
        self._tables[resource][account][row["id"]] = row
        if resource == "contact":
            self._numbers[account][row["contact"]] += 1
        return row

    def update(self, resource: str, account: str, row: Row, changes: Row) -> Row:
        if resource == "contact" and "contact" in changes:
            self._forget_number(account, row["contact"])
            self._numbers[account][changes["contact"]] += 1
        row.update(changes)
        return row

    def delete(self, resource: str, account: str, id: int) -> None:
        row = self._tables[resource][account].pop(id, None)
        if row is None:
            return
        if resource == "contact":
            self._forget_number(account, row["contact"])
        for child, field in _CASCADES.get(resource, ()):
            doomed = [cid for cid, c in self._tables[child][account].items() if c[field] == id]
            for child_id in doomed:
                self.delete(child, account, child_id)
        if resource == "phonebook":
            for campaign in self._tables["campaigns"][account].values():
                campaign["phonebook"] = [pb for pb in campaign["phonebook"] if pb != id]

    # -- indexes --------------------------------------------------------------------------

    def has_number(self, account: str, number: str) -> bool:
        return self._numbers[account][number] > 0

    def number_count(self, account: str) -> int:
        """Contacts stored in the account (each contact row holds one number)."""
        return len(self._tables["contact"][account])

    def cdrs(self, account: str | None = None) -> CdrTable:
        return self._cdrs[self.account(account)]

    def _forget_number(self, account: str, number: str) -> None:
        counter = self._numbers[account]
        counter[number] -= 1
        if counter[number] <= 0:
            del counter[number]

    @staticmethod
    def _cdr_key(row: Row) -> int:
        parsed = parse_datetime(row["starting_date"])
        if parsed is None:
            raise ValueError(f"bad starting_date {row['starting_date']!r}")
        return micros(parsed)

    # -- the accessors tests use ----------------------------------------------------------

    def objects(self, resource: str, account: str | None = None) -> list[Row]:
        """Copies of the stored rows of ``resource`` (ascending id; CDRs by date)."""
        return [public(row) for row in self._iter(resource, self.account(account))]

    def count(self, resource: str, account: str | None = None) -> int:
        if resource == "cdr":
            return len(self.cdrs(account))
        return len(self._tables[resource][self.account(account)])

    def contact_numbers(self, account: str | None = None) -> list[str]:
        """Every stored contact number of the account, with repetitions."""
        return [row["contact"] for row in self._iter("contact", self.account(account))]

    def add(self, resource: str, account: str | None = None, **fields: Any) -> Row:
        """Store a row without validation; ``id``, ``user`` and dates are filled in.

        Example: ``store.add("phonebook", name="VIP")``.
        """
        username = self.account(account)
        now = format_datetime(self.clock.now())
        row: Row = {"id": fields.pop("id", None) or self.new_id(resource)}
        if resource in ("phonebook", "survey-template", "dnc-list"):
            row["user"] = username
        row.update(fields)
        if resource == "cdr":
            row.setdefault("starting_date", now)
        else:
            row.setdefault("created_date", now)
            row.setdefault("updated_date", now)
        if row["id"] >= self._next_ids[resource]:
            self._next_ids[resource] = row["id"] + 1
        return self.insert(resource, username, row)

    def _iter(self, resource: str, account: str) -> Iterator[Row]:
        if resource == "cdr":
            return iter(self._cdrs[account].rows)
        return iter(self._tables[resource][account].values())

    # -- seed -----------------------------------------------------------------------------

    def _seed_account(self, account: str) -> None:
        gateway_id = self.new_id("gateway")
        name = "AliceDevGateway" if gateway_id == 23 else f"AliceDevGateway{gateway_id}"
        self.insert(
            "gateway",
            account,
            {"id": gateway_id, "name": name, "description": name, **_GATEWAY_TEMPLATE},
        )
        now = format_datetime(self.clock.now())
        self.insert(
            "survey-list",
            account,
            {
                "name": "Appointment reminder",
                "tts_language": "vi",
                "description": "Sealed survey for appointment reminders",
                "campaign": None,
                "created_date": now,
                "updated_date": now,
            },
        )

    def iter_all(self, resource: str) -> Iterable[tuple[str, Row]]:
        """``(account, row)`` pairs of every account, for the dialer."""
        for account, rows in self._tables[resource].items():
            for row in rows.values():
                yield account, row
