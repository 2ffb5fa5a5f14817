"""Call detail record model and its enums (docs/API.md §5.9)."""

from __future__ import annotations

import datetime as dt

import attrs

from .._enums import OpenIntEnum, OpenStrEnum
from ._common import PlainData

__all__ = ["AmdStatus", "Cdr", "Disposition", "HangupCause", "LegType"]


class Disposition(OpenStrEnum):
    """How a call ended, seen from the dialer."""

    ANSWER = "ANSWER"
    BUSY = "BUSY"
    NOANSWER = "NOANSWER"
    CANCEL = "CANCEL"
    CONGESTION = "CONGESTION"
    FAILED = "FAILED"


class HangupCause(OpenStrEnum):
    """The common FreeSWITCH hangup causes; any other cause becomes a pseudo-member."""

    NORMAL_CLEARING = "NORMAL_CLEARING"
    USER_BUSY = "USER_BUSY"
    NO_ANSWER = "NO_ANSWER"
    NO_USER_RESPONSE = "NO_USER_RESPONSE"
    UNALLOCATED_NUMBER = "UNALLOCATED_NUMBER"
    CALL_REJECTED = "CALL_REJECTED"
    ORIGINATOR_CANCEL = "ORIGINATOR_CANCEL"
    NORMAL_TEMPORARY_FAILURE = "NORMAL_TEMPORARY_FAILURE"
    RECOVERY_ON_TIMER_EXPIRE = "RECOVERY_ON_TIMER_EXPIRE"


class LegType(OpenIntEnum):
    """Which leg of a call a record describes."""

    A_LEG = 1
    B_LEG = 2


class AmdStatus(OpenIntEnum):
    """Answering-machine detection: who picked up."""

    PERSON = 1
    MACHINE = 2
    UNSURE = 3


@attrs.frozen
class Cdr(PlainData):
    """One call: when, to whom, how long, how it ended.

    Attributes:
        id: the record id.
        callid: the call's uuid.
        phone_number: the number called, a string that keeps its leading zero.
        starting_date: when the call started (aware UTC).
        duration: seconds from dialling to hangup.
        billsec: seconds billed, i.e. talk time (0 unless answered).
        disposition: a :class:`Disposition`.
        hangup_cause: a :class:`HangupCause` (an unknown cause is a pseudo-member).
        hangup_cause_q850: the ISDN Q.850 cause code.
        leg_type: ``LegType.A_LEG`` or ``LegType.B_LEG``.
        amd_status: answering-machine detection result, or ``None``.
        campaign: id of the campaign that placed the call, or ``None``.
        subscriber: id of the subscriber called, or ``None``.
        alarm: an appointment-reminder call.
        otp: a voice OTP call.
    """

    id: int
    callid: str = ""
    callerid: str | None = None
    phone_number: str = ""
    starting_date: dt.datetime | None = None
    duration: int = 0
    billsec: int = 0
    progresssec: int | None = None
    answersec: int | None = None
    waitsec: int | None = None
    disposition: Disposition | None = None
    hangup_cause: HangupCause | None = None
    hangup_cause_q850: int | None = None
    sip_term_status: str | None = None
    sip_term_cause: str | None = None
    endpoint_disposition: str | None = None
    leg_type: LegType = LegType.A_LEG
    amd_status: AmdStatus | None = None
    campaign: int | None = None
    subscriber: int | None = None
    alarm: bool = False
    otp: bool = False
