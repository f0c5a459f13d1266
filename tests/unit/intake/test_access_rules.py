"""The exact rules of access codes, public ids and references: alphabet, length, entropy, layout."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from sqlalchemy.dialects import postgresql

from complaints.extensions import db
from complaints.intake import access

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_FORMAT = re.compile(r"[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}")
SAMPLE = 400


def many_codes() -> list[str]:
    """Many freshly generated access codes (made inside each test, so each test calls the generator)."""
    return [access.new_access_code() for _ in range(SAMPLE)]


def test_an_access_code_is_four_dash_separated_groups_of_four_crockford_characters() -> None:
    codes = many_codes()
    for code in codes:
        assert CODE_FORMAT.fullmatch(code), code
        assert [len(group) for group in code.split("-")] == [4, 4, 4, 4]
        assert code[4] == code[9] == code[14] == "-"


def test_every_character_position_of_an_access_code_varies() -> None:
    codes = many_codes()
    # 16 independent positions × 5 bits = 80 bits; a fixed filler or a repeated character at any
    # position would cut the entropy (with 400 codes a position shows ~32 symbols, never one).
    raw = [code.replace("-", "") for code in codes]
    for position in range(16):
        assert len({r[position] for r in raw}) >= 16, position


def test_the_sixteen_characters_of_an_access_code_are_independent() -> None:
    codes = many_codes()
    # Overlapping groups (ABCD-BCDE-…) would make one position always equal another.
    raw = [code.replace("-", "") for code in codes]
    for first in range(16):
        for second in range(first + 1, 16):
            same = sum(r[first] == r[second] for r in raw)
            assert same < SAMPLE // 4, (first, second)


def test_access_codes_draw_on_the_whole_alphabet_and_never_repeat() -> None:
    codes = many_codes()
    assert len(set(codes)) == SAMPLE
    assert {ch for code in codes for ch in code.replace("-", "")} == set(CROCKFORD)


def test_crockford_alphabet_has_no_i_l_o_or_u() -> None:
    codes = many_codes()
    assert not {"I", "L", "O", "U"} & {ch for code in codes for ch in code}
    assert len(CROCKFORD) == 32


def test_a_public_id_is_p_and_eleven_random_crockford_characters() -> None:
    ids = [access.new_public_id() for _ in range(SAMPLE)]
    for public_id in ids:
        assert re.fullmatch(r"P[0-9A-HJKMNP-TV-Z]{11}", public_id), public_id
    assert len(set(ids)) == SAMPLE
    for position in range(1, 12):
        assert len({i[position] for i in ids}) >= 16, position


@pytest.mark.parametrize(
    ("typed", "normalised"),
    [
        ("ABCD-EFGH-JKMN-PQRS", "ABCD-EFGH-JKMN-PQRS"),
        ("abcdefghjkmnpqrs", "ABCD-EFGH-JKMN-PQRS"),
        ("  abcd  efgh jkmn pqrs ", "ABCD-EFGH-JKMN-PQRS"),
        ("ab-cd.ef_gh/jk mn,pq rs", "ABCD-EFGH-JKMN-PQRS"),
        ("o0il-OIL1-oooo-iiii", "0011-0111-0000-1111"),
        ("abc", "ABC"),
        ("abcde", "ABCD-E"),
        ("", ""),
        ("----", ""),
    ],
)
def test_access_codes_normalise_to_upper_case_groups_of_four(typed: str, normalised: str) -> None:
    assert access.normalise_access_code(typed) == normalised


def test_a_hashed_access_code_verifies_however_it_was_typed() -> None:
    stored = access.hash_access_code("abcd efgh jkmn pqrs")
    assert stored.startswith("hmac1$")
    assert access.access_code_matches(stored, "ABCD-EFGH-JKMN-PQRS")
    assert access.access_code_matches(stored, "abcdefghjkmnpqrs")


@pytest.mark.parametrize(
    ("typed", "normalised"),
    [
        ("CW-2026-000123", "CW-2026-000123"),
        ("cw-2026-000123", "CW-2026-000123"),
        ("cw2026000123", "CW-2026-000123"),
        (" CW 2026 000123 ", "CW-2026-000123"),
        ("cw/2026/000123", "CW-2026-000123"),
        ("CW-2026-1234567", "CW-2026-1234567"),
        # the shortest that is restored: CW, a year and two digits (eight characters)
        ("CW202612", "CW-2026-12"),
        ("cw-2026-1", "CW-2026-1"),
        # refused shapes are only trimmed and upper-cased, never turned into a reference
        ("CW20261", "CW20261"),
        ("helloworld", "HELLOWORLD"),
        ("  hello  ", "HELLO"),
        ("XY2026000123", "XY2026000123"),
        ("2026000123", "2026000123"),
        ("CWA2026000", "CWA2026000"),
        ("cw-2026-00012a", "CW-2026-00012A"),
        ("CW-ABCD-000123", "CW-ABCD-000123"),
        ("", ""),
    ],
)
def test_references_normalise_by_a_fixed_table(typed: str, normalised: str) -> None:
    assert access.normalise_reference(typed) == normalised


def test_references_are_cw_year_and_six_digits_counted_per_year() -> None:
    now = dt.datetime(2031, 1, 1, tzinfo=dt.UTC)
    first = access.next_reference(now)
    assert first == "CW-2031-000001"
    assert re.fullmatch(r"CW-\d{4}-\d{6}", first)
    assert [access.next_reference(now) for _ in range(3)] == ["CW-2031-000002", "CW-2031-000003", "CW-2031-000004"]
    db.session.rollback()


def test_the_reference_counter_upsert_is_one_postgresql_accepts(monkeypatch: pytest.MonkeyPatch) -> None:
    """On PostgreSQL the counter row must be created with PostgreSQL's INSERT … ON CONFLICT.

    SQLite's construct does not compile for PostgreSQL; here each statement is compiled for
    PostgreSQL before it runs on the test database.
    """
    real_execute = db.session.execute

    class PostgresBind:
        class dialect:  # noqa: N801 - mimics Engine.dialect
            name = "postgresql"

    def execute_checked(statement: Any, *args: Any, **kwargs: Any) -> Any:
        statement.compile(dialect=postgresql.dialect())
        return real_execute(statement, *args, **kwargs)

    monkeypatch.setattr(db.session, "get_bind", lambda *a, **k: PostgresBind())
    monkeypatch.setattr(db.session, "execute", execute_checked)
    assert access.next_reference(dt.datetime(2032, 6, 1, tzinfo=dt.UTC)) == "CW-2032-000001"
    monkeypatch.undo()
    db.session.rollback()
