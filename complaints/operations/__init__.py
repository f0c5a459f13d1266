"""Backup and restore, integrity checks and demo data."""
