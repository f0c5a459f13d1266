"""Log filters that keep secrets out of access logs (werkzeug's, gunicorn's) and result rows out of the SQL log.

Most secrets never reach a URL (the status look-up is a POST; forms are POSTed), but two things do:
the one-time enrolment link carries its token in the path, and officers' searches carry what they
searched for (a phone number, a name) in the query string. Access logs keep the path and drop both.
"""

from __future__ import annotations

import logging
import re
from collections.abc import MutableMapping
from typing import Any

REDACTED = "[redacted]"
#: The enrolment token in /officer/enrol/<token>.
_ENROL_TOKEN = re.compile(r"(/officer/enrol/)[^/?#\s\"]+")
#: The query string of officer and status pages (searches, filters, references).
_PRIVATE_QUERY = re.compile(r"((?:/officer|/status)[^?\s\"]*)\?[^\s\"]*")
#: Loggers whose records carry request lines or paths (the app's own error log names the path).
ACCESS_LOGGERS = ("werkzeug", "gunicorn.access", "complaints.core.error_pages")
#: SQLAlchemy logs each fetched row at DEBUG; rows are complaints, so never.
SQL_LOGGER = "sqlalchemy.engine.Engine"


def redact_target(text: str) -> str:
    """A request line, path or referrer without enrolment tokens and without private query strings."""
    return _PRIVATE_QUERY.sub(rf"\1?{REDACTED}", _ENROL_TOKEN.sub(rf"\1{REDACTED}", text))


def _redact_atoms(atoms: MutableMapping[str, Any]) -> None:
    """gunicorn's access-log atoms: cookies gone, paths and referrers cleaned, private query strings gone."""
    private = str(atoms.get("U") or "").startswith(("/officer", "/status"))
    for key in list(atoms.keys()):
        value = atoms[key]
        lowered = str(key).lower()
        secret_header = any(word in lowered for word in ("cookie", "authorization", "csrf"))
        if secret_header or (private and lowered in ("q", "{query_string}e") and value):
            atoms[key] = REDACTED
        elif isinstance(value, str):
            atoms[key] = redact_target(value)


class AccessLogRedaction(logging.Filter):
    """Rewrites access-log records in place; never drops one."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Clean the message and its arguments."""
        if isinstance(record.msg, str):
            record.msg = redact_target(record.msg)
        if isinstance(record.args, MutableMapping):
            _redact_atoms(record.args)
        elif isinstance(record.args, tuple):
            record.args = tuple(redact_target(a) if isinstance(a, str) else a for a in record.args)
        return True


class NoResultRows(logging.Filter):
    """Drops SQLAlchemy's DEBUG records (fetched rows); statements at INFO stay, their parameters hidden."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Keep INFO and above."""
        return record.levelno > logging.DEBUG


def install() -> None:
    """Attach the filters to the loggers they guard (idempotent)."""
    for name in ACCESS_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, AccessLogRedaction) for f in logger.filters):
            logger.addFilter(AccessLogRedaction())
    sql = logging.getLogger(SQL_LOGGER)
    if not any(isinstance(f, NoResultRows) for f in sql.filters):
        sql.addFilter(NoResultRows())
