"""The Hazard aggregate: one public-safety hazard followed until it is closed."""

from __future__ import annotations

from eventsourcing.domain import Aggregate, event

from hazards.domain.vocabulary import Category, Grade, HazardStatus
from pingan.domain import IllegalTransition

ALLOWED: dict[HazardStatus, tuple[str, ...]] = {
    HazardStatus.REPORTED: ("file",),
    HazardStatus.FILED: (),
}


class Hazard(Aggregate):
    class Reported(Aggregate.Created):
        title: str
        category: str
        township: str
        village: str
        address: str
        reporter: str

    class Filed(Aggregate.Event):
        category: str
        grade: str
        file_number: str

    @event(Reported)
    def __init__(
        self,
        title: str,
        category: str,
        township: str,
        village: str,
        address: str,
        reporter: str,
    ) -> None:
        self.title = title
        self.category = Category(category)
        self.township = township
        self.village = village
        self.address = address
        self.reporter = reporter
        self.status = HazardStatus.REPORTED
        self.grade: Grade | None = None
        self.file_number: str | None = None

    def _require(self, command: str) -> None:
        if command not in ALLOWED[self.status]:
            raise IllegalTransition("hazard", self.status.value, command, ALLOWED[self.status])

    def file(self, category: Category, grade: Grade, file_number: str) -> None:
        """Classify the reported hazard and open its file (分类建档)."""
        self._require("file")
        self._filed(category=category.value, grade=grade.value, file_number=file_number)

    @event(Filed)
    def _filed(self, category: str, grade: str, file_number: str) -> None:
        self.category = Category(category)
        self.grade = Grade(grade)
        self.file_number = file_number
        self.status = HazardStatus.FILED
