"""The hazards HTTP API."""
