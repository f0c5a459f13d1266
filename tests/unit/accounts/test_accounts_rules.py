"""The exact rules of officer accounts: password bounds, enrolment expiry, per-address backoff, one-time TOTP steps."""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from collections.abc import Iterator

import pyotp
import pytest
from argon2 import PasswordHasher
from flask_babel import force_locale
from sqlalchemy import select

from complaints.accounts import officers as accounts
from complaints.accounts import totp
from complaints.accounts.officers import PasswordRejected, SignInFailed
from complaints.errors import DomainError
from complaints.extensions import db
from complaints.models import CaseEvent, Officer, Role, SignInBackoff
from tests.factories_officer import PASSWORD, make_officer

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
SIGN_IN_FAILED = (
    "Sign-in failed. Check your e-mail, password and code. After several failures, sign-in is paused for a few minutes."
)
TOO_COMMON = "This password is too common or too easy to guess."


def strong(length: int) -> str:
    """An uncommon password of exactly this length."""
    pattern = "k7Qx!2vRm9#Lp4Zt8Wc@"
    return (pattern * (length // len(pattern) + 1))[:length]


class Clock:
    """A settable clock standing in for accounts.utcnow."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, now: dt.datetime = T0) -> None:
        self.now = now
        monkeypatch.setattr(accounts, "utcnow", lambda: self.now)

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Messages are compared in English."""
    with force_locale("en"):
        yield


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    return Clock(monkeypatch)


def events(kind: str) -> list[CaseEvent]:
    return list(db.session.scalars(select(CaseEvent).where(CaseEvent.kind == kind).order_by(CaseEvent.id)))


def backoff(officer: Officer, address: str) -> SignInBackoff | None:
    """The failure record of one (account, address), as the database holds it now."""
    return db.session.scalar(
        select(SignInBackoff)
        .where(SignInBackoff.officer_id == officer.id, SignInBackoff.address == address)
        .execution_options(populate_existing=True)
    )


def failures_from(officer: Officer, address: str) -> int:
    row = backoff(officer, address)
    return row.failures if row is not None else 0


def paused_until(officer: Officer, address: str) -> dt.datetime | None:
    row = backoff(officer, address)
    return row.paused_until if row is not None else None


def add_backoff(officer: Officer, address: str, failures: int, paused: dt.datetime | None = None) -> None:
    db.session.add(
        SignInBackoff(officer_id=officer.id, address=address, failures=failures, last_failed_at=T0, paused_until=paused)
    )
    db.session.flush()


def officer_with_hash(password_hash: str) -> Officer:
    """An enrolled officer whose password hash is the one given."""
    officer = make_officer()
    officer.password_hash = password_hash
    db.session.commit()
    return officer


def current_code(officer: Officer) -> str:
    return pyotp.TOTP(officer.totp_secret).now()


# --- password policy -------------------------------------------------------------------------


@pytest.mark.parametrize("length", [12, 13, 64, 127, 128])
def test_passwords_of_12_to_128_characters_are_accepted(length: int) -> None:
    accounts.check_password_policy(strong(length), "officer@example.test")


@pytest.mark.parametrize(
    ("length", "message"),
    [
        (0, "Use at least 12 characters."),
        (1, "Use at least 12 characters."),
        (11, "Use at least 12 characters."),
        (129, "Use at most 128 characters."),
        (1000, "Use at most 128 characters."),
    ],
)
def test_passwords_shorter_than_12_or_longer_than_128_are_refused(length: int, message: str) -> None:
    with pytest.raises(PasswordRejected) as refused:
        accounts.check_password_policy(strong(length), "officer@example.test")
    assert refused.value.message == message
    assert refused.value.field == "password"


def test_an_overlong_password_is_refused_for_its_length_before_anything_else() -> None:
    with pytest.raises(PasswordRejected, match="at most 128"):
        accounts.check_password_policy("a" * 129)


@pytest.mark.parametrize("password", ["qwertyuiop123", "QwertyUIOP123", "ADMINISTRATOR", "1q2w3e4r5t6y"])
def test_a_listed_common_password_is_refused_in_any_case(password: str) -> None:
    with pytest.raises(PasswordRejected) as refused:
        accounts.check_password_policy(password)
    assert refused.value.message == TOO_COMMON
    assert refused.value.field == "password"


def test_the_common_list_is_the_shipped_file_without_its_comments() -> None:
    listed = accounts.common_passwords()
    assert {"123456", "password", "qwertyuiop123", "administrator"} <= listed
    assert len(listed) >= 150
    assert not [p for p in listed if p.startswith("#") or not p or p != p.strip() or p != p.casefold()]


@pytest.mark.parametrize("password", ["aaaaaaaaaaaa", "abababababab", "AaAaAaAaAaAa", "ab" * 64])
def test_a_password_of_one_or_two_distinct_characters_is_refused(password: str) -> None:
    with pytest.raises(PasswordRejected, match=TOO_COMMON):
        accounts.check_password_policy(password)


@pytest.mark.parametrize("password", ["abcabcabcabc", "AbcAbcAbcAbc"])
def test_three_distinct_characters_are_enough_for_that_rule(password: str) -> None:
    accounts.check_password_policy(password)


@pytest.mark.parametrize(
    ("email", "password"),
    [
        ("wang.wei@example.test", "wang.wei1234"),  # 8 + 4
        ("wang.wei@example.test", "wang.wei12345"),  # 8 + 5
        ("Wang.Wei@Example.test", "WANG.WEI12345"),
        ("wang.wei@example.test", "12wang.wei345"),
        ("lantern@example.test", "lantern12345"),  # 7 + 5
        ("wang.wei@corp@example.test", "wang.wei12345"),  # the local part ends at the first @
        ("wang.wei", "wang.wei12345"),  # no @: the whole address is the local part
    ],
)
def test_the_email_local_part_with_fewer_than_six_other_characters_is_refused(email: str, password: str) -> None:
    with pytest.raises(PasswordRejected, match=TOO_COMMON):
        accounts.check_password_policy(password, email)


@pytest.mark.parametrize(
    ("email", "password"),
    [
        ("wang.wei@example.test", "wang.wei123456"),  # 8 + 6
        ("lantern@example.test", "lantern123456"),  # 7 + 6
        ("wang@example.test", "wang12345678"),  # a short local part cannot use up a password
        ("", "wang.wei12345"),
        ("@example.test", "wang.wei12345"),
        ("zhang.san@example.test", "wang.wei12345"),
    ],
)
def test_a_password_with_six_characters_beside_the_local_part_passes(email: str, password: str) -> None:
    accounts.check_password_policy(password, email)


def test_a_password_is_hashed_with_argon2id() -> None:
    hashed = accounts.hash_password(PASSWORD)
    assert hashed.startswith("$argon2id$")
    assert PasswordHasher().verify(hashed, PASSWORD)


# --- creating accounts and enrolment ------------------------------------------------------------


def test_a_new_account_has_a_lower_case_email_and_a_72_hour_enrolment_token(clock: Clock) -> None:
    admin = make_officer("boss@example.test", role="admin")
    enrolment = accounts.create_officer("  New.Officer@Example.TEST ", Role.OFFICER, " Li Ming ", by=admin)
    officer = enrolment.officer
    assert officer.id is not None
    assert officer.email == "new.officer@example.test"
    assert officer.display_name == "Li Ming"
    assert officer.role == "officer"
    assert not officer.enrolled
    assert officer.password_hash == ""
    assert len(enrolment.token) == 43  # 32 random bytes, URL-safe base64
    assert officer.enrolment_token_hash == hashlib.sha256(enrolment.token.encode()).hexdigest()
    assert officer.enrolment_expires_at == T0 + dt.timedelta(hours=72)
    [event] = events("account_created")
    assert event.officer_id == admin.id
    assert event.data == {"account_id": officer.id, "role": "officer"}


def test_a_new_account_without_a_display_name_is_named_after_its_local_part() -> None:
    officer = accounts.create_officer("Chen.Jing@example.test", Role.ADMIN, "   ").officer
    assert officer.display_name == "chen.jing"
    assert officer.role == "admin"
    [event] = events("account_created")
    assert event.officer_id is None
    assert event.data == {"account_id": officer.id, "role": "admin"}


def test_enrolment_tokens_differ_between_accounts() -> None:
    first = accounts.create_officer("one@example.test", Role.OFFICER)
    second = accounts.create_officer("two@example.test", Role.OFFICER)
    assert first.token != second.token


@pytest.mark.parametrize("email", ["no-at-sign.example.test", "", "   ", "a" * 242 + "@example.test"])
def test_an_account_needs_an_email_with_an_at_sign_of_at_most_254_characters(email: str) -> None:
    with pytest.raises(DomainError) as refused:
        accounts.create_officer(email, Role.OFFICER)
    assert refused.value.message == "Enter a valid e-mail address."
    assert refused.value.field == "email"


def test_an_email_of_exactly_254_characters_is_accepted() -> None:
    email = "a" * 241 + "@example.test"
    assert len(email) == 254
    assert accounts.create_officer(email, Role.OFFICER).officer.email == email


def test_an_email_is_used_by_one_account_only_whatever_its_case() -> None:
    accounts.create_officer("dup@example.test", Role.OFFICER)
    with pytest.raises(DomainError) as refused:
        accounts.create_officer(" DUP@Example.test", Role.ADMIN)
    assert refused.value.message == "An account with this e-mail already exists."
    assert refused.value.field == "email"


def test_an_enrolment_token_works_until_exactly_72_hours_after_it_was_issued(clock: Clock) -> None:
    enrolment = accounts.create_officer("new@example.test", Role.OFFICER)
    db.session.commit()
    assert accounts.officer_for_enrolment(enrolment.token) == enrolment.officer
    clock.advance(hours=72)
    assert accounts.officer_for_enrolment(enrolment.token) == enrolment.officer
    clock.advance(microseconds=1)
    assert accounts.officer_for_enrolment(enrolment.token) is None


def test_an_enrolment_token_is_refused_when_wrong_empty_disabled_or_without_expiry() -> None:
    enrolment = accounts.create_officer("new@example.test", Role.OFFICER)
    assert accounts.officer_for_enrolment("") is None
    assert accounts.officer_for_enrolment(enrolment.token + "x") is None
    enrolment.officer.active = False
    assert accounts.officer_for_enrolment(enrolment.token) is None
    enrolment.officer.active = True
    enrolment.officer.enrolment_expires_at = None
    assert accounts.officer_for_enrolment(enrolment.token) is None


def test_an_enrolment_token_longer_than_100_characters_is_never_looked_up(clock: Clock) -> None:
    officer = accounts.create_officer("new@example.test", Role.OFFICER).officer
    for length, found in [(100, officer), (101, None)]:
        token = "t" * length
        officer.enrolment_token_hash = hashlib.sha256(token.encode()).hexdigest()
        db.session.flush()
        assert accounts.officer_for_enrolment(token) == found, length


def test_the_pending_secret_is_made_once_and_kept_on_the_account() -> None:
    officer = accounts.create_officer("new@example.test", Role.OFFICER).officer
    secret = accounts.pending_totp_secret(officer)
    assert len(secret) == 32
    assert officer.totp_secret == secret
    assert accounts.pending_totp_secret(officer) == secret
    db.session.expire(officer)
    assert officer.totp_secret == secret


def test_an_enrolled_account_has_no_pending_secret() -> None:
    officer = make_officer()
    with pytest.raises(DomainError) as refused:
        accounts.pending_totp_secret(officer)
    assert refused.value.message == "This account is already set up."


def test_completing_enrolment_sets_password_and_step_and_clears_the_token(clock: Clock) -> None:
    officer = accounts.create_officer("new@example.test", Role.OFFICER).officer
    secret = accounts.pending_totp_secret(officer)
    add_backoff(officer, "203.0.113.5", 7, paused=T0 + dt.timedelta(minutes=4))
    add_backoff(officer, "203.0.113.6", 3)
    version = officer.session_version
    now = time.time()
    accounts.complete_enrolment(officer, PASSWORD, pyotp.TOTP(secret).at(now), remote_addr="192.0.2.7")
    assert officer.enrolled
    assert accounts.verify_password(officer, PASSWORD)
    assert officer.totp_last_step == pyotp.TOTP(secret).timecode(now)
    assert officer.enrolment_token_hash == ""
    assert officer.enrolment_expires_at is None
    # a fresh start: no address stays paused for the newly enrolled account
    assert backoff(officer, "203.0.113.5") is None
    assert backoff(officer, "203.0.113.6") is None
    assert officer.session_version == version + 1
    [event] = events("account_enrolled")
    assert event.officer_id == officer.id
    assert event.remote_addr == "192.0.2.7"


def test_enrolment_with_a_wrong_code_or_weak_password_sets_nothing() -> None:
    officer = accounts.create_officer("new@example.test", Role.OFFICER).officer
    secret = accounts.pending_totp_secret(officer)
    with pytest.raises(DomainError) as refused:
        accounts.complete_enrolment(officer, PASSWORD, "000000" if pyotp.TOTP(secret).now() != "000000" else "111111")
    assert refused.value.field == "code"
    assert refused.value.message == "The code did not match. Check the time on your phone and try again."
    with pytest.raises(PasswordRejected):
        accounts.complete_enrolment(officer, "short", pyotp.TOTP(secret).now())
    assert officer.password_hash == ""
    assert officer.enrolment_token_hash != ""
    assert events("account_enrolled") == []


# --- signing in --------------------------------------------------------------------------------


def test_signing_in_with_password_and_code_resets_failures_and_records_the_time(clock: Clock) -> None:
    officer = make_officer()
    add_backoff(officer, "192.0.2.9", 3)
    add_backoff(officer, "203.0.113.8", 2)
    now = time.time()
    code = pyotp.TOTP(officer.totp_secret).at(now)
    signed_in = accounts.authenticate(" Officer@Example.TEST ", PASSWORD, code, remote_addr="192.0.2.9")
    assert signed_in == officer
    # the success resets its own address only
    assert backoff(officer, "192.0.2.9") is None
    assert failures_from(officer, "203.0.113.8") == 2
    assert officer.last_login_at == T0
    assert officer.totp_last_step == pyotp.TOTP(officer.totp_secret).timecode(now)
    [event] = events("sign_in")
    assert event.officer_id == officer.id
    assert event.remote_addr == "192.0.2.9"
    assert events("sign_in_failed") == []


def test_a_code_works_once_then_the_next_step_is_needed() -> None:
    officer = make_officer()
    now = time.time()
    generator = pyotp.TOTP(officer.totp_secret)
    accounts.authenticate(officer.email, PASSWORD, generator.at(now))
    with pytest.raises(SignInFailed):
        accounts.authenticate(officer.email, PASSWORD, generator.at(now))
    assert events("sign_in_failed")[-1].data == {"reason": "code"}
    assert failures_from(officer, "") == 1
    accounts.authenticate(officer.email, PASSWORD, generator.at(now + 30))
    assert officer.totp_last_step == generator.timecode(now) + 1
    assert failures_from(officer, "") == 0


def test_a_code_older_than_the_last_accepted_step_is_refused() -> None:
    officer = make_officer()
    generator = pyotp.TOTP(officer.totp_secret)
    officer.totp_last_step = generator.timecode(time.time()) + 1
    with pytest.raises(SignInFailed):
        accounts.authenticate(officer.email, PASSWORD, generator.now())


def reason_of_failure(email: str, password: str, code: str, remote_addr: str = "198.51.100.4") -> dict[str, str]:
    with pytest.raises(SignInFailed) as failed:
        accounts.authenticate(email, password, code, remote_addr=remote_addr)
    assert failed.value.message == SIGN_IN_FAILED
    event = events("sign_in_failed")[-1]
    assert event.remote_addr == remote_addr
    return event.data


def test_every_sign_in_failure_looks_the_same_and_records_its_reason() -> None:
    officer = make_officer()
    code = current_code(officer)
    assert reason_of_failure(officer.email, "wrong password!!", code, "192.0.2.1") == {"reason": "password"}
    assert events("sign_in_failed")[-1].remote_addr == "192.0.2.1"
    assert events("sign_in_failed")[-1].officer_id == officer.id
    wrong = "000000" if code != "000000" else "111111"
    assert reason_of_failure(officer.email, PASSWORD, wrong) == {"reason": "code"}
    assert reason_of_failure(officer.email, PASSWORD, "") == {"reason": "code"}
    assert failures_from(officer, "192.0.2.1") == 1
    assert failures_from(officer, "198.51.100.4") == 2


def test_unknown_and_empty_emails_fail_without_an_account() -> None:
    make_officer()
    assert reason_of_failure("nobody@example.test", PASSWORD, "123456", "192.0.2.2") == {"reason": "unknown_account"}
    event = events("sign_in_failed")[-1]
    assert event.officer_id is None
    assert event.remote_addr == "192.0.2.2"
    assert reason_of_failure("", PASSWORD, "123456") == {"reason": "unknown_account"}
    assert reason_of_failure("   ", PASSWORD, "123456") == {"reason": "unknown_account"}


def test_an_account_not_yet_enrolled_cannot_sign_in() -> None:
    officer = accounts.create_officer("new@example.test", Role.OFFICER).officer
    assert reason_of_failure(officer.email, PASSWORD, "123456") == {"reason": "not_enrolled"}
    assert failures_from(officer, "198.51.100.4") == 1


def test_a_disabled_account_cannot_sign_in_even_with_the_right_password_and_code() -> None:
    officer = make_officer(active=False)
    assert reason_of_failure(officer.email, PASSWORD, current_code(officer)) == {"reason": "disabled"}
    assert failures_from(officer, "198.51.100.4") == 1


def test_a_password_of_128_characters_signs_in_and_129_never_does() -> None:
    long_password = strong(128)
    officer = officer_with_hash(accounts.hash_password(long_password))
    accounts.authenticate(officer.email, long_password, current_code(officer))
    officer.totp_last_step = 0
    assert reason_of_failure(officer.email, long_password + "x", current_code(officer)) == {"reason": "not_enrolled"}
    assert reason_of_failure(officer.email, strong(127) + "?", current_code(officer)) == {"reason": "password"}


def test_a_password_of_129_characters_is_never_verified_even_if_it_was_hashed() -> None:
    too_long = strong(129)
    officer = officer_with_hash(accounts.hash_password(too_long))
    assert reason_of_failure(officer.email, too_long, current_code(officer)) == {"reason": "not_enrolled"}
    assert not accounts.verify_password(officer, too_long)


ATTACKER = "203.0.113.66"
HOME = "192.0.2.10"


def sign_in_from(officer: Officer, address: str) -> Officer:
    officer.totp_last_step = 0  # each sign-in of a test may reuse the current code
    return accounts.authenticate(officer.email, PASSWORD, current_code(officer), remote_addr=address)


def test_four_failures_do_not_pause_and_the_fifth_pauses_that_address_for_one_minute(clock: Clock) -> None:
    officer = make_officer()
    for failures in range(1, 5):
        reason_of_failure(officer.email, "wrong password!!", "123456", ATTACKER)
        assert failures_from(officer, ATTACKER) == failures
        assert paused_until(officer, ATTACKER) is None
    reason_of_failure(officer.email, "wrong password!!", "123456", ATTACKER)
    assert failures_from(officer, ATTACKER) == 5
    assert paused_until(officer, ATTACKER) == T0 + dt.timedelta(minutes=1)
    clock.advance(seconds=59)
    # until the pause has passed, even the right password and code fail from that address, and count
    assert reason_of_failure(officer.email, PASSWORD, current_code(officer), ATTACKER) == {"reason": "paused"}
    assert failures_from(officer, ATTACKER) == 6
    assert paused_until(officer, ATTACKER) == T0 + dt.timedelta(seconds=59, minutes=2)


def test_the_pause_doubles_with_each_failure_up_to_an_hour(clock: Clock) -> None:
    officer = make_officer()
    for _ in range(4):
        reason_of_failure(officer.email, "wrong password!!", "123456", ATTACKER)
    pauses = []
    for _ in range(9):
        reason_of_failure(officer.email, "wrong password!!", "123456", ATTACKER)
        until = paused_until(officer, ATTACKER)
        assert until is not None
        pauses.append(until - clock.now)
        clock.advance(minutes=1)
    assert pauses == [dt.timedelta(minutes=m) for m in (1, 2, 4, 8, 16, 32, 60, 60, 60)]
    assert accounts.MAX_PAUSE_MINUTES == 60


def test_one_failure_every_15_minutes_never_keeps_the_officer_out(clock: Clock) -> None:
    """The old hard lock: after five failures, one more every 15 minutes re-locked the account for good."""
    officer = make_officer()
    for _ in range(5):
        reason_of_failure(officer.email, "wrong password!!", "123456", ATTACKER)
    for _ in range(16):  # four hours of it
        clock.advance(minutes=15)
        reason_of_failure(officer.email, "wrong password!!", "123456", ATTACKER)
        assert sign_in_from(officer, HOME) == officer
    assert failures_from(officer, HOME) == 0
    # and the attacker's own address is not locked for ever either: it waits out its pause
    until = paused_until(officer, ATTACKER)
    assert until is not None and until <= clock.now + dt.timedelta(minutes=accounts.MAX_PAUSE_MINUTES)
    clock.now = until
    assert sign_in_from(officer, ATTACKER) == officer


def test_a_paused_address_never_stops_the_officer_from_another_address(clock: Clock) -> None:
    officer = make_officer()
    for _ in range(20):
        reason_of_failure(officer.email, "wrong password!!", "123456", ATTACKER)
    assert paused_until(officer, ATTACKER) == T0 + dt.timedelta(minutes=60)
    assert reason_of_failure(officer.email, PASSWORD, current_code(officer), ATTACKER) == {"reason": "paused"}
    assert sign_in_from(officer, HOME) == officer
    assert paused_until(officer, ATTACKER) is not None  # the home sign-in did not lift the attacker's pause
    # a pause on one account does not reach another account from the same address
    other = make_officer(email="other@example.test")
    assert sign_in_from(other, ATTACKER) == other


def test_sign_in_works_again_once_the_pause_is_over_and_the_success_resets_the_count(clock: Clock) -> None:
    officer = make_officer()
    add_backoff(officer, ATTACKER, 5, paused=T0 + dt.timedelta(minutes=1))
    clock.advance(minutes=1, microseconds=1)
    assert sign_in_from(officer, ATTACKER) == officer
    assert backoff(officer, ATTACKER) is None
    reason_of_failure(officer.email, "wrong password!!", "123456", ATTACKER)
    assert failures_from(officer, ATTACKER) == 1
    assert paused_until(officer, ATTACKER) is None


def test_a_pause_ending_exactly_now_is_over(clock: Clock) -> None:
    officer = make_officer()
    add_backoff(officer, ATTACKER, 5, paused=T0)
    assert sign_in_from(officer, ATTACKER) == officer


def test_a_failure_more_than_a_day_after_the_last_starts_the_count_again(clock: Clock) -> None:
    officer = make_officer()
    for _ in range(4):
        reason_of_failure(officer.email, "wrong password!!", "123456", ATTACKER)
    clock.advance(hours=24)
    reason_of_failure(officer.email, "wrong password!!", "123456", ATTACKER)
    assert failures_from(officer, ATTACKER) == 5  # exactly a day later still counts on
    for _ in range(3):
        reason_of_failure(officer.email, "wrong password!!", "123456", ATTACKER)
    clock.advance(hours=24, microseconds=1)
    reason_of_failure(officer.email, "wrong password!!", "123456", ATTACKER)
    assert failures_from(officer, ATTACKER) == 1
    assert paused_until(officer, ATTACKER) is None
    assert sign_in_from(officer, ATTACKER) == officer


def test_failed_attempts_since_the_last_sign_in_are_counted_once(clock: Clock) -> None:
    officer = make_officer()
    bystander = make_officer(email="bystander@example.test")
    sign_in_from(officer, HOME)
    assert accounts.failures_since_previous_sign_in(officer) == accounts.FailedAttempts(0, 0)
    for address in ("203.0.113.1", "203.0.113.1", "203.0.113.2"):
        reason_of_failure(officer.email, "wrong password!!", "123456", address)
    for _ in range(6):  # five count, then the address is paused; every attempt is reported
        reason_of_failure(officer.email, "wrong password!!", "123456", "203.0.113.3")
    reason_of_failure(bystander.email, "wrong password!!", "123456", "203.0.113.4")
    reason_of_failure("nobody@example.test", "wrong password!!", "123456", "203.0.113.5")
    sign_in_from(officer, HOME)
    assert accounts.failures_since_previous_sign_in(officer) == accounts.FailedAttempts(9, 3)
    sign_in_from(officer, HOME)
    assert accounts.failures_since_previous_sign_in(officer) == accounts.FailedAttempts(0, 0)


def test_failed_attempts_before_the_first_sign_in_are_counted() -> None:
    officer = make_officer()
    reason_of_failure(officer.email, "wrong password!!", "123456", "203.0.113.1")
    sign_in_from(officer, HOME)
    assert accounts.failures_since_previous_sign_in(officer) == accounts.FailedAttempts(1, 1)


def test_a_hash_with_weaker_settings_is_replaced_at_sign_in() -> None:
    weak = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash(PASSWORD)
    officer = officer_with_hash(weak)
    accounts.authenticate(officer.email, PASSWORD, current_code(officer))
    assert officer.password_hash != weak
    assert not accounts._hasher.check_needs_rehash(officer.password_hash)
    assert accounts.verify_password(officer, PASSWORD)


def test_a_current_hash_is_kept_at_sign_in() -> None:
    officer = make_officer()
    before = officer.password_hash
    accounts.authenticate(officer.email, PASSWORD, current_code(officer))
    assert officer.password_hash == before


# --- passwords, resets and disabling --------------------------------------------------------------


def test_verify_password_answers_only_for_the_current_password() -> None:
    officer = make_officer()
    assert accounts.verify_password(officer, PASSWORD) is True
    assert accounts.verify_password(officer, PASSWORD + "x") is False
    officer.password_hash = ""
    assert accounts.verify_password(officer, PASSWORD) is False


def test_verify_password_accepts_128_characters() -> None:
    long_password = strong(128)
    officer = officer_with_hash(accounts.hash_password(long_password))
    assert accounts.verify_password(officer, long_password) is True


def test_changing_the_password_ends_other_sessions(clock: Clock) -> None:
    officer = make_officer()
    version = officer.session_version
    accounts.change_password(officer, PASSWORD, "lantern orchard seventeen", remote_addr="192.0.2.3")
    assert accounts.verify_password(officer, "lantern orchard seventeen")
    assert not accounts.verify_password(officer, PASSWORD)
    assert officer.session_version == version + 1
    [event] = events("password_changed")
    assert event.officer_id == officer.id
    assert event.remote_addr == "192.0.2.3"


def test_a_password_change_needs_the_current_password() -> None:
    officer = make_officer()
    with pytest.raises(DomainError) as refused:
        accounts.change_password(officer, "not the password", "lantern orchard seventeen")
    assert refused.value.message == "Your current password is not right."
    assert refused.value.field == "current_password"
    assert accounts.verify_password(officer, PASSWORD)


def test_a_new_password_must_pass_the_policy_and_differ_from_the_current_one() -> None:
    officer = make_officer()
    version = officer.session_version
    with pytest.raises(PasswordRejected, match="at least 12"):
        accounts.change_password(officer, PASSWORD, "short")
    with pytest.raises(PasswordRejected) as same:
        accounts.change_password(officer, PASSWORD, PASSWORD)
    assert same.value.message == "Choose a password different from the current one."
    assert same.value.field == "password"
    assert officer.session_version == version
    assert events("password_changed") == []


def test_resetting_the_second_factor_clears_it_and_issues_a_new_72_hour_token(clock: Clock) -> None:
    admin = make_officer("boss@example.test", role="admin")
    officer = make_officer(totp_last_step=123)
    version = officer.session_version
    token = accounts.reset_totp(officer, by=admin, remote_addr="192.0.2.4")
    assert officer.totp_secret == ""
    assert officer.totp_last_step == 0
    assert officer.password_hash == ""
    assert not officer.enrolled
    assert officer.session_version == version + 1
    assert officer.enrolment_expires_at == T0 + dt.timedelta(hours=72)
    assert accounts.officer_for_enrolment(token) == officer
    [event] = events("totp_reset")
    assert event.officer_id == admin.id
    assert event.data == {"account_id": officer.id}
    assert event.remote_addr == "192.0.2.4"


def test_disabling_and_enabling_an_account_ends_its_sessions_and_is_recorded() -> None:
    admin = make_officer("boss@example.test", role="admin")
    officer = make_officer()
    version = officer.session_version
    accounts.set_active(officer, False, by=admin, remote_addr="192.0.2.5")
    assert officer.active is False
    assert officer.session_version == version + 1
    accounts.set_active(officer, True, by=admin, remote_addr="192.0.2.6")
    assert officer.active is True
    assert officer.session_version == version + 2
    [disabled] = events("account_disabled")
    [enabled] = events("account_enabled")
    assert (disabled.officer_id, disabled.data, disabled.remote_addr) == (
        admin.id,
        {"account_id": officer.id},
        "192.0.2.5",
    )
    assert (enabled.officer_id, enabled.data, enabled.remote_addr) == (
        admin.id,
        {"account_id": officer.id},
        "192.0.2.6",
    )


def test_a_supervisor_cannot_disable_their_own_account_but_may_enable_it() -> None:
    admin = make_officer("boss@example.test", role="admin")
    with pytest.raises(DomainError) as refused:
        accounts.set_active(admin, False, by=admin)
    assert refused.value.message == "You cannot disable your own account."
    assert admin.active is True
    accounts.set_active(admin, True, by=admin)
    assert admin.active is True


def test_an_action_without_a_remote_address_records_none() -> None:
    admin = make_officer("boss@example.test", role="admin")
    officer = make_officer()
    accounts.authenticate(officer.email, PASSWORD, current_code(officer))
    with pytest.raises(SignInFailed):
        accounts.authenticate(officer.email, "wrong password!!", "123456")
    accounts.change_password(officer, PASSWORD, "lantern orchard seventeen")
    accounts.set_active(officer, False, by=admin)
    accounts.set_active(officer, True, by=admin)
    accounts.reset_totp(officer, by=admin)
    secret = accounts.pending_totp_secret(officer)
    accounts.complete_enrolment(officer, PASSWORD, pyotp.TOTP(secret).now())
    kinds = ["sign_in", "sign_in_failed", "password_changed", "account_disabled", "account_enabled", "totp_reset"]
    for kind in [*kinds, "account_enrolled"]:
        assert [event.remote_addr for event in events(kind)] == [""], kind


def test_a_new_account_named_by_nobody_is_named_after_its_local_part() -> None:
    assert accounts.create_officer("Zhao.Lei@example.test", Role.OFFICER).officer.display_name == "zhao.lei"


def test_enrolment_refuses_a_password_built_on_the_email() -> None:
    officer = accounts.create_officer("wang.wei@example.test", Role.OFFICER).officer
    secret = accounts.pending_totp_secret(officer)
    with pytest.raises(PasswordRejected) as refused:
        accounts.complete_enrolment(officer, "wang.wei12345", pyotp.TOTP(secret).now())
    assert refused.value.message == TOO_COMMON
    assert officer.password_hash == ""


def test_a_password_change_refuses_a_password_built_on_the_email() -> None:
    officer = make_officer("lantern@example.test")
    with pytest.raises(PasswordRejected) as refused:
        accounts.change_password(officer, PASSWORD, "lantern12345")
    assert refused.value.message == TOO_COMMON
    assert accounts.verify_password(officer, PASSWORD)


def test_an_empty_email_never_signs_in_even_to_an_account_stored_without_one() -> None:
    officer = make_officer()
    officer.email = ""
    db.session.commit()
    assert reason_of_failure("", PASSWORD, current_code(officer)) == {"reason": "unknown_account"}
    assert officer.last_login_at is None


class VerifySpy(PasswordHasher):
    """argon2's hasher, recording the hash each verification is made against."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        super().__init__()
        self.hashes: list[str] = []
        monkeypatch.setattr(accounts, "_hasher", self)

    def verify(self, hash: str | bytes, password: str | bytes) -> bool:
        self.hashes.append(str(hash))
        return super().verify(hash, password)


def test_every_sign_in_verifies_exactly_one_hash_and_unusable_accounts_the_dummy_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    officer = make_officer()
    new = accounts.create_officer("new@example.test", Role.OFFICER).officer
    spy = VerifySpy(monkeypatch)
    attempts = [
        ("nobody@example.test", PASSWORD, accounts._DUMMY_HASH),
        (new.email, PASSWORD, accounts._DUMMY_HASH),
        (officer.email, strong(129), accounts._DUMMY_HASH),
        (officer.email, "wrong password!!", officer.password_hash),
    ]
    for email, password, expected in attempts:
        spy.hashes.clear()
        with pytest.raises(SignInFailed):
            accounts.authenticate(email, password, "123456")
        assert spy.hashes == [expected], email
    spy.hashes.clear()
    accounts.authenticate(officer.email, PASSWORD, current_code(officer))
    assert spy.hashes == [officer.password_hash]


@pytest.mark.parametrize("script", ["０１２３４５６７８９", "٠١٢٣٤٥٦٧٨٩", "⁰¹²³⁴⁵⁶⁷⁸⁹"])
def test_a_code_in_other_digits_matches_no_step_and_raises_nothing(script: str) -> None:
    """compare_digest raises TypeError on non-ASCII text: such a code once made sign-in a 500."""
    secret = pyotp.random_base32(32)
    code = pyotp.TOTP(secret).now().translate(str.maketrans("0123456789", script))
    assert totp.matching_step(secret, code, last_step=0) is None
