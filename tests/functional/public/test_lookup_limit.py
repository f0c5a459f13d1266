"""The per-reference look-up limit counts wrong codes for the reference however it is written; never the right one.

Found from outside: the limit was keyed on the raw input, so 20 wrong codes sent from other
addresses locked the owner out for an hour, while `cw2026000004` or `CW 2026 000004` were not
counted against `CW-2026-000004` at all.
"""

from __future__ import annotations

from flask import Flask

from tests.factories import TEST_ACCESS_CODE, ComplaintFactory

PER_REFERENCE = 20


def _look_up(app: Flask, reference: str, code: str, address: str) -> int:
    client = app.test_client()
    answer = client.post(
        "/status", data={"reference": reference, "access_code": code}, environ_base={"REMOTE_ADDR": address}
    )
    return answer.status_code


def _spellings(reference: str) -> list[str]:
    year, number = reference.split("-")[1:]
    return [reference, reference.lower(), f"cw{year}{number}", f"CW {year} {number}", f" CW-{year}-{number} "]


def test_wrong_codes_from_other_addresses_never_lock_out_the_right_code(app: Flask) -> None:
    complaint = ComplaintFactory()
    statuses = [
        _look_up(app, complaint.reference, f"WRONG-{n:04d}", f"198.51.100.{n}") for n in range(PER_REFERENCE + 5)
    ]
    assert statuses[:PER_REFERENCE] == [422] * PER_REFERENCE
    assert set(statuses[PER_REFERENCE:]) == {429}, "past the limit a wrong code is refused as too many"
    assert _look_up(app, complaint.reference, TEST_ACCESS_CODE, "203.0.113.7") == 303


def test_every_spelling_of_a_reference_counts_against_it(app: Flask) -> None:
    complaint = ComplaintFactory()
    spellings = _spellings(complaint.reference)
    statuses = [
        _look_up(app, spellings[n % len(spellings)], f"WRONG-{n:04d}", f"198.51.100.{n}")
        for n in range(PER_REFERENCE + 1)
    ]
    assert statuses[-1] == 429, statuses
    # and the right code, in any spelling, still opens it
    for n, spelling in enumerate(spellings):
        assert _look_up(app, spelling, TEST_ACCESS_CODE, f"203.0.113.{n}") == 303, spelling


def test_right_codes_are_not_counted(app: Flask) -> None:
    complaint = ComplaintFactory()
    for n in range(PER_REFERENCE + 3):
        assert _look_up(app, complaint.reference, TEST_ACCESS_CODE, f"198.51.100.{n}") == 303
    assert _look_up(app, complaint.reference, "WRONG-0000", "198.51.100.200") == 422
