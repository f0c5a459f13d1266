"""Seed N synthetic complaints on SQLite and time the queue service (no HTTP): `python bench/officer/queue_queries_sqlite.py 1000000`."""
# ruff: noqa: E501, S608 - a throwaway seeding script: long literal SQL with an integer count interpolated

import sys
import tempfile
from pathlib import Path

from queue_timing import seal_seeded_rows, time_queue_pages  # this folder (the script's own)
from sqlalchemy import text

from complaints import create_app
from complaints.config import TestConfig
from complaints.directory.reference_data import seed_reference_data
from complaints.extensions import db

N = int(sys.argv[1]) if len(sys.argv) > 1 else 200000

tmp = tempfile.mkdtemp()
url = f"sqlite:///{tmp}/bench.db"
try:
    app = create_app(TestConfig(Path(tempfile.mkdtemp()), url))
    with app.app_context():
        db.create_all()
        seed_reference_data()
        db.session.commit()
        s = db.session
        s.execute(
            text(
                "INSERT INTO platforms (name_zh,name_en,kind,operating_company,verified,search_text,created_at) WITH RECURSIVE s(g) AS (SELECT 1 UNION ALL SELECT g+1 FROM s WHERE g<500) SELECT '虚构平台'||g,'','lending_app','',1,'',datetime('now') FROM s"
            )
        )
        s.execute(
            text(f"""INSERT INTO complaints (reference, public_id, access_code_hash, status, resolution, severity, platform_id, platform_name_reported,
          collector_kind_reported, collector_name_reported, loan_reference, stage, channels, third_parties, narrative, desired_outcome, province, language,
          consent_share_identity, consent_publish, consent_contact, contact_name, contact_phone, contact_email, contact_fingerprint, narrative_fingerprint,
          narrative_redacted, publication_status, evidence_verified, submitted_at, updated_at, contact_email_hash, contact_phone_hash, narrative_published)
          WITH RECURSIVE s(g) AS (SELECT 1 UNION ALL SELECT g+1 FROM s WHERE g<{N})
          SELECT 'CW-2026-'||substr('0000000'||g,-7,7), 'P'||g, 'x',
            (CASE g%5 WHEN 0 THEN 'submitted' WHEN 1 THEN 'needs_info' WHEN 2 THEN 'accepted' WHEN 3 THEN 'referred' ELSE 'closed' END), CASE WHEN g%5=4 THEN 'resolved' END,
            (CASE g%7 WHEN 5 THEN 'high' WHEN 6 THEN 'urgent' ELSE 'normal' END), 1+(g%500), 'x', 'agency','', '', 'outsourced', '[]', '[]',
            '催收人员每天打电话辱骂我编号'||g||(CASE WHEN g%1000=0 THEN '张伟' ELSE '' END), '', CAST((g%31)+11 AS TEXT), 'zh_Hans',
            0,0,0,'','','','','','','not_consented',0,
            strftime('%Y-%m-%d %H:%M:%f', 'now', '-'||g||' minutes')||'000', strftime('%Y-%m-%d %H:%M:%f', 'now', '-'||g||' minutes')||'000', '', '', ''
          FROM s""")
        )
        s.execute(
            text(
                "INSERT INTO complaint_violations (complaint_id, code, \"primary\") SELECT id, (CASE id%3 WHEN 0 THEN 'ABU-01' WHEN 1 THEN 'THR-01' ELSE 'TP-01' END), 1 FROM complaints"
            )
        )
        s.commit()
        seal_seeded_rows(s)
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
            c.execute(text("ANALYZE"))
        time_queue_pages()
        db.session.remove()
        db.engine.dispose()
finally:
    import shutil

    shutil.rmtree(tmp)
