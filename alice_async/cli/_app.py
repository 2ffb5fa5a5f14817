"""The typer application of the ``alice`` command: every command, option and help text.

Command bodies stay short: they parse options, call the SDK through
:meth:`~alice_async.cli._runtime.Settings.run`, and print with :mod:`._output`. The demo, the
contact import and the CDR export live in their own modules.
"""

from __future__ import annotations

import enum
import sys
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from .._client import AliceClient
from .._converter import parse_datetime
from .._phone import PHONE_FORMATS
from .._version import __version__
from ..export import FORMATS
from ..models.campaigns import Campaign, CampaignAction, CampaignStatus
from ..models.cdr import Disposition
from ..models.contacts import Contact
from . import _output
from ._runtime import EXIT_OK, EXIT_USAGE, Settings, enable_debug_logging, fail


def _choices(name: str, values: Iterable[str]) -> Any:
    """A ``str`` enum of ``values``: typer offers an enum's values as an option's choices."""
    return enum.Enum(name, [(value, value) for value in values], type=str)


# The option choices come from the models and the export formats, never a copy of them.
if TYPE_CHECKING:
    StatusChoice = enum.Enum
    FormatChoice = enum.Enum
    DispositionChoice = enum.Enum
    PhoneFormatChoice = enum.Enum
else:
    StatusChoice = _choices("StatusChoice", (status.name.lower() for status in CampaignStatus))
    FormatChoice = _choices("FormatChoice", FORMATS)
    DispositionChoice = _choices("DispositionChoice", (d.value for d in Disposition))
    PhoneFormatChoice = _choices("PhoneFormatChoice", PHONE_FORMATS)
DEFAULT_FORMAT = FormatChoice("csv")
DEFAULT_PHONE_FORMAT = PhoneFormatChoice("national")

__all__ = ["app", "command", "hoist_global_options", "run"]

HELP_OPTION_NAMES = ["-h", "--help"]

app = typer.Typer(
    name="alice",
    help=(
        "Command line of the Alice voice-bot API: run the demo or a local emulator, import "
        "contacts, export call records, and operate campaigns.\n\n"
        "Credentials come from ALICE_USERNAME and ALICE_PASSWORD, or are asked for (hidden) "
        "on a terminal. Exit codes: 0 success, 1 API or runtime error, 2 usage error."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": HELP_OPTION_NAMES},
)
campaigns_app = typer.Typer(
    help="List, show, start, pause, abort or end campaigns; watch one live; report on it."
)
phonebooks_app = typer.Typer(help="List and create phonebooks.")
gateways_app = typer.Typer(help="List the gateways calls go out through.")


contacts_app = typer.Typer(help="List contacts, or import them into a phonebook.")
cdr_app = typer.Typer(help="Export or sync call detail records.")
emulator_app = typer.Typer(help="Run the local emulator of the Alice API.")
for _name, _group in (
    ("campaigns", campaigns_app),
    ("phonebooks", phonebooks_app),
    ("gateways", gateways_app),
    ("contacts", contacts_app),
    ("cdr", cdr_app),
    ("emulator", emulator_app),
):
    app.add_typer(_group, name=_name, no_args_is_help=True)

JsonOption = Annotated[
    bool, typer.Option("--json", help="Print JSON on stdout (nothing else goes to stdout).")
]

# The call-record filters of ``cdr export`` and ``cdr sync``, declared once.
CallCampaignOption = Annotated[
    int | None, typer.Option("--campaign", min=1, help="Only calls of this campaign.")
]
DispositionOption = Annotated[
    DispositionChoice | None,
    typer.Option("--disposition", case_sensitive=False, help="Only calls that ended this way."),
]
PhoneNumberOption = Annotated[
    str | None, typer.Option("--phone-number", help="Only calls to this number.")
]


def call_filters(
    campaign: int | None, disposition: Any, phone_number: str | None
) -> dict[str, Any]:
    """The ``cdr`` filters the options gave (those left out are not sent)."""
    filters: dict[str, Any] = {}
    if campaign is not None:
        filters["campaign"] = campaign
    if disposition is not None:
        filters["disposition"] = Disposition(disposition.value)
    if phone_number is not None:
        filters["phone_number"] = phone_number
    return filters


def command() -> Any:
    """The click command of :data:`app` (typer's own click), flags shown as flags in ``--help``.

    Typer's help prints a boolean flag's type as ``<bool>``, as if it took a value: an empty
    metavar leaves its type column blank (click never prints a flag's metavar itself).
    """
    root = typer.main.get_command(app)
    for each in _commands(root):
        # click builds --help on first use and keeps it: build it now, to fix it too.
        context = typer.Context(each, help_option_names=HELP_OPTION_NAMES)
        help_option = each.get_help_option(context)
        for param in [*each.params, help_option]:
            if getattr(param, "is_flag", False) and param.metavar is None:
                param.metavar = ""
    return root


def _commands(group: Any) -> Iterator[Any]:
    yield group
    for sub in getattr(group, "commands", {}).values():
        yield from _commands(sub)


def hoist_global_options(root: Any, args: Sequence[str]) -> list[str]:
    """``args`` with the global options given after a command moved before it.

    ``alice campaigns list -v`` becomes ``alice -v campaigns list``: click reads a group's
    options only before its subcommand. The walk follows the command path so that it knows
    which options of the command take a value (``--name -v`` keeps ``-v`` as the name), and
    a command's own option of the same name wins; ``--`` ends the walk.
    """
    global_options = _options(root)
    hoisted: list[str] = []
    kept: list[str] = []
    current = root
    own = global_options
    command_at = 0  # hoisted options go just before the command: after the ones given there
    tokens = list(args)
    index = 0
    while index < len(tokens):
        token = tokens[index]
        index += 1
        if token == "--":
            kept.extend(tokens[index - 1 :])
            break
        if not token.startswith("-") or token == "-":
            sub = getattr(current, "commands", {}).get(token)
            if sub is not None:
                if current is root:
                    command_at = len(kept)
                current, own = sub, _options(sub)
            kept.append(token)
            continue
        name, equals, _ = token.partition("=")
        param = own.get(name)
        target = kept
        if param is None and current is not root and name in global_options:
            param, target = global_options[name], hoisted
        target.append(token)
        takes_value = param is not None and not param.is_flag and not param.count
        if takes_value and not equals and index < len(tokens):
            target.append(tokens[index])
            index += 1
    return [*kept[:command_at], *hoisted, *kept[command_at:]]


def _options(each: Any) -> dict[str, Any]:
    """A command's options by every name (``-v``, ``--verbose``); arguments left out."""
    return {
        name: param
        for param in each.params
        if param.param_type_name == "option"
        for name in (*param.opts, *param.secondary_opts)
    }


def run(argv: Sequence[str] | None = None) -> int:
    """Run the application like a console script and return its exit code."""
    root = command()
    args = sys.argv[1:] if argv is None else list(argv)
    try:
        root.main(args=hoist_global_options(root, args), prog_name="alice", standalone_mode=True)
    except SystemExit as exc:
        if exc.code is None or isinstance(exc.code, int):
            return exc.code or EXIT_OK
        print(f"alice: {exc.code}", file=sys.stderr)
        return 1
    return EXIT_OK


def _check_parent(path: Path | None, option: str) -> None:
    """Refuse (exit 2) a file option whose directory does not exist, before any work."""
    if path is not None and not path.resolve().parent.is_dir():
        fail(f"{option}: the directory of {path} does not exist", EXIT_USAGE)


def _settings(ctx: typer.Context) -> Settings:
    settings = ctx.find_object(Settings)
    if settings is None:  # only when a command is invoked without the root callback
        settings = Settings()
    return settings


def _print_version(value: bool) -> None:
    if value:
        print(f"alice {__version__} (alice-sdk, Python {sys.version.split()[0]})")
        raise typer.Exit(EXIT_OK)


@app.callback()
def _global_options(
    ctx: typer.Context,
    base_url: Annotated[
        str | None,
        typer.Option(
            "--base-url",
            envvar="ALICE_BASE_URL",
            show_envvar=True,
            help="API root, e.g. http://127.0.0.1:8080/rest-api/ (default: the production API).",
        ),
    ] = None,
    username: Annotated[
        str | None,
        typer.Option(
            "--username",
            "-u",
            envvar="ALICE_USERNAME",
            show_envvar=True,
            help="Account name or e-mail. The password is read from ALICE_PASSWORD, or asked.",
        ),
    ] = None,
    max_retries: Annotated[
        int,
        typer.Option(
            "--max-retries",
            min=0,
            envvar="ALICE_MAX_RETRIES",
            show_envvar=True,
            help="Retries after a retryable failure.",
        ),
    ] = 3,
    timeout: Annotated[
        float,
        typer.Option(
            "--timeout",
            min=0.1,
            envvar="ALICE_TIMEOUT",
            show_envvar=True,
            help="Seconds allowed per request.",
        ),
    ] = 60.0,
    verbose: Annotated[
        bool,
        typer.Option(
            "--verbose", "-v", help="Log the SDK's requests and retries (DEBUG) on stderr."
        ),
    ] = False,
    allow_insecure_http: Annotated[
        bool,
        typer.Option(
            "--allow-insecure-http",
            help="Accept a plain http:// base URL that is not loopback (a trusted network only: "
            "the password would travel in clear text).",
        ),
    ] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=_print_version,
            is_eager=True,
            help="Print the version of alice-sdk and exit.",
        ),
    ] = False,
) -> None:
    """Global options, before or after the command: alice campaigns list --base-url URL -v."""
    settings = Settings(
        base_url=base_url,
        username=username,
        max_retries=max_retries,
        timeout=timeout,
        verbose=verbose,
        allow_insecure_http=allow_insecure_http,
    )
    ctx.obj = settings
    if verbose:
        enable_debug_logging(settings)


# -- demo -------------------------------------------------------------------------------------


@app.command()
def demo(
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            file_okay=False,
            help="Directory for the CDR export, the report and summary.json "
            "(default: a new temporary directory, printed at the start).",
        ),
    ] = None,
    contacts: Annotated[
        int, typer.Option("--contacts", min=1, help="How many contacts to generate and call.")
    ] = 20_000,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the generated contacts.")] = 2024,
    dial_seconds: Annotated[
        float,
        typer.Option(
            "--dial-seconds",
            min=1.0,
            help="Wall time the sped-up dialer should take to call everyone.",
        ),
    ] = 20.0,
    max_watch: Annotated[
        float,
        typer.Option(
            "--max-watch",
            min=1.0,
            help="Stop watching after this many seconds and END the campaign.",
        ),
    ] = 35.0,
    json_output: JsonOption = False,
) -> None:
    """Run the whole journey on an in-process emulator, with nothing but loopback traffic.

    Creates a phonebook, uploads generated Vietnamese contacts, a do-not-call list, a survey
    template with sections and a campaign; starts it and shows its subscribers live while the
    sped-up dialer calls; exports the call records to a CSV file and prints a summary.
    With the defaults (20,000 contacts) it takes about half a minute: the emulator's dialer
    is sped up so that everyone is called in about --dial-seconds.
    """
    from ._demo import DemoOptions, run_demo

    options = DemoOptions(
        output=output,
        contacts=contacts,
        seed=seed,
        dial_seconds=dial_seconds,
        max_watch=max_watch,
        json_output=json_output,
    )
    run_demo(options)


# -- emulator ---------------------------------------------------------------------------------


@emulator_app.command(
    "serve",
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
)
def emulator_serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option("--host", help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=0, help="Port; 0 picks a free one.")] = 8080,
    faults: Annotated[
        float,
        typer.Option("--faults", min=0.0, max=1.0, help="Fraction of requests given a fault."),
    ] = 0.0,
    fault_kinds: Annotated[
        str | None,
        typer.Option(
            "--fault-kinds",
            help="Comma-separated kinds: 502,503,500_after,reset_after,reset_before,429,slow.",
        ),
    ] = None,
    token_ttl: Annotated[
        float | None, typer.Option("--token-ttl", help="Token lifetime in seconds (300).")
    ] = None,
    variant: Annotated[
        list[str] | None,
        typer.Option(
            "--variant",
            help="Turn on a server variant (repeatable): opaque_token, bad_credentials_401, "
            "auth_errors_as_403, ignore_page_size, hyperlinked, bulk_atomic, "
            "calendar_user_unpaginated.",
        ),
    ] = None,
    time_factor: Annotated[
        float | None,
        typer.Option("--time-factor", help="How much faster than real time the dialer runs."),
    ] = None,
    seed: Annotated[int | None, typer.Option("--seed", help="Seed of faults and calls.")] = None,
) -> None:
    """Serve the emulator until Ctrl-C; prints its URL and its first account's credentials.

    Other options of `python -m alice_async.emulator` (--throttle, --users USER:PASS,
    --latency-request, --token-key ...) are passed through unchanged.
    """
    from ..emulator.__main__ import main as emulator_main

    argv = ["--host", host, "--port", str(port), "--faults", str(faults)]
    if fault_kinds is not None:
        argv += ["--fault-kinds", fault_kinds]
    if token_ttl is not None:
        argv += ["--token-ttl", str(token_ttl)]
    for name in variant or ():
        argv += ["--variant", name]
    if time_factor is not None:
        argv += ["--time-factor", str(time_factor)]
    if seed is not None:
        argv += ["--seed", str(seed)]
    argv += ctx.args
    raise typer.Exit(emulator_main(argv))


# -- campaigns --------------------------------------------------------------------------------


@campaigns_app.command("list")
def campaigns_list(
    ctx: typer.Context,
    status: Annotated[
        StatusChoice | None,
        typer.Option("--status", case_sensitive=False, help="Only campaigns in this state."),
    ] = None,
    name: Annotated[str | None, typer.Option("--name", help="Name contains (any case).")] = None,
    phonebook: Annotated[
        int | None, typer.Option("--phonebook", help="Only campaigns calling this phonebook.")
    ] = None,
    json_output: JsonOption = False,
) -> None:
    """List the campaigns of the account."""

    async def fetch(client: AliceClient) -> list[Campaign]:
        state = None if status is None else CampaignStatus[status.name.upper()]
        pages = client.campaigns.list(name=name, phonebook=phonebook, status=state, page_size=100)
        return await pages.to_list()

    campaigns = _settings(ctx).run(fetch)
    if json_output:
        _output.print_json(_output.to_json(campaigns))
    else:
        _output.out_console().print(_output.campaign_table(campaigns))


CampaignId = Annotated[int, typer.Argument(min=1, help="The campaign id.", show_default=False)]


@campaigns_app.command("show")
def campaigns_show(
    ctx: typer.Context, campaign_id: CampaignId, json_output: JsonOption = False
) -> None:
    """Show every field of one campaign."""

    async def fetch(client: AliceClient) -> Campaign:
        return await client.campaigns.get(campaign_id)

    campaign = _settings(ctx).run(fetch)
    if json_output:
        _output.print_json(_output.to_json(campaign))
    else:
        _output.out_console().print(_output.campaign_detail(campaign))


def _change_state(
    ctx: typer.Context, campaign_id: int, action: CampaignAction, json_output: bool
) -> None:
    async def send(client: AliceClient) -> Campaign:
        return await client.campaigns.set_status(campaign_id, action)

    campaign = _settings(ctx).run(send)
    if json_output:
        _output.print_json(_output.to_json(campaign))
    else:
        _output.out_console().print(
            f"campaign {campaign.id} ({campaign.name}): {_output.label(campaign.status)}"
        )


@campaigns_app.command("start")
def campaigns_start(
    ctx: typer.Context, campaign_id: CampaignId, json_output: JsonOption = False
) -> None:
    """Start (or resume) a campaign: its contacts are enrolled and dialled."""
    _change_state(ctx, campaign_id, CampaignAction.START, json_output)


@campaigns_app.command("pause")
def campaigns_pause(
    ctx: typer.Context, campaign_id: CampaignId, json_output: JsonOption = False
) -> None:
    """Pause a campaign; start resumes it."""
    _change_state(ctx, campaign_id, CampaignAction.PAUSE, json_output)


@campaigns_app.command("abort")
def campaigns_abort(
    ctx: typer.Context, campaign_id: CampaignId, json_output: JsonOption = False
) -> None:
    """Abort a campaign (it ends and cannot be started again)."""
    _change_state(ctx, campaign_id, CampaignAction.ABORT, json_output)


@campaigns_app.command("end")
def campaigns_end(
    ctx: typer.Context, campaign_id: CampaignId, json_output: JsonOption = False
) -> None:
    """End a campaign (it cannot be started again)."""
    _change_state(ctx, campaign_id, CampaignAction.END, json_output)


@campaigns_app.command("watch")
def campaigns_watch(
    ctx: typer.Context,
    campaign_id: CampaignId,
    every: Annotated[
        float, typer.Option("--every", min=0.05, help="Seconds between polls.")
    ] = 10.0,
    tz: Annotated[
        str | None,
        typer.Option(
            "--tz",
            help="Time zone of the daily window, for the ETA (default Asia/Ho_Chi_Minh).",
        ),
    ] = None,
    json_output: Annotated[
        bool,
        typer.Option("--json", help="Print one JSON line per snapshot on stdout, nothing else."),
    ] = False,
) -> None:
    """Follow a campaign until it ends: subscribers done, counts by status, answer rate, ETA.

    A live view on stderr (refreshed when something changes); with --json one JSON object
    per line on stdout for each snapshot. Ends when the campaign is ended or completed.
    """
    from ._campaigns import WatchOptions, watch_campaign

    options = WatchOptions(campaign=campaign_id, every=every, tz=tz, json_output=json_output)
    watch_campaign(_settings(ctx), options)


@campaigns_app.command("report")
def campaigns_report(
    ctx: typer.Context,
    campaign_id: CampaignId,
    output: Annotated[
        Path, typer.Option("--output", "-o", dir_okay=False, help="The HTML file to write.")
    ] = Path("report.html"),
    csv: Annotated[
        Path | None,
        typer.Option(
            "--csv",
            dir_okay=False,
            help="Where to write the failed numbers (default: OUTPUT with .failed.csv).",
        ),
    ] = None,
    tz: Annotated[
        str | None,
        typer.Option("--tz", help="Time zone of the hours of the day (default Asia/Ho_Chi_Minh)."),
    ] = None,
    json_output: JsonOption = False,
) -> None:
    """Write a self-contained HTML report of a campaign, and its failed numbers as CSV.

    Outcomes (dispositions, hangup causes), calls and answer rate by hour, talk time,
    attempts per subscriber, failed numbers with their last cause. The charts need the
    report extra: pip install 'alice-sdk[report]'.
    """
    from ._campaigns import ReportOptions, report_campaign

    _check_parent(output, "--output")
    _check_parent(csv, "--csv")
    options = ReportOptions(
        campaign=campaign_id, output=output, csv=csv, tz=tz, json_output=json_output
    )
    report_campaign(_settings(ctx), options)


# -- phonebooks and gateways ------------------------------------------------------------------


@phonebooks_app.command("list")
def phonebooks_list(
    ctx: typer.Context,
    search: Annotated[str | None, typer.Option("--search", help="Name contains.")] = None,
    json_output: JsonOption = False,
) -> None:
    """List the phonebooks of the account."""

    async def fetch(client: AliceClient) -> list[Any]:
        return await client.phonebooks.list(search=search, page_size=100).to_list()

    books = _settings(ctx).run(fetch)
    if json_output:
        _output.print_json(_output.to_json(books))
    else:
        _output.out_console().print(_output.phonebook_table(books))


@phonebooks_app.command("create")
def phonebooks_create(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Name, up to 90 characters.", show_default=False)],
    description: Annotated[str | None, typer.Option("--description", help="Free text.")] = None,
    json_output: JsonOption = False,
) -> None:
    """Create a phonebook and print its id."""

    async def create(client: AliceClient) -> Any:
        return await client.phonebooks.create(name=name, description=description)

    book = _settings(ctx).run(create)
    if json_output:
        _output.print_json(_output.to_json(book))
    else:
        _output.out_console().print(f"created phonebook {book.id} ({book.name})")


@gateways_app.command("list")
def gateways_list(ctx: typer.Context, json_output: JsonOption = False) -> None:
    """List the gateways of the account (use an id as a campaign's aleg_gateway)."""

    async def fetch(client: AliceClient) -> list[Any]:
        return await client.gateways.list(page_size=100).to_list()

    gateways = _settings(ctx).run(fetch)
    if json_output:
        _output.print_json(_output.to_json(gateways))
    else:
        _output.out_console().print(_output.gateway_table(gateways))


# -- contacts and call records ----------------------------------------------------------------


@contacts_app.command("list")
def contacts_list(
    ctx: typer.Context,
    phonebook: Annotated[
        int | None, typer.Option("--phonebook", min=1, help="Only contacts of this phonebook.")
    ] = None,
    search: Annotated[str | None, typer.Option("--search", help="Number or name contains.")] = None,
    limit: Annotated[
        int, typer.Option("--limit", min=1, help="Print at most this many contacts.")
    ] = 1000,
    json_output: JsonOption = False,
) -> None:
    """List contacts, of one phonebook or of the whole account."""

    async def fetch(client: AliceClient) -> list[Contact]:
        pages = client.contacts.list(phonebook=phonebook, search=search, page_size=100)
        return await pages.to_list(limit=limit)

    contacts = _settings(ctx).run(fetch)
    if json_output:
        _output.print_json(_output.to_json(contacts))
    else:
        _output.out_console().print(_output.contact_table(contacts))


@contacts_app.command("import")
def contacts_import(
    ctx: typer.Context,
    file: Annotated[
        Path,
        typer.Argument(
            exists=True,
            dir_okay=False,
            readable=True,
            help="A .csv/.tsv/.txt or .xlsx file; its header names the API fields (contact, "
            "first_name, last_name, email, status, ...) or --map names them.",
            show_default=False,
        ),
    ],
    phonebook: Annotated[int, typer.Option("--phonebook", min=1, help="Target phonebook id.")],
    checkpoint: Annotated[
        Path | None,
        typer.Option(
            "--checkpoint",
            dir_okay=False,
            help="Progress file: run the same command again to resume after a failure.",
        ),
    ] = None,
    rejects: Annotated[
        Path | None,
        typer.Option(
            "--rejects",
            dir_okay=False,
            help="Write invalid and duplicate rows here: the original row plus a reason column.",
        ),
    ] = None,
    chunk_size: Annotated[
        int | None,
        typer.Option("--chunk-size", min=1, help="Contacts per request (SDK default 500)."),
    ] = None,
    concurrency: Annotated[
        int | None, typer.Option("--concurrency", min=1, help="Requests in flight (SDK default 8).")
    ] = None,
    delimiter: Annotated[
        str | None,
        typer.Option(
            "--delimiter",
            help="Cell separator of a text file (',' ';' 'tab' '|'); detected when not given.",
        ),
    ] = None,
    mapping: Annotated[
        list[str] | None,
        typer.Option(
            "--map",
            help="'Column=field', e.g. --map 'Số điện thoại=contact' (repeatable).",
        ),
    ] = None,
    sheet: Annotated[
        str | None,
        typer.Option("--sheet", help="Worksheet of an .xlsx file, by name or 0-based index."),
    ] = None,
    region: Annotated[
        str,
        typer.Option(
            "--region",
            help="Country of numbers written without a country code ('none': keep numbers "
            "as written and compare them exactly).",
        ),
    ] = "VN",
    phone_format: Annotated[
        PhoneFormatChoice,
        typer.Option("--phone-format", case_sensitive=False, help="How numbers are stored."),
    ] = DEFAULT_PHONE_FORMAT,
    skip_dnc: Annotated[
        bool,
        typer.Option(
            "--skip-dnc", help="Do not upload numbers on the account's do-not-call lists."
        ),
    ] = False,
    json_output: JsonOption = False,
) -> None:
    """Upload the contacts of a CSV or Excel file into a phonebook, with a progress bar."""
    from ._imports import ImportOptions, import_contacts

    _check_parent(checkpoint, "--checkpoint")
    _check_parent(rejects, "--rejects")
    options = ImportOptions(
        file=file,
        phonebook=phonebook,
        checkpoint=checkpoint,
        rejects=rejects,
        chunk_size=chunk_size,
        concurrency=concurrency,
        json_output=json_output,
        delimiter=_delimiter(delimiter),
        mapping=tuple(_mapping_pair(item) for item in mapping or []),
        sheet=sheet,
        region=None if region.lower() == "none" else region,
        phone_format=phone_format.value,
        skip_dnc=skip_dnc,
    )
    import_contacts(_settings(ctx), options)


def _delimiter(value: str | None) -> str | None:
    named = {"tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";", "pipe": "|"}
    if value is None:
        return None
    value = named.get(value.lower(), value)
    if len(value) != 1:
        fail(f"--delimiter: expected one character or tab, got {value!r}", EXIT_USAGE)
    return value


def _mapping_pair(item: str) -> tuple[str, str]:
    column, sep, field = item.rpartition("=")
    if not sep or not column.strip() or not field.strip():
        fail(f"--map: expected 'Column=field', got {item!r}", EXIT_USAGE)
    return column.strip(), field.strip()


def parse_instant(value: str) -> datetime:
    """An ISO-8601 date or datetime; without an offset it is taken as UTC."""
    try:
        return parse_datetime(value)
    except ValueError:
        raise typer.BadParameter(
            f"{value!r} is not an ISO-8601 date or datetime (2024-03-01T08:00:00Z)"
        ) from None


@cdr_app.command("export")
def cdr_export(
    ctx: typer.Context,
    from_date: Annotated[
        datetime,
        typer.Option(
            "--from",
            parser=parse_instant,
            metavar="ISO",
            help="Earliest call start, inclusive (UTC when no offset is given).",
            show_default=False,
        ),
    ],
    to_date: Annotated[
        datetime,
        typer.Option(
            "--to",
            parser=parse_instant,
            metavar="ISO",
            help="Latest call start, inclusive.",
            show_default=False,
        ),
    ],
    output: Annotated[Path, typer.Option("--output", "-o", dir_okay=False, help="File to write.")],
    file_format: Annotated[
        FormatChoice, typer.Option("--format", "-f", case_sensitive=False, help="File format.")
    ] = DEFAULT_FORMAT,
    campaign: CallCampaignOption = None,
    disposition: DispositionOption = None,
    phone_number: PhoneNumberOption = None,
    json_output: JsonOption = False,
) -> None:
    """Export the call records of a time range to CSV, JSON lines or Parquet."""
    from ._exports import ExportOptions, export_cdrs

    if from_date > to_date:
        fail("--from must not be after --to", EXIT_USAGE)
    _check_parent(output, "--output")
    filters: dict[str, Any] = {
        "from_date": from_date,
        "to_date": to_date,
        **call_filters(campaign, disposition, phone_number),
    }
    options = ExportOptions(
        output=output,
        format=file_format.value,
        filters=filters,
        json_output=json_output,
    )
    export_cdrs(_settings(ctx), options)


# pipelines (issue 14): registers ``alice cdr sync`` on cdr_app (imports names defined above).
from . import _sync as _sync  # noqa: E402
