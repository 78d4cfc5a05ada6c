"""The scoring service's reactions to the other services' streams."""
