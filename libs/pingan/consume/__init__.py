"""Consumption: one durable-consumer core; read views and reactions as its sinks."""
