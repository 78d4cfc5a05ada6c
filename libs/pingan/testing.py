"""Helpers for unit tests of any service: its application on the in-memory store."""

from __future__ import annotations

from typing import Any, TypeVar

from eventsourcing.application import Application

A = TypeVar("A", bound=Application[Any])


def in_memory(application: type[A], **env: str) -> A:
    """A fresh `application` on eventsourcing's in-memory store; `env` adds settings."""
    return application(env={"PERSISTENCE_MODULE": "eventsourcing.popo", **env})
