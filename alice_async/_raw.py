"""``client.with_raw_response``: the HTTP response behind a call, beside its usual result.

``client.with_raw_response.<resource>.<method>(...)`` runs the method on a copy of the
client (sharing its pool, token and throttle) whose transport records the last successful
response, and returns a :class:`RawResponse`: status, headers, request id and the request's
method and URL, with :meth:`RawResponse.parse` for the result the method returns. A list
method's paginator is asked for its first page, which ``parse()`` returns.

That attribute path is typed loosely (``parse()`` returns ``Any`` to a type checker); calling
``client.with_raw_response(client.phonebooks.get)(7)`` does the same with full types
(``RawResponse[Phonebook]``).
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any, Generic, ParamSpec, TypeVar, overload

import attrs

from ._exceptions import ClientStateError, InvalidInputError
from ._pagination import AsyncPaginator, Page
from ._transport import ResponseRecorder, request_id_of

if TYPE_CHECKING:
    from ._client import AliceClient

__all__ = ["RawResource", "RawResponse", "RawResponses", "RawRequest"]

T = TypeVar("T")
P = ParamSpec("P")


@attrs.frozen
class RawRequest:
    """The request a :class:`RawResponse` answers: its method and URL (query included)."""

    method: str
    url: str


@attrs.frozen
class RawResponse(Generic[T]):
    """One HTTP response and the result the SDK made of it.

    Attributes:
        status_code: the HTTP status (a success: error statuses raise as usual).
        headers: the response headers (case-insensitive).
        http_request: the method and URL of the request.

    Example::

        raw = await client.with_raw_response.phonebooks.get(7)
        assert raw.status_code == 200
        book = raw.parse()
    """

    status_code: int
    headers: Mapping[str, str] = attrs.field(repr=False)
    http_request: RawRequest
    _parsed: T = attrs.field(repr=False, alias="parsed")

    @property
    def request_id(self) -> str | None:
        """The server's id for the response (``X-Request-ID`` or kin), if it sent one."""
        return request_id_of(self.headers)

    def parse(self) -> T:
        """The result the method returns without ``with_raw_response`` (a model, ``None``
        for a delete, the first :class:`Page` for a list)."""
        return self._parsed


class RawResponses:
    """``client.with_raw_response``: each resource of the client as a :class:`RawResource`."""

    def __init__(self, client: AliceClient) -> None:
        self._client = client

    def __repr__(self) -> str:
        return f"<RawResponses of {self._client!r}>"

    def __getattr__(self, name: str) -> RawResource:
        resource = getattr(self._client, name, None) if not name.startswith("_") else None
        if getattr(resource, "_client", None) is not self._client:  # not one of its resources
            raise AttributeError(f"the client has no resource {name!r}")
        return RawResource(self._client, name)

    @overload
    def __call__(
        self, method: Callable[P, AsyncPaginator[T]]
    ) -> Callable[P, Awaitable[RawResponse[Page[T]]]]: ...

    @overload
    def __call__(
        self, method: Callable[P, Awaitable[T]]
    ) -> Callable[P, Awaitable[RawResponse[T]]]: ...

    def __call__(self, method: Callable[P, Any]) -> Callable[P, Awaitable[RawResponse[Any]]]:
        """``method`` (a resource's, such as ``client.phonebooks.get``) returning a
        :class:`RawResponse`, typed after it.

        Example::

            raw = await client.with_raw_response(client.phonebooks.get)(7)
            book: Phonebook = raw.parse()
        """
        resource = getattr(method, "__self__", None)
        name = getattr(method, "__name__", "")
        owner = getattr(resource, "_client", None)
        if owner is None or name.startswith("_") or not hasattr(owner, "_copy"):
            raise InvalidInputError(
                "with_raw_response", method, "expected a resource's method (client.phonebooks.get)"
            )

        async def call(*args: P.args, **kwargs: P.kwargs) -> RawResponse[Any]:
            return await raw_call(owner, type(resource), name, args, kwargs)

        call.__name__ = name
        call.__doc__ = method.__doc__
        return call


class RawResource:
    """A resource whose methods return :class:`RawResponse` objects."""

    def __init__(self, client: AliceClient, name: str) -> None:
        self._client = client
        self._name = name

    def __repr__(self) -> str:
        return f"<RawResource client.{self._name}>"

    def __getattr__(self, name: str) -> Callable[..., Awaitable[RawResponse[Any]]]:
        member = getattr(getattr(self._client, self._name), name, None)
        if name.startswith("_") or not callable(member):
            raise AttributeError(f"client.{self._name} has no method {name!r}")
        resource = self._name

        async def call(*args: Any, **kwargs: Any) -> RawResponse[Any]:
            client = self._client
            return await raw_call(client, type(getattr(client, resource)), name, args, kwargs)

        call.__name__ = name
        call.__doc__ = member.__doc__
        return call


async def raw_call(
    client: AliceClient,
    resource_type: type[Any],
    name: str,
    args: tuple[Any, ...],
    kwargs: Mapping[str, Any],
) -> RawResponse[Any]:
    """Run method ``name`` of a ``resource_type`` on a recording copy of ``client``."""
    recorder = ResponseRecorder()
    method = getattr(resource_type(client._copy(recorder=recorder)), name)
    where = f"{resource_type.__name__.lower()}.{name}"
    result = method(*args, **kwargs)
    if isinstance(result, AsyncPaginator):
        result = await result.first_page()
    elif inspect.isawaitable(result):
        result = await result
    else:
        if inspect.isasyncgen(result):
            await result.aclose()
        raise InvalidInputError(
            "with_raw_response",
            where,
            "has no single response to show (it streams, or makes no request)",
        )
    exchange = recorder.last
    if exchange is None:
        raise ClientStateError(f"{where}() made no request")
    response = exchange.response
    return RawResponse(
        status_code=response.status,
        headers=response.headers,
        http_request=RawRequest(exchange.method, exchange.url),
        parsed=result,
    )
