"""The exception tree is the one documented in _exceptions' docstring."""

from __future__ import annotations

import alice_async as alice


def test_every_exception_derives_from_alice_error() -> None:
    for name in alice.__all__:
        obj = getattr(alice, name)
        if isinstance(obj, type) and issubclass(obj, BaseException):
            assert issubclass(obj, alice.AliceError), name


def test_input_errors_are_value_errors_and_name_the_field() -> None:
    error = alice.InvalidInputError("frequency", 300, "must be within 1..100")
    assert isinstance(error, ValueError)
    assert "frequency" in str(error)
    assert "300" in str(error)


def test_status_errors_carry_method_url_status_and_body() -> None:
    error = alice.BadRequestError(
        "POST contact/ -> 400",
        method="POST",
        url="http://h/rest-api/contact/",
        status_code=400,
        body={"contact": ["This field is required."]},
    )
    assert error.errors == {"contact": ["This field is required."]}
    assert error.method == "POST"
    assert error.status_code == 400
    assert isinstance(error, alice.APIStatusError)
    assert isinstance(
        alice.APITimeoutError("t", method="GET", url="u", request_sent=True),
        alice.APIConnectionError,
    )
