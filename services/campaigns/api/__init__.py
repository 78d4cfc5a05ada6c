"""The campaigns HTTP API: one router per resource."""
