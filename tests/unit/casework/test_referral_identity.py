"""A referral carries the consumer's identity only if the officer asked for it and the consumer consented."""

import pytest

from complaints.casework.referral import may_share_identity
from tests.factories import ComplaintFactory


@pytest.mark.parametrize(
    ("asked", "consented", "shared"),
    [(True, True, True), (True, False, False), (False, True, False), (False, False, False)],
)
def test_identity_is_shared_only_when_asked_for_and_consented_to(asked: bool, consented: bool, shared: bool) -> None:
    complaint = ComplaintFactory.build(consent_share_identity=consented)
    assert may_share_identity(complaint, asked=asked) is shared
