"""Merging two directory entries, platforms or collectors alike: complaints and earlier merges follow, once."""

from collections.abc import Callable
from typing import Any

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from complaints.directory.admin import merge_collectors, merge_platforms
from complaints.errors import DomainError
from complaints.extensions import db
from complaints.models import CaseEvent, CollectorPhone, PlatformAlias
from tests.factories import CollectorFactory, ComplaintFactory, PlatformFactory
from tests.factories_officer import make_admin

ENTITIES = [
    pytest.param(PlatformFactory, merge_platforms, "platform", "platform_merged", id="platforms"),
    pytest.param(CollectorFactory, merge_collectors, "collector", "collector_merged", id="collectors"),
]


@pytest.mark.parametrize(("make", "merge", "column", "kind"), ENTITIES)
def test_merging_moves_complaints_and_earlier_merges_and_records_it(
    make: Callable[..., Any], merge: Callable[..., int], column: str, kind: str
) -> None:
    officer = make_admin()
    source, target = make(), make()
    earlier = make(merged_into_id=source.id)
    complaints = [ComplaintFactory(**{column: source}) for _ in range(2)]
    assert merge(source, target, by=officer) == 2
    db.session.commit()
    assert all(getattr(c, f"{column}_id") == target.id for c in complaints)
    assert source.merged_into_id == target.id and earlier.merged_into_id == target.id
    event = db.session.scalars(select(CaseEvent).where(CaseEvent.kind == kind)).one()
    assert event.data == {
        "from": source.id,
        "from_name": source.name_zh if column == "platform" else source.name,
        "into": target.id,
        "complaints": 2,
    }


@pytest.mark.parametrize(("make", "merge", "column", "kind"), ENTITIES)
def test_an_entry_cannot_merge_into_itself_or_twice(
    make: Callable[..., Any], merge: Callable[..., int], column: str, kind: str
) -> None:
    officer = make_admin()
    source, target, third = make(), make(), make()
    with force_locale("en"):
        with pytest.raises(DomainError, match=f"Choose another {column} to merge into"):
            merge(source, source, by=officer)
        merge(source, target, by=officer)
        with pytest.raises(DomainError, match=f"This {column} was already merged"):
            merge(source, third, by=officer)
        with pytest.raises(DomainError, match=f"This {column} was already merged"):
            merge(third, source, by=officer)


def test_a_merged_platforms_names_become_aliases_and_its_verification_carries_over() -> None:
    source = PlatformFactory(name_zh="小禾钱包App", verified=True)
    target = PlatformFactory(name_zh="小禾钱包", verified=False)
    merge_platforms(source, target, by=make_admin())
    db.session.commit()
    assert "小禾钱包App" in {a.alias for a in db.session.scalars(select(PlatformAlias))}
    assert target.verified


def test_a_merged_collectors_numbers_become_the_targets() -> None:
    source, target = CollectorFactory(), CollectorFactory()
    source.phones.append(CollectorPhone(phone="+8613800138000"))
    db.session.commit()
    merge_collectors(source, target, by=make_admin())
    db.session.commit()
    assert [p.phone for p in target.phones] == ["+8613800138000"] and source.phones == []
