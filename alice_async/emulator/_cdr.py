"""Call detail records: realistic, seeded-random call outcomes and bulk seeding.

One table of outcomes (disposition, hangup cause, Q.850 code, SIP status) keeps every
row consistent: ``billsec <= duration`` and ``billsec == 0`` unless the call was answered.
"""

from __future__ import annotations

import gc
import random
from datetime import datetime, timedelta, timezone
from typing import Any

import attrs

from ._store import Row, Store
from ._time import micros

__all__ = ["OUTCOMES", "Outcome", "call_row", "pick_outcome", "seed_cdrs"]


@attrs.frozen
class Outcome:
    disposition: str
    hangup_cause: str
    q850: int
    sip_status: str
    weight: float

    @property
    def answered(self) -> bool:
        return self.disposition == "ANSWER"


OUTCOMES = (
    Outcome("ANSWER", "NORMAL_CLEARING", 16, "200", 0.70),
    Outcome("NOANSWER", "NO_ANSWER", 19, "480", 0.10),
    Outcome("BUSY", "USER_BUSY", 17, "486", 0.08),
    Outcome("FAILED", "UNALLOCATED_NUMBER", 1, "404", 0.05),
    Outcome("CONGESTION", "NORMAL_TEMPORARY_FAILURE", 41, "503", 0.04),
    Outcome("CANCEL", "ORIGINATOR_CANCEL", 487, "487", 0.03),
)
_CUMULATIVE = [sum(o.weight for o in OUTCOMES[: i + 1]) for i in range(len(OUTCOMES))]


def pick_outcome(draw: float) -> Outcome:
    """The outcome for a uniform draw in ``[0, 1)``."""
    for outcome, edge in zip(OUTCOMES, _CUMULATIVE, strict=True):
        if draw < edge:
            return outcome
    return OUTCOMES[0]


def _uuid4(bits: int) -> str:
    """A version-4 UUID string from 128 random bits (faster than ``uuid.UUID``)."""
    h = f"{bits:032x}"
    variant = "89ab"[int(h[16], 16) & 3]
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{variant}{h[17:20]}-{h[20:32]}"


def call_row(
    rng: random.Random,
    *,
    id: int,
    starting_date: str,
    phone_number: str,
    callerid: str,
    campaign: int | None,
    subscriber: int | None,
    alarm: bool = False,
    outcome: Outcome | None = None,
) -> Row:
    """One CDR row with consistent random values (an A-leg call)."""
    draw = rng.random  # plain draws: randint() costs too much when seeding 1M rows
    outcome = outcome or pick_outcome(draw())
    progress = 1 + int(draw() * 4)
    if outcome.answered:
        answer = progress + 2 + int(draw() * 14)
        billsec = 5 + int(draw() * 176)
        duration = answer + billsec
    else:
        answer = 0
        billsec = 0
        duration = progress + (20 + int(draw() * 26) if outcome.disposition == "NOANSWER" else 0)
    return {
        "id": id,
        "callid": _uuid4(rng.getrandbits(128)),
        "callerid": callerid,
        "phone_number": phone_number,
        "starting_date": starting_date,
        "duration": duration,
        "billsec": billsec,
        "progresssec": progress,
        "answersec": answer,
        "waitsec": answer or duration,
        "disposition": outcome.disposition,
        "hangup_cause": outcome.hangup_cause,
        "hangup_cause_q850": outcome.q850,
        "sip_term_status": outcome.sip_status,
        "sip_term_cause": str(outcome.q850),
        "endpoint_disposition": outcome.disposition,
        "leg_type": 1,
        "amd_status": (1 if draw() < 0.85 else 2) if outcome.answered else 3,
        "campaign": campaign,
        "subscriber": subscriber,
        "alarm": alarm,
        "otp": False,
    }


def seed_cdrs(
    store: Store,
    account: str,
    n: int,
    *,
    start: datetime | None,
    interval: timedelta,
    seed: int,
    campaign: int | None,
    now: datetime,
) -> None:
    """Write ``n`` rows ``interval`` apart from ``start`` (default ``now - n * interval``)."""
    if n <= 0:
        return
    if start is None:
        start = now - n * interval
    elif start.tzinfo is None:
        start = start.replace(tzinfo=timezone.utc)
    rng = random.Random(seed)
    base_us = micros(start)
    step_us = interval // timedelta(microseconds=1)
    naive_start = start.astimezone(timezone.utc).replace(tzinfo=None)
    first_id = store.reserve_ids("cdr", n)
    keys: list[int] = []
    rows: list[Row] = []
    callerid = f"{account}-cdr"
    step = timedelta(microseconds=step_us)
    moment = naive_start
    # Millions of new dicts would trigger the cyclic GC over and over; none form cycles.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        _fill(rng, keys, rows, n, first_id, moment, step, base_us, step_us, callerid, campaign)
    finally:
        if gc_was_enabled:
            gc.enable()
    store.cdrs(account).extend(keys, rows)


def _fill(
    rng: random.Random,
    keys: list[int],
    rows: list[Row],
    n: int,
    first_id: int,
    moment: datetime,
    step: timedelta,
    base_us: int,
    step_us: int,
    callerid: str,
    campaign: int | None,
) -> None:
    for i in range(n):
        row: dict[str, Any] = call_row(
            rng,
            id=first_id + i,
            starting_date=moment.isoformat() + "Z",
            phone_number=f"09{int(rng.random() * 10**8):08d}",
            callerid=callerid,
            campaign=campaign,
            subscriber=None,
        )
        keys.append(base_us + i * step_us)
        rows.append(row)
        moment += step
