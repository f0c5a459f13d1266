"""The rollup recomputed from scratch in SQL — a second, independent statement of what stat_counts must hold.

`complaints.statistics.rollup.contributions` says in Python which cells one complaint adds to;
this module says the same for all complaints at once, as one GROUP BY the database runs fast
(a million complaints in seconds). `rebuild-stats --verify` compares the two worlds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, func, select, text
from sqlalchemy.engine import Connection

from complaints.models.stats import StatCount
from complaints.statistics import dimensions
from complaints.statistics.dimensions import CODE, COLLECTOR, NOT_REFERRED, PLATFORM, Dimension
from complaints.statistics.rollup import (
    ALL_TIME_MONTH,
    MAX_TRIAGE_DAYS,
    PUBLIC_RESOLUTIONS,
    PUBLIC_STATUSES,
    bump_version,
)

#: Each registered dimension's values in SQL: a SELECT of ``id`` (a public complaint, from ``pc``) and
#: ``value`` (one row per distinct value it counts under), as ``rollup.contributions`` reads them from the
#: dimension's ``values``. ``{channels}`` is the dialect's table function over ``pc.channels``,
#: ``{not_referred}`` the outcome of a complaint with no referral.
DIMENSION_SQL = {
    "channel": "SELECT DISTINCT pc.id AS id, ch.value AS value FROM pc, {channels}",
    "province": "SELECT pc.id AS id, CASE WHEN pc.province = '' THEN 'none' ELSE pc.province END AS value FROM pc",
    "triage_days": "SELECT pc.id AS id, pc.days AS value FROM pc",
    "outcome": "SELECT DISTINCT r.complaint_id AS id, r.status AS value"
    " FROM referrals r JOIN pc ON pc.id = r.complaint_id"
    " UNION ALL SELECT pc.id, '{not_referred}' FROM pc WHERE pc.referred = 0",
    "answer": "SELECT pc.id AS id, 'sent' AS value FROM pc WHERE pc.sent_at IS NOT NULL"
    " UNION ALL SELECT pc.id, 'timely' FROM pc WHERE pc.sent_at IS NOT NULL AND pc.timely IS TRUE"
    " UNION ALL SELECT pc.id, 'late' FROM pc WHERE pc.sent_at IS NOT NULL AND pc.timely IS FALSE"
    " UNION ALL SELECT pc.id, 'answered' FROM pc WHERE pc.sent_at IS NOT NULL AND pc.answered_at IS NOT NULL"
    " UNION ALL SELECT pc.id, pc.review FROM pc WHERE pc.sent_at IS NOT NULL AND pc.review IN ('settled', 'disputed')",
    # the latest answer's type, once the platform answered since it was (last) sent, or is in progress
    "response": "SELECT pc.id AS id, {response_cells} AS value FROM pc"
    " JOIN platform_responses r ON r.complaint_id = pc.id"
    " WHERE r.id = (SELECT MAX(r2.id) FROM platform_responses r2 WHERE r2.complaint_id = pc.id)"
    " AND pc.sent_at IS NOT NULL AND (pc.answered_at IS NOT NULL OR pc.pstage = 'in_progress')",
    "answer_days": "SELECT pc.id AS id, pc.answer_days AS value FROM pc"
    " WHERE pc.sent_at IS NOT NULL AND pc.answered_at IS NOT NULL",
}
#: Where DIMENSION_SQL is, for the message of a dimension without SQL.
HERE = "complaints/statistics/recompute.py"


class DimensionWithoutSQLError(LookupError):
    """A registered dimension has no SQL in the rebuild, so the rebuild would silently drop its cells."""


def check_dimension_sql(registry: tuple[Dimension, ...] | None = None) -> None:
    """Raise DimensionWithoutSQLError naming this file when a registered dimension has no entry in DIMENSION_SQL."""
    missing = [d.key for d in (dimensions.registered() if registry is None else registry) if d.key not in DIMENSION_SQL]
    if missing:
        raise DimensionWithoutSQLError(
            f"statistics dimension(s) {', '.join(missing)} have no SQL in the rebuild: add "
            f"DIMENSION_SQL[{missing[0]!r}] to {HERE} (a SELECT of id and value)"
        )


def _quoted(values: frozenset[str]) -> str:
    return ", ".join(f"'{v}'" for v in sorted(values))


def _whole_days(dialect: str, start: str, end: str, cap: int) -> str:
    """SQL for the whole days from `start` to `end`, between 0 and `cap`, as the rollup's Python counts them."""
    if dialect == "postgresql":
        return f"GREATEST(0, LEAST({cap}, FLOOR(EXTRACT(EPOCH FROM ({end} - {start})) / 86400)::int))"
    return f"max(0, min({cap}, CAST((julianday({end}) - julianday({start})) * 86400 + 0.001 AS INTEGER) / 86400))"


def _response_cells() -> str:
    """SQL for the `stat_counts` value of an answer's response type (``r.response_type``)."""
    whens = " ".join(f"WHEN '{kind}' THEN '{cell}'" for kind, cell in dimensions.RESPONSE_CELLS.items())
    return f"CASE r.response_type {whens} END"


def _fragments(dialect: str) -> dict[str, str]:
    days = _whole_days(dialect, "c.submitted_at", "c.accepted_at", MAX_TRIAGE_DAYS)
    answer_days = _whole_days(dialect, "c.sent_to_platform_at", "c.platform_answered_at", dimensions.MAX_ANSWER_DAYS)
    common = {"days": days, "answer_days": answer_days, "response_cells": _response_cells()}
    if dialect == "postgresql":
        return {
            **common,
            "month": "to_char(c.submitted_at AT TIME ZONE 'UTC', 'YYYY-MM')",
            "channels": "json_array_elements_text(pc.channels) AS ch(value)",
            "text": "VARCHAR",
        }
    return {
        **common,
        "month": "substr(c.submitted_at, 1, 7)",
        "channels": "json_each(pc.channels) AS ch",
        "text": "TEXT",
    }


def month_and_days_sql(dialect: str, table: str) -> tuple[str, str]:
    """SQL for a complaint's month received (YYYY-MM, UTC) and its days to triage, as the rollup computes them."""
    f = _fragments(dialect)
    return f["month"].replace("c.", f"{table}."), f["days"].replace("c.", f"{table}.")


def _dimension_ctes(f: dict[str, str], registry: tuple[Dimension, ...]) -> str:
    """``cd``: (id, dim, value) for every registered dimension, from its DIMENSION_SQL."""
    if not registry:
        return ""
    t = f["text"]
    # the registry's keys and this module's SQL; nothing comes from a request
    sql = {d.key: DIMENSION_SQL[d.key].format(**f, not_referred=NOT_REFERRED) for d in registry}
    selects = [f"SELECT d.id, CAST('{d.key}' AS {t}), CAST(d.value AS {t}) FROM ({sql[d.key]}) AS d" for d in registry]  # noqa: S608  # nosec B608
    union = "\n  UNION ALL\n  ".join(selects)
    return f"cd (id, dim, value) AS (\n  {union}\n),"


def _dimension_cells(f: dict[str, str], registry: tuple[Dimension, ...]) -> str:
    """The cells of the dimensions under each cut (platform, collector, code) that holds them."""
    e = f"CAST('' AS {f['text']})"
    split = [d.key for d in registry if d.by_status]
    status = f"CASE WHEN cd.dim IN ({_quoted(frozenset(split))}) THEN pc.status ELSE {e} END" if split else e
    cuts = (
        (PLATFORM, "pc.platform, 0, " + e, "FROM pc JOIN cd ON cd.id = pc.id"),
        (COLLECTOR, "0, pc.collector, " + e, "FROM pc JOIN cd ON cd.id = pc.id"),
        (CODE, "0, 0, cc.code", "FROM pc JOIN cc ON cc.complaint_id = pc.id JOIN cd ON cd.id = pc.id"),
    )
    out = ""
    for cut, keys, source in cuts:
        held = frozenset(d.key for d in registry if cut in d.cuts)
        if not held:
            continue
        where = "" if held == {d.key for d in registry} else f" WHERE cd.dim IN ({_quoted(held)})"
        out += (
            f"\n  UNION ALL SELECT pc.month, {keys}, {status}, cd.dim, cd.value, pc.verified, pc.referred"
            f"\n            {source}{where}"
        )
    return out


def expected_sql(dialect: str) -> str:
    """SELECT of every cell the rollup must hold: month, platform_id, collector_id, code, status, dim, value, counts."""
    check_dimension_sql()
    registry = dimensions.registered()
    f = _fragments(dialect)
    t = f["text"]
    e = f"CAST('' AS {t})"
    # Only constants of this module and the model's enums go into the text; nothing comes from a request.
    return f"""
WITH pc AS (
  SELECT c.id, {f["month"]} AS month, c.platform_id AS platform, COALESCE(c.collector_id, -1) AS collector,
         c.status AS status, CASE WHEN c.evidence_verified THEN 1 ELSE 0 END AS verified,
         CASE WHEN EXISTS (SELECT 1 FROM referrals r WHERE r.complaint_id = c.id) THEN 1 ELSE 0 END AS referred,
         c.province AS province, {f["days"]} AS days, c.channels AS channels,
         c.sent_to_platform_at AS sent_at, c.platform_answered_at AS answered_at, c.platform_timely AS timely,
         c.consumer_review AS review, c.platform_stage AS pstage, {f["answer_days"]} AS answer_days
  FROM complaints c
  WHERE c.accepted_at IS NOT NULL AND c.platform_id IS NOT NULL AND c.status IN ({_quoted(PUBLIC_STATUSES)})
    AND (c.resolution IS NULL OR c.resolution IN ({_quoted(PUBLIC_RESOLUTIONS)}))
    AND NOT c.campaign_folded
),
cc AS (SELECT DISTINCT complaint_id, code FROM complaint_violations),
{_dimension_ctes(f, registry)}
cells AS (
  SELECT month, platform AS p, 0 AS k, {e} AS code, status, {e} AS dim, {e} AS value, verified, referred FROM pc
  UNION ALL SELECT month, platform, collector, {e}, status, {e}, {e}, verified, referred FROM pc
  UNION ALL SELECT pc.month, pc.platform, 0, cc.code, pc.status, {e}, {e}, pc.verified, pc.referred
            FROM pc JOIN cc ON cc.complaint_id = pc.id
  UNION ALL SELECT pc.month, 0, pc.collector, cc.code, pc.status, {e}, {e}, pc.verified, pc.referred
            FROM pc JOIN cc ON cc.complaint_id = pc.id{_dimension_cells(f, registry)}
),
monthly AS (
  SELECT month, p, k, code, status, dim, value,
         COUNT(*) AS complaints, SUM(verified) AS verified, SUM(referred) AS referred
  FROM cells GROUP BY month, p, k, code, status, dim, value
)
SELECT month, p, k, code, status, dim, value, complaints, verified, referred FROM monthly
UNION ALL
SELECT CAST('{ALL_TIME_MONTH}' AS {t}), p, k, code, status, dim, value,
       SUM(complaints), SUM(verified), SUM(referred)
FROM monthly GROUP BY p, k, code, status, dim, value
"""  # noqa: S608  # only this module's constants and the models' enums are interpolated  # nosec B608


STORED = """SELECT month, platform_id, collector_id, code, status, dim, value, complaints, verified, referred
FROM stat_counts WHERE NOT (complaints = 0 AND verified = 0 AND referred = 0)"""


def public_count(connection: Connection) -> int:
    """How many complaints count in the public statistics."""
    head = expected_sql(connection.dialect.name).split("cc AS (")[0].rstrip().rstrip(",")
    sql = head + "\nSELECT COUNT(*) FROM pc"  # the module's own SQL  # nosec B608
    return int(connection.execute(text(sql)).scalar() or 0)


def differences(connection: Connection, limit: int = 1000) -> list[tuple[Any, ...]]:
    """Cells recomputed but not stored ("missing") and stored but not recomputed ("extra"), as stored rows."""
    expected = expected_sql(connection.dialect.name)
    sql = f"""
SELECT 'missing' AS side, x.* FROM (SELECT * FROM ({expected}) AS e EXCEPT SELECT * FROM ({STORED}) AS s) AS x
UNION ALL
SELECT 'extra', y.* FROM (SELECT * FROM ({STORED}) AS s2 EXCEPT SELECT * FROM ({expected}) AS e2) AS y
LIMIT {int(limit)}"""  # noqa: S608  # the module's own SQL and an int  # nosec B608
    return [tuple(row) for row in connection.execute(text(sql))]


def insert_all(connection: Connection) -> None:
    """Fill stat_counts from the recomputation (the table must be empty)."""
    connection.execute(
        text(
            "INSERT INTO stat_counts (month, platform_id, collector_id, code, status, dim, value, complaints, verified,"
            f" referred) {expected_sql(connection.dialect.name)}"
        )
    )


@dataclass
class RebuildReport:
    """What a recomputation found: cells missing from or extra in the stored rollup."""

    complaints: int = 0
    cells: int = 0
    differences: list[tuple[Any, ...]] = field(default_factory=list)


def rebuild(connection: Connection, *, verify_only: bool = False, compare: bool = True) -> RebuildReport:
    """Recompute the rollup in SQL; report differences (unless told not to); unless verifying only, replace it."""
    report = RebuildReport(complaints=public_count(connection))
    if compare or verify_only:
        report.differences = differences(connection)
    if not verify_only:
        connection.execute(delete(StatCount.__table__))
        insert_all(connection)
        bump_version(connection)
    report.cells = connection.execute(select(func.count()).select_from(StatCount.__table__)).scalar() or 0
    return report
