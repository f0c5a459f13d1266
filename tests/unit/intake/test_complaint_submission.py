"""The complaint form becomes the filing service's input in one step, its phone numbers already read."""

import datetime as dt

from werkzeug.datastructures import MultiDict
from wtforms import Form
from wtforms.validators import Length, Optional

from complaints.core.phones import ReportedNumber
from complaints.intake.filing import ComplaintSubmission
from complaints.public.fields import PhoneListField, phone_list


class PhonesForm(Form):
    phones = PhoneListField(validators=[Optional(), Length(max=2000), phone_list])


def test_a_validated_phone_list_is_the_list_of_numbers_once_each_normalised() -> None:
    form = PhonesForm(MultiDict({"phones": "+86 138-0013-8000\n13900139000, 13800138000；10690000123"}))
    assert form.validate()
    assert form.phones.data == [
        ReportedNumber("+8613800138000", True),
        ReportedNumber("+8613900139000", True),
        ReportedNumber("10690000123", True),
    ]


def test_an_unrecognised_number_is_kept_as_typed_and_flagged_not_refused() -> None:
    form = PhonesForm(MultiDict({"phones": "13800138000, 12ab"}))
    assert form.validate()
    assert form.phones.data == [ReportedNumber("+8613800138000", True), ReportedNumber("12ab", False)]


def test_no_numbers_typed_is_an_empty_list() -> None:
    form = PhonesForm(MultiDict({"phones": "  "}))
    assert form.validate()
    assert form.phones.data == []


def test_a_refused_phone_list_is_shown_again_as_typed() -> None:
    typed = "13800138000, 12ab plus a sentence pasted into the wrong box"
    form = PhonesForm(MultiDict({"phones": typed}))
    assert not form.validate()
    assert form.phones.errors and "12ab plus" in str(form.phones.errors[0])
    assert typed in form.phones()


def test_a_valid_phone_list_is_shown_again_as_typed_too() -> None:
    typed = "+86 138-0013-8000"
    form = PhonesForm(MultiDict({"phones": typed}))
    assert form.validate()
    assert typed in form.phones()


def test_the_submission_takes_each_answer_under_its_fields_name_and_ignores_the_rest() -> None:
    data = {
        "platform": "虚构速贷",
        "violations": ["THR-01", "TP-01"],
        "primary_violation": "THR-01",
        "narrative": "对方威胁要上门。",
        "collector_phones": [ReportedNumber("+8613800138000", True)],
        "first_incident_on": dt.date(2026, 9, 1),
        "calls_per_day": None,
        "consent_publish": True,
        "evidence": [],
        "csrf_token": "token",
        "website": "",
    }
    submission = ComplaintSubmission.from_form(data, language="en")
    assert submission == ComplaintSubmission(
        platform="虚构速贷",
        violations=["THR-01", "TP-01"],
        primary_violation="THR-01",
        narrative="对方威胁要上门。",
        collector_phones=[ReportedNumber("+8613800138000", True)],
        first_incident_on=dt.date(2026, 9, 1),
        calls_per_day=None,
        consent_publish=True,
        language="en",
    )
