"""Error answers: the DRF JSON bodies and the HTML pages of Django and of the proxy.

Handlers raise :class:`ApiError`; the app turns it into a response with
:meth:`ApiError.response`. Validation failures carry DRF's field-error mapping.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aiohttp import web

from ._json import dumps

__all__ = [
    "ApiError",
    "ValidationError",
    "django_not_found_page",
    "html_response",
    "json_response",
    "not_found",
    "proxy_error_page",
    "server_error_page",
]


def json_response(
    body: Any, status: int = 200, headers: Mapping[str, str] | None = None
) -> web.Response:
    return web.Response(
        body=dumps(body), status=status, headers=headers, content_type="application/json"
    )


def html_response(html: str, status: int, headers: Mapping[str, str] | None = None) -> web.Response:
    return web.Response(text=html, status=status, headers=headers, content_type="text/html")


class ApiError(Exception):
    """An error answer with a JSON body (DRF style)."""

    def __init__(self, status: int, body: Any, headers: Mapping[str, str] | None = None) -> None:
        super().__init__(status, body)
        self.status = status
        self.body = body
        self.headers = dict(headers or {})

    @classmethod
    def detail(
        cls, status: int, message: str, headers: Mapping[str, str] | None = None
    ) -> ApiError:
        return cls(status, {"detail": message}, headers)

    def response(self) -> web.Response:
        return json_response(self.body, self.status, self.headers)


class ValidationError(ApiError):
    """400 with ``{"field": ["message", ...], "non_field_errors": [...]}``."""

    def __init__(self, errors: Mapping[str, Any]) -> None:
        super().__init__(400, dict(errors))
        self.errors = dict(errors)


def not_found() -> ApiError:
    return ApiError.detail(404, "Not found.")


_PROXY_REASONS = {
    502: "Bad Gateway",
    503: "Service Temporarily Unavailable",
    504: "Gateway Time-out",
}


def proxy_error_page(status: int) -> str:
    """The page nginx serves when the application behind it is down."""
    reason = _PROXY_REASONS.get(status, "Error")
    return (
        f"<html>\r\n<head><title>{status} {reason}</title></head>\r\n<body>\r\n"
        f"<h1>{status} {reason}</h1>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
    )


def server_error_page() -> str:
    """Django's production ``500.html``."""
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n  <title>Server Error (500)</title>\n'
        "</head>\n<body>\n  <h1>Server Error (500)</h1><p></p>\n</body>\n</html>\n"
    )


def django_not_found_page() -> str:
    """Django's production 404 page for a URL no route matches."""
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n  <title>Not Found</title>\n</head>\n'
        "<body>\n  <h1>Not Found</h1><p>The requested resource was not found on this "
        "server.</p>\n</body>\n</html>\n"
    )
