"""The scoring service, as the platform sees it."""

from pingan.service import ServiceSpec
from pingan.write.application import ServiceApplication

SERVICE: ServiceSpec[ServiceApplication] = ServiceSpec(
    name="scoring",
    title="Scoring",
    description="Safe-unit creation: assessment, naming, re-inspection, title removal (平安创建).",
)
