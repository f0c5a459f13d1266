"""Ids from outside: ASCII digits only, within the database's 32-bit range."""

from __future__ import annotations

import pytest

from complaints.core.database import MAX_ID, parse_id


@pytest.mark.parametrize(("raw", "expected"), [("1", 1), ("42", 42), ("0042", 42), (str(MAX_ID), MAX_ID)])
def test_an_ascii_number_in_range_is_an_id(raw: str, expected: int) -> None:
    assert parse_id(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        None,
        "",
        "0",
        "-1",
        "+1",
        " 1",
        "1 ",
        "1\n",
        "1_000",
        "1.0",
        "1e3",
        str(MAX_ID + 1),
        "9" * 11,
        "9" * 5000,
        "１２",  # full-width
        "١٢",  # Arabic-Indic
        "१२",  # Devanagari
        "𝟏𝟐",  # mathematical bold
        "²",  # a superscript is a digit to str.isdigit, not to int()
    ],
)
def test_anything_else_names_no_row(raw: str | None) -> None:
    assert parse_id(raw) is None
