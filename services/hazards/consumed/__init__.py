"""Trimmed copies of the other services' events that hazards reads from the bus."""
