"""The read-only JSON API of the public statistics (``/api/v1``)."""
