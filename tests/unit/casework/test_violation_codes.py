"""The violation-code rule, stated once for intake and triage: at least one active code, the main one among them."""

import pytest
from flask_babel import force_locale

from complaints.casework.violation_codes import checked_codes, main_code, set_violation_codes
from complaints.errors import DomainError
from complaints.extensions import db
from complaints.models import ViolationType
from tests.factories import ComplaintFactory


def test_codes_are_kept_once_each_in_the_order_chosen() -> None:
    assert checked_codes(["TP-02", "ABU-01", "TP-02", ""], "ABU-01") == ["TP-02", "ABU-01"]


@pytest.mark.parametrize(
    ("codes", "primary", "message", "field"),
    [
        ([], "", "Choose at least one kind of violation.", "codes"),
        (["ABU-01"], "TP-02", "The main violation must be one of the ticked ones.", "primary_code"),
        (["ABU-01", "TP-02"], "", "Choose the main violation.", "primary_code"),
        (["ABU-01", "NOPE-99"], "ABU-01", "Unknown violation code.", "codes"),
    ],
)
def test_a_broken_choice_is_refused_on_its_field(codes: list[str], primary: str, message: str, field: str) -> None:
    with force_locale("en"), pytest.raises(DomainError) as refused:
        checked_codes(codes, primary)
    assert (refused.value.message, refused.value.field) == (message, field)


def test_a_retired_code_is_refused() -> None:
    db.session.get(ViolationType, "TP-02").active = False
    with force_locale("en"), pytest.raises(DomainError, match="Unknown violation code"):
        checked_codes(["ABU-01", "TP-02"], "ABU-01")


def test_the_error_names_the_callers_field() -> None:
    with pytest.raises(DomainError) as refused:
        checked_codes([], "", codes_field="violations", primary_field="primary_violation")
    assert refused.value.field == "violations"


def test_setting_codes_keeps_existing_rows_and_marks_exactly_one_primary() -> None:
    complaint = ComplaintFactory(codes=["ABU-01", "TP-02"])
    kept = complaint.violations[1]
    set_violation_codes(complaint, ["TP-02", "ABU-02"], "ABU-02")
    assert complaint.violations[0] is kept
    assert [(v.code, v.primary) for v in complaint.violations] == [("TP-02", False), ("ABU-02", True)]


def test_with_one_code_and_no_main_one_named_that_code_is_the_main_one() -> None:
    assert main_code(["ABU-01"], "") == "ABU-01"
    complaint = ComplaintFactory(codes=["TP-02"])
    set_violation_codes(complaint, ["ABU-02"], "")
    assert [(v.code, v.primary) for v in complaint.violations] == [("ABU-02", True)]


def test_the_main_code_is_the_one_named_among_several() -> None:
    assert main_code(["ABU-01", "TP-02"], "TP-02") == "TP-02"
