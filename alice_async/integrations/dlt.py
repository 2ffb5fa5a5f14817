"""A `dlt <https://dlthub.com>`_ source for the Alice API (extra ``alice-sdk[dlt]``).

``alice_source(...)`` gives five resources, each yielding typed Arrow tables (the export's
schema, so phone numbers stay text and times are UTC):

* ``cdr``: incremental on ``starting_date`` with a ``lag`` of ``lateness`` (records are
  written at hangup with the call's start time), primary key ``id``, ``merge``: each run
  re-reads the lateness window and the merge keeps every record once;
* ``subscribers``: primary key ``id``, ``merge`` (their progress changes, and the endpoint
  has no date filter, so every run reads the list and updates it);
* ``campaigns``, ``phonebooks``, ``contacts``: ``replace``.

Example::

    import dlt
    from alice_async.integrations.dlt import alice_source

    pipeline = dlt.pipeline("alice", destination="duckdb", dataset_name="alice")
    pipeline.run(alice_source(since=datetime(2026, 3, 1, tzinfo=timezone.utc)))
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from .._exceptions import InvalidInputError
from .._frames import arrow_table, require
from ..models import Campaign, Cdr, Contact, Phonebook, Subscriber

__all__ = ["alice_source"]

dlt: Any = require("dlt")

UTC = dt.timezone.utc


def _client(options: dict[str, Any]) -> Any:
    from alice_sync import AliceClient  # blocking: dlt runs resources as plain generators

    return AliceClient(**options)


def _pages(paginator: Any, model: type[Any]) -> Iterator[Any]:
    for page in paginator.pages():
        if page.items:
            yield arrow_table(page.items, model)


def alice_source(
    *,
    since: dt.datetime | None = None,
    lateness: dt.timedelta = dt.timedelta(hours=2),
    page_size: int = 1000,
    **client_options: Any,
) -> Any:
    """The Alice dlt source: resources ``cdr``, ``subscribers``, ``campaigns``,
    ``phonebooks`` and ``contacts``.

    Args:
        since: where the first ``cdr`` load starts (aware; None: the whole history).
        lateness: how long after its start a call record may still be written.
        page_size: rows per request.
        client_options: ``alice_sync.AliceClient`` arguments (``base_url``, ``username``,
            ``password``...; default: the ``ALICE_*`` environment variables).

    Raises:
        InvalidInputError: ``since`` naive, or ``lateness`` not a non-negative timedelta.
        MissingDependencyError: dlt is not installed.
    """
    if since is not None and (not isinstance(since, dt.datetime) or since.tzinfo is None):
        raise InvalidInputError("since", since, "must be an aware datetime or None")
    if not isinstance(lateness, dt.timedelta) or lateness < dt.timedelta(0):
        raise InvalidInputError("lateness", lateness, "must be a timedelta >= 0")
    initial = (since or dt.datetime(1970, 1, 1, tzinfo=UTC)).astimezone(UTC)

    # dlt's documented way to declare an incremental cursor is the parameter's default.
    cursor = dlt.sources.incremental(
        "starting_date", initial_value=initial, lag=lateness.total_seconds()
    )

    @dlt.resource(name="cdr", primary_key="id", write_disposition="merge")  # type: ignore[untyped-decorator]
    def cdr(starting_date: Any = cursor) -> Iterator[Any]:
        last = starting_date.last_value or initial
        start = max(initial, last - lateness) if last > initial else initial
        with _client(client_options) as client:
            yield from _pages(
                client.cdr.list(from_date=start, page_size=page_size, as_dicts=True), Cdr
            )

    @dlt.resource(name="subscribers", primary_key="id", write_disposition="merge")  # type: ignore[untyped-decorator]
    def subscribers() -> Iterator[Any]:
        with _client(client_options) as client:
            yield from _pages(
                client.subscribers.list(page_size=page_size, as_dicts=True), Subscriber
            )

    def replaced(name: str, model: type[Any]) -> Any:
        @dlt.resource(name=name, primary_key="id", write_disposition="replace")  # type: ignore[untyped-decorator]
        def rows() -> Iterator[Any]:
            with _client(client_options) as client:
                resource = getattr(client, name)
                yield from _pages(resource.list(page_size=page_size), model)

        return rows

    @dlt.source(name="alice")  # type: ignore[untyped-decorator]
    def source() -> Any:
        return (
            cdr,
            subscribers,
            replaced("campaigns", Campaign),
            replaced("phonebooks", Phonebook),
            replaced("contacts", Contact),
        )

    return source()
