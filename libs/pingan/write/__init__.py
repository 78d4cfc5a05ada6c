"""The write side: applications, their event store, who-and-why metadata, domain errors."""
