"""The append-only audit trail that every area writes to (below them all, so none depends on casework to record an event)."""
