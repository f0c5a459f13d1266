"""References are sequential per year; access codes are secret, forgiving to type, and slow to guess."""

import datetime as dt

from complaints.extensions import db
from complaints.intake.access import (
    find_complaint_by_code,
    new_access_code,
    next_reference,
    normalise_access_code,
    normalise_reference,
)
from tests.factories import TEST_ACCESS_CODE, ComplaintFactory


def test_references_count_up_within_a_year_and_restart_in_the_next() -> None:
    now = dt.datetime(2026, 5, 1, tzinfo=dt.UTC)
    assert next_reference(now) == "CW-2026-000001"
    assert next_reference(now) == "CW-2026-000002"
    assert next_reference(now.replace(year=2027)) == "CW-2027-000001"
    db.session.rollback()


def test_access_codes_are_random_groups_of_four() -> None:
    codes = {new_access_code() for _ in range(50)}
    assert len(codes) == 50
    assert all(len(code) == 19 and code.count("-") == 3 for code in codes)


def test_access_codes_forgive_case_spacing_and_look_alike_letters() -> None:
    assert normalise_access_code("abcd efgh-jkmn pqrs") == "ABCD-EFGH-JKMN-PQRS"
    assert normalise_access_code("OIL0") == "0110"
    assert normalise_reference("cw2026000123") == "CW-2026-000123"


def test_the_right_code_opens_the_complaint_and_a_wrong_one_does_not() -> None:
    complaint = ComplaintFactory()
    assert find_complaint_by_code(complaint.reference.lower(), TEST_ACCESS_CODE.lower()) == complaint
    assert find_complaint_by_code(complaint.reference, "TEST-CODE-0000-0002") is None
    assert find_complaint_by_code("CW-2026-999999", TEST_ACCESS_CODE) is None
