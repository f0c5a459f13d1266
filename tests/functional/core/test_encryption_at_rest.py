"""A database dump and the evidence folder alone reveal no complainant; search, duplicates and rotation still work."""

from __future__ import annotations

import base64
import hashlib
import json
import sqlite3
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import inspect, select, text

from complaints.audit.events import verify_chain
from complaints.casework import queue
from complaints.casework.duplicates import suggest_duplicates
from complaints.casework.queue import QueueFilter, queue_page
from complaints.core.crypto import DecryptionError, current_keyring
from complaints.extensions import db
from complaints.intake.evidence_store import LocalEvidenceStore
from complaints.intake.filing import add_information
from complaints.models import CaseEvent, Complaint, NarrativeTerm
from complaints.privacy.key_rotation import key_usage, reseal_rows
from tests import media
from tests.factories import ComplaintFactory, PlatformFactory
from tests.factories_officer import make_officer, sign_in
from tests.functional.helpers import field_errors, post_complaint, receipt_codes, valid_form, with_files

NAME = "苏沐橙"
PHONE = "13712345678"
EMAIL = "sumucheng.dumptest@example.org"
PHRASE = "紫藤花园七号楼"
LOAN = "LOANZX998877"
OUTCOME = "退还多收的费用QUIVERVORTEX"
FILE_NAME = "苏沐橙的借条截图.png"
ADDED = "补充材料MOONLIGHT"
# Long ASCII markers too: JSON may hold Chinese as \u escapes, and a short one could occur in base64 by chance.
PLANTED = [NAME, PHONE, EMAIL, PHRASE, LOAN, OUTCOME, FILE_NAME, ADDED, "sumucheng", "MOONLIGHT", "QUIVERVORTEX"]


def store(app: Flask) -> LocalEvidenceStore:
    return LocalEvidenceStore(Path(app.config["EVIDENCE_DIR"]))


def file_planted_complaint(client: FlaskClient, app: Flask) -> Complaint:
    form = valid_form(
        contact_name=NAME,
        contact_phone=PHONE,
        contact_email=EMAIL,
        consent_contact="y",
        narrative=f"我住在{PHRASE}，催收人员每天打电话骚扰我和我的家人，还说要上门。",
        loan_reference=LOAN,
        desired_outcome=OUTCOME,
    )
    response = post_complaint(client, with_files(form, [(media.png(), FILE_NAME)]))
    assert response.status_code == 303, field_errors(response)
    reference, _code = receipt_codes(client)
    complaint = db.session.scalars(select(Complaint).where(Complaint.reference == reference)).one()
    add_information(complaint, ADDED, [], store(app))
    db.session.commit()
    return complaint


def raw_database_text() -> str:
    """Everything the database holds, as a dump would show it."""
    engine = db.engine
    if engine.dialect.name == "sqlite":
        path = Path(engine.url.database or "")
        with sqlite3.connect(path) as connection:
            dump = "\n".join(connection.iterdump())
        files = b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))
        return dump + "\n" + files.decode("utf-8", errors="replace")
    rows = []
    with engine.connect() as connection:
        for table in inspect(connection).get_table_names():
            rows += [row[0] for row in connection.execute(text(f'SELECT t::text FROM "{table}" t'))]  # noqa: S608
    return "\n".join(rows)


def test_a_database_dump_and_the_evidence_folder_reveal_none_of_the_complainants_details(
    client: FlaskClient, app: Flask
) -> None:
    complaint = file_planted_complaint(client, app)
    dump = raw_database_text()
    assert complaint.reference in dump  # the dump is real: it holds the row
    for planted in PLANTED:
        assert planted not in dump, planted
    assert "+86" + PHONE not in dump

    evidence = complaint.evidence[0]
    files = [p for p in Path(app.config["EVIDENCE_DIR"]).rglob("*") if p.is_file()]
    assert len(files) == 1
    stored = files[0].read_bytes()
    plaintext = store(app).read(evidence.storage_key)
    assert b"\x89PNG" not in stored and plaintext not in stored and plaintext.startswith(b"\x89PNG")
    # The recorded hash is the plaintext's (referral packets show it), and the file is named by it.
    assert evidence.sha256 == hashlib.sha256(plaintext).hexdigest() == files[0].name

    # Officers still read everything in clear.
    db.session.expire_all()
    fresh = db.session.get(Complaint, complaint.id)
    assert fresh is not None
    assert (fresh.contact_name, fresh.contact_phone, fresh.contact_email) == (NAME, "+86" + PHONE, EMAIL)
    assert PHRASE in fresh.narrative and fresh.loan_reference == LOAN and fresh.evidence[0].original_name == FILE_NAME
    texts = [e.data.get("text") for e in db.session.scalars(select(CaseEvent)) if e.data.get("text")]
    assert texts == [ADDED]
    assert verify_chain() == []


def test_the_officer_case_page_shows_the_decrypted_details_and_evidence(client: FlaskClient, app: Flask) -> None:
    complaint = file_planted_complaint(client, app)
    officer_client = app.test_client()
    sign_in(officer_client, make_officer())
    page = officer_client.get(f"/officer/complaints/{complaint.id}").get_data(as_text=True)
    for planted in (NAME, EMAIL, PHRASE, LOAN, ADDED):
        assert planted in page, planted
    evidence = complaint.evidence[0]
    response = officer_client.get(f"/officer/complaints/{complaint.id}/evidence/{evidence.id}")
    assert response.status_code == 200 and response.data.startswith(b"\x89PNG")


@pytest.fixture(params=["rare pieces looked up", "common pieces probed per row"])
def search_plan(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Both plans of the blind-index search give the same answers."""
    if request.param.startswith("common"):
        monkeypatch.setattr(queue, "RARE_TERM", 0)


def search(term: str) -> list[int]:
    return [c.id for c in queue_page(QueueFilter(status="", search=term)).complaints]


@pytest.mark.usefixtures("search_plan")
def test_officer_search_finds_a_two_character_name_and_a_word_through_the_blind_index() -> None:
    named = ComplaintFactory(narrative="自称李娜的催收员每天打电话。")
    english = ComplaintFactory(narrative="The collector kept calling my employer to harass me.")
    other = ComplaintFactory(narrative="催收人员冒充律师发来律师函。")
    assert search("李娜") == [named.id]
    assert search("HARASS") == [english.id]
    assert search("律师") == [other.id]
    assert db.session.scalar(select(NarrativeTerm.complaint_id).where(NarrativeTerm.complaint_id == named.id))


@pytest.mark.usefixtures("search_plan")
def test_pieces_of_the_search_that_occur_apart_do_not_match_and_one_character_matches_no_narrative() -> None:
    apart = ComplaintFactory(narrative="张伟说了话，伟明也打了电话。")
    together = ComplaintFactory(narrative="张伟明打电话来。")
    assert search("张伟明") == [together.id]
    assert sorted(search("张伟")) == sorted([apart.id, together.id])
    assert search("张") == []


@pytest.mark.usefixtures("search_plan")
def test_search_pages_fill_up_past_false_candidates() -> None:
    platform = PlatformFactory()
    wanted = [ComplaintFactory(platform=platform, narrative="张伟明打电话来。") for _ in range(3)]
    for _ in range(5):
        ComplaintFactory(platform=platform, narrative="张伟说了话，伟明也打了电话。")
    first = queue_page(QueueFilter(status="", search="张伟明"), page_size=2)
    assert len(first.complaints) == 2 and first.next_cursor
    second = queue_page(QueueFilter(status="", search="张伟明", cursor=first.next_cursor), page_size=2)
    assert sorted(c.id for c in first.complaints + second.complaints) == sorted(c.id for c in wanted)


def test_duplicates_are_suggested_by_keyed_hashes_of_email_phone_and_narrative() -> None:
    platform = PlatformFactory()
    first = ComplaintFactory(platform=platform, contact_email="Same.Person@example.org", narrative="一个故事。")
    by_email = ComplaintFactory(contact_email="same.person@example.org ", narrative="完全不同的事情。")
    by_phone_a = ComplaintFactory(contact_phone="+8613811112222", narrative="甲。")
    by_phone_b = ComplaintFactory(contact_phone="+8613811112222", narrative="乙。")
    story = "催收员每天打三十个电话，还把我的欠款发到了通讯录里每一个人。"
    copy_a = ComplaintFactory(platform=platform, narrative=story)
    copy_b = ComplaintFactory(platform=platform, narrative=story.replace("，", " , "))
    assert first.contact_email_hash == by_email.contact_email_hash != ""
    assert [s.complaint.id for s in suggest_duplicates(first)] == [by_email.id]
    assert [s.complaint.id for s in suggest_duplicates(by_phone_a)] == [by_phone_b.id]
    assert copy_a.narrative_fingerprint == copy_b.narrative_fingerprint
    [suggestion] = suggest_duplicates(copy_a)
    assert suggestion.complaint.id == copy_b.id and suggestion.reasons == ["narrative"]


def test_an_altered_ciphertext_is_a_clear_error_not_a_wrong_value(app: Flask) -> None:
    ident = ComplaintFactory(narrative="原本的叙述。").id
    raw = db.session.execute(text("SELECT narrative FROM complaints WHERE id = :id"), {"id": ident}).scalar_one()
    prefix, payload = raw.rsplit(":", 1)
    sealed = bytearray(base64.urlsafe_b64decode(payload))
    sealed[len(sealed) // 2] ^= 1  # one bit of the ciphertext
    flipped = f"{prefix}:{base64.urlsafe_b64encode(bytes(sealed)).decode()}"
    db.session.execute(text("UPDATE complaints SET narrative = :v WHERE id = :id"), {"v": flipped, "id": ident})
    db.session.commit()
    db.session.expunge_all()
    with pytest.raises(DecryptionError, match=r"complaints\.narrative"):
        db.session.get(Complaint, ident)
    db.session.rollback()
    # A value copied from another column does not decrypt either: the column is part of the seal.
    db.session.execute(
        text("UPDATE complaints SET narrative = desired_outcome, desired_outcome = :v WHERE id = :id"),
        {"v": raw, "id": ident},
    )
    db.session.commit()
    db.session.expunge_all()
    with pytest.raises(DecryptionError, match=r"complaints\.(narrative|desired_outcome)"):
        db.session.get(Complaint, ident)
    db.session.rollback()

    key, _new = store(app).put(b"\x89PNG evidence bytes")
    path = Path(app.config["EVIDENCE_DIR"]) / key[:2] / key[2:4] / key
    blob = bytearray(path.read_bytes())
    blob[-1] ^= 1
    path.write_bytes(bytes(blob))
    with pytest.raises(DecryptionError):
        store(app).read(key)


def test_rotation_rewrites_everything_under_a_new_key_and_the_old_key_can_then_be_retired(
    client: FlaskClient, app: Flask
) -> None:
    complaint = file_planted_complaint(client, app)
    ring = current_keyring()
    old = ring.current
    runner = app.test_cli_runner()

    result = runner.invoke(args=["rotate-key", "--add-only"])
    assert result.exit_code == 0, result.output
    new = ring.current
    assert new != old and old in ring.keys
    # Interrupted after one batch of one row: rerunning with --resume finishes the job.
    with db.engine.connect() as connection:
        next(reseal_rows(connection, ring, batch=1))
        connection.commit()
    result = runner.invoke(args=["rotate-key", "--resume"])
    assert result.exit_code == 0 and f"re-encrypted under {new}" in result.output, result.output
    again = runner.invoke(args=["rotate-key", "--resume"])
    assert "0 rows, 0 evidence files" in again.output

    with db.engine.connect() as connection:
        usage = key_usage(connection, ring, store(app))
    assert set(usage) == {new}
    assert runner.invoke(args=["verify-audit"]).exit_code == 0

    old_key = base64.urlsafe_b64encode(ring.keys[old]).decode()
    retired = runner.invoke(args=["rotate-key", "--retire"])
    assert retired.exit_code == 0 and f"retired {old}" in retired.output, retired.output
    assert old not in ring.keys
    saved = Path(app.config["DATA_KEYS_FILE"]).read_text()
    # The data key is gone; only the one-way access-code key derived from it stays, under its id.
    assert old_key not in saved and set(json.loads(saved)["keys"]) == {new} and f'"current": "{new}"' in saved
    assert set(json.loads(saved)["access_keys"]) == {old}

    db.session.expire_all()
    fresh = db.session.get(Complaint, complaint.id)
    assert fresh is not None and fresh.contact_email == EMAIL and PHRASE in fresh.narrative
    assert store(app).read(fresh.evidence[0].storage_key).startswith(b"\x89PNG")
    assert verify_chain() == []


def test_a_new_index_key_rebuilds_the_blind_indexes_so_search_and_duplicates_still_work(app: Flask) -> None:
    first = ComplaintFactory(contact_email="twin@example.org", narrative="自称王芳的催收员上门。")
    second = ComplaintFactory(contact_email="twin@example.org", narrative="另一件事。")
    before = first.contact_email_hash
    result = app.test_cli_runner().invoke(args=["rotate-key", "--index-key"])
    assert result.exit_code == 0 and "rebuilt for 2 complaints" in result.output, result.output
    db.session.expire_all()
    assert db.session.get(Complaint, first.id).contact_email_hash != before  # type: ignore[union-attr]
    assert search("王芳") == [first.id]
    assert [s.complaint.id for s in suggest_duplicates(db.session.get(Complaint, first.id))] == [second.id]  # type: ignore[arg-type]


def test_the_queue_says_a_one_character_search_needs_two(app: Flask) -> None:
    complaint = ComplaintFactory(narrative="自称张三的人打电话。")
    officer_client = app.test_client()
    officer_client.set_cookie("lang", "zh_Hans")
    sign_in(officer_client, make_officer())
    page = officer_client.get("/officer/?q=张&status=").get_data(as_text=True)
    assert "搜索叙述至少需要输入两个字。" in page and complaint.reference not in page
    page = officer_client.get("/officer/?q=张三&status=").get_data(as_text=True)
    assert "搜索叙述至少需要输入两个字。" not in page and complaint.reference in page


def test_key_rotation_reseals_every_encrypted_column_the_models_declare() -> None:
    """A column sealed by the models but missing from the rotation list would stay under a retired key."""
    from complaints.models import private
    from complaints.privacy.key_rotation import ENCRYPTED

    declared = {
        (table.name, column.name)
        for table in db.metadata.sorted_tables
        for column in table.columns
        if isinstance(column.type, private.EncryptedText | private.EncryptedFields)
    }
    rotated = {(table, column) for table, columns in ENCRYPTED.items() for column, _kind in columns}
    assert declared == rotated
