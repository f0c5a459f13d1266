"""Domain services: every rule lives here, none of them touches the request."""
