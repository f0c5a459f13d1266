"""factory_boy factories for fictional test data (invented platforms, collectors and people)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory
from factory.alchemy import SQLAlchemyModelFactory

from complaints.directory.lookup import refresh_search_text
from complaints.extensions import db
from complaints.intake.access import hash_access_code, new_public_id
from complaints.models import (
    Collector,
    Complaint,
    ComplaintViolation,
    Evidence,
    Officer,
    Platform,
    ReportedPhone,
)

TEST_ACCESS_CODE = "TEST-CODE-0000-0001"
LEGACY_CODE = "ARGN-2HAS-HED0-0001"
#: Argon2id (argon2-cffi's defaults) of LEGACY_CODE, as versions before the keyed hash stored it.
LEGACY_HASH = "$argon2id$v=19$m=65536,t=3,p=4$52CD8QexRL5kDmUyxM2PUQ$qB0Vfr01orBVUDHjPuropRSQmnl9rSdOmiTvqW1mpIE"


def test_code_hash() -> str:
    """The keyed hash of the factories' access code under the key ring of the app in context."""
    return hash_access_code(TEST_ACCESS_CODE)


class BaseFactory(SQLAlchemyModelFactory):
    """Commits, so that requests made through the test client see the rows."""

    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731
        sqlalchemy_session_persistence = "commit"


class PlatformFactory(BaseFactory):
    class Meta:
        model = Platform

    name_zh = factory.Sequence(lambda n: f"测试平台{n}号")
    name_en = factory.Sequence(lambda n: f"Test Platform {n}")
    kind = "lending_app"
    verified = True

    @factory.post_generation
    def search(obj: Platform, create: bool, extracted: Any, **kwargs: Any) -> None:  # noqa: N805
        refresh_search_text(obj)


class CollectorFactory(BaseFactory):
    class Meta:
        model = Collector

    name = factory.Sequence(lambda n: f"虚构催收公司{n}")
    kind = "agency"


class OfficerFactory(BaseFactory):
    class Meta:
        model = Officer

    email = factory.Sequence(lambda n: f"officer{n}@example.test")
    display_name = factory.Sequence(lambda n: f"Officer {n}")
    role = "officer"


class ComplaintFactory(BaseFactory):
    class Meta:
        model = Complaint

    reference = factory.Sequence(lambda n: f"CW-2026-{900000 + n:06d}")
    public_id = factory.LazyFunction(new_public_id)
    access_code_hash = factory.LazyFunction(test_code_hash)
    status = "submitted"
    platform = factory.SubFactory(PlatformFactory)
    platform_name_reported = factory.LazyAttribute(lambda o: o.platform.name_zh)
    collector_kind_reported = "agency"
    narrative = "催收人员每天打电话辱骂我，还联系了我的同事。"
    stage = "outsourced"
    channels = factory.LazyFunction(lambda: ["call", "sms"])
    third_parties = factory.LazyFunction(lambda: ["colleagues"])
    province = "44"
    first_incident_on = dt.date(2026, 9, 1)
    last_incident_on = dt.date(2026, 10, 1)

    @factory.post_generation
    def codes(obj: Complaint, create: bool, extracted: list[str] | None, **kwargs: Any) -> None:  # noqa: N805
        codes = extracted if extracted is not None else ["ABU-01", "TP-02"]
        obj.violations = [ComplaintViolation(code=c, primary=(i == 0)) for i, c in enumerate(codes)]
        if create:
            db.session.commit()

    @factory.post_generation
    def phones(obj: Complaint, create: bool, extracted: list[str] | None, **kwargs: Any) -> None:  # noqa: N805
        if extracted:
            obj.reported_phones = [ReportedPhone(phone=p) for p in extracted]
            if create:
                db.session.commit()


class EvidenceFactory(BaseFactory):
    class Meta:
        model = Evidence

    complaint = factory.SubFactory(ComplaintFactory)
    sha256 = factory.Sequence(lambda n: f"{n:064x}")
    storage_key = factory.LazyAttribute(lambda o: o.sha256)
    size_bytes = 1234
    mime_type = "image/png"
    kind = "image"
    original_name = "screenshot.png"
