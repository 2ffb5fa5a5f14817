"""The client: configuration, lifecycle (session, event loop, closing) and the resources."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import copy
import ipaddress
import logging
import os
import ssl
import sys
import time
import urllib.request
import warnings
from types import TracebackType
from typing import TYPE_CHECKING, Any

import aiohttp
from yarl import URL

from ._auth import TokenInfo, TokenLifetime, TokenManager, parse_token_response
from ._exceptions import (
    AuthenticationError,
    BadRequestError,
    ClientStateError,
    InvalidInputError,
    NotFoundError,
)
from ._hooks import Hooks, RequestHook, ResponseHook, RetryHook, hook_list
from ._raw import RawResponses
from ._retry import RetryPolicy
from ._throttle import RateLimitState, Throttle
from ._transport import (
    Response,
    ResponseRecorder,
    Transport,
    deadline_scope,
    deadline_seconds,
    retry_count,
)
from ._types import NOT_GIVEN, Headers, NotGiven, Query, Timeout, TimeoutTypes, as_timeout
from ._validation import boolean, header_map, int_range, positive_number, query_map
from ._version import __version__

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from .resources.calendars import Alarms, Calendars, CalendarSettings, CalendarUsers, Events
    from .resources.campaigns import Campaigns
    from .resources.cdr import Cdrs
    from .resources.contacts import Contacts
    from .resources.dnc import DncContacts, DncLists
    from .resources.gateways import Gateways
    from .resources.phonebooks import Phonebooks
    from .resources.section_templates import SectionTemplates
    from .resources.subscribers import Subscribers
    from .resources.survey_templates import SurveyTemplates
    from .resources.surveys import Surveys

__all__ = ["DEFAULT_BASE_URL", "DEFAULT_MAX_RETRIES", "DEFAULT_TIMEOUT", "AliceClient"]

DEFAULT_BASE_URL = "https://alice.antbuddy.com/rest-api/"
DEFAULT_TIMEOUT = Timeout(total=60.0, connect=10.0)
DEFAULT_MAX_RETRIES = 3
DEFAULT_MAX_CONNECTIONS = 100
DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024
USER_AGENT = f"alice-sdk/{__version__} python/{sys.version_info[0]}.{sys.version_info[1]}"
LOG_LEVELS = {"debug": logging.DEBUG, "info": logging.INFO, "warning": logging.WARNING}
"""What ``ALICE_LOG`` accepts."""


def is_loopback(host: str | None) -> bool:
    """Whether ``host`` names this machine (``localhost``, 127.0.0.0/8, ``::1``)."""
    if not host:
        return False
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _rate_limit(value: object) -> float | None:
    if value is None:
        return None
    rate = positive_number("rate_limit", value, "requests per second > 0 (or None)")
    return None if rate == float("inf") else rate


def _normalise_base_url(value: str, *, allow_insecure_http: bool) -> URL:
    try:
        url = URL(value)
    except (TypeError, ValueError) as exc:
        raise InvalidInputError("base_url", value, "not a URL") from exc
    if url.scheme not in ("http", "https") or not url.host:
        raise InvalidInputError("base_url", value, "must be an absolute http(s) URL")
    if url.query_string or url.fragment:
        raise InvalidInputError("base_url", value, "must not carry a query or fragment")
    if url.user or url.password:
        raise InvalidInputError(
            "base_url", url.with_user(None), "must not carry credentials (use username=)"
        )
    if url.scheme == "http" and not is_loopback(url.host) and not allow_insecure_http:
        raise InvalidInputError(
            "base_url",
            value,
            "plain http would send the password and token in clear text: use https, or pass "
            "allow_insecure_http=True for a trusted network",
        )
    if not url.path.endswith("/"):
        url = url.with_path(url.path + "/")
    return url


def _env_timeout(explicit: TimeoutTypes | NotGiven) -> TimeoutTypes:
    """``timeout=`` if given, else ``ALICE_TIMEOUT`` (seconds), else the default."""
    if not isinstance(explicit, NotGiven):
        return explicit
    raw = os.environ.get("ALICE_TIMEOUT")
    if not raw:
        return DEFAULT_TIMEOUT
    try:
        seconds = float(raw)
    except ValueError:
        seconds = float("nan")
    if not 0 < seconds < float("inf"):
        raise InvalidInputError("ALICE_TIMEOUT", raw, "expected a number of seconds > 0")
    return seconds


def _env_max_retries(explicit: int | NotGiven) -> int:
    """``max_retries=`` if given, else ``ALICE_MAX_RETRIES``, else the default."""
    if not isinstance(explicit, NotGiven):
        return retry_count(explicit)
    raw = os.environ.get("ALICE_MAX_RETRIES")
    if not raw:
        return DEFAULT_MAX_RETRIES
    if not raw.strip().isdigit():
        raise InvalidInputError("ALICE_MAX_RETRIES", raw, "expected an integer >= 0")
    return int(raw)


def _configure_logging_from_env() -> None:
    """``ALICE_LOG=debug|info|warning``: the ``alice_async`` logger at that level, with one
    stderr handler (added once, however many clients are built)."""
    raw = os.environ.get("ALICE_LOG")
    if not raw:
        return
    level = LOG_LEVELS.get(raw.strip().lower())
    if level is None:
        raise InvalidInputError("ALICE_LOG", raw, f"expected one of {', '.join(LOG_LEVELS)}")
    logger = logging.getLogger("alice_async")
    if not any(getattr(handler, "alice_env", False) for handler in logger.handlers):
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("[%(asctime)s %(name)s %(levelname)s] %(message)s"))
        handler.alice_env = True  # type: ignore[attr-defined]  # marks ours
        logger.addHandler(handler)
    logger.setLevel(level)


def _proxy_setting(
    proxy: str | None, base_url: URL, *, trust_env: bool
) -> tuple[URL | None, dict[str, str], str | None]:
    """The proxy for ``base_url``: ``proxy=``, else (with ``trust_env``) ``HTTPS_PROXY`` /
    ``HTTP_PROXY`` unless ``NO_PROXY`` names the host, else none.

    Returns the proxy URL without credentials, the ``Proxy-Authorization`` header its
    userinfo makes, and the proxy password (to scrub from messages).
    """
    field = "proxy"
    if proxy is None and trust_env:
        proxies = urllib.request.getproxies_environment()
        host = f"{base_url.host}:{base_url.port}" if base_url.port else str(base_url.host)
        # Not in typeshed, but documented in urllib.request's source and stable since 3.0.
        if urllib.request.proxy_bypass_environment(host, proxies):  # type: ignore[attr-defined]
            return None, {}, None
        proxy = proxies.get(base_url.scheme)
        field = f"{base_url.scheme.upper()}_PROXY"
        if proxy and "://" not in proxy:
            proxy = f"http://{proxy}"  # curl's reading of "host:port"
    if not proxy:
        return None, {}, None
    if not isinstance(proxy, str):
        raise InvalidInputError(field, proxy, "expected a proxy URL such as http://host:3128")
    try:
        url = URL(proxy)
    except (TypeError, ValueError) as exc:
        raise InvalidInputError(field, "<not shown>", "not a URL") from exc
    if url.scheme not in ("http", "https") or not url.host:
        shown = str(url.with_user(None)) if url.host else "<not shown>"
        raise InvalidInputError(field, shown, "expected a proxy URL such as http://host:3128")
    headers: dict[str, str] = {}
    if url.user is not None:
        pair = f"{url.user}:{url.password or ''}".encode()
        headers = {"Proxy-Authorization": f"Basic {base64.b64encode(pair).decode('ascii')}"}
    return url.with_user(None).with_password(None), headers, url.password


def _ssl_setting(verify: bool | str | ssl.SSLContext) -> ssl.SSLContext | bool:
    """What aiohttp's connector takes for ``verify``: a context, or False to skip checks."""
    if isinstance(verify, ssl.SSLContext):
        return verify
    if verify is True:
        return True
    if verify is False:
        return False
    if isinstance(verify, (str, os.PathLike)):
        try:
            return ssl.create_default_context(cafile=os.fspath(verify))
        except (OSError, ssl.SSLError) as exc:
            raise InvalidInputError("verify", verify, f"cannot load CA file: {exc}") from exc
    raise InvalidInputError(
        "verify", verify, "expected True, False, a CA file path or an SSLContext"
    )


class AliceClient:
    """Async client of the Alice REST API.

    Args:
        base_url: the API root; default ``ALICE_BASE_URL`` from the environment, else
            ``https://alice.antbuddy.com/rest-api/``.
        username: account name or e-mail; default ``ALICE_USERNAME``.
        password: default ``ALICE_PASSWORD``. Never logged, never shown in a repr.
        token: a fixed bearer token instead of credentials (it cannot be refreshed).
        timeout: per-request limits: a :class:`Timeout`, a total in seconds, or ``None``;
            default ``ALICE_TIMEOUT`` (seconds) from the environment, else 60 s (10 s to
            connect).
        max_retries: retries after a retryable failure (0 disables retrying); default
            ``ALICE_MAX_RETRIES``, else 3.
        max_connections: size of the connection pool.
        session: an ``aiohttp.ClientSession`` to use instead of the client's own; the client
            then does not close it.
        retry_policy: back-off and ``Retry-After`` limits.
        max_response_bytes: larger responses raise ``APIResponseValidationError``.
        verify: TLS certificate verification: ``True`` (default, the system CAs), a CA bundle
            path, an ``ssl.SSLContext``, or ``False`` (never in production).
        allow_insecure_http: permit a plain ``http://`` base URL that is not loopback. Without
            it such a URL is refused: the password and token would travel in clear text.
        rate_limit: requests per second the client never exceeds (a token bucket shared by
            every call, page fetched ahead and bulk chunk), or ``None``. Without it the client
            still learns the server's rate from its 429s; see ``rate_limit_state``.
        deadline: seconds any one call may take, retries and waits included, or ``None``;
            past it the call raises ``APITimeoutError``. Override it for a block of calls
            with :meth:`within`, or per call with ``request(deadline=)``.
        default_headers: headers sent with every request, besides the SDK's own
            (``User-Agent`` and ``Accept`` may be replaced; ``Authorization`` may not).
        proxy: an ``http://`` proxy URL for every request (``http://user:pass@host:3128``
            for a proxy that wants credentials; they are never shown).
        trust_env: without ``proxy=``, use ``HTTPS_PROXY`` / ``HTTP_PROXY`` (read when the
            client is built) unless ``NO_PROXY`` names the API's host.

    ``ALICE_LOG=debug|info|warning`` in the environment sends the ``alice_async`` logger's
    records of that level to stderr.
        on_request: called before every HTTP request the client sends (each retry and the
            ``get-token/`` login included) with a :class:`RequestEvent`: method, URL, attempt
            number, headers without ``Authorization``, ``purpose`` (``"login"`` or ``"api"``).
            A callable or a list of them, plain or ``async``; see "Hooks" in the README.
        on_response: called with a :class:`ResponseEvent` (status, headers, elapsed, request
            id, attempt) for every answer, error statuses included.
        on_retry: called with a :class:`RetryEvent` (error, next attempt number, wait)
            before the client waits to retry. An exception raised by any hook propagates out
            of the call, unchanged and not retried.

    Example::

        async with AliceClient(username="me", password="secret") as client:
            book = await client.phonebooks.create(name="Customers")
            async for contact in client.contacts.list(phonebook=book.id):
                print(contact.contact)
    """

    def __init__(
        self,
        base_url: str | None = None,
        *,
        username: str | None = None,
        password: str | None = None,
        token: str | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        max_connections: int = DEFAULT_MAX_CONNECTIONS,
        session: aiohttp.ClientSession | None = None,
        retry_policy: RetryPolicy | None = None,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        verify: bool | str | ssl.SSLContext = True,
        allow_insecure_http: bool = False,
        rate_limit: float | None = None,
        deadline: float | None = None,
        default_headers: Headers | None = None,
        proxy: str | None = None,
        trust_env: bool = True,
        on_request: RequestHook | Sequence[RequestHook] | None = None,
        on_response: ResponseHook | Sequence[ResponseHook] | None = None,
        on_retry: RetryHook | Sequence[RetryHook] | None = None,
    ) -> None:
        self._closed = False
        self._session: aiohttp.ClientSession | None = None
        self._transport: Transport | None = None
        self._parent: AliceClient | None = None
        self._default_query: dict[str, str] | None = None
        self._recorder: ResponseRecorder | None = None
        _configure_logging_from_env()
        self.base_url = _normalise_base_url(
            base_url or os.environ.get("ALICE_BASE_URL") or DEFAULT_BASE_URL,
            allow_insecure_http=allow_insecure_http,
        )
        self._default_headers = header_map("default_headers", default_headers) or {}
        self.proxy, self._proxy_headers, proxy_password = _proxy_setting(
            proxy, self.base_url, trust_env=boolean("trust_env", trust_env)
        )
        self._ssl = _ssl_setting(verify)
        self.username = username if username is not None else os.environ.get("ALICE_USERNAME")
        password = password if password is not None else os.environ.get("ALICE_PASSWORD")
        self._password = password
        self.timeout = as_timeout(_env_timeout(timeout), DEFAULT_TIMEOUT)
        self.max_retries = _env_max_retries(max_retries)
        self.deadline = None if deadline is None else deadline_seconds(deadline)
        self.max_connections = int_range("max_connections", max_connections, 1)
        self.retry_policy = retry_policy or RetryPolicy()
        self.max_response_bytes = max_response_bytes
        self._throttle = Throttle(
            max_in_flight=max_connections,
            policy=self.retry_policy,
            rate_limit=_rate_limit(rate_limit),
        )
        self._user_session = session
        self._loop: asyncio.AbstractEventLoop | None = None
        has_credentials = bool(self.username) and bool(password)
        if token is None and not has_credentials and (self.username or password):
            missing = "password" if self.username else "username"
            raise InvalidInputError(missing, None, "username and password go together")
        self._tokens = TokenManager(
            self._fetch_token, fixed_token=token, can_refresh=has_credentials
        )
        self._secrets = tuple(s for s in (password, token, proxy_password) if s)
        hooks = Hooks(
            on_request=hook_list("on_request", on_request),
            on_response=hook_list("on_response", on_response),
            on_retry=hook_list("on_retry", on_retry),
        )
        self._hooks: Hooks | None = None if hooks.empty else hooks
        self._init_resources()

    def _init_resources(self) -> None:
        from .resources.calendars import (
            Alarms,
            Calendars,
            CalendarSettings,
            CalendarUsers,
            Events,
        )
        from .resources.campaigns import Campaigns
        from .resources.cdr import Cdrs
        from .resources.contacts import Contacts
        from .resources.dnc import DncContacts, DncLists
        from .resources.gateways import Gateways
        from .resources.phonebooks import Phonebooks
        from .resources.section_templates import SectionTemplates
        from .resources.subscribers import Subscribers
        from .resources.survey_templates import SurveyTemplates
        from .resources.surveys import Surveys

        self.phonebooks: Phonebooks = Phonebooks(self)
        self.contacts: Contacts = Contacts(self)
        self.campaigns: Campaigns = Campaigns(self)
        self.survey_templates: SurveyTemplates = SurveyTemplates(self)
        self.section_templates: SectionTemplates = SectionTemplates(self)
        self.gateways: Gateways = Gateways(self)
        self.surveys: Surveys = Surveys(self)
        self.dnc_lists: DncLists = DncLists(self)
        self.dnc_contacts: DncContacts = DncContacts(self)
        self.cdr: Cdrs = Cdrs(self)
        self.subscribers: Subscribers = Subscribers(self)
        self.calendar_settings: CalendarSettings = CalendarSettings(self)
        self.calendar_users: CalendarUsers = CalendarUsers(self)
        self.calendars: Calendars = Calendars(self)
        self.events: Events = Events(self)
        self.alarms: Alarms = Alarms(self)

    def __repr__(self) -> str:
        state = "closed" if self._closed else "open"
        return f"<AliceClient {self.base_url} user={self.username!r} {state}>"

    # -- lifecycle -----------------------------------------------------------------------------

    async def __aenter__(self) -> AliceClient:
        self._ensure_transport()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connection pool (not a ``session=`` you passed in). Idempotent.

        A copy made by :meth:`with_options` closes only itself: the pool stays open for the
        client it was made from, whose ``aclose()`` closes it.
        """
        self._closed = True
        session, self._session = self._session, None
        self._transport = None
        if session is not None and session is not self._user_session and self._parent is None:
            await session.close()

    @property
    def is_closed(self) -> bool:
        """Whether :meth:`aclose` was called."""
        return self._closed

    def __del__(self, _warn: Any = warnings.warn) -> None:
        session = getattr(self, "_session", None)
        if (
            session is not None
            and not session.closed
            and session is not self._user_session
            and self._parent is None
        ):
            _warn(
                f"unclosed {self!r}: use 'async with AliceClient(...)' or 'await client.aclose()'",
                ResourceWarning,
                source=self,
                stacklevel=2,
            )

    def _ensure_transport(self) -> Transport:
        if self._closed or (self._parent is not None and self._parent._closed):
            raise ClientStateError("this AliceClient is closed; create a new one")
        loop = asyncio.get_running_loop()
        if self._loop is None:
            self._loop = loop
        elif loop is not self._loop:
            raise ClientStateError(
                "this AliceClient was opened on another event loop; create one client per "
                "event loop (or use alice_sync.AliceClient from threads)"
            )
        transport = self._transport
        if transport is None:
            session = self._user_session
            if self._parent is not None:
                session = self._parent._ensure_transport().session  # shared, not owned
            elif session is None:
                session = aiohttp.ClientSession(
                    connector=aiohttp.TCPConnector(limit=self.max_connections, ssl=self._ssl),
                    raise_for_status=False,
                )
            self._session = session
            transport = Transport(
                base_url=self.base_url,
                session=session,
                tokens=self._tokens,
                timeout=self.timeout,
                max_retries=self.max_retries,
                retry_policy=self.retry_policy,
                max_response_bytes=self.max_response_bytes,
                throttle=self._throttle,
                deadline=self.deadline,
                secrets=self._secrets,
                headers={
                    "User-Agent": USER_AGENT,
                    "Accept": "application/json",
                    **self._default_headers,
                    # A plain-http request goes to the proxy as is, credentials with it; an
                    # https one through a CONNECT tunnel, which carries them instead.
                    **(self._proxy_headers if self.base_url.scheme == "http" else {}),
                },
                query=self._default_query,
                recorder=self._recorder,
                proxy=self.proxy,
                proxy_headers=self._proxy_headers if self.base_url.scheme == "https" else {},
                hooks=self._hooks,
            )
            self._transport = transport
        return transport

    @property
    def default_headers(self) -> dict[str, str]:
        """The headers sent with every request besides the SDK's own (a copy: use
        :meth:`with_options` for a client with others)."""
        return dict(self._default_headers)

    # -- copies --------------------------------------------------------------------------------

    def with_options(
        self,
        *,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        deadline: float | NotGiven | None = NOT_GIVEN,
        default_headers: Headers | None = None,
    ) -> AliceClient:
        """A copy of this client with other defaults, sharing its connection pool, its token
        (and logins) and its rate limiting.

        Options left out keep this client's values; ``default_headers`` add to this client's.
        Closing the copy does not close the pool; closing this client does (the copy is
        then unusable too).

        Example::

            patient = client.with_options(timeout=300, max_retries=8)
            rows = await patient.cdr.list(from_date=since).to_list()
        """
        clone = self._copy(headers=header_map("default_headers", default_headers))
        if not isinstance(timeout, NotGiven):
            clone.timeout = as_timeout(timeout, self.timeout)
        if not isinstance(max_retries, NotGiven):
            clone.max_retries = retry_count(max_retries)
        if not isinstance(deadline, NotGiven):
            clone.deadline = None if deadline is None else deadline_seconds(deadline)
        return clone

    def _copy(
        self,
        *,
        headers: Mapping[str, str] | None = None,
        query: Mapping[str, str] | None = None,
        recorder: ResponseRecorder | None = None,
    ) -> AliceClient:
        """A client sharing this one's pool, token and throttle, with more default headers
        and query parameters (validated already) and a response recorder. Per-call options
        and ``with_raw_response`` run a call on such a copy: it costs nothing to the calls
        that use neither."""
        if self._closed:
            raise ClientStateError("this AliceClient is closed; create a new one")
        clone = copy.copy(self)
        clone._parent = self._parent or self
        clone._transport = None
        clone._session = None
        clone._default_headers = {**self._default_headers, **(headers or {})}
        if query:
            clone._default_query = {**(self._default_query or {}), **query}
        clone._recorder = recorder or self._recorder
        clone._init_resources()
        return clone

    @property
    def with_raw_response(self) -> RawResponses:
        """The resources again, their methods returning a :class:`RawResponse`: the status,
        headers and request id of the HTTP response, and ``.parse()`` for the usual result.

        For a list method it fetches the first page: ``.parse()`` gives that :class:`Page`.

        Example::

            raw = await client.with_raw_response.phonebooks.get(7)
            print(raw.status_code, raw.request_id)
            book = raw.parse()
        """
        return RawResponses(self)

    async def authenticate(self) -> TokenLifetime:
        """Log in now (unless the client holds a fresh token), to fail fast at start-up.

        Concurrent calls and requests share one login. With a fixed ``token=`` nothing is
        sent: the server checks that token at the first call.

        Returns:
            When the token expires (never the token itself).

        Raises:
            AuthenticationError: the server refused the credentials, or none were given.
            APIError: the login failed otherwise, after its retries.

        Example::

            async with AliceClient() as client:
                lifetime = await client.authenticate()
                print("logged in until", lifetime.expires_at)
        """
        self._ensure_transport()
        await self._tokens.get()
        return self._tokens.lifetime()

    # -- requests ------------------------------------------------------------------------------

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        deadline: float | NotGiven | None = NOT_GIVEN,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
    ) -> Response:
        """Send one authenticated request to a path under ``base_url`` (an escape hatch).

        Args:
            method: ``"GET"``, ``"POST"``, ``"PUT"`` or ``"DELETE"``.
            path: relative to ``base_url``, with its trailing slash (``"gateway/23/"``).
            params: query parameters.
            json: a body to send as JSON.
            timeout: overrides the client's timeout for this call.
            max_retries: overrides the client's ``max_retries`` for this call.
            deadline: overrides the client's ``deadline`` for this call (``None``: none).
            extra_headers: headers to add (or replace) for this call; not ``Authorization``.
            extra_query: query parameters to add (or replace) for this call.

        Returns:
            The status, decoded JSON and headers. Error statuses raise instead.
        """
        transport = self._ensure_transport()
        return await transport.request(
            method.upper(),
            path,
            params=params,
            json=json,
            timeout=None if isinstance(timeout, NotGiven) else as_timeout(timeout, self.timeout),
            max_retries=None if isinstance(max_retries, NotGiven) else max_retries,
            deadline=deadline,
            extra_headers=None
            if extra_headers is None
            else header_map("extra_headers", extra_headers),
            extra_query=None if extra_query is None else query_map("extra_query", extra_query),
        )

    def within(self, seconds: float) -> contextlib.AbstractContextManager[None]:
        """Bound every call made inside the block to end within ``seconds``, retries included.

        Calls still running when the time is up raise ``APITimeoutError``. It applies to the
        current task (and the tasks it starts); nested blocks keep the earlier deadline.

        Example::

            with client.within(5.0):
                book = await client.phonebooks.get(7)
        """
        return deadline_scope(deadline_seconds(seconds))  # refused here, not at "with"

    def _use_hooks(self, hooks: Hooks) -> None:
        """Replace the hooks and tracers (the OpenTelemetry integration adds its tracer)."""
        self._hooks = None if hooks.empty else hooks
        if self._transport is not None:
            self._transport.hooks = self._hooks

    @property
    def rate_limit_state(self) -> RateLimitState:
        """What the client knows of the server's rate limit: 429s seen, the last
        ``Retry-After``, time waited in total, the learnt rate (a snapshot)."""
        return self._throttle.state()

    @property
    def retries(self) -> int:
        """How many retries this client has made so far (for monitoring). A
        :meth:`with_options` copy counts its own, and so does each call given
        ``extra_headers``/``extra_query`` (it runs on a copy)."""
        return self._transport.retries if self._transport is not None else 0

    async def _fetch_token(self) -> TokenInfo:
        transport = self._ensure_transport()
        try:
            response = await transport.request(
                "POST",
                "get-token/",
                json={"username": self.username, "password": self._password},
                authenticated=False,
                idempotent=True,
            )
        except BadRequestError as exc:
            raise AuthenticationError(
                f"POST get-token/ -> {exc.status_code}: bad credentials for user {self.username!r}",
                method="POST",
                url=exc.url,
                status_code=exc.status_code,
                body=exc.body,
                request_id=exc.request_id,
            ) from exc
        except NotFoundError as exc:
            suffix = f" (request id: {exc.request_id})" if exc.request_id else ""
            raise NotFoundError(
                f"POST {exc.url} -> 404: no login endpoint there, so the base URL is probably "
                f"wrong: it should be the API root, such as https://host/rest-api/ (it is "
                f"{self.base_url}){suffix}",
                method="POST",
                url=exc.url,
                status_code=404,
                body=exc.body,
                request_id=exc.request_id,
            ) from exc
        return parse_token_response(
            response.data,
            now_wall=time.time(),
            now_mono=time.monotonic(),
            url=str(transport.url_for("get-token/")),
        )
