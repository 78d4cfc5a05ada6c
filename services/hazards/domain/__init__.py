"""The hazards domain model: no framework, no I/O."""
