"""The flask commands, one module per area."""
