"""Password policy and TOTP steps, without HTTP."""

from __future__ import annotations

import pyotp
import pytest

from complaints.accounts import totp
from complaints.accounts.officers import PasswordRejected, check_password_policy


@pytest.mark.parametrize(
    "password",
    ["short pass", "x" * 129, "password1234", "QWERTYUIOP123", "aaaaaaaaaaaaaaaa", "abababababababab", "wang.wei@2026"],
)
def test_weak_or_oversized_passwords_are_refused(password: str) -> None:
    with pytest.raises(PasswordRejected):
        check_password_policy(password, "wang.wei@example.test")


@pytest.mark.parametrize("password", ["lantern orchard seventeen", "x7!Kp2#vQ9rT", "催收观察办案人员的长密码2026"])
def test_long_uncommon_passwords_pass(password: str) -> None:
    check_password_policy(password, "officer@example.test")


def test_a_code_matches_its_step_the_previous_and_next_step_but_not_older_ones() -> None:
    secret = pyotp.random_base32()
    generator = pyotp.TOTP(secret)
    now = 1_800_000_000.0
    step = generator.timecode(now)
    assert totp.matching_step(secret, generator.at(now), last_step=0, now=now) == step
    assert totp.matching_step(secret, generator.at(now - 30), last_step=0, now=now) == step - 1
    assert totp.matching_step(secret, generator.at(now + 30), last_step=0, now=now) == step + 1
    assert totp.matching_step(secret, generator.at(now - 60), last_step=0, now=now) is None


def test_a_step_at_or_before_the_last_accepted_one_is_a_replay() -> None:
    secret = pyotp.random_base32()
    generator = pyotp.TOTP(secret)
    now = 1_800_000_000.0
    step = generator.timecode(now)
    assert totp.matching_step(secret, generator.at(now), last_step=step, now=now) is None
    assert totp.matching_step(secret, generator.at(now - 30), last_step=step, now=now) is None
    assert totp.matching_step(secret, generator.at(now), last_step=step - 1, now=now) == step


def test_the_qr_code_is_an_svg_data_uri() -> None:
    assert totp.qr_data_uri(pyotp.random_base32(), "a@example.test").startswith("data:image/svg+xml")
