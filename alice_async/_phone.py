"""Phone numbers: one canonical key per subscriber, and the form a number is stored in.

The server compares numbers as exact strings, so ``0934890883``, ``84934890883`` and
``+84 934 890 883`` would be three contacts. :class:`PhoneRules` reads a number the way a
person wrote it, in a default ``region``, into its canonical E.164 form (the key used to
de-duplicate, to find a number already in the account and to screen do-not-call lists) and
into the form sent to the server (``phone_format``):

- ``"national"`` (default): numbers of ``region`` in the national form without separators
  (``0934890883``, the vendor's own form); numbers of other countries in E.164.
- ``"e164"``: ``+84934890883``.
- ``"as-given"``: as written, only separators (spaces, dots, dashes, parentheses) removed.

The rules come from ``phonenumbers`` (the ``phone`` extra) where it is installed. Vietnamese
mobile numbers in their usual forms (``0`` + 9 digits, ``84`` + 9 digits, ``+84`` + 9 digits,
first digit 3, 5, 7, 8 or 9) take a built-in fast path, which a property test proves equal
to ``phonenumbers`` on every number it accepts. **Without the extra**, only that fast path is
available: any other number is refused with a message saying to install
``alice-sdk[phone]`` (a number is never keyed by a guess). ``region=None`` turns the
interpretation off: numbers are kept as written minus separators and compared exactly, as the
server does.
"""

from __future__ import annotations

import importlib
import re
from typing import Any, Literal, NamedTuple

import attrs

from ._exceptions import InvalidInputError
from ._validation import phone_text

__all__ = ["PHONE_FORMATS", "Phone", "PhoneFormat", "PhoneRules", "phone_key"]

PhoneFormat = Literal["national", "e164", "as-given"]
PHONE_FORMATS: tuple[PhoneFormat, ...] = ("national", "e164", "as-given")

_SEPARATORS = str.maketrans("", "", " .-()\u00a0\t/")
_EXTENSION = re.compile(r"(?:ext\.?|extension|x|#)\s*\d+\s*$", re.IGNORECASE)
_SCIENTIFIC = re.compile(r"^\s*[+-]?\d+(?:[.,]\d+)?[eE][+-]?\d+\s*$")
_VN_MOBILE_FIRST = frozenset("35789")
_MISSING_EXTRA = (
    "only Vietnamese mobile numbers (0/84/+84 and 9 digits) can be read without the "
    "'phone' extra: pip install 'alice-sdk[phone]'"
)


class Phone(NamedTuple):
    """A number read by :class:`PhoneRules`: what is sent, and the canonical comparison key."""

    stored: str
    key: int


def phone_key(canonical: str) -> int:
    """A compact, exact key for a number (``"+84..."`` and ``"84..."`` differ).

    An int of a dozen digits takes 32 bytes where the string takes about 60, which keeps the
    set of a million numbers well under 100 MB.
    """
    if canonical[0] == "+":
        return int("2" + canonical[1:])
    return int("1" + canonical)


def _check_region(_: object, __: object, value: str | None) -> None:
    if value is None:
        return
    if not (isinstance(value, str) and len(value) == 2 and value.isascii() and value.isalpha()):
        raise InvalidInputError("region", value, "expected a two-letter country code like 'VN'")


def _check_format(_: object, __: object, value: str) -> None:
    if value not in PHONE_FORMATS:
        raise InvalidInputError("phone_format", value, f"expected one of {list(PHONE_FORMATS)}")


def _upper(value: Any) -> Any:
    return value.upper() if isinstance(value, str) else value


@attrs.frozen
class PhoneRules:
    """How numbers are read (``region``) and stored (``phone_format``).

    Example::

        rules = PhoneRules(region="VN", phone_format="national")
        assert rules.read("contact", "(+84) 934-890-883").stored == "0934890883"
    """

    region: str | None = attrs.field(default="VN", converter=_upper, validator=_check_region)
    phone_format: PhoneFormat = attrs.field(default="national", validator=_check_format)

    def read(self, field: str, value: Any) -> Phone:
        """The stored form and key of ``value``.

        Raises:
            InvalidInputError: naming ``field`` and ``value``: not a string, letters, a
                spreadsheet's scientific notation, an extension, or not a possible number.
        """
        value = phone_text(field, value)
        compact = value.strip().translate(_SEPARATORS)
        if self.region is None:
            return self._exact(field, value, compact)
        if self.region == "VN":
            nsn = vn_fast_path(compact)
            if nsn is not None:
                return self._vn(nsn, compact)
        return self._library(field, value, compact)

    def _exact(self, field: str, value: str, compact: str) -> Phone:
        digits = compact[1:] if compact.startswith("+") else compact
        if not digits or not digits.isascii() or not digits.isdigit():
            raise InvalidInputError(field, value, _shape_problem(value))
        if len(compact) > 90:
            raise InvalidInputError(field, value, "at most 90 characters")
        return Phone(compact, phone_key(compact))

    def _vn(self, nsn: str, compact: str) -> Phone:
        key = int("284" + nsn)
        if self.phone_format == "national":
            return Phone("0" + nsn, key)
        if self.phone_format == "e164":
            return Phone("+84" + nsn, key)
        return Phone(compact, key)

    def _library(self, field: str, value: str, compact: str) -> Phone:
        region = self.region or "ZZ"
        digits = compact[1:] if compact.startswith("+") else compact
        if not (digits.isascii() and digits.isdigit()):
            raise InvalidInputError(field, value, _shape_problem(value))
        library = _phonenumbers()
        if library is None:
            raise InvalidInputError(field, value, _MISSING_EXTRA)
        try:
            parsed = library.parse(compact, region)
        except library.NumberParseException as exc:
            raise InvalidInputError(field, value, f"not a phone number ({exc._msg})") from None
        if not library.is_possible_number(parsed):
            raise InvalidInputError(
                field, value, f"not a possible phone number in region {self.region}"
            )
        e164 = library.format_number(parsed, library.PhoneNumberFormat.E164)
        key = phone_key(e164)
        if self.phone_format == "as-given":
            return Phone(compact, key)
        if self.phone_format == "national" and parsed.country_code == _country_code(
            library, region
        ):
            nsn = library.national_significant_number(parsed)
            return Phone(_national_prefix(library, region) + nsn, key)
        return Phone(e164, key)


def vn_fast_path(compact: str) -> str | None:
    """The national significant number of a Vietnamese mobile number in a usual form, or None.

    ``compact`` has its separators removed already. Accepts ``0`` + 9 digits, ``84`` + 9
    digits and ``+84`` + 9 digits whose first digit is 3, 5, 7, 8 or 9.
    """
    size = len(compact)
    if size == 10 and compact[0] == "0":
        nsn = compact[1:]
    elif size == 11 and compact[:2] == "84":
        nsn = compact[2:]
    elif size == 12 and compact[:3] == "+84":
        nsn = compact[3:]
    else:
        return None
    if nsn[0] in _VN_MOBILE_FIRST and nsn.isascii() and nsn.isdigit():
        return nsn
    return None


def _shape_problem(value: str) -> str:
    if _SCIENTIFIC.match(value):
        return (
            "written in scientific notation, so digits were lost (a spreadsheet did this: "
            "format the column as text and export again)"
        )
    if _EXTENSION.search(value):
        return "has an extension, which cannot be dialled: put it in another column"
    if any(ch.isalpha() for ch in value):
        return "has letters; expected digits with an optional leading '+'"
    return "expected digits with an optional leading '+' (spaces, dots, dashes ok)"


_library_module: Any = None
_library_loaded = False


def _phonenumbers() -> Any:
    """The ``phonenumbers`` module, imported on first use; ``None`` without the extra."""
    global _library_module, _library_loaded
    if not _library_loaded:
        try:
            module: Any = importlib.import_module("phonenumbers")
        except ImportError:
            module = None
        _library_module, _library_loaded = module, True
    return _library_module


def _country_code(library: Any, region: str) -> int:
    return int(library.country_code_for_region(region))


def _national_prefix(library: Any, region: str) -> str:
    metadata = library.PhoneMetadata.metadata_for_region(region)
    prefix = getattr(metadata, "national_prefix", None) if metadata is not None else None
    return str(prefix or "")
