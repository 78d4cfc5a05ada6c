"""The hazard register: its table and handlers (view), the queries run on it (queries) and the
reports over it (reports)."""

from hazards.projections.register.view import HazardRegister

__all__ = ["HazardRegister"]
