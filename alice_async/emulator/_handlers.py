"""Request handlers: the generic list/retrieve/create/update/delete of every resource,
and the endpoints with behaviour of their own (get-token, bulkcontact, campaign status).

A handler receives a :class:`Ctx` (the state, the request, the authenticated account)
and returns a response or raises :class:`~._errors.ApiError`.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

import attrs
from aiohttp import web

from ._errors import ApiError, ValidationError, json_response, not_found
from ._json import loads
from ._pagination import page_size, paginate
from ._resources import SPECS, ResourceSpec, date_bound, row_filters
from ._state import EmulatorState
from ._store import Row, Store, public
from ._time import format_datetime, micros, parse_datetime
from ._validation import Field, FieldError, clean_value, validate

__all__ = ["Ctx", "Handler", "bulk_contacts", "campaign_status", "get_token", "resource_handlers"]

_USERNAME_RE = re.compile(r"^[\w.@+-]+$")
_BULK_CHUNK = 1000


@attrs.frozen
class Ctx:
    """One authenticated request."""

    state: EmulatorState
    request: web.Request
    account: str

    @property
    def store(self) -> Store:
        return self.state.store

    def exists(self, resource: str, id: int) -> bool:
        return self.store.get(resource, id, self.account) is not None

    def now(self) -> str:
        return format_datetime(self.state.clock.now())

    def base_url(self) -> str:
        return f"{self.request.url.origin()}/rest-api/"


Handler = Callable[[Ctx], Awaitable[web.StreamResponse]]


async def read_json(request: web.Request) -> Any:
    """The JSON body (``{}`` when empty), as DRF's JSONParser reads it."""
    raw = await request.read()
    if not raw.strip():
        return {}
    ctype = request.content_type
    if ctype not in ("application/json", "application/octet-stream") and not ctype.endswith(
        "+json"
    ):
        raise ApiError.detail(415, f'Unsupported media type "{ctype}" in request.')
    try:
        return loads(raw)
    except ValueError as exc:
        raise ApiError.detail(400, f"JSON parse error - {exc}") from None


def render(ctx: Ctx, spec: ResourceSpec, row: Row) -> Row:
    """The wire representation of a stored row (hyperlinked in that variant)."""
    if not ctx.state.config.variants.hyperlinked:
        return public(row)
    base = ctx.base_url()
    out: Row = {"url": f"{base}{spec.name}/{row['id']}/"}
    for key, value in row.items():
        if key == "id" or key[0] == "_":
            continue
        target = spec.relations.get(key)
        if target is not None and value is not None:
            if isinstance(value, list):
                value = [f"{base}{target}/{item}/" for item in value]
            else:
                value = f"{base}{target}/{value}/"
        out[key] = value
    return out


async def _sleep_items(ctx: Ctx, items: int) -> None:
    delay = ctx.state.config.latency.per_item * items
    if delay > 0:
        await asyncio.sleep(delay)


def _object_id(ctx: Ctx) -> int:
    try:
        return int(ctx.request.match_info["id"])
    except ValueError:
        raise not_found() from None


def _get_or_404(ctx: Ctx, resource: str) -> Row:
    row = ctx.store.get(resource, _object_id(ctx), ctx.account)
    if row is None:
        raise not_found()
    return row


# -- list ---------------------------------------------------------------------------------


async def _respond_page(
    ctx: Ctx, spec: ResourceSpec, rows: Iterable[Row] | list[Row], count: int
) -> web.Response:
    config = ctx.state.config
    size = page_size(
        ctx.request,
        config.default_page_size,
        config.max_page_size,
        config.variants.ignore_page_size,
    )
    page = paginate(ctx.request, rows, count, size)
    await _sleep_items(ctx, len(page.rows))
    return json_response(page.envelope([render(ctx, spec, row) for row in page.rows]))


def _filtered(spec: ResourceSpec, ctx: Ctx, rows: Iterable[Row]) -> list[Row] | None:
    predicates = row_filters(spec, ctx.request.query, ctx.store)
    if not predicates:
        return None
    return [row for row in rows if all(predicate(row) for predicate in predicates)]


async def list_rows(ctx: Ctx, spec: ResourceSpec) -> web.Response:
    table = ctx.store.table(spec.name, ctx.account)
    filtered = _filtered(spec, ctx, table.values())
    if filtered is None:
        return await _respond_page(ctx, spec, table.values(), len(table))
    return await _respond_page(ctx, spec, filtered, len(filtered))


async def list_cdrs(ctx: Ctx) -> web.Response:
    spec = SPECS["cdr"]
    query = ctx.request.query
    table = ctx.store.cdrs(ctx.account)
    lo, hi = table.window(
        date_bound("from_date", query.get("from_date")), date_bound("to_date", query.get("to_date"))
    )
    predicates = row_filters(spec, query, ctx.store)
    if not predicates:
        window: list[Row] = table.rows if (lo, hi) == (0, len(table)) else table.rows[lo:hi]
        return await _respond_page(ctx, spec, window, hi - lo)
    rows = [row for row in table.rows[lo:hi] if all(p(row) for p in predicates)]
    return await _respond_page(ctx, spec, rows, len(rows))


async def list_calendar_users(ctx: Ctx) -> web.Response:
    spec = SPECS["calendar-user"]
    if not ctx.state.config.variants.calendar_user_unpaginated:
        return await list_rows(ctx, spec)
    rows = [render(ctx, spec, row) for row in ctx.store.table(spec.name, ctx.account).values()]
    if not rows:
        return json_response({"note": "no calendar-user found"})
    return json_response(rows[0] if len(rows) == 1 else rows)


# -- create / update / delete -------------------------------------------------------------


def _parse(text: str) -> Any:
    return parse_datetime(text)


def _check_campaign(ctx: Ctx, clean: Row, existing: Row | None) -> None:
    name = clean.get("name")
    if name is not None:
        for other in ctx.store.table("campaigns", ctx.account).values():
            if other["name"] == name and (existing is None or other["id"] != existing["id"]):
                raise ValidationError({"non_field_errors": ["The Campaign name duplicated!"]})
    merged = {**(existing or {}), **clean}
    errors: dict[str, list[str]] = {}
    if _parse(merged["expirationdate"]) <= _parse(merged["startingdate"]):
        errors["expirationdate"] = ["Expiration date must be after the starting date."]
    if merged["daily_stop_time"] <= merged["daily_start_time"]:
        errors["daily_stop_time"] = ["Daily stop time must be after the daily start time."]
    if errors:
        raise ValidationError(errors)


def _campaign_created(ctx: Ctx, row: Row) -> None:
    row["campaign_code"] = f"CP{row['id']:06d}"
    template = ctx.store.get("survey-template", row["object_id"], ctx.account)
    if template is not None:
        now = ctx.now()
        ctx.store.insert(
            "survey-list",
            ctx.account,
            {
                "name": template["name"],
                "tts_language": template["tts_language"],
                "description": template["description"],
                "campaign": row["id"],
                "created_date": now,
                "updated_date": now,
            },
        )


def _check_section(ctx: Ctx, clean: Row, existing: Row | None) -> None:
    if existing is None:
        survey = clean["survey"]
        siblings = ctx.store.table("section-template", ctx.account).values()
        clean["order"] = 1 + sum(1 for row in siblings if row["survey"] == survey)


def _check_calendar_user(ctx: Ctx, clean: Row, existing: Row | None) -> None:
    username = clean["username"]
    if not _USERNAME_RE.match(username):
        raise ValidationError(
            {
                "username": [
                    "Enter a valid username. This value may contain only letters, "
                    "numbers, and @/./+/-/_ characters."
                ]
            }
        )
    taken = {account.username for account in ctx.state.accounts}
    for _, row in ctx.store.iter_all("calendar-user"):
        taken.add(row["username"])
    if username in taken:
        raise ValidationError({"username": ["A user with that username already exists."]})
    clean["_password"] = clean.pop("password")


def _check_event(ctx: Ctx, clean: Row, existing: Row | None) -> None:
    if _parse(clean["end"]) <= _parse(clean["start"]):
        raise ValidationError({"end": ["End must be after start."]})


def _check_alarm(ctx: Ctx, clean: Row, existing: Row | None) -> None:
    notice = clean.get("date_start_notice") or ctx.now()
    clean["date_start_notice"] = notice
    clean["_notice_us"] = micros(parse_datetime(notice))  # type: ignore[arg-type]


Check = Callable[[Ctx, Row, "Row | None"], None]
_CHECKS: dict[str, Check] = {
    "campaigns": _check_campaign,
    "section-template": _check_section,
    "calendar-user": _check_calendar_user,
    "event": _check_event,
    "alarm": _check_alarm,
}
_CREATED: dict[str, Callable[[Ctx, Row], None]] = {"campaigns": _campaign_created}


def new_row(ctx: Ctx, spec: ResourceSpec, clean: Row, now: str) -> Row:
    row: Row = {"id": ctx.store.new_id(spec.name)}
    if spec.owned:
        row["user"] = ctx.account
    row.update(spec.read_only)
    row.update(clean)
    if spec.dated:
        row["created_date"] = now
        row["updated_date"] = now
    return row


async def create_row(ctx: Ctx, spec: ResourceSpec) -> web.Response:
    body = await read_json(ctx.request)
    clean = validate(spec.fields, body, partial=False, exists=ctx.exists)
    check = _CHECKS.get(spec.name)
    if check is not None:
        check(ctx, clean, None)
    row = new_row(ctx, spec, clean, ctx.now())
    created = _CREATED.get(spec.name)
    if created is not None:
        created(ctx, row)
    ctx.store.insert(spec.name, ctx.account, row)
    return json_response(render(ctx, spec, row), status=201)


async def update_row(ctx: Ctx, spec: ResourceSpec) -> web.Response:
    row = _get_or_404(ctx, spec.name)
    body = await read_json(ctx.request)
    clean = validate(spec.fields, body, partial=True, exists=ctx.exists)
    check = _CHECKS.get(spec.name)
    if check is not None:
        check(ctx, clean, row)
    if spec.dated:
        clean["updated_date"] = ctx.now()
    ctx.store.update(spec.name, ctx.account, row, clean)
    return json_response(render(ctx, spec, row))


async def delete_row(ctx: Ctx, spec: ResourceSpec) -> web.Response:
    row = _get_or_404(ctx, spec.name)
    ctx.store.delete(spec.name, ctx.account, row["id"])
    return web.Response(status=204)


async def retrieve_row(ctx: Ctx, spec: ResourceSpec) -> web.Response:
    return json_response(render(ctx, spec, _get_or_404(ctx, spec.name)))


def resource_handlers(spec: ResourceSpec) -> tuple[dict[str, Handler], dict[str, Handler]]:
    """The method → handler maps of ``<name>/`` and ``<name>/{id}/``."""

    def bind(function: Callable[[Ctx, ResourceSpec], Awaitable[web.Response]]) -> Handler:
        async def handler(ctx: Ctx) -> web.StreamResponse:
            return await function(ctx, spec)

        return handler

    collection: dict[str, Handler] = {}
    detail: dict[str, Handler] = {}
    if "list" in spec.actions:
        if spec.name == "cdr":
            collection["GET"] = list_cdrs
        elif spec.name == "calendar-user":
            collection["GET"] = list_calendar_users
        else:
            collection["GET"] = bind(list_rows)
    if "create" in spec.actions:
        collection["POST"] = bind(create_row)
    if "retrieve" in spec.actions:
        detail["GET"] = bind(retrieve_row)
    if "update" in spec.actions:
        detail["PUT"] = detail["PATCH"] = bind(update_row)
    if "delete" in spec.actions:
        detail["DELETE"] = bind(delete_row)
    return collection, detail


# -- get-token ----------------------------------------------------------------------------


async def get_token(state: EmulatorState, request: web.Request) -> web.Response:
    """``POST get-token/``: a JWT (or an opaque token) for valid credentials."""
    state.stats.token_requests += 1
    try:
        body = await read_json(request)
        required = Field("str", required=True)
        clean = validate(
            {"username": required, "password": required}, body, partial=False, exists=_no_rows
        )
    except ApiError:
        state.stats.token_outcomes["invalid"] += 1
        raise
    account = state.find_account(clean["username"])
    config = state.config
    variants = config.variants
    if account is None or account.password != clean["password"]:
        state.stats.token_outcomes["bad_credentials"] += 1
        if variants.bad_credentials_401:
            raise ApiError.detail(401, "No active account found with the given credentials")
        raise ValidationError({"non_field_errors": ["Unable to log in with provided credentials."]})
    token, lifetime = state.tokens.issue(
        account.username,
        state.store.user_ids[account.username],
        ttl=config.token_ttl,
        secret=config.secret,
        opaque=variants.opaque_token,
    )
    state.stats.tokens_issued += 1
    state.stats.token_outcomes["issued"] += 1
    payload: dict[str, Any] = {variants.token_key: token}
    if variants.opaque_token:
        payload["expires_in"] = lifetime
    return json_response(payload)


def _no_rows(resource: str, id: int) -> bool:
    return False


# -- campaigns/{id}/status/ -----------------------------------------------------------------

_ACTION_STATES = {1: 1, 2: 3, 3: 4, 4: 4}  # START, PAUSE, ABORT, END -> resulting state


async def campaign_status(ctx: Ctx) -> web.Response:
    """``POST campaigns/{id}/status/ {"status": action}``."""
    campaign = _get_or_404(ctx, "campaigns")
    body = await read_json(ctx.request)
    action_field = Field("choice", required=True, choices=tuple(_ACTION_STATES))
    action = validate({"status": action_field}, body, partial=False, exists=ctx.exists)["status"]
    if action == 1 and campaign["status"] in (4, 5):
        raise ValidationError(
            {"status": ["An ended or completed campaign cannot be started again."]}
        )
    if action == 1:
        if not campaign.get("_enrolled"):
            _enrol(ctx, campaign)
            campaign["_enrolled"] = True
        campaign["_next_call"] = ctx.state.clock.time()
    campaign["status"] = _ACTION_STATES[action]
    campaign["updated_date"] = ctx.now()
    return json_response(render(ctx, SPECS["campaigns"], campaign))


def _enrol(ctx: Ctx, campaign: Row) -> None:
    """Make every active contact of the campaign's phonebooks, minus DNC numbers, a subscriber."""
    store, account = ctx.store, ctx.account
    blocked = {row["phone_number"] for row in store.table("dnc-contact", account).values()}
    phonebooks = set(campaign["phonebook"])
    now = ctx.now()
    for contact in list(store.table("contact", account).values()):
        if contact["phonebook"] not in phonebooks or contact["status"] != 1:
            continue
        if contact["contact"] in blocked:
            continue
        store.insert(
            "subscriber-list",
            account,
            {
                "id": store.new_id("subscriber-list"),
                "contact": contact["id"],
                "campaign": campaign["id"],
                "phone_number": contact["contact"],
                "last_attempt": None,
                "count_attempt": 0,
                "completion_count_attempt": 0,
                "status": 1,
                "duration": 0,
                "billsec": 0,
                "created_date": now,
                "updated_date": now,
            },
        )


# -- bulkcontact/ ---------------------------------------------------------------------------

_BULK_FIELDS = {
    name: (attrs.evolve(field, required=False, default=1) if name == "status" else field)
    for name, field in SPECS["contact"].fields.items()
    if name != "phonebook"
}
_PHONEBOOK_FIELD = Field("fk", required=True, target="phonebook")


def _bulk_refusal(atomic: bool, message: str, field: str = "non_field_errors") -> ApiError:
    if atomic:
        return ValidationError({field: [message]})
    return ApiError(200, {"error": message})


async def bulk_contacts(ctx: Ctx) -> web.Response:
    """``POST bulkcontact/``: in order, one by one, stopping at the first duplicate.

    Numbers are compared as exact strings, as the server does: ``+84934890883`` stored by
    another tool is not a duplicate of ``0934890883``.
    """
    config = ctx.state.config
    atomic = config.variants.bulk_atomic
    body = await read_json(ctx.request)
    if not isinstance(body, dict):
        raise _bulk_refusal(atomic, "Phonebook is not valid!", "phonebook")
    try:
        phonebook = clean_value(_PHONEBOOK_FIELD, body.get("phonebook"), ctx.exists)
    except FieldError:
        raise _bulk_refusal(atomic, "Phonebook is not valid!", "phonebook") from None
    contacts = body.get("contacts")
    if not isinstance(contacts, list) or not contacts:
        raise _bulk_refusal(atomic, "Data set is empty", "contacts")
    quota = config.contact_quota
    if ctx.store.number_count(ctx.account) + len(contacts) > quota:
        raise _bulk_refusal(
            atomic,
            f"You have too many contacts per campaign. You are allowed a maximum of {quota}",
        )
    if atomic:
        return await _bulk_atomic(ctx, phonebook, contacts)
    return await _bulk_in_order(ctx, phonebook, contacts)


def _clean_contact(ctx: Ctx, item: Any) -> Row:
    return validate(_BULK_FIELDS, item, partial=False, exists=ctx.exists)


def _contact_row(ctx: Ctx, phonebook: int, clean: Row, now: str) -> Row:
    return new_row(ctx, SPECS["contact"], {"phonebook": phonebook, **clean}, now)


def _row_refusal(ctx: Ctx, index: int, errors: Any) -> str:
    """How the server words a refused row (0-based ``index``) of an in-order request."""
    if not ctx.state.config.variants.bulk_drf_errors:
        return f"Contact {index} is not valid: {errors}\n"
    details = {
        field: [f"ErrorDetail(string={message!r}, code='invalid')" for message in messages]
        for field, messages in (errors.items() if isinstance(errors, dict) else [])
    }
    rendered = ", ".join(f"{field!r}: [{', '.join(items)}]" for field, items in details.items())
    return f"Contact #{index + 1} is not valid: {{{rendered}}}"


async def _bulk_in_order(ctx: Ctx, phonebook: int, contacts: list[Any]) -> web.Response:
    store, account = ctx.store, ctx.account
    now = ctx.now()
    for start in range(0, len(contacts), _BULK_CHUNK):
        chunk = contacts[start : start + _BULK_CHUNK]
        for offset, item in enumerate(chunk):
            try:
                clean = _clean_contact(ctx, item)
            except ValidationError as exc:
                return json_response({"error": _row_refusal(ctx, start + offset, exc.errors)})
            number = clean["contact"]
            if store.has_number(account, number):
                return json_response({"error": f"The contact duplicated ({number})!\n"})
            store.insert("contact", account, _contact_row(ctx, phonebook, clean, now))
        await _sleep_items(ctx, len(chunk))
    return json_response({"result": "Bulk contacts are created"})


async def _bulk_atomic(ctx: Ctx, phonebook: int, contacts: list[Any]) -> web.Response:
    store, account = ctx.store, ctx.account
    # Sleep first: validation and insert then run without yielding, like one transaction.
    await _sleep_items(ctx, len(contacts))
    errors: list[dict[str, list[str]]] = []
    cleaned: list[Row] = []
    seen: set[str] = set()
    for item in contacts:
        try:
            clean = _clean_contact(ctx, item)
        except ValidationError as exc:
            errors.append(exc.errors)
            continue
        number = clean["contact"]
        if number in seen or store.has_number(account, number):
            errors.append({"contact": [f"The contact duplicated ({number})!"]})
        else:
            errors.append({})
        seen.add(number)
        cleaned.append(clean)
    if any(errors):
        raise ValidationError({"contacts": errors})
    now = ctx.now()
    created = [
        store.insert("contact", account, _contact_row(ctx, phonebook, clean, now))
        for clean in cleaned
    ]
    if ctx.state.config.variants.bulk_atomic_echo:
        spec = SPECS["contact"]
        return json_response([render(ctx, spec, row) for row in created], status=201)
    return json_response({"result": "Bulk contacts are created"}, status=201)
