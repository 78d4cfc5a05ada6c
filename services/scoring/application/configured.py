"""What the application decides with, from its configuration: the standards, and the accident
grade from which a safety accident strips a title.

`STANDARDS_DIR` (or `SCORING_STANDARDS_DIR`) names a directory of further standard versions,
added to the shipped ones. `ACCIDENT_STRIP_GRADE` (or `SCORING_ACCIDENT_STRIP_GRADE`) is the
lowest grade of the 生产安全事故报告和调查处理条例 that strips a title: `larger` (较大, the
default), `major` (重大) or `especially_major`; `general` strips on every accident.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

from pingan.write.application import ServiceApplication
from scoring.application.standards import Standards, read_standards, shipped_standards

GRADES = ("general", "larger", "major", "especially_major")
DEFAULT_STRIP_GRADE = "larger"


class Configured(ServiceApplication):
    @cached_property
    def standards(self) -> Standards:
        extra = self.env.get("STANDARDS_DIR")
        if not extra:
            return shipped_standards()
        return Standards([*shipped_standards().all(), *read_standards(Path(extra)).all()])

    @cached_property
    def accident_strip_grade(self) -> str:
        grade = self.env.get("ACCIDENT_STRIP_GRADE") or DEFAULT_STRIP_GRADE
        if grade not in GRADES:
            raise ValueError(f"ACCIDENT_STRIP_GRADE is one of {', '.join(GRADES)}, not {grade}")
        return grade

    def accident_strips(self, severity: str) -> bool:
        """Decided from the accident's grade, not from the producer's `major` flag."""
        return GRADES.index(severity) >= GRADES.index(self.accident_strip_grade)
