"""Migration 0005 on a deployment with data: clear rows and files are encrypted, and going back decrypts them."""

from __future__ import annotations

import json
from pathlib import Path

from flask import Flask
from flask_migrate import downgrade, upgrade
from sqlalchemy import select, text

from complaints.audit.events import verify_chain
from complaints.casework.duplicates import suggest_duplicates
from complaints.casework.queue import QueueFilter, queue_page
from complaints.directory.reference_data import seed_reference_data
from complaints.extensions import db
from complaints.intake.evidence_store import LocalEvidenceStore
from complaints.intake.filing import add_information
from complaints.models import Complaint
from tests import media
from tests.factories import ComplaintFactory, EvidenceFactory
from tests.migrations.test_migrations import empty_app  # noqa: F401  (the fixture)

NARRATIVE = "自称赵敏的催收员每天打电话。"


def _event_data() -> dict[str, str]:
    value = db.session.scalar(text("SELECT data FROM case_events WHERE kind = 'information_added'"))
    return json.loads(value) if isinstance(value, str) else dict(value)  # PostgreSQL's driver decodes JSON


def _raw(column: str) -> list[str]:
    return list(db.session.scalars(text(f"SELECT {column} FROM complaints ORDER BY id")))  # noqa: S608


def test_upgrading_a_deployment_with_clear_data_encrypts_rows_and_files_and_keeps_everything_usable(
    empty_app: Flask,  # noqa: F811
) -> None:
    with empty_app.app_context():
        upgrade()
        seed_reference_data()
        db.session.commit()
        store = LocalEvidenceStore(Path(empty_app.config["EVIDENCE_DIR"]))
        first = ComplaintFactory(contact_email="old@example.org", narrative=NARRATIVE)
        ComplaintFactory(contact_email="old@example.org", narrative="另一件事。")
        add_information(first, "补充：对方姓赵。", [], store)
        key, _new = store.put(media.png())
        EvidenceFactory(complaint=first, sha256=key, storage_key=key, original_name="赵敏截图.png")
        db.session.commit()
        first_id = first.id
        file = Path(empty_app.config["EVIDENCE_DIR"]) / key[:2] / key[2:4] / key
        db.session.remove()

        downgrade(revision="0004")  # as a deployment before encryption stored it
        assert _raw("narrative")[0] == NARRATIVE and _raw("contact_email") == ["old@example.org"] * 2
        assert _event_data()["text"] == "补充：对方姓赵。"
        assert file.read_bytes().startswith(b"\x89PNG")
        db.session.remove()

        upgrade()
        assert all(value.startswith("enc1:") for value in _raw("narrative") + _raw("contact_email"))
        assert _event_data()["text"].startswith("enc1:")
        assert not file.read_bytes().startswith(b"\x89PNG") and store.read(key) == media.png()
        complaint = db.session.get(Complaint, first_id)
        assert complaint is not None and complaint.narrative == NARRATIVE
        assert complaint.evidence[0].original_name == "赵敏截图.png"
        assert [c.id for c in queue_page(QueueFilter(status="", search="赵敏")).complaints] == [first_id]
        assert [s.reasons for s in suggest_duplicates(complaint)] == [["contact"]]
        assert verify_chain() == []
        assert len(list(db.session.scalars(select(Complaint)))) == 2
        db.session.remove()
