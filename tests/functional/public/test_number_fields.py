"""Numbers typed on the complaint form are read in ASCII digits only; anything else is a clear error, never a 500."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from tests.functional.helpers import field_errors, post_complaint, valid_form


@pytest.mark.parametrize(
    ("field", "typed"),
    [
        ("amount_owed", "9" * 5000),  # Decimal arithmetic in the validator overflowed: a 500
        ("amount_owed", "１２００"),
        ("amount_owed", "١٢٠٠"),
        ("calls_per_day", "²"),
        ("calls_per_day", "٣٠"),
        ("days_overdue", "9" * 5000),
        ("days_overdue", "𝟑𝟎"),
    ],
)
def test_a_number_not_in_ascii_digits_is_refused_with_the_form_kept(
    en_client: FlaskClient, field: str, typed: str
) -> None:
    answer = post_complaint(en_client, valid_form(**{field: typed}))
    assert answer.status_code == 422
    assert any("Write the number with the digits 0–9 only." in e for e in field_errors(answer)), field_errors(answer)
    assert f'id="{field}-error"' in answer.get_data(as_text=True)
    assert typed[:50] in answer.get_data(as_text=True), "the form keeps what was typed"


@pytest.mark.parametrize(
    ("field", "typed"), [("amount_owed", "1200.50"), ("amount_owed", "1200,5"), ("days_overdue", "30")]
)
def test_ascii_numbers_are_accepted(en_client: FlaskClient, field: str, typed: str) -> None:
    assert post_complaint(en_client, valid_form(**{field: typed})).status_code == 303
