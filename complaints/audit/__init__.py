"""The append-only audit trail every area writes to (below them all: recording an event needs no casework)."""
