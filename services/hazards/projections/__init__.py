"""The hazards read views."""

from hazards.projections.register import HazardRegister

__all__ = ["HazardRegister"]
