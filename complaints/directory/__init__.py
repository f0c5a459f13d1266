"""Platforms, collectors, their aliases and merges, and the reference data."""
