"""References are sequential per year; access codes are secret, forgiving to type, and stored as keyed hashes."""

import datetime as dt
import statistics
import time

import pytest
from argon2 import PasswordHasher

from complaints.core.crypto import (
    DecryptionError,
    KeyRing,
    add_key,
    current_keyring,
    keyring_from_json,
    keyring_to_json,
)
from complaints.extensions import db
from complaints.intake.access import (
    access_code_matches,
    find_complaint_by_code,
    hash_access_code,
    new_access_code,
    next_reference,
    normalise_access_code,
    normalise_reference,
)
from tests.factories import LEGACY_CODE, LEGACY_HASH, TEST_ACCESS_CODE, ComplaintFactory


def test_references_count_up_within_a_year_and_restart_in_the_next() -> None:
    now = dt.datetime(2026, 5, 1, tzinfo=dt.UTC)
    assert next_reference(now) == "CW-2026-000001"
    assert next_reference(now) == "CW-2026-000002"
    assert next_reference(now.replace(year=2027)) == "CW-2027-000001"
    db.session.rollback()


def test_a_complaint_filed_on_new_years_morning_in_beijing_is_numbered_in_the_new_year() -> None:
    # 2026-12-31 17:00 UTC is 2027-01-01 01:00 in the display time zone (Asia/Shanghai): the consumer's year.
    assert next_reference(dt.datetime(2026, 12, 31, 17, 0, tzinfo=dt.UTC)) == "CW-2027-000001"
    assert next_reference(dt.datetime(2026, 12, 31, 15, 59, tzinfo=dt.UTC)) == "CW-2026-000001"
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


# Access codes are keyed hashes (issue 13): 80 random bits need no slow hash, a key does the rest.


def test_an_access_code_is_stored_as_a_keyed_hash_that_depends_on_the_key() -> None:
    ring = current_keyring()
    stored = hash_access_code("abcd efgh jkmn pqrs")
    assert stored.startswith(f"hmac1${ring.current}$") and len(stored.rsplit("$", 1)[1]) == 64
    assert access_code_matches(stored, "ABCD-EFGH-JKMN-PQRS")
    assert not access_code_matches(stored, "ABCD-EFGH-JKMN-PQRT")
    other = KeyRing(keys={"k1": b"\x01" * 32}, current="k1", index_key=b"\x02" * 32)
    assert hash_access_code("ABCD-EFGH-JKMN-PQRS", other) != stored
    assert not access_code_matches(stored, "ABCD-EFGH-JKMN-PQRS", other)


def test_an_argon2_hash_of_an_earlier_version_still_opens_and_is_replaced_by_the_keyed_hash() -> None:
    assert PasswordHasher().verify(LEGACY_HASH, LEGACY_CODE)
    complaint = ComplaintFactory(access_code_hash=LEGACY_HASH)
    assert find_complaint_by_code(complaint.reference, "ARGN-2HAS-HED0-0002") is None
    assert complaint.access_code_hash == LEGACY_HASH
    assert find_complaint_by_code(complaint.reference, LEGACY_CODE.lower()) == complaint
    assert complaint.access_code_hash.startswith("hmac1$")
    db.session.commit()
    assert find_complaint_by_code(complaint.reference, LEGACY_CODE) == complaint


def test_a_code_hashed_under_a_retired_data_key_still_opens() -> None:
    ring = KeyRing(keys={"k1": b"\x01" * 32}, current="k1", index_key=b"\x02" * 32)
    stored = hash_access_code(TEST_ACCESS_CODE, ring)
    add_key(ring)
    ring.retire("k1")
    assert "k1" not in ring.keys
    saved = keyring_from_json(keyring_to_json(ring))
    assert access_code_matches(stored, TEST_ACCESS_CODE, saved)
    assert not access_code_matches(stored, "TEST-CODE-0000-0002", saved)
    with pytest.raises(DecryptionError):
        saved.cipher("k1")  # what is kept of k1 decrypts nothing


def test_a_code_of_an_older_key_moves_to_the_current_key_when_it_opens() -> None:
    ring = current_keyring()
    complaint = ComplaintFactory()
    keys, current = dict(ring.keys), ring.current
    add_key(ring)
    try:
        assert not complaint.access_code_hash.startswith(f"hmac1${ring.current}$")
        assert find_complaint_by_code(complaint.reference, TEST_ACCESS_CODE) == complaint
        assert complaint.access_code_hash.startswith(f"hmac1${ring.current}$")
    finally:
        ring.keys, ring.current = keys, current  # the app (and its ring) serve the whole session
        db.session.rollback()


def test_an_unknown_reference_takes_as_long_as_a_wrong_code() -> None:
    complaint = ComplaintFactory()
    db.session.commit()

    def median_ms(reference: str) -> float:
        started = time.perf_counter()
        assert find_complaint_by_code(reference, "WRON-GCOD-E000-0000") is None
        return (time.perf_counter() - started) * 1000

    known: list[float] = []
    unknown: list[float] = []
    for _ in range(300):  # interleaved, so a busy moment slows both
        known.append(median_ms(complaint.reference))
        unknown.append(median_ms("CW-2026-999999"))
    ratio = statistics.median(unknown) / statistics.median(known)
    assert 0.6 < ratio < 1.6, (statistics.median(known), statistics.median(unknown))
