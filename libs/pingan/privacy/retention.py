"""Retention rules, declared per kind of record that mentions a person (PIPL art. 47: a
person may ask for erasure, unless a law or administrative regulation sets a retention
period that has not ended)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Retention:
    """Whether a record kind's personal data may be erased on request, and the rule that
    says so, in the words shown to the operator (Chinese first)."""

    erasable: bool
    rule: str

    @classmethod
    def erasable_on_request(cls, rule: str) -> Retention:
        return cls(True, rule)

    @classmethod
    def kept_by_law(cls, rule: str) -> Retention:
        return cls(False, rule)


@dataclass(frozen=True)
class RecordKind:
    """A kind of record that holds personal data, e.g. `hazards.reporter`."""

    name: str
    retention: Retention
