"""OpenTelemetry: one CLIENT span per attempt, W3C trace context sent, nothing when not asked."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode

import alice_sync
from alice_async import APITimeoutError, InvalidInputError, NotFoundError
from alice_async.emulator import Emulator, EmulatorConfig, Faults
from alice_async.integrations.otel import instrument, is_instrumented, uninstrument
from tests.conftest import FAST_RETRIES, make_client

ROOT = Path(__file__).resolve().parents[2]


class Traces:
    """A tracer provider of the test's own that keeps finished spans in memory."""

    def __init__(self) -> None:
        self.exporter = InMemorySpanExporter()
        self.provider = TracerProvider()
        self.provider.add_span_processor(SimpleSpanProcessor(self.exporter))

    def spans(self) -> list[ReadableSpan]:
        return list(self.exporter.get_finished_spans())

    def http_spans(self) -> list[ReadableSpan]:
        return [s for s in self.spans() if s.kind is SpanKind.CLIENT]


@pytest.fixture
def traces() -> Iterator[Traces]:
    traces = Traces()
    yield traces
    traces.provider.shutdown()


def _attributes(span: ReadableSpan) -> dict[str, Any]:
    return dict(span.attributes or {})


def _expected(emu: Emulator, method: str, path: str, **more: Any) -> dict[str, Any]:
    return {
        "http.request.method": method,
        "url.full": f"{emu.url}{path}",
        "server.address": "127.0.0.1",
        "server.port": int(emu.url.split(":")[2].split("/")[0]),
        **more,
    }


async def test_each_attempt_is_a_client_span_with_the_stable_http_attributes(
    traces: Traces,
) -> None:
    faults = Faults(rate=1.0, kinds=("502",), paths=("phonebook/",), limit=1)
    async with Emulator(EmulatorConfig(faults=faults)) as emu, make_client(emu) as client:
        instrument(client, tracer_provider=traces.provider)
        with traces.provider.get_tracer("test").start_as_current_span("outer") as outer:
            await client.request("GET", "phonebook/", params={"search": "Linh"})
    login, failed, retried = traces.http_spans()
    assert [s.name for s in (login, failed, retried)] == ["POST", "GET", "GET"]
    assert _attributes(login) == _expected(
        emu, "POST", "get-token/", **{"http.response.status_code": 200}
    )
    assert _attributes(failed) == _expected(
        emu,
        "GET",
        "phonebook/?search=Linh",
        **{"http.response.status_code": 502, "error.type": "502"},
    )
    assert _attributes(retried) == _expected(
        emu,
        "GET",
        "phonebook/?search=Linh",
        **{"http.response.status_code": 200, "http.request.resend_count": 1},
    )
    assert [s.status.status_code for s in (login, failed, retried)] == [
        StatusCode.UNSET,
        StatusCode.ERROR,
        StatusCode.UNSET,
    ]
    parent = outer.get_span_context().span_id
    assert all(s.parent is not None and s.parent.span_id == parent for s in traces.http_spans())


async def test_the_server_receives_each_attempts_own_traceparent(traces: Traces) -> None:
    faults = Faults(rate=1.0, kinds=("503",), paths=("gateway/",), limit=2)
    async with Emulator(EmulatorConfig(faults=faults)) as emu, make_client(emu) as client:
        instrument(client, tracer_provider=traces.provider)
        await client.request("GET", "gateway/")
        received = [h.get("traceparent") for h in emu.stats.recent_headers]
    sent = [
        f"00-{s.context.trace_id:032x}-{s.context.span_id:016x}-{s.context.trace_flags:02x}"
        for s in traces.http_spans()
    ]
    assert len(sent) == 4  # the login, two 503s, the success
    assert received == sent


async def test_an_attempt_without_an_answer_names_the_exception_class(traces: Traces) -> None:
    faults = Faults(rate=1.0, kinds=("slow",), slow_seconds=1.0, paths=("phonebook/",))
    async with Emulator(EmulatorConfig(faults=faults)) as emu, make_client(emu) as client:
        await client.request("GET", "gateway/")  # logs in before tracing starts
        instrument(client, tracer_provider=traces.provider)
        with pytest.raises(APITimeoutError):
            await client.phonebooks.list(timeout=0.2, max_retries=0).first_page()
    (span,) = traces.http_spans()
    assert _attributes(span) == _expected(
        emu, "GET", "phonebook/", **{"error.type": "APITimeoutError"}
    )
    assert span.status.status_code is StatusCode.ERROR
    assert "read timeout" in (span.status.description or "")


async def test_a_4xx_answer_ends_its_span_in_error(traces: Traces, emulator: Emulator) -> None:
    async with make_client(emulator) as client:
        instrument(client, tracer_provider=traces.provider)
        with pytest.raises(NotFoundError):
            await client.phonebooks.get(424242)
    span = traces.http_spans()[-1]
    assert _attributes(span)["http.response.status_code"] == 404
    assert _attributes(span)["error.type"] == "404"
    assert span.status.status_code is StatusCode.ERROR


async def test_no_span_shows_the_password_or_the_token(traces: Traces, emulator: Emulator) -> None:
    async with make_client(emulator) as client:
        instrument(client, tracer_provider=traces.provider)
        await client.phonebooks.create(name="Khách hàng")
        token = client._tokens.current
    assert token
    for span in traces.spans():
        shown = span.to_json()
        assert emulator.password not in shown
        assert token not in shown


async def test_an_uninstrumented_client_makes_no_span_and_sends_no_traceparent(
    traces: Traces, emulator: Emulator
) -> None:
    async with make_client(emulator) as client:
        with traces.provider.get_tracer("test").start_as_current_span("outer"):
            await client.request("GET", "gateway/")
    assert [s.name for s in traces.spans()] == ["outer"]
    assert all("traceparent" not in h for h in emulator.stats.recent_headers)


async def test_instrumenting_twice_does_not_double_spans_and_uninstrument_stops_them(
    traces: Traces, emulator: Emulator
) -> None:
    seen: list[int] = []
    async with make_client(emulator, on_request=lambda e: seen.append(e.attempt)) as client:
        await client.request("GET", "gateway/")
        instrument(client, tracer_provider=traces.provider)
        instrument(client, tracer_provider=traces.provider)
        assert is_instrumented(client)
        await client.request("GET", "gateway/")
        uninstrument(client)
        assert not is_instrumented(client)
        await client.request("GET", "gateway/")
    assert len(traces.http_spans()) == 1
    assert seen == [1, 1, 1, 1]  # the hooks stay: the login and three calls


async def test_a_traceparent_stays_with_its_attempt_once_the_client_is_uninstrumented(
    traces: Traces, emulator: Emulator
) -> None:
    async with make_client(emulator) as client:
        await client.request("GET", "gateway/")  # the client's own headers, built untraced
        instrument(client, tracer_provider=traces.provider)
        await client.request("GET", "gateway/")
        uninstrument(client)
        await client.request("GET", "gateway/")
    *_, untraced, traced, after = emulator.stats.recent_headers
    assert "traceparent" not in untraced
    assert "traceparent" in traced
    assert "traceparent" not in after


def test_a_sync_client_is_instrumented_the_same_way(traces: Traces) -> None:
    from anyio.from_thread import start_blocking_portal

    with (
        start_blocking_portal("asyncio") as portal,
        portal.wrap_async_context_manager(Emulator(EmulatorConfig())) as emu,
        alice_sync.AliceClient(
            emu.url, username=emu.username, password=emu.password, retry_policy=FAST_RETRIES
        ) as client,
    ):
        instrument(client, tracer_provider=traces.provider)
        with traces.provider.get_tracer("test").start_as_current_span("outer") as outer:
            client.request("GET", "gateway/")
    assert [s.name for s in traces.http_spans()] == ["POST", "GET"]
    parent = outer.get_span_context().span_id
    assert all(s.parent is not None and s.parent.span_id == parent for s in traces.http_spans())


def test_instrument_refuses_something_that_is_not_a_client() -> None:
    with pytest.raises(InvalidInputError, match="client"):
        instrument(object())  # type: ignore[arg-type]


def test_importing_and_using_alice_async_never_imports_opentelemetry() -> None:
    code = (
        "import sys, asyncio\n"
        "import alice_async, alice_sync, alice_async.integrations\n"
        "from alice_async.emulator import Emulator\n"
        "async def main():\n"
        "    async with Emulator() as emu:\n"
        "        async with alice_async.AliceClient(\n"
        "            emu.url, username=emu.username, password=emu.password\n"
        "        ) as client:\n"
        "            await client.request('GET', 'gateway/')\n"
        "asyncio.run(main())\n"
        "print(sorted(m for m in sys.modules if m.startswith('opentelemetry')))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert out.stdout.strip() == "[]"


async def test_a_resource_call_is_an_internal_span_parent_of_its_attempts(
    traces: Traces, emulator: Emulator
) -> None:
    async with make_client(emulator) as client:
        book = await client.phonebooks.create(name="Khách hàng")
        emulator.configure(faults=Faults(rate=1.0, kinds=("503",), paths=("phonebook/",), limit=1))
        instrument(client, tracer_provider=traces.provider)
        assert await client.phonebooks.get(book.id) == book
        with pytest.raises(NotFoundError):
            await client.phonebooks.get(book.id + 1000)
    get, missing = (s for s in traces.spans() if s.kind is SpanKind.INTERNAL)
    assert (get.name, missing.name) == ("alice phonebooks.get", "alice phonebooks.get")
    parents = [s.parent.span_id if s.parent else None for s in traces.http_spans()]
    assert parents == [get.context.span_id] * 2 + [missing.context.span_id]
    statuses = [_attributes(s)["http.response.status_code"] for s in traces.http_spans()]
    assert statuses == [503, 200, 404]
    assert get.status.status_code is StatusCode.UNSET
    assert missing.status.status_code is StatusCode.ERROR
    assert _attributes(missing) == {"error.type": "NotFoundError"}
