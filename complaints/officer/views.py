"""The officer blueprint with every view module's routes attached (import this, not the modules)."""

from __future__ import annotations

from complaints.officer import (
    accounts_admin,
    audit,
    auth,
    campaigns,
    case,
    directory,
    outbox,
    publication,
    queue,
    referral,
    regulators,
    suggest,
)
from complaints.officer.blueprint import bp

__all__ = [
    "accounts_admin",
    "audit",
    "auth",
    "bp",
    "campaigns",
    "case",
    "directory",
    "outbox",
    "publication",
    "queue",
    "referral",
    "regulators",
    "suggest",
]
