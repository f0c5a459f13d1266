"""Text a person types into a search is matched literally: ``%``, ``_`` and ``\\`` are not wildcards."""

import pytest
from sqlalchemy import literal, select

from complaints.core.database import like_pattern, matches_like
from complaints.extensions import db


def test_wildcards_typed_by_a_person_are_escaped() -> None:
    assert like_pattern("50%_off\\") == "%50\\%\\_off\\\\%"
    assert like_pattern("CW-2", prefix=True) == "CW-2%"


@pytest.mark.parametrize(
    ("value", "typed", "prefix", "found"),
    [
        ("abc", "b", False, True),
        ("abc", "b", True, False),
        ("abc", "a", True, True),
        ("abc", "%", False, False),
        ("a%c", "%", False, True),
        ("abc", "_", False, False),
        ("a_c", "a_", True, True),
        ("a\\c", "\\", False, True),
        ("abc", "\\", False, False),
    ],
)
def test_matches_like_finds_only_the_text_typed(value: str, typed: str, prefix: bool, found: bool) -> None:
    assert db.session.scalar(select(matches_like(literal(value), typed, prefix=prefix))) == found
