"""Settings, credentials, the client, error reporting and exit codes of the ``alice`` command.

Every command that talks to the API goes through :meth:`Settings.run`: it resolves the
credentials (environment, else a hidden prompt on a terminal), opens one
:class:`~alice_async.AliceClient`, runs the command's coroutine and turns the failures a user
can expect (bad credentials, a server that cannot be reached, 4xx answers, refused values)
into one line on stderr and an exit code, never a traceback. Anything else is a bug and keeps
its traceback. While a command waits to retry, stderr says so (``retrying GET phonebook/ in
2.1 s (attempt 2 of 4): cannot connect``), so an operator is never left in silence.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import sys
from collections.abc import Awaitable, Callable, Iterator
from typing import NoReturn, TypeVar

import attrs
import typer

from .._client import AliceClient
from .._exceptions import (
    AliceError,
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    InvalidInputError,
    NotFoundError,
)

__all__ = [
    "EXIT_ERROR",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_USAGE",
    "CliError",
    "Settings",
    "describe_error",
    "enable_debug_logging",
    "fail",
    "run_async",
    "show_retries",
]

T = TypeVar("T")

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


class CliError(Exception):
    """An expected failure the command reports in one line (``code`` is the exit code)."""

    def __init__(self, message: str, code: int = EXIT_ERROR) -> None:
        self.code = code
        super().__init__(message)


def fail(message: str, code: int = EXIT_ERROR) -> NoReturn:
    """Print ``alice: <message>`` on stderr, on one line, and exit with ``code``."""
    line = " ".join(message.split())
    print(f"alice: {line}", file=sys.stderr, flush=True)
    raise typer.Exit(code)


def describe_error(exc: BaseException) -> tuple[str, int] | None:
    """The one-line message and exit code for an expected failure; ``None`` for a bug."""
    from ..bulk import BulkUploadError

    if isinstance(exc, CliError):
        return str(exc), exc.code
    if isinstance(exc, InvalidInputError):
        return f"invalid value: {exc}", EXIT_USAGE
    if isinstance(exc, AuthenticationError):
        return f"authentication failed: {exc}", EXIT_ERROR
    if isinstance(exc, APITimeoutError):
        return f"the server did not answer in time: {exc}", EXIT_ERROR
    if isinstance(exc, APIConnectionError):
        return f"cannot reach the server: {exc}", EXIT_ERROR
    if isinstance(exc, NotFoundError):
        return f"not found: {exc}", EXIT_ERROR
    if isinstance(exc, APIStatusError):
        return f"the server refused the request: {exc}", EXIT_ERROR
    if isinstance(exc, BulkUploadError):
        return f"the upload stopped ({exc.reason}): {exc}", EXIT_ERROR
    if isinstance(exc, AliceError):
        return str(exc), EXIT_ERROR
    if isinstance(exc, OSError):
        return f"{exc.strerror or exc}: {exc.filename}" if exc.filename else str(exc), EXIT_ERROR
    return None


def run_async(main: Callable[[], Awaitable[T]]) -> T:
    """Run ``main()`` on a fresh event loop; expected failures exit with one line on stderr."""

    async def runner() -> T:
        return await main()

    try:
        return asyncio.run(runner())
    except KeyboardInterrupt:
        fail("interrupted", EXIT_INTERRUPTED)
    except Exception as exc:
        described = describe_error(exc)
        if described is None:
            raise
        message, code = described
        fail(message, code)


class _RedactSecrets(logging.Filter):
    """Replace the password in log records (the SDK already scrubs; this is a second lock)."""

    def __init__(self, settings: Settings) -> None:
        super().__init__()
        self._settings = settings

    def filter(self, record: logging.LogRecord) -> bool:
        secret = self._settings.password
        if secret:
            message = record.getMessage()
            if secret in message:
                record.msg = message.replace(secret, "<redacted>")
                record.args = None
        return True


def enable_debug_logging(settings: Settings) -> None:
    """Send the ``alice_async`` logger's DEBUG records to stderr, secrets redacted."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(_RedactSecrets(settings))
    logger = logging.getLogger("alice_async")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)


@contextlib.contextmanager
def show_retries(settings: Settings) -> Iterator[None]:
    """Print each retry record of the SDK (``alice_async.retry``, INFO) on stderr meanwhile.

    With ``--verbose`` the DEBUG handler already shows them, so nothing is added.
    """
    if settings.verbose:
        yield
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    handler.addFilter(_RedactSecrets(settings))
    logger = logging.getLogger("alice_async.retry")
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


@attrs.define
class Settings:
    """The global options, shared by every command through the typer context.

    Attributes:
        base_url: the API root (``--base-url`` or ``ALICE_BASE_URL``); ``None`` for the
            SDK's default.
        username: ``--username`` or ``ALICE_USERNAME``; prompted for on a terminal.
        password: ``ALICE_PASSWORD``; prompted for (hidden) on a terminal. Never an option,
            so it never shows in ``ps`` or in the shell history.
        max_retries: retries after a retryable failure.
        timeout: total seconds per request.
        verbose: DEBUG logging of ``alice_async`` on stderr.
        allow_insecure_http: accept a plain ``http://`` base URL that is not loopback.
    """

    base_url: str | None = None
    username: str | None = None
    password: str | None = attrs.field(default=None, repr=False)
    max_retries: int = 3
    timeout: float = 60.0
    verbose: bool = False
    allow_insecure_http: bool = False

    def resolve_credentials(self) -> None:
        """Fill in the username and password, prompting on a terminal when they are missing.

        Raises:
            CliError: (exit 2) they are missing and stdin is not a terminal.
        """
        if self.password is None:
            self.password = os.environ.get("ALICE_PASSWORD") or None
        if self.username and self.password:
            return
        if not sys.stdin.isatty():
            missing = "ALICE_USERNAME" if not self.username else "ALICE_PASSWORD"
            raise CliError(
                f"no credentials: set {missing} (or run on a terminal to be asked)", EXIT_USAGE
            )
        if not self.username:
            self.username = typer.prompt("Username", err=True)
        if not self.password:
            self.password = typer.prompt("Password", hide_input=True, err=True)

    def client(self) -> AliceClient:
        """A client configured from these settings (credentials must be resolved).

        Raises:
            CliError: (exit 2) the base URL is refused; the message names the command's
                options (``--allow-insecure-http``), not the SDK's arguments.
        """
        try:
            return AliceClient(
                self.base_url,
                username=self.username,
                password=self.password,
                max_retries=self.max_retries,
                timeout=self.timeout,
                allow_insecure_http=self.allow_insecure_http,
            )
        except InvalidInputError as exc:
            if exc.field != "base_url":
                raise
            reason = exc.reason.replace("allow_insecure_http=True", "--allow-insecure-http")
            raise CliError(f"invalid --base-url {exc.value}: {reason}", EXIT_USAGE) from exc

    def run(self, command: Callable[[AliceClient], Awaitable[T]]) -> T:
        """Resolve credentials, open a client, run ``command(client)`` and close the client.

        Expected failures print one line on stderr and exit (see :func:`run_async`).
        """
        try:
            self.resolve_credentials()
        except CliError as exc:
            fail(str(exc), exc.code)

        async def main() -> T:
            async with self.client() as client:
                return await command(client)

        with show_retries(self):
            return run_async(main)
