"""The aiohttp application: routes under ``/rest-api/`` and the per-request pipeline.

Every request goes through :class:`Route`: count it, maybe inject a fault, authenticate,
throttle, add latency, dispatch on the method (405 otherwise), and maybe inject a fault
after processing. Paths need their trailing slash: without it the answer is Django's
HTML 404 for every method (no ``APPEND_SLASH`` redirect, which would drop a POST body).
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import re
import socket
import struct
from collections.abc import Awaitable, Callable, Mapping

from aiohttp import web

from ._errors import (
    ApiError,
    django_not_found_page,
    html_response,
    proxy_error_page,
    server_error_page,
)
from ._handlers import Ctx, Handler, bulk_contacts, campaign_status, get_token, resource_handlers
from ._resources import SPECS
from ._state import EmulatorState, Throttle

__all__ = ["PREFIX", "build_app"]

PREFIX = "/rest-api/"
_WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_BEFORE = frozenset({"502", "503", "reset_before", "429"})
_AFTER = frozenset({"500_after", "reset_after"})

logger = logging.getLogger("alice_async.emulator")


def _throttled(wait_seconds: int) -> ApiError:
    unit = "second" if wait_seconds == 1 else "seconds"
    return ApiError.detail(
        429,
        f"Request was throttled. Expected available in {wait_seconds} {unit}.",
        {"Retry-After": str(wait_seconds)},
    )


def _reset_connection(request: web.Request) -> web.Response:
    """Cut the TCP connection (RST) without an answer; aiohttp's write then fails quietly."""
    transport = request.transport
    if transport is not None:
        sock = transport.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        transport.abort()
    return web.Response(status=500)


def _fault_before(request: web.Request, kind: str) -> web.Response:
    if kind == "503":
        return html_response(proxy_error_page(503), 503, {"Retry-After": "1"})
    if kind in ("reset_before", "reset_after"):
        return _reset_connection(request)
    if kind == "429":
        return _throttled(1).response()
    return html_response(proxy_error_page(502), 502)


class Route:
    """One URL template and the handlers of its methods."""

    def __init__(
        self,
        state: EmulatorState,
        template: str,
        methods: Mapping[str, Handler],
        *,
        public: Callable[[EmulatorState, web.Request], Awaitable[web.Response]] | None = None,
    ) -> None:
        self.state = state
        self.template = template
        self.methods = dict(methods)
        self.public = public

    async def handle(self, request: web.Request) -> web.StreamResponse:
        state = self.state
        method = request.method
        state.stats.requests[(method, self.template)] += 1
        headers = dict(request.headers)
        state.stats.last_headers = headers
        state.stats.last_query = dict(request.query)
        state.stats.recent_headers.append(headers)
        fault = state.faults.draw(request.path[len(PREFIX) :])
        if fault is not None:
            state.stats.faults[fault] += 1
            if self.template == "get-token/":
                state.stats.token_outcomes[fault] += 1
            if fault == "slow":
                await asyncio.sleep(state.config.faults.slow_seconds)
            elif fault in _BEFORE or (fault in _AFTER and method not in _WRITES):
                return _fault_before(request, fault)
        response = await self._process(request)
        if fault == "500_after":
            return html_response(server_error_page(), 500)
        if fault == "reset_after":
            return _reset_connection(request)
        return response

    async def _process(self, request: web.Request) -> web.StreamResponse:
        try:
            if self.public is not None:
                if request.method != "POST":
                    raise _not_allowed(request.method)
                return await self.public(self.state, request)
            account = self._authenticate(request)
            self._throttle(account)
            delay = self.state.config.latency.per_request
            if delay > 0:
                await asyncio.sleep(delay)
            handler = self.methods.get("GET" if request.method == "HEAD" else request.method)
            if handler is None:
                raise _not_allowed(request.method)
            return await handler(Ctx(self.state, request, account))
        except ApiError as exc:
            return exc.response()
        except web.HTTPException:
            raise
        except ConnectionResetError:
            # The client went away (a timeout, a cut): nothing failed on our side.
            logger.debug("client disconnected during %s %s", request.method, request.path)
            raise
        except Exception:
            logger.exception("emulator handler failed on %s %s", request.method, request.path)
            return html_response(server_error_page(), 500)

    def _authenticate(self, request: web.Request) -> str:
        state = self.state
        header = request.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        as_403 = state.config.variants.auth_errors_as_403
        if scheme.lower() != "bearer" or not token.strip():
            state.stats.auth_failures += 1
            if as_403:
                raise ApiError.detail(403, "Authentication credentials were not provided.")
            raise ApiError.detail(
                401,
                "Authentication credentials were not provided.",
                {"WWW-Authenticate": 'Bearer realm="api"'},
            )
        username = state.tokens.verify(token.strip(), state.config.secret)
        if username is None:
            state.stats.auth_failures += 1
            if as_403:
                raise ApiError.detail(403, "Invalid token")
            raise ApiError.detail(
                401,
                "Given token not valid or expired.",
                {"WWW-Authenticate": 'Bearer realm="api"'},
            )
        return username

    def _throttle(self, account: str) -> None:
        config = self.state.config
        if config.throttle_rate is None:
            return
        wait = self.state.throttle.wait_for(account, config.throttle_rate)
        if wait > 0:
            self.state.stats.throttled += 1
            raise _throttled(config.throttle_retry_after or Throttle.retry_after(wait))


def _not_allowed(method: str) -> ApiError:
    return ApiError.detail(405, f'Method "{method}" not allowed.')


@web.middleware
async def _django_not_found(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    """Unknown URLs get Django's HTML 404, as with ``DEBUG = False``."""
    if request.match_info.http_exception is not None:
        return html_response(django_not_found_page(), 404)
    return await handler(request)


_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:=/+-]{1,128}")


def _request_ids(
    state: EmulatorState,
) -> Callable[[web.Request, web.StreamResponse], Awaitable[None]]:
    """A response hook adding ``X-Request-ID`` (when the config says so): the request's own
    id when it sent a sane one, as proxies pass it on, else ``req_<instance>_<n>``."""
    numbers = itertools.count(1)
    instance = f"{id(state) & 0xFFFFFF:06x}"

    async def add_id(request: web.Request, response: web.StreamResponse) -> None:
        if not state.config.request_ids:
            return
        given = request.headers.get("X-Request-ID", "")
        if not _SANE_REQUEST_ID.fullmatch(given):
            given = f"req_{instance}_{next(numbers)}"
        response.headers["X-Request-ID"] = given

    return add_id


def build_app(state: EmulatorState) -> web.Application:
    """The application serving ``state`` under ``/rest-api/``."""
    app = web.Application(
        client_max_size=state.config.max_body_bytes, middlewares=[_django_not_found]
    )
    app.on_response_prepare.append(_request_ids(state))

    def add(template: str, route: Route) -> None:
        app.router.add_route("*", PREFIX + template, route.handle)

    add("get-token/", Route(state, "get-token/", {}, public=get_token))
    add("bulkcontact/", Route(state, "bulkcontact/", {"POST": bulk_contacts}))
    add(
        "campaigns/{id}/status/",
        Route(state, "campaigns/{id}/status/", {"POST": campaign_status}),
    )
    for spec in SPECS.values():
        collection, detail = resource_handlers(spec)
        add(f"{spec.name}/", Route(state, f"{spec.name}/", collection))
        add(f"{spec.name}/{{id}}/", Route(state, f"{spec.name}/{{id}}/", detail))
    return app
