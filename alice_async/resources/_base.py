"""What every resource shares: sending requests, building models, paginating.

A resource class holds no state but its client. Public methods spell out their keyword
arguments (the API's field names) so that editors, mypy and the sync facade all see them;
they validate input into a JSON body and hand it to the helpers here.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Coroutine, Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, ParamSpec, TypeVar, cast

from .._pagination import AsyncPaginator, RawPage, parse_envelope
from .._rows import structure, structure_many
from .._transport import deadline_scope
from .._types import NOT_GIVEN, NotGiven, TimeoutTypes
from .._validation import filter_value, header_map, int_range, object_id, query_map
from ._settle import Identity, create_settled

if TYPE_CHECKING:
    from .._client import AliceClient

__all__ = ["Resource", "bounded", "operation_name", "per_call"]

M = TypeVar("M")
P = ParamSpec("P")
R = TypeVar("R")


def bounded(method: Callable[P, Coroutine[Any, Any, R]]) -> Callable[P, Coroutine[Any, Any, R]]:
    """Bound a whole call by its ``deadline=`` keyword: every request it makes (retries,
    ``Retry-After`` waits and the look-ups of a settled create included) must end within
    that many seconds, or the call raises ``APITimeoutError``. Without it, the client's
    ``deadline`` (or an enclosing ``client.within()``) applies.

    It also applies ``extra_headers=`` and ``extra_query=`` to every request of the call,
    as :func:`per_call` does."""

    async def within_deadline(*args: P.args, **kwargs: P.kwargs) -> R:
        deadline = kwargs.get("deadline", NOT_GIVEN)
        if isinstance(deadline, NotGiven):
            return await method(*args, **kwargs)
        with deadline_scope(deadline):  # type: ignore[arg-type]  # checked there
            return await method(*args, **kwargs)

    @functools.wraps(method)
    async def call(*args: P.args, **kwargs: P.kwargs) -> R:
        if "extra_headers" in kwargs or "extra_query" in kwargs:
            args = _with_call_options(args, kwargs)  # type: ignore[assignment]
        resource: Resource = args[0]  # type: ignore[assignment]  # a method's self
        hooks = resource._client._hooks
        if hooks is not None and hooks.tracers:
            # A traced client: one span around the call, the parent of its attempts' spans.
            with hooks.operation(operation_name(resource, method.__name__)):
                return await within_deadline(*args, **kwargs)
        # The usual call, inlined (a coroutine layer less).
        deadline = kwargs.get("deadline", NOT_GIVEN)
        if isinstance(deadline, NotGiven):
            return await method(*args, **kwargs)
        with deadline_scope(deadline):  # type: ignore[arg-type]  # checked there
            return await method(*args, **kwargs)

    return call


def per_call(method: Callable[P, R]) -> Callable[P, R]:
    """Apply ``extra_headers=`` and ``extra_query=`` to every request a method makes, now or
    later (a paginator's pages, a stream's polls): the method runs on a resource of a copy
    of the client carrying them (sharing its pool, token and throttle). Without them the
    method runs as it is, at the cost of two dictionary look-ups."""

    @functools.wraps(method)
    def call(*args: P.args, **kwargs: P.kwargs) -> R:
        if "extra_headers" in kwargs or "extra_query" in kwargs:
            args = _with_call_options(args, kwargs)  # type: ignore[assignment]
        return method(*args, **kwargs)

    return call


def _with_call_options(args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[Any, ...]:
    """``args`` with the resource (``self``) replaced by its twin on a client copy carrying
    the call's ``extra_headers`` and ``extra_query`` (popped from ``kwargs``, validated)."""
    headers = header_map("extra_headers", kwargs.pop("extra_headers", None))
    query = query_map("extra_query", kwargs.pop("extra_query", None))
    resource = cast("Resource", args[0])
    if headers is None and query is None:
        return args
    return (resource._on_copy(headers, query), *args[1:])


_RESOURCE_NAMES: dict[type[Resource], str] = {}


def operation_name(resource: Resource, method: str) -> str:
    """``alice contacts.create``: the client attribute of ``resource``, then ``method``."""
    kind = type(resource)
    name = _RESOURCE_NAMES.get(kind)
    if name is None:
        found = (k for k, v in vars(resource._client).items() if type(v) is kind)
        name = _RESOURCE_NAMES[kind] = next(found, kind.__name__.lower())
    return f"alice {name}.{method}"


class Resource:
    """Base class of ``client.<resource>`` objects.

    Every public method that makes a request takes ``timeout=`` and ``max_retries=`` (and
    ``deadline=`` when it returns a result rather than a paginator or a stream), plus
    ``extra_headers=`` and ``extra_query=``: headers and query parameters added to each request
    of that call (``Authorization`` refused). See README "Per-call options".
    """

    _path: ClassVar[str]
    """The collection path relative to ``base_url``, with its trailing slash."""

    _unpaginated_variant: ClassVar[bool] = False
    """Whether the list endpoint may answer without the pagination envelope (variant)."""

    def __init__(self, client: AliceClient) -> None:
        self._client = client

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self._path}>"

    def _on_copy(self, headers: Mapping[str, str] | None, query: Mapping[str, str] | None) -> Any:
        """This resource on a copy of the client with more default headers and query."""
        return type(self)(self._client._copy(headers=headers, query=query))

    def _item_path(self, id: Any) -> str:
        return f"{self._path}{object_id('id', id)}/"

    async def _send(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        timeout: TimeoutTypes | NotGiven,
        max_retries: int | NotGiven,
    ) -> Any:
        client = self._client
        if isinstance(timeout, NotGiven) and isinstance(max_retries, NotGiven):
            # Nothing for client.request to convert: straight to the transport.
            transport = client._ensure_transport()
            return (await transport.request(method, path, params=params, json=json)).data
        response = await client.request(
            method, path, params=params, json=json, timeout=timeout, max_retries=max_retries
        )
        return response.data

    def _build(self, data: Any, cls: type[M], where: str, *, method: str = "GET") -> M:
        """Turn the JSON answer to ``method where`` into model ``cls`` (or raise
        APIResponseValidationError labelled with that method)."""
        return structure(data, cls, where, method=method)

    def _build_many(self, items: Sequence[Any], cls: type[M], where: str) -> list[M]:
        return structure_many(items, cls, where)

    async def _retrieve(
        self,
        id: Any,
        cls: type[M],
        *,
        timeout: TimeoutTypes | NotGiven,
        max_retries: int | NotGiven,
    ) -> M:
        path = self._item_path(id)
        data = await self._send("GET", path, timeout=timeout, max_retries=max_retries)
        return self._build(data, cls, path)

    async def _create(
        self,
        body: Mapping[str, Any],
        cls: type[M],
        *,
        timeout: TimeoutTypes | NotGiven,
        max_retries: int | NotGiven,
        path: str | None = None,
        identity: Identity | None = None,
    ) -> M:
        """``POST`` a new object; with an ``identity``, settled after an ambiguous failure."""
        if identity is not None:
            return await create_settled(
                self, body, cls, identity, timeout=timeout, max_retries=max_retries
            )
        path = path or self._path
        if isinstance(timeout, NotGiven) and isinstance(max_retries, NotGiven):
            # _send's fast path, inlined (a coroutine layer costs every call).
            response = await self._client._ensure_transport().request("POST", path, json=body)
            return self._build(response.data, cls, path, method="POST")
        data = await self._send("POST", path, json=body, timeout=timeout, max_retries=max_retries)
        return self._build(data, cls, path, method="POST")

    async def _update(
        self,
        id: Any,
        body: Mapping[str, Any],
        cls: type[M],
        *,
        timeout: TimeoutTypes | NotGiven,
        max_retries: int | NotGiven,
    ) -> M:
        path = self._item_path(id)
        data = await self._send("PUT", path, json=body, timeout=timeout, max_retries=max_retries)
        return self._build(data, cls, path, method="PUT")

    async def _delete(
        self, id: Any, *, timeout: TimeoutTypes | NotGiven, max_retries: int | NotGiven
    ) -> None:
        await self._send("DELETE", self._item_path(id), timeout=timeout, max_retries=max_retries)

    def _paginate(
        self,
        cls: type[M],
        filters: Mapping[str, Any],
        *,
        page_size: int | None,
        timeout: TimeoutTypes | NotGiven,
        max_retries: int | NotGiven,
        path: str | None = None,
    ) -> AsyncPaginator[M]:
        params = query_params(filters, page_size=page_size)
        list_path = path or self._path
        allow_bare = self._unpaginated_variant

        async def fetch(url: str | None) -> tuple[RawPage, str]:
            target = url or list_path
            response = await self._client.request(
                "GET",
                target,
                params=None if url else params,
                timeout=timeout,
                max_retries=max_retries,
            )
            shown = url or list_path
            return parse_envelope(response.data, url=shown, allow_bare=allow_bare), shown

        def parse(items: Sequence[Any], where: str) -> list[M]:
            return self._build_many(items, cls, where)

        return AsyncPaginator(fetch, parse)


def query_params(filters: Mapping[str, Any], *, page_size: int | None = None) -> dict[str, str]:
    """Query parameters from filters: ``None``/``NOT_GIVEN`` left out, values normalised."""
    params = {
        name: filter_value(name, value)
        for name, value in filters.items()
        if value is not None and not isinstance(value, NotGiven)
    }
    if page_size is not None:
        params["page_size"] = str(int_range("page_size", page_size, 1, 10_000))
    return params
