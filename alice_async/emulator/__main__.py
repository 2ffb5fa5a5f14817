"""``python -m alice_async.emulator``: run the emulator as a process until SIGINT/SIGTERM.

It prints one line with the URL and the first account's credentials, then serves.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import sys
from collections.abc import Sequence

import attrs

from ._config import FAULT_KINDS, EmulatorConfig, Faults, Latency, Variants
from ._emulator import Emulator

__all__ = ["config_from_args", "main", "parse_args", "serve"]


def _variant_names() -> list[str]:
    """The boolean variant switches (``token_key`` has its own option)."""
    return [field.name for field in attrs.fields(Variants) if field.name != "token_key"]


def _account(text: str) -> tuple[str, str]:
    username, sep, password = text.partition(":")
    if not sep or not username:
        raise argparse.ArgumentTypeError(f"expected user:password, got {text!r}")
    return username, password


def _kinds(text: str) -> tuple[str, ...]:
    kinds = tuple(kind.strip() for kind in text.split(",") if kind.strip())
    unknown = [kind for kind in kinds if kind not in FAULT_KINDS]
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown fault kinds {unknown}")
    return kinds


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m alice_async.emulator", description="Run the Alice API emulator."
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080, help="0 picks a free port")
    parser.add_argument("--token-ttl", type=float, default=300.0)
    parser.add_argument("--faults", type=float, default=0.0, help="fault rate, 0..1")
    parser.add_argument("--fault-kinds", type=_kinds, default=Faults().kinds)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--throttle", type=float, default=None, help="requests/s per account")
    parser.add_argument(
        "--variant",
        action="append",
        default=[],
        choices=_variant_names(),
        help="turn a variant on (repeatable)",
    )
    parser.add_argument("--token-key", default="token", choices=("token", "access", "access_token"))
    parser.add_argument("--latency-request", type=float, default=0.0)
    parser.add_argument("--latency-item", type=float, default=0.0)
    parser.add_argument("--time-factor", type=float, default=60.0)
    parser.add_argument(
        "--campaign-clock",
        action="store_true",
        help="stamp calls with each campaign's sped-up clock, inside its daily window",
    )
    parser.add_argument(
        "--call-retries",
        type=int,
        default=0,
        metavar="N",
        help="call a failed subscriber again up to N times (when the campaign's maxretry is 0)",
    )
    parser.add_argument(
        "--no-request-ids",
        action="store_true",
        help="send no X-Request-ID header (as a DRF server without a proxy in front)",
    )
    parser.add_argument("--users", type=_account, nargs="+", default=None, metavar="USER:PASS")
    parser.add_argument(
        "--seed-cdrs",
        type=int,
        default=0,
        metavar="N",
        help="write N realistic call records into the first account before serving",
    )
    return parser.parse_args(argv)


def config_from_args(args: argparse.Namespace) -> EmulatorConfig:
    variants = Variants(token_key=args.token_key, **dict.fromkeys(args.variant, True))
    config = EmulatorConfig(
        token_ttl=args.token_ttl,
        variants=variants,
        faults=Faults(rate=args.faults, kinds=args.fault_kinds, seed=args.seed),
        throttle_rate=args.throttle,
        latency=Latency(per_request=args.latency_request, per_item=args.latency_item),
        time_factor=args.time_factor,
        campaign_clock=args.campaign_clock,
        call_retries=args.call_retries,
        seed=args.seed,
        request_ids=not args.no_request_ids,
    )
    if args.users:
        config = attrs.evolve(config, accounts=tuple(args.users))
    return config


async def serve(config: EmulatorConfig, host: str, port: int, seed_cdrs: int = 0) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):  # not on Windows
            loop.add_signal_handler(signum, stop.set)
    async with Emulator(config, host=host, port=port) as emu:
        if seed_cdrs > 0:
            emu.seed_cdrs(seed_cdrs, seed=config.seed)
        print(
            f"Alice emulator on {emu.url} (user {emu.username}, password {emu.password})",
            flush=True,
        )
        await stop.wait()


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(config_from_args(args), args.host, args.port, args.seed_cdrs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
