"""Public-safety hazard investigation and key-area rectification."""
