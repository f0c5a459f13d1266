"""Migration 0009 on a deployment with data: unverified (consumer-typed) platforms become their
complaints' private reported text, verified ones stay, and going back restores the old shape."""

from __future__ import annotations

from flask import Flask
from flask_migrate import downgrade, upgrade
from sqlalchemy import func, select, text

from complaints.directory.reference_data import seed_reference_data
from complaints.extensions import db
from complaints.models import Complaint, Platform
from complaints.operations.demo import generate
from tests.factories import ComplaintFactory, PlatformFactory
from tests.migrations.test_migrations import empty_app  # noqa: F401  (the fixture)

TYPED = "张伟 13800138000"


def _raw_names() -> list[str]:
    return list(db.session.scalars(text("SELECT platform_name_reported FROM complaints ORDER BY id")))


def test_unverified_platforms_become_private_reported_text_and_come_back_on_the_way_down(
    empty_app: Flask,  # noqa: F811
) -> None:
    with empty_app.app_context():
        upgrade()
        seed_reference_data()
        db.session.commit()
        generate(60, seed=7, batch=30)
        known = PlatformFactory(name_zh="虚构分期商城")
        on_known = ComplaintFactory(platform=known, platform_name_reported="虚构分期商城")
        typed = [ComplaintFactory(platform=None, platform_name_reported=TYPED) for _ in range(2)]
        db.session.commit()
        verified_before = set(db.session.scalars(select(Platform.id).where(Platform.verified.is_(True))))
        complaints_before = db.session.scalar(select(func.count()).select_from(Complaint))
        typed_ids = [c.id for c in typed]
        known_id, on_known_id = known.id, on_known.id
        db.session.remove()

        downgrade(revision="0008")  # as a deployment before issue 10 stored it: one unverified entry per typed name
        rows = db.session.execute(text("SELECT id, name_zh, verified FROM platforms WHERE name_zh = :n"), {"n": TYPED})
        (entry_id, _name, verified), *more = rows.all()
        assert not verified and more == []
        linked = db.session.scalars(
            text("SELECT platform_id FROM complaints WHERE id IN (:a, :b)"), {"a": typed_ids[0], "b": typed_ids[1]}
        )
        assert set(linked) == {entry_id}
        assert TYPED in _raw_names() and not any(name.startswith("enc1:") for name in _raw_names())
        # an old deployment had accepted one of them with its unverified entry
        db.session.execute(
            text("UPDATE complaints SET status = 'accepted', accepted_at = submitted_at WHERE id = :id"),
            {"id": typed_ids[0]},
        )
        db.session.commit()
        db.session.remove()

        upgrade()
        assert all(name.startswith("enc1:") for name in _raw_names() if name)
        assert db.session.scalar(select(func.count()).select_from(Platform).where(Platform.verified.is_(False))) == 0
        assert set(db.session.scalars(select(Platform.id))) == verified_before
        assert db.session.scalar(select(func.count()).select_from(Complaint)) == complaints_before
        for cid in typed_ids:
            complaint = db.session.get(Complaint, cid)
            assert complaint is not None and complaint.platform_id is None
            assert complaint.platform_name_reported == TYPED
        again = db.session.get(Complaint, on_known_id)
        assert again is not None and again.platform_id == known_id and again.platform_name_reported == "虚构分期商城"
        assert db.session.scalar(text("SELECT COUNT(*) FROM stat_counts WHERE platform_id = :p"), {"p": entry_id}) == 0
        db.session.remove()
