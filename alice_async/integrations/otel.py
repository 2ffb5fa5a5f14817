"""OpenTelemetry tracing: one CLIENT span per HTTP request, and W3C trace context sent along.

Needs the ``otel`` extra (``pip install "alice-sdk[otel]"``, which brings ``opentelemetry-api``;
your application brings the SDK and its exporters). Importing ``alice_async`` never imports
OpenTelemetry: only this module does, and only a client passed to :func:`instrument` is traced.

Each attempt (the first try, each retry, the replay after a refused token, the ``get-token/``
login) gets its own span, as the stable HTTP client semantic conventions ask:

- name: the method (``GET``); kind ``CLIENT``; parent: the span current when the call was made;
- ``http.request.method``, ``url.full`` (query kept; it never holds the password or token),
  ``server.address``, ``server.port``; ``http.request.resend_count`` on every request sent again;
- ``http.response.status_code`` when an answer came;
- on a 4xx/5xx answer or an exception, status ``ERROR`` and ``error.type`` (the status code, or
  the exception's class name, e.g. ``APIConnectionError``).

The span's context goes out in the ``traceparent`` header (through the globally configured
propagator, W3C trace context by default), so a traced server continues the trace.

Example::

    from alice_async import AliceClient
    from alice_async.integrations.otel import instrument

    client = AliceClient(username="me", password="secret")
    instrument(client)  # or instrument(client, tracer_provider=provider)
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, MutableMapping
from typing import TYPE_CHECKING, Any

import attrs
from yarl import URL

from .._exceptions import InvalidInputError
from .._hooks import Hooks, RequestEvent, Tracer
from .._version import __version__

try:
    from opentelemetry import propagate, trace
    from opentelemetry.trace import Span, SpanKind, Status, StatusCode
except ImportError as exc:  # pragma: no cover - exercised without the extra installed
    from .._exceptions import MissingDependencyError

    raise MissingDependencyError(
        "alice_async.integrations.otel needs opentelemetry-api, which is not installed: "
        "pip install 'alice-sdk[otel]'",
        extra="otel",
        name="opentelemetry",
    ) from exc

if TYPE_CHECKING:
    import alice_sync

    from .._client import AliceClient

__all__ = ["instrument", "is_instrumented", "uninstrument"]

TRACER_NAME = "alice_async"


class _AttemptSpan:
    """One attempt's span, closed with the answer's status or the attempt's error."""

    __slots__ = ("_span",)

    def __init__(self, span: Span) -> None:
        self._span = span

    def end(self, status: int | None, error: BaseException | None) -> None:
        span = self._span
        if status is not None:
            span.set_attribute("http.response.status_code", status)
        if status is not None and status >= 400:
            span.set_attribute("error.type", str(status))
            span.set_status(Status(StatusCode.ERROR))
        elif error is not None:
            _set_error(span, error)
        span.end()


def _set_error(span: Span, error: BaseException) -> None:
    span.set_attribute("error.type", type(error).__qualname__)
    # SDK exceptions carry no secret in their message (the transport scrubs them).
    span.set_status(Status(StatusCode.ERROR, str(error)[:300]))


@attrs.frozen(eq=False)
class OtelTracer:
    """The :class:`~alice_async._hooks.Tracer` :func:`instrument` installs."""

    tracer: trace.Tracer

    @contextlib.contextmanager
    def operation(self, name: str) -> Iterator[Span]:
        span = self.tracer.start_span(name, kind=SpanKind.INTERNAL)
        with trace.use_span(
            span, end_on_exit=True, record_exception=False, set_status_on_exception=False
        ):
            try:
                yield span
            except BaseException as exc:
                _set_error(span, exc)
                raise

    def start(self, event: RequestEvent, headers: MutableMapping[str, str]) -> _AttemptSpan:
        url = URL(event.url, encoded=True)
        attributes: dict[str, Any] = {
            "http.request.method": event.method,
            "url.full": event.url,
            "server.address": url.host or "",
        }
        if url.port is not None:
            attributes["server.port"] = url.port
        if event.attempt > 1:
            attributes["http.request.resend_count"] = event.attempt - 1
        span = self.tracer.start_span(event.method, kind=SpanKind.CLIENT, attributes=attributes)
        propagate.inject(headers, context=trace.set_span_in_context(span))
        return _AttemptSpan(span)


def _async_client(client: AliceClient | alice_sync.AliceClient) -> AliceClient:
    from .._client import AliceClient

    inner = getattr(client, "_async", client)  # alice_sync.AliceClient wraps one
    if not isinstance(inner, AliceClient):
        raise InvalidInputError(
            "client", type(client).__name__, "expected an alice_async or alice_sync AliceClient"
        )
    return inner


def _without_ours(hooks: Hooks) -> tuple[Tracer, ...]:
    return tuple(t for t in hooks.tracers if not isinstance(t, OtelTracer))


def instrument(
    client: AliceClient | alice_sync.AliceClient,
    *,
    tracer_provider: trace.TracerProvider | None = None,
) -> None:
    """Trace every HTTP request ``client`` sends from now on (async or sync client).

    Args:
        client: an ``alice_async.AliceClient`` or ``alice_sync.AliceClient``.
        tracer_provider: where spans go; default the global one (``trace.set_tracer_provider``).

    Calling it again replaces the provider (spans are never doubled).

    Example::

        provider = TracerProvider()
        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
        instrument(client, tracer_provider=provider)
    """
    inner = _async_client(client)
    tracer = trace.get_tracer(TRACER_NAME, __version__, tracer_provider=tracer_provider)
    hooks = inner._hooks or Hooks()
    inner._use_hooks(attrs.evolve(hooks, tracers=(*_without_ours(hooks), OtelTracer(tracer))))


def uninstrument(client: AliceClient | alice_sync.AliceClient) -> None:
    """Stop tracing ``client`` (its hooks stay)."""
    inner = _async_client(client)
    hooks = inner._hooks or Hooks()
    inner._use_hooks(attrs.evolve(hooks, tracers=_without_ours(hooks)))


def is_instrumented(client: AliceClient | alice_sync.AliceClient) -> bool:
    """Whether :func:`instrument` was called on ``client`` (and not undone)."""
    hooks = _async_client(client)._hooks
    return hooks is not None and len(_without_ours(hooks)) < len(hooks.tracers)
