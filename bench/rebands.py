"""Recompute narrative_bands of a database bench/duplicates.py seeded, after the band settings changed.

Usage: PYTHONPATH=. python bench/rebands.py INSTANCE [INSTANCE ...]

Each instance is first upgraded to the current schema, then every narrative is decrypted and its
band codes (complaints.core.resemblance) written again, sorted, with the secondary index built
after the load; a text told many times (the demo's stories) is computed once. Then rerun
`bench/duplicates.py --reuse --instance ...` to time the look-ups under the new settings.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import select, text

from bench.duplicates import app_context
from complaints.core import resemblance
from complaints.core.crypto import current_keyring
from complaints.extensions import db
from complaints.models import Complaint, NarrativeBand

BATCH = 20_000


def rebuild() -> dict[str, float]:
    """Write every complaint's bands again; the seconds it took and the rows written."""
    started = time.perf_counter()
    ring = current_keyring()
    connection = db.session.connection()
    table = NarrativeBand.__table__
    for index in table.indexes:
        index.drop(connection, checkfirst=True)
    connection.execute(table.delete())
    raw = Complaint.__table__.c
    codes_of: dict[str, list[int]] = {}
    rows = 0
    last = 0
    while True:
        batch = connection.execute(
            select(raw.id, raw.narrative).where(raw.id > last).order_by(raw.id).limit(BATCH)
        ).all()
        if not batch:
            break
        last = batch[-1].id
        values = []
        for complaint_id, narrative in batch:  # the column's type decrypts it
            if narrative not in codes_of:
                if len(codes_of) > 50_000:  # only repeated texts are worth keeping
                    codes_of.clear()
                codes_of[narrative] = sorted(resemblance.band_codes(ring, narrative or ""))
            values += [{"band_hash": code, "complaint_id": complaint_id} for code in codes_of[narrative]]
        connection.execute(table.insert(), values)
        rows += len(values)
    for index in table.indexes:
        index.create(connection, checkfirst=True)
    db.session.commit()
    if db.engine.dialect.name == "sqlite":
        with db.engine.connect() as fresh:
            fresh.execute(text("ANALYZE"))
    return {"seconds": round(time.perf_counter() - started, 1), "band_rows": rows}


def main(instances: list[str]) -> int:
    for name in instances:
        instance = Path(name)
        env = {**os.environ, "INSTANCE_PATH": str(instance), "FLASK_APP": "wsgi", "RATELIMIT_ENABLED": "0"}
        subprocess.run([sys.executable, "-m", "flask", "db", "upgrade"], env=env, check=True)  # nosec B603
        with app_context(instance, ""):
            print(instance, rebuild(), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
