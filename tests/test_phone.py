"""Phone numbers: one key per subscriber, the stored forms, and the fast path's proof."""

from __future__ import annotations

import os
import subprocess
import sys

import phonenumbers
import pytest
from hypothesis import given
from hypothesis import strategies as st

from alice_async import InvalidInputError
from alice_async._phone import PhoneRules, phone_key, vn_fast_path

SAME_SUBSCRIBER = ["0934 890 883", "84934890883", "+84934890883", "(+84) 934-890-883", "934890883"]


@pytest.mark.parametrize("written", SAME_SUBSCRIBER)
def test_every_usual_form_of_a_vietnamese_number_is_one_key(written: str) -> None:
    rules = PhoneRules(region="VN")
    assert rules.read("contact", written).key == rules.read("contact", "0934890883").key


@pytest.mark.parametrize(
    ("phone_format", "stored"),
    [("national", "0934890883"), ("e164", "+84934890883"), ("as-given", "+84934890883")],
)
def test_the_stored_form_follows_phone_format(phone_format: str, stored: str) -> None:
    rules = PhoneRules(region="VN", phone_format=phone_format)  # type: ignore[arg-type]
    assert rules.read("contact", "+84 934 890 883").stored == stored


def test_numbers_of_other_countries_keep_their_e164_form() -> None:
    read = PhoneRules(region="VN").read("contact", "+1 415 555 0123")
    assert read.stored == "+14155550123"


def test_without_a_region_numbers_are_compared_as_written() -> None:
    rules = PhoneRules(region=None)
    assert rules.read("contact", "0934 890 883").stored == "0934890883"
    assert rules.read("contact", "+84934890883").key != rules.read("contact", "0934890883").key


@pytest.mark.parametrize(
    ("written", "reason"),
    [
        ("9.34891E+08", "scientific notation"),
        ("0934890883 ext 12", "extension"),
        ("09348 ABC 883", "letters"),
        ("1" * 95, "not a phone number"),
        ("0123", "not a possible phone number"),
        ("", "expected digits"),
    ],
)
def test_unusable_numbers_are_refused_with_the_field_and_a_reason(
    written: str, reason: str
) -> None:
    with pytest.raises(InvalidInputError) as caught:
        PhoneRules().read("contact", written)
    assert caught.value.field == "contact"
    assert reason in caught.value.reason


def test_an_int_is_refused_because_it_lost_its_leading_zero() -> None:
    with pytest.raises(InvalidInputError, match="leading zero"):
        PhoneRules().read("contact", 934890883)


def test_bad_options_name_the_option() -> None:
    with pytest.raises(InvalidInputError, match="region"):
        PhoneRules(region="Vietnam")
    with pytest.raises(InvalidInputError, match="phone_format"):
        PhoneRules(phone_format="international")  # type: ignore[arg-type]


_prefixes = st.sampled_from(["0", "84", "+84", "+", "", "00", "840", "+840", "1", "+1"])
_digits = st.text("0123456789", min_size=0, max_size=12)
_separators = st.sampled_from(["", " ", ".", "-"])


@given(prefix=_prefixes, body=_digits, separator=_separators)
def test_the_vn_fast_path_agrees_with_phonenumbers_on_every_number_it_accepts(
    prefix: str, body: str, separator: str
) -> None:
    written = prefix + separator.join([body[:3], body[3:]])
    compact = written.replace(separator, "") if separator else written
    nsn = vn_fast_path(compact)
    if nsn is None:
        return  # the library decides these
    parsed = phonenumbers.parse(written, "VN")
    assert phonenumbers.is_possible_number(parsed)
    e164 = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    assert e164 == "+84" + nsn
    rules = PhoneRules(region="VN", phone_format="national")
    assert rules.read("contact", written).key == phone_key(e164)
    national = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)
    assert rules.read("contact", written).stored == national.replace(" ", "")


def test_import_alice_async_does_not_need_phonenumbers() -> None:
    script = (
        "import sys; sys.modules['phonenumbers'] = None\n"
        "import alice_async\n"
        "from alice_async._phone import PhoneRules\n"
        "print(PhoneRules().read('contact', '+84 934 890 883').stored)\n"
        "try:\n"
        "    PhoneRules().read('contact', '+1 415 555 0123')\n"
        "except alice_async.InvalidInputError as exc:\n"
        "    print(exc.reason)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": os.getcwd()},
    )
    stored, reason = done.stdout.splitlines()
    assert stored == "0934890883"
    assert "alice-sdk[phone]" in reason
