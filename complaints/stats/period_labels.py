"""Names of the fixed statistics periods in the visitor's language."""

from __future__ import annotations

from flask_babel import gettext as _

from complaints.statistics.periods import Period


def period_label(period: Period) -> str:
    """``All time``, ``2026``, ``2026 Q4`` or ``2026-11`` in the visitor's language."""
    if period.kind == "all":
        return _("All time")
    if period.kind == "year":
        return _("Year %(year)s", year=period.key)
    if period.kind == "quarter":
        return _("%(year)s, quarter %(quarter)s", year=period.key[:4], quarter=period.key[-1])
    return _("Month %(month)s", month=period.key)
