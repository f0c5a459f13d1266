"""Seed N synthetic complaints on PostgreSQL and time the queue service (no HTTP): `python bench/officer/queue_queries_postgres.py 1000000`."""
# ruff: noqa: E501, S608 - a throwaway seeding script: long literal SQL with an integer count interpolated

import sys
import tempfile
import uuid
from pathlib import Path

from queue_timing import seal_seeded_rows, time_queue_pages  # this folder (the script's own)
from sqlalchemy import create_engine, text

from complaints import create_app
from complaints.config import TestConfig
from complaints.directory.reference_data import seed_reference_data
from complaints.extensions import db

N = int(sys.argv[1]) if len(sys.argv) > 1 else 200000
admin = create_engine("postgresql+psycopg://postgres@127.0.0.1:5432/test", isolation_level="AUTOCOMMIT")
name = f"cw_officer_plan_{uuid.uuid4().hex[:6]}"
with admin.connect() as c:
    c.execute(text(f'CREATE DATABASE "{name}"'))
url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
try:
    app = create_app(TestConfig(Path(tempfile.mkdtemp()), url))
    with app.app_context():
        db.create_all()
        seed_reference_data()
        db.session.commit()
        s = db.session
        s.execute(
            text(
                "INSERT INTO platforms (name_zh,name_en,kind,operating_company,verified,search_text,created_at) SELECT '虚构平台'||g,'','lending_app','',true,'',now() FROM generate_series(1,500) g"
            )
        )
        s.execute(
            text(f"""INSERT INTO complaints (reference, public_id, access_code_hash, status, resolution, severity, platform_id, platform_name_reported,
          collector_kind_reported, collector_name_reported, loan_reference, stage, channels, third_parties, narrative, desired_outcome, province, language,
          consent_share_identity, consent_publish, consent_contact, contact_name, contact_phone, contact_email, contact_fingerprint, narrative_fingerprint,
          narrative_redacted, publication_status, evidence_verified, submitted_at, updated_at, contact_email_hash, contact_phone_hash, narrative_published)
          SELECT 'CW-2026-'||lpad(g::text,7,'0'), 'P'||g, 'x',
            (ARRAY['submitted','needs_info','accepted','referred','closed'])[1+(g%5)], CASE WHEN g%5=4 THEN 'resolved' END,
            (ARRAY['normal','normal','normal','normal','normal','high','urgent'])[1+(g%7)], 1+(g%500), 'x', 'agency','', '', 'outsourced', '[]', '[]',
            '催收人员每天打电话辱骂我编号'||g||(CASE WHEN g%1000=0 THEN '张伟' ELSE '' END), '', lpad(((g%31)+11)::text,2,'0'), 'zh_Hans',
            false,false,false,'','','','','','','not_consented',false,
            now() - (g||' minutes')::interval, now() - (g||' minutes')::interval, '', '', ''
          FROM generate_series(1,{N}) g""")
        )
        s.execute(
            text(
                "INSERT INTO complaint_violations (complaint_id, code, \"primary\") SELECT id, (ARRAY['ABU-01','THR-01','TP-01'])[1+(id%3)], true FROM complaints"
            )
        )
        s.commit()
        seal_seeded_rows(s)
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
            c.execute(text("VACUUM ANALYZE"))
        print(
            db.session.execute(text("EXPLAIN ANALYZE SELECT status, count(*) FROM complaints GROUP BY status"))
            .scalars()
            .all()[:4]
        )
        time_queue_pages()
        db.session.remove()
        db.engine.dispose()
finally:
    with admin.connect() as c:
        c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
